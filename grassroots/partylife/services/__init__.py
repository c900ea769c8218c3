"""The only writers of organisational life. Each function runs in one transaction, checks permissions and records
an event. One module per entity; every public name is importable from ``grassroots.partylife.services``."""

from .points import points_award, points_decide, points_enter, points_for_meeting, points_for_service
from .reviews import review_record

__all__ = ["points_award", "points_decide", "points_enter", "points_for_meeting", "points_for_service",
           "review_record"]
