"""The only writers of organisational life. Each function runs in one transaction, checks permissions and records
an event. One module per entity: ``meetings``, ``points``, ``reviews``, ``terms``, ``alerts`` (the sweep); every
public name is importable from ``grassroots.partylife.services``."""

from .alerts import alert_acknowledge, arrears_sweep, inactive_sweep, rhythm_sweep, sweep, term_sweep
from .meetings import (
                       meeting_archive,
                       meeting_attach,
                       meeting_cancel,
                       meeting_hold,
                       meeting_notice,
                       meeting_plan,
                       meeting_sign_in,
)
from .points import (
    points_award,
    points_decide,
    points_enter,
    points_for_meeting,
    points_for_service,
    points_for_services,
)
from .reviews import review_record
from .seats import seat_add, seat_end
from .terms import term_extend_decide, term_extend_propose, term_start

__all__ = [
    "alert_acknowledge", "arrears_sweep", "inactive_sweep", "meeting_archive", "meeting_attach", "meeting_cancel", "meeting_hold",
    "meeting_notice", "meeting_plan", "meeting_sign_in", "points_award", "points_decide",
    "points_enter", "points_for_meeting", "points_for_service", "points_for_services", "review_record",
    "seat_add", "seat_end",
    "rhythm_sweep", "sweep", "term_extend_decide", "term_extend_propose", "term_start", "term_sweep",
]
