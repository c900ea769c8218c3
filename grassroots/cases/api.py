"""Cases API (mounted at /api/cases/): intake, one POST per transition verb, lists, detail, timeline, inbox, the
public view, and the tracking-code lookup and rating (no account needed; ``POST /api/cases/track`` and
``POST /api/cases/track/rate`` with the code in the JSON body, never in the URL).

Intake takes an ``Idempotency-Key`` header: the first submission answers 201, a retry with the same key 200 with
the same case. ``GET /api/cases/nearby?category=&lon=&lat=`` lists open cases of the category nearby before one
files (possible duplicates; anyone, public cases only for the anonymous). Errors come back as JSON (``code``,
``message``; a 409 carries ``details.current_state``). Timelines name each move by its transition verb
(``accept``), whichever spelling the audit row carries.
"""

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from grassroots.core.pagination import PageNumberPagination, RowList
from grassroots.people.api_auth import bearer_auth, session_auth
from grassroots.people.masking import mask_phone

from . import permissions, selectors, services
from .states import STATUS_LABELS

router = Router(tags=["cases 事件办理"])


def _anyone(request):
    """Lets an anonymous resident through (intake); authenticated callers are identified by the auths before it."""
    return AnonymousUser()


INTAKE_AUTH = [bearer_auth, session_auth, _anyone]  # bearer first: token clients send no CSRF token


