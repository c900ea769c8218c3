"""The only writers of cases: one ``case_<verb>(*, actor, case, ...)`` per row of the transition table.

A package along the services' concerns — ``common`` (the shared machinery below), ``intake`` (intake and triage),
``dispatch`` (dispatch, escalation, supervision and the sweep's moves), ``handling`` (handling, verification,
rating, reopening, handover) and ``clocks`` (extensions and suspensions); every public name is importable from
here (``services.case_accept``).

Every service runs in one transaction, loads the case with a row lock, and refuses with a reason:

* the case is outside the actor's scope → ``NotFound`` (it looks missing);
* the case is not in a state that allows the verb → ``Conflict`` (409, ``details["current_state"]``);
* the actor's role may not do it → ``NotPermitted``;
* bad input → ``ValidationFailed`` (with ``field``).

The status moves by compare-and-set (``core.transitions.compare_and_set``) from the state the service observed, so
of two people acting at once exactly one wins and the other gets ``Conflict``. Each move writes one event
(``core.events.record``, object ``cases.case``, verb ``case.<transition verb>``, from/to state) and notifies those
concerned (``core.notifications.notify``). ``case`` may be a ``Case`` or its id; services return the fresh case.

Intake
    ``case_report(*, actor, channel, category, title, description="", lon=None, lat=None, crs="WGS84",
    region=None, address="", anonymous=False, privacy_requested=False, hide_identity_from_staff=False,
    reporter_name="", reporter_contact="", reporter_person=None, enterprise=None, external_id="",
    idempotency_key="", attachments=(), public_summary="") -> Intake``
    ``Intake(case, created, tracking_code, notice_zh, notice_en)``: a retried submission with the same
    ``idempotency_key`` (per client and channel), or an import with a known ``external_id``, returns the first case
    with ``created=False``. ``actor`` may be ``None`` for an anonymous resident (channel ``resident``).
    Possible duplicates are suggested before filing (``selectors.nearby_open_cases``: the intake forms and
    ``GET /api/cases/nearby``) and to community staff at triage (``selectors.duplicate_candidates``).

Triage (community staff of the case's community)
    ``case_accept(*, actor, case, tier=None, category=None, public_summary=None)``
    ``case_reject(*, actor, case, reason)`` · ``case_mark_duplicate(*, actor, case, original, reason="")``
    ``case_resolve_on_site(*, actor, case, note="", evidence=())`` (the reporting grid worker)

Dispatch and tiers
    ``case_dispatch(*, actor, case, lead, co_handlers=(), instructions="")`` (dispatcher of the case's tier)
    ``case_escalate(*, actor, case, reason="", whistle=False, lead=None, co_handlers=(), by_sweep=False)``
    — 呼叫上级 by the tier's dispatcher; 吹哨 (``whistle=True`` with ``lead``) by a subdistrict officer: the
    case goes to the zone tier and is dispatched at once with a 30-minute acknowledgement; ``by_sweep=True``
    (actor ``None``) is the sweep's escalation of a breached deadline, flagged 督办.
    ``case_supervise(*, actor, case, reason)`` — flag 督办 by hand (zone leader, subdistrict officer).
    ``sweep_escalate_many(case_ids)`` / ``sweep_flag_many(case_ids)`` — the sweep's moves for many breached cases
    in one transaction (the locked chunk moves with one compare-and-set UPDATE; events and notifications are
    written in bulk through ``write_batch()``); ``sweep_flag(*, case)`` flags one.

Handling (handlers of the assigned units)
    ``case_acknowledge(*, actor, case)`` · ``case_return(*, actor, case, reason)`` (lead, 回退)
    ``case_note(*, actor, case, text)`` · ``case_part_done(*, actor, case, note="")`` (co-handler)
    ``case_handle(*, actor, case, result, evidence)`` (lead; every co-handler done; evidence = attachment ids)

Verification, rating, reopen
    ``case_verify_pass(*, actor, case, note="")`` · ``case_verify_fail(*, actor, case, reason)``
    ``case_rate(*, actor, case=None, tracking_code="", resolved, satisfaction, comment="")``
    ``case_reopen(*, actor, case, reason="")`` · ``case_decline_reopen(*, actor, case, reason)``

有呼必应 (enterprise appeals)
    ``case_answer(*, actor, case, result, closure_kind="")`` — 答复办结 by the enterprise's commissioner
    ``case_redispatch(*, actor, case, lead, co_handlers=(), reason, instructions="")`` — 二次派单 after an
    unsatisfied rating, to a unit the dispatcher chooses

Clocks
    ``case_request_extension(*, actor, case, amount, unit, reason) -> Extension``
    ``case_approve_extension(*, actor, extension, note="")`` · ``case_decline_extension(*, actor, extension, note)``
    ``case_suspend(*, actor, case, reason, review_at)`` · ``case_resume(*, actor, case, by_sweep=False)``

Other
    ``handover_assignments(*, actor, post, successor) -> int`` (registered with ``people.handover``)
    ``attach(*, actor, case, attachment_ids)`` — link uploaded ``core.Attachment`` rows to a case.
"""

from .clocks import (
    case_approve_extension,
    case_decline_extension,
    case_request_extension,
    case_resume,
    case_suspend,
)
from .common import ASSIGNMENT_LABELS, attach, normalize_tracking_code, write_batch
from .dispatch import (
    case_dispatch,
    case_escalate,
    case_supervise,
    sweep_escalate_many,
    sweep_flag,
    sweep_flag_many,
)
from .handling import (
    case_acknowledge,
    case_answer,
    case_decline_reopen,
    case_handle,
    case_note,
    case_part_done,
    case_rate,
    case_redispatch,
    case_reopen,
    case_return,
    case_verify_fail,
    case_verify_pass,
    handover_assignments,
)
from .intake import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    Intake,
    case_accept,
    case_mark_duplicate,
    case_reject,
    case_report,
    case_resolve_on_site,
    new_tracking_code,
)

__all__ = [
    "ASSIGNMENT_LABELS", "TRACKING_ALPHABET", "TRACKING_LENGTH", "Intake", "attach", "case_accept",
    "case_acknowledge", "case_approve_extension", "case_decline_extension", "case_decline_reopen", "case_dispatch",
    "case_escalate", "case_handle", "case_mark_duplicate", "case_note", "case_part_done", "case_rate",
    "case_answer", "case_redispatch", "case_reject", "case_reopen", "case_report", "case_request_extension", "case_resolve_on_site", "case_resume",
    "case_return", "case_supervise", "case_suspend", "case_verify_fail", "case_verify_pass",
    "handover_assignments", "new_tracking_code", "normalize_tracking_code", "sweep_escalate_many", "sweep_flag",
    "sweep_flag_many", "write_batch",
]