def _actor(request):
    user = getattr(request, "auth", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


# ---------------------------------------------------------------------------------------------------------------
# Schemas


class IntakeIn(Schema):
    channel: str = "resident"
    category: str
    title: str
    description: str = ""
    lon: float | None = None
    lat: float | None = None
    crs: str = "WGS84"
    region: int | None = None
    address: str = ""
    anonymous: bool = False
    privacy_requested: bool = False
    hide_identity_from_staff: bool = False
    reporter_name: str = ""
    reporter_contact: str = ""
    enterprise: int | None = None
    external_id: str = ""
    attachments: list[int] = []
    public_summary: str = ""
    appeal_type: str = ""
    urgent: bool = False
    topics: list[str] = []


class PublicCaseOut(Schema):
    id: int
    reference: str
    category_code: str
    category_name: str
    status: str
    status_label: str
    public_lon: float | None
    public_lat: float | None
    region_name: str
    reported_at: dt.datetime
    accepted_at: dt.datetime | None
    handled_at: dt.datetime | None
    closed_at: dt.datetime | None
    public_summary: str
    duplicate_of_reference: str  # a duplicate's public original ("" otherwise)


class IntakeOut(Schema):
    id: int
    reference: str
    status: str
    tracking_code: str
    notice: str
    notice_en: str


class NearbyFilters(Schema):
    category: str
    lon: float
    lat: float
    crs: str = "WGS84"


class NearbyOut(PublicCaseOut):
    distance_m: int
    approximate: bool  # matched and measured on the public, rounded position
    title: str  # only for cases the caller may see; "" otherwise


class CaseOut(Schema):
    id: int
    reference: str
    channel: str
    category_code: str
    category_name: str
    title: str
    status: str
    status_label: str
    tier: str
    region_id: int
    region_name: str
    reported_at: dt.datetime
    running_due: dt.datetime | None
    overdue: bool
    supervision: bool
    rework_count: int
    is_public: bool
    public_summary: str


class AssignmentOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    role: str
    round: int
    tier: str
    status: str
    active: bool
    whistle: bool
    dispatched_at: dt.datetime
    acknowledge_due: dt.datetime | None
    acknowledged_at: dt.datetime | None
    part_done_at: dt.datetime | None
    handled_at: dt.datetime | None


class RatingOut(Schema):
    round: int
    resolved: bool
    satisfaction: str
    source: str
    rated_at: dt.datetime
    reopen_decision: str


class ExtensionOut(Schema):
    id: int
    stage: str
    amount: int
    unit: str
    reason: str
    status: str
    requested_at: dt.datetime
    new_due: dt.datetime | None


class EventOut(Schema):
    """One row of a case's timeline as the caller may see it (``selectors.timeline_for``): staff see who acted,
    the note and the details; the reporter sees the unit that acted and only what was written for them."""

    at: dt.datetime
    verb: str
    actor: str
    from_state: str
    to_state: str
    note: str
    payload: dict


class NextStepOut(Schema):
    """Who is expected to act next, and by when (``permissions.next_steps``, the rule the case page shows)."""

    verb: str
    label: str
    who: str
    roles: list[str]
    units: list[str]
    due: dt.datetime | None
    waiting_for: list[str]


class CaseDetailOut(CaseOut):
    appeal_type: str
    urgent: bool
    appeal_topics: list[str]
    closure_kind: str
    description: str
    address: str
    lon: float | None
    lat: float | None
    reporter_name: str
    reporter_contact: str
    anonymous: bool
    tracking_code: str
    accept_due: dt.datetime | None
    dispatch_due: dt.datetime | None
    acknowledge_due: dt.datetime | None
    handle_due: dt.datetime | None
    verify_due: dt.datetime | None
    resume_at: dt.datetime | None
    supervision_reason: str
    duplicate_of: int | None
    assignments: list[AssignmentOut]
    ratings: list[RatingOut]
    extensions: list[ExtensionOut]
    attachments: list[int]
    timeline: list[EventOut]
    next_steps: list[NextStepOut]


class TrackOut(Schema):
    id: int
    reference: str
    title: str
    category_code: str
    category_name: str
    status: str
    status_label: str
    reported_at: dt.datetime
    accepted_at: dt.datetime | None
    handled_at: dt.datetime | None
    closed_at: dt.datetime | None
    public_summary: str
    can_rate: bool
    timeline: list[dict]


class ReasonIn(Schema):
    reason: str = ""


class NoteIn(Schema):
    note: str = ""


class AcceptIn(Schema):
    tier: str | None = None
    category: str | None = None
    public_summary: str | None = None


class DuplicateIn(Schema):
    original: int
    reason: str = ""


class OnSiteIn(Schema):
    note: str = ""
    evidence: list[int] = []


class DispatchIn(Schema):
    lead: int
    co_handlers: list[int] = []
    instructions: str = ""


class EscalateIn(Schema):
    reason: str = ""
    whistle: bool = False
    lead: int | None = None
    co_handlers: list[int] = []


class TextIn(Schema):
    text: str


class HandleIn(Schema):
    result: str
    evidence: list[int] = []
    closure_kind: str = ""


class AnswerIn(Schema):
    result: str
    closure_kind: str = ""


class RedispatchIn(Schema):
    lead: int
    co_handlers: list[int] = []
    reason: str
    instructions: str = ""


class RateIn(Schema):
    resolved: bool
    satisfaction: str
    comment: str = ""


class ExtensionIn(Schema):
    amount: int
    unit: str
    reason: str


class ExtensionDecisionIn(Schema):
    extension: int
    note: str = ""


class SuspendIn(Schema):
    reason: str
    review_date: dt.date


class CaseFilters(Schema):
    status: str = ""
    category: str = ""
    tier: str = ""
    channel: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue: bool | None = None
    supervision: bool | None = None
    region: int | None = None
    q: str = ""


class PublicFilters(Schema):
    status: str = ""
    category: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


# ---------------------------------------------------------------------------------------------------------------
# Serialisation (plain dicts; no query per row)


def _public_row(row: dict) -> dict:
    return {
        "id": row["id"], "reference": row["reference"], "category_code": row["category__code"],
        "category_name": row["category__name"], "status": row["status"],
        "status_label": STATUS_LABELS.get(row["status"], row["status"]), "public_lon": row["public_lon"],
        "public_lat": row["public_lat"], "region_name": row.get("region__name") or "",
        "reported_at": row["reported_at"], "accepted_at": row["accepted_at"], "handled_at": row["handled_at"],
        "closed_at": row["closed_at"], "public_summary": row["public_summary"],
        "duplicate_of_reference": selectors.public_original(row),
    }


def _public_of(case) -> dict:
    return _public_row({
        "id": case.pk, "reference": case.reference, "category__code": case.category.code,
        "category__name": case.category.name, "status": case.status, "public_lon": case.public_lon,
        "public_lat": case.public_lat, "region__name": "", "reported_at": case.reported_at,
        "accepted_at": case.accepted_at, "handled_at": case.handled_at, "closed_at": case.closed_at,
        "public_summary": case.public_summary})


def _case_row(case, now=None) -> dict:
    from grassroots.core import clock

    due = getattr(case, "running_due", None)
    return {
        "id": case.pk, "reference": case.reference, "channel": case.channel, "category_code": case.category.code,
        "category_name": case.category.name, "title": case.title, "status": case.status,
        "status_label": STATUS_LABELS.get(case.status, case.status), "tier": case.tier,
        "region_id": case.region_id, "region_name": case.region.name, "reported_at": case.reported_at,
        "running_due": due, "overdue": bool(due and due < (now or clock.now())), "supervision": case.supervision,
        "rework_count": case.rework_count, "is_public": case.is_public, "public_summary": case.public_summary,
    }


def _detail_row(actor, detail) -> dict:
    case = detail.case
    row = _case_row(case)
    hidden = detail.identity_hidden
    row.update(
        appeal_type=case.appeal_type, urgent=case.urgent, appeal_topics=list(case.appeal_topics or []),
        closure_kind=case.closure_kind,
        description=case.description, address=case.address, lon=case.lon, lat=case.lat,
        reporter_name="" if hidden else case.reporter_name,
        reporter_contact="" if hidden else mask_phone(case.reporter_contact) if case.reporter_contact else "",
        anonymous=case.anonymous,
        tracking_code=case.tracking_code if case.reporter_id == getattr(actor, "pk", None) else "",
        accept_due=case.accept_due, dispatch_due=case.dispatch_due, acknowledge_due=case.acknowledge_due,
        handle_due=case.handle_due, verify_due=case.verify_due, resume_at=case.resume_at,
        supervision_reason=case.supervision_reason, duplicate_of=case.duplicate_of_id,
        assignments=[{
            "id": a.pk, "organization_id": a.organization_id, "organization_name": a.organization.name,
            "role": a.role, "round": a.round, "tier": a.tier, "status": a.status, "active": a.active,
            "whistle": a.whistle, "dispatched_at": a.dispatched_at, "acknowledge_due": a.acknowledge_due,
            "acknowledged_at": a.acknowledged_at, "part_done_at": a.part_done_at, "handled_at": a.handled_at,
        } for a in detail.assignments],
        ratings=[{"round": r.round, "resolved": r.resolved, "satisfaction": r.satisfaction, "source": r.source,
                  "rated_at": r.rated_at, "reopen_decision": r.reopen_decision} for r in detail.ratings],
        extensions=[{"id": e.pk, "stage": e.stage, "amount": e.amount, "unit": e.unit, "reason": e.reason,
                     "status": e.status, "requested_at": e.requested_at, "new_due": e.new_due}
                    for e in detail.extensions],
        attachments=[a.pk for a in detail.attachments],
        timeline=[_event_row(e) for e in detail.timeline],
        next_steps=[{"verb": s.verb, "label": s.label, "who": s.who, "roles": [str(r) for r in s.roles],
                     "units": list(s.units), "due": s.due, "waiting_for": list(s.waiting_for)}
                    for s in permissions.next_steps(case, detail.assignments, ratings=detail.ratings,
                                                    extensions=detail.extensions)],
    )
    return row


def _event_row(row: dict) -> dict:
    return {k: row[k] for k in ("at", "verb", "actor", "from_state", "to_state", "note", "payload")}


def _intake_body(intake: services.Intake) -> dict:
    case = intake.case
    return {"id": case.pk, "reference": case.reference, "status": case.status,
            "tracking_code": intake.tracking_code, "notice": intake.notice_zh, "notice_en": intake.notice_en}


# ---------------------------------------------------------------------------------------------------------------
# Intake, lists, detail


@router.post("/", response={200: IntakeOut, 201: IntakeOut}, auth=INTAKE_AUTH, operation_id="cases_intake")
def intake(request, payload: IntakeIn):
    data = payload.dict()
    intake = services.case_report(actor=_actor(request),
                                  idempotency_key=request.headers.get("Idempotency-Key", ""), **data)
    return Status(201 if intake.created else 200, _intake_body(intake))


@router.get("/nearby", response=list[NearbyOut], auth=INTAKE_AUTH, operation_id="cases_nearby")
def nearby(request, filters: Query[NearbyFilters]):
    """Before filing: open cases of the category near the position (see ``selectors.nearby_open_cases``)."""
    found = selectors.nearby_open_cases(actor=_actor(request), **filters.dict())
    return [dict(_public_of(c), distance_m=round(c.distance_m), approximate=c.approximate,
                 title="" if c.approximate else c.title) for c in found]


@router.get("/", response=list[CaseOut], operation_id="cases_list")
@paginate(PageNumberPagination, page_size=50)
def case_list(request, filters: Query[CaseFilters]):
    qs = selectors.case_list(actor=request.auth, **{k: v for k, v in filters.dict().items() if v not in ("", None)})
    return RowList(qs, _case_row)


@router.get("/inbox", response=dict[str, int], operation_id="cases_inbox_counts")
def inbox_counts(request):
    return selectors.inbox_counts(actor=request.auth)


@router.get("/inbox/{queue}", response=list[CaseOut], operation_id="cases_inbox")
@paginate(PageNumberPagination, page_size=50)
def inbox(request, queue: str):
    return RowList(selectors.inbox(actor=request.auth, queue=queue), _case_row)


@router.get("/public", response=list[PublicCaseOut], auth=None, operation_id="cases_public_list")
@paginate(PageNumberPagination, page_size=50)
def public_list(request, filters: Query[PublicFilters]):
    qs = selectors.public_case_list(actor=None, **{k: v for k, v in filters.dict().items() if v not in ("", None)})
    return RowList(qs, _public_row)


@router.get("/public/{case_id}", response=PublicCaseOut, auth=None, operation_id="cases_public_detail")
def public_detail(request, case_id: int):
    return _public_row(selectors.public_case_get(actor=None, pk=case_id))


class TrackIn(Schema):
    code: str = Field(max_length=40, description="查询码 / tracking code")


class TrackRateIn(RateIn):
    code: str = Field(max_length=40, description="查询码 / tracking code")


def _track_row(code: str) -> dict:
    row = selectors.tracking_lookup(actor=None, code=code)
    return dict(row, category_code=row.pop("category__code"), category_name=row.pop("category__name"),
                status_label=STATUS_LABELS.get(row["status"], row["status"]))


# The tracking code is a secret: it travels in the body, never in a URL (access logs, proxies, browser history).
@router.post("/track", response=TrackOut, auth=None, operation_id="cases_track")
def track(request, payload: TrackIn):
    return _track_row(payload.code)


@router.post("/track/rate", response=TrackOut, auth=None, operation_id="cases_track_rate")
def track_rate(request, payload: TrackRateIn):
    data = payload.dict()
    code = data.pop("code")
    services.case_rate(actor=None, tracking_code=code, **data)
    return _track_row(code)


@router.get("/{case_id}", response=CaseDetailOut, operation_id="cases_detail")
def detail(request, case_id: int):
    return _detail_row(request.auth, selectors.case_detail(actor=request.auth, pk=case_id))


@router.get("/{case_id}/timeline", response=list[EventOut], operation_id="cases_timeline")
def timeline(request, case_id: int):
    case = selectors.case_get(actor=request.auth, pk=case_id)
    return [_event_row(e) for e in selectors.timeline_for(actor=request.auth, case=case)]


# ---------------------------------------------------------------------------------------------------------------
# One POST per verb


def _after(request, case_id: int) -> dict:
    return _case_row(selectors.case_get(actor=request.auth, pk=case_id))


@router.post("/{case_id}/accept", response=CaseOut, operation_id="cases_accept")
def accept(request, case_id: int, payload: AcceptIn):
    services.case_accept(actor=request.auth, case=case_id, **payload.dict())
    return _after(request, case_id)


@router.post("/{case_id}/reject", response=CaseOut, operation_id="cases_reject")
def reject(request, case_id: int, payload: ReasonIn):
    services.case_reject(actor=request.auth, case=case_id, reason=payload.reason)
    return _after(request, case_id)


@router.post("/{case_id}/mark_duplicate", response=CaseOut, operation_id="cases_mark_duplicate")
def mark_duplicate(request, case_id: int, payload: DuplicateIn):
    services.case_mark_duplicate(actor=request.auth, case=case_id, original=payload.original, reason=payload.reason)
    return _after(request, case_id)


@router.post("/{case_id}/resolve_on_site", response=CaseOut, operation_id="cases_resolve_on_site")
def resolve_on_site(request, case_id: int, payload: OnSiteIn):
    services.case_resolve_on_site(actor=request.auth, case=case_id, note=payload.note, evidence=payload.evidence)
    return _after(request, case_id)


@router.post("/{case_id}/dispatch", response=CaseOut, operation_id="cases_dispatch")
def dispatch(request, case_id: int, payload: DispatchIn):
    services.case_dispatch(actor=request.auth, case=case_id, lead=payload.lead, co_handlers=payload.co_handlers,
                           instructions=payload.instructions)
    return _after(request, case_id)


@router.post("/{case_id}/escalate", response=CaseOut, operation_id="cases_escalate")
def escalate(request, case_id: int, payload: EscalateIn):
    services.case_escalate(actor=request.auth, case=case_id, reason=payload.reason, whistle=payload.whistle,
                           lead=payload.lead, co_handlers=payload.co_handlers)
    return _after(request, case_id)


@router.post("/{case_id}/supervise", response=CaseOut, operation_id="cases_supervise")
def supervise(request, case_id: int, payload: ReasonIn):
    services.case_supervise(actor=request.auth, case=case_id, reason=payload.reason)
    return _after(request, case_id)


@router.post("/{case_id}/acknowledge", response=CaseOut, operation_id="cases_acknowledge")
def acknowledge(request, case_id: int):
    services.case_acknowledge(actor=request.auth, case=case_id)
    return _after(request, case_id)


@router.post("/{case_id}/return", response=CaseOut, operation_id="cases_return")
def return_(request, case_id: int, payload: ReasonIn):
    services.case_return(actor=request.auth, case=case_id, reason=payload.reason)
    return _after(request, case_id)


@router.post("/{case_id}/note", response=CaseOut, operation_id="cases_note")
def note(request, case_id: int, payload: TextIn):
    services.case_note(actor=request.auth, case=case_id, text=payload.text)
    return _after(request, case_id)


@router.post("/{case_id}/part_done", response=CaseOut, operation_id="cases_part_done")
def part_done(request, case_id: int, payload: NoteIn):
    services.case_part_done(actor=request.auth, case=case_id, note=payload.note)
    return _after(request, case_id)


@router.post("/{case_id}/handle", response=CaseOut, operation_id="cases_handle")
def handle(request, case_id: int, payload: HandleIn):
    services.case_handle(actor=request.auth, case=case_id, result=payload.result, evidence=payload.evidence,
                         closure_kind=payload.closure_kind)
    return _after(request, case_id)


@router.post("/{case_id}/answer", response=CaseOut, operation_id="cases_answer")
def answer(request, case_id: int, payload: AnswerIn):
    """答复办结: the enterprise's service commissioner answers an enterprise appeal and closes it."""
    services.case_answer(actor=request.auth, case=case_id, result=payload.result, closure_kind=payload.closure_kind)
    return _after(request, case_id)


@router.post("/{case_id}/redispatch", response=CaseOut, operation_id="cases_redispatch")
def redispatch(request, case_id: int, payload: RedispatchIn):
    """二次派单: after the enterprise's unsatisfied rating, to a unit the dispatcher chooses."""
    services.case_redispatch(actor=request.auth, case=case_id, lead=payload.lead, co_handlers=payload.co_handlers,
                             reason=payload.reason, instructions=payload.instructions)
    return _after(request, case_id)


@router.post("/{case_id}/verify_pass", response=CaseOut, operation_id="cases_verify_pass")
def verify_pass(request, case_id: int, payload: NoteIn):
    services.case_verify_pass(actor=request.auth, case=case_id, note=payload.note)
    return _after(request, case_id)


@router.post("/{case_id}/verify_fail", response=CaseOut, operation_id="cases_verify_fail")
def verify_fail(request, case_id: int, payload: ReasonIn):
    services.case_verify_fail(actor=request.auth, case=case_id, reason=payload.reason)
    return _after(request, case_id)


@router.post("/{case_id}/rate", response=CaseOut, operation_id="cases_rate")
def rate(request, case_id: int, payload: RateIn):
    services.case_rate(actor=request.auth, case=case_id, **payload.dict())
    return _after(request, case_id)


@router.post("/{case_id}/reopen", response=CaseOut, operation_id="cases_reopen")
def reopen(request, case_id: int, payload: ReasonIn):
    services.case_reopen(actor=request.auth, case=case_id, reason=payload.reason)
    return _after(request, case_id)


@router.post("/{case_id}/decline_reopen", response=CaseOut, operation_id="cases_decline_reopen")
def decline_reopen(request, case_id: int, payload: ReasonIn):
    services.case_decline_reopen(actor=request.auth, case=case_id, reason=payload.reason)
    return _after(request, case_id)


@router.post("/{case_id}/request_extension", response=ExtensionOut, operation_id="cases_request_extension")
def request_extension(request, case_id: int, payload: ExtensionIn):
    ext = services.case_request_extension(actor=request.auth, case=case_id, **payload.dict())
    return {"id": ext.pk, "stage": ext.stage, "amount": ext.amount, "unit": ext.unit, "reason": ext.reason,
            "status": ext.status, "requested_at": ext.requested_at, "new_due": ext.new_due}


@router.post("/{case_id}/approve_extension", response=CaseOut, operation_id="cases_approve_extension")
def approve_extension(request, case_id: int, payload: ExtensionDecisionIn):
    ext = selectors.extension_get(actor=request.auth, case_id=case_id, pk=payload.extension)
    services.case_approve_extension(actor=request.auth, extension=ext, note=payload.note)
    return _after(request, case_id)


@router.post("/{case_id}/decline_extension", response=CaseOut, operation_id="cases_decline_extension")
def decline_extension(request, case_id: int, payload: ExtensionDecisionIn):
    ext = selectors.extension_get(actor=request.auth, case_id=case_id, pk=payload.extension)
    services.case_decline_extension(actor=request.auth, extension=ext, note=payload.note)
    return _after(request, case_id)


@router.post("/{case_id}/suspend", response=CaseOut, operation_id="cases_suspend")
def suspend(request, case_id: int, payload: SuspendIn):
    services.case_suspend(actor=request.auth, case=case_id, reason=payload.reason, review_at=payload.review_date)
    return _after(request, case_id)


@router.post("/{case_id}/resume", response=CaseOut, operation_id="cases_resume")
def resume(request, case_id: int):
    services.case_resume(actor=request.auth, case=case_id)
    return _after(request, case_id)
