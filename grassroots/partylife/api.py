"""API of organisational life under ``/api/party/`` (first segments ``meetings``, ``terms``, ``points``, ``reviews``,
``alerts``; operation ids ``party_…``): the same selectors and services as the pages, the same scope (out of scope:
404)."""

import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from grassroots.core.api_params import Year
from grassroots.core.pagination import PageNumberPagination

from . import selectors, services

URL_PREFIX = "/party/"
router = Router(tags=["party life 组织生活"])


class PartyMeetingOut(Schema):
    id: int
    org_id: int
    org_name: str
    kind: str
    kind_name: str
    title: str
    planned_at: dt.datetime
    place: str
    status: str
    held_on: dt.date | None
    quorum_met: bool | None
    due_with_vote: int | None
    present_with_vote: int | None

    @staticmethod
    def resolve_org_name(obj):
        return obj.org.name

    @staticmethod
    def resolve_kind(obj):
        return obj.kind.code

    @staticmethod
    def resolve_kind_name(obj):
        return obj.kind.name

    @staticmethod
    def resolve_due_with_vote(obj):
        return obj.due_count.get("heads")

    @staticmethod
    def resolve_present_with_vote(obj):
        return obj.present_count.get("heads")


class PartyMeetingIn(Schema):
    org_id: int
    kind: str
    title: str
    planned_at: dt.datetime
    place: str = ""
    agenda: str = ""


class PartyAttendanceOut(Schema):
    person_id: int
    name: str
    voting: bool
    presence: str
    reason: str

    @staticmethod
    def resolve_name(obj):
        return obj.person.name


class PartyMark(Schema):
    person_id: int
    presence: str
    reason: str = ""


class PartySignInIn(Schema):
    marks: list[PartyMark]


class PartyNoticeIn(Schema):
    invitee_ids: list[int] = []


class PartyHoldIn(Schema):
    held_on: dt.date
    minutes: str
    resolutions: str = ""


class PartyAlertOut(Schema):
    id: int
    kind: str
    org_id: int
    org_name: str
    person_id: int | None
    message: str
    raised_on: dt.date
    acknowledged_at: dt.datetime | None
    note: str

    @staticmethod
    def resolve_org_name(obj):
        return obj.org.name


class PartyNoteIn(Schema):
    note: str


class PartyTermOut(Schema):
    id: int
    org_id: int
    org_name: str
    start: dt.date
    years: int
    end: dt.date
    extended_to: dt.date | None
    extension_status: str

    @staticmethod
    def resolve_org_name(obj):
        return obj.org.name


class PartyTermIn(Schema):
    org_id: int
    start: dt.date
    years: int | None = None


class PartyPointsTotalOut(Schema):
    person_id: int
    name: str
    org_name: str
    total: Decimal


class PartyPointsEntryOut(Schema):
    id: int
    person_id: int
    org_id: int
    rule: str
    points: Decimal
    occurred_on: dt.date
    reason: str
    status: str

    @staticmethod
    def resolve_rule(obj):
        return obj.rule.code


class PartyPointsIn(Schema):
    person_id: int
    rule: str
    points: Decimal
    reason: str
    occurred_on: dt.date | None = None


class PartyDecisionIn(Schema):
    approve: bool


class PartyReviewOut(Schema):
    id: int
    person_id: int
    name: str
    org_id: int
    year: int
    grade: str
    note: str
    points: Decimal

    @staticmethod
    def resolve_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_points(obj):
        return selectors.points_total(obj.person_id, obj.year)


class PartyReviewIn(Schema):
    person_id: int
    year: int
    grade: str
    note: str = ""


class PartyMeetingFilters(Schema):
    org: int | None = None
    kind: str = ""
    status: str = ""
    q: str = ""


def _org(actor, pk, acting=False):
    return selectors.org_for_life(actor=actor, pk=pk, acting=acting) if pk else None


# --- meetings -----------------------------------------------------------------------------------------------------
@router.get("/meetings", response=list[PartyMeetingOut], operation_id="party_meeting_list")
@paginate(PageNumberPagination, page_size=50)
def meeting_list(request, filters: Query[PartyMeetingFilters]):
    return selectors.meetings(actor=request.user, org=_org(request.user, filters.org), kind=filters.kind[:32],
                              status=filters.status[:16], q=filters.q[:100])


@router.post("/meetings", response={201: PartyMeetingOut}, operation_id="party_meeting_plan")
def meeting_plan(request, payload: PartyMeetingIn):
    org = selectors.org_for_life(actor=request.user, pk=payload.org_id, acting=True)
    kind = selectors.kinds().filter(code=payload.kind).first()
    return Status(201, services.meeting_plan(actor=request.user, org=org, kind=kind, title=payload.title,
                                             planned_at=payload.planned_at, place=payload.place,
                                             agenda=payload.agenda))


@router.get("/meetings/{meeting_id}", response=PartyMeetingOut, operation_id="party_meeting_detail")
def meeting_detail(request, meeting_id: int):
    return selectors.meeting_detail(actor=request.user, pk=meeting_id)


@router.get("/meetings/{meeting_id}/attendance", response=list[PartyAttendanceOut],
            operation_id="party_meeting_attendance")
def meeting_attendance(request, meeting_id: int):
    meeting = selectors.meeting_detail(actor=request.user, pk=meeting_id)
    return list(selectors.attendances(actor=request.user, meeting=meeting))


@router.post("/meetings/{meeting_id}/notice", response=PartyMeetingOut, operation_id="party_meeting_notice")
def meeting_notice(request, meeting_id: int, payload: PartyNoticeIn):
    meeting = selectors.meeting_detail(actor=request.user, pk=meeting_id)
    return services.meeting_notice(actor=request.user, meeting=meeting, invitee_ids=payload.invitee_ids)


@router.post("/meetings/{meeting_id}/sign-in", response=PartyMeetingOut, operation_id="party_meeting_sign_in")
def meeting_sign_in(request, meeting_id: int, payload: PartySignInIn):
    meeting = selectors.meeting_detail(actor=request.user, pk=meeting_id)
    services.meeting_sign_in(actor=request.user, meeting=meeting,
                             marks={m.person_id: (m.presence, m.reason) for m in payload.marks})
    return selectors.meeting_detail(actor=request.user, pk=meeting_id)


@router.post("/meetings/{meeting_id}/minutes", response=PartyMeetingOut, operation_id="party_meeting_hold")
def meeting_hold(request, meeting_id: int, payload: PartyHoldIn):
    meeting = selectors.meeting_detail(actor=request.user, pk=meeting_id)
    return services.meeting_hold(actor=request.user, meeting=meeting, held_on=payload.held_on,
                                 minutes=payload.minutes, resolutions=payload.resolutions)


@router.post("/meetings/{meeting_id}/archive", response=PartyMeetingOut, operation_id="party_meeting_archive")
def meeting_archive(request, meeting_id: int):
    meeting = selectors.meeting_detail(actor=request.user, pk=meeting_id)
    return services.meeting_archive(actor=request.user, meeting=meeting)


# --- alerts -------------------------------------------------------------------------------------------------------
@router.get("/alerts", response=list[PartyAlertOut], operation_id="party_alert_list")
@paginate(PageNumberPagination, page_size=50)
def alert_list(request, kind: str = "", org: int | None = None, all: bool = False):
    return selectors.alerts(actor=request.user, kind=kind[:10], open_only=not all, org=_org(request.user, org))


@router.post("/alerts/{alert_id}/acknowledge", response=PartyAlertOut, operation_id="party_alert_acknowledge")
def alert_acknowledge(request, alert_id: int, payload: PartyNoteIn):
    alert = selectors.alert_detail(actor=request.user, pk=alert_id)
    return services.alert_acknowledge(actor=request.user, alert=alert, note=payload.note)


# --- terms --------------------------------------------------------------------------------------------------------
@router.get("/terms", response=list[PartyTermOut], operation_id="party_term_list")
@paginate(PageNumberPagination, page_size=50)
def term_list(request, due: bool = False, org: int | None = None):
    return selectors.terms(actor=request.user, due_within_months=6 if due else None, org=_org(request.user, org))


@router.post("/terms", response={201: PartyTermOut}, operation_id="party_term_start")
def term_start(request, payload: PartyTermIn):
    org = selectors.org_for_life(actor=request.user, pk=payload.org_id)
    return Status(201, services.term_start(actor=request.user, org=org, start=payload.start, years=payload.years))


class PartySeatOut(Schema):
    id: int
    term_id: int
    person_id: int
    person_name: str
    duty: str
    start: dt.date
    ended_on: dt.date | None
    end_reason: str

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name


class PartySeatIn(Schema):
    person_id: int
    duty: str
    start: dt.date | None = None


class PartySeatEndIn(Schema):
    reason: str
    on: dt.date | None = None


@router.get("/terms/{term_id}/seats", response=list[PartySeatOut], operation_id="party_seat_list")
def seat_list(request, term_id: int, current: bool = False):
    """The committee of a term (支部委员): its seats with their duties, history included unless ``current``."""
    return list(selectors.seats(actor=request.user, term_pk=term_id, current_only=current))


@router.post("/terms/{term_id}/seats", response={201: PartySeatOut}, operation_id="party_seat_add")
def seat_add(request, term_id: int, payload: PartySeatIn):
    term = selectors.term_detail(actor=request.user, pk=term_id)
    person = selectors.seat_candidate(actor=request.user, term=term, pk=payload.person_id)
    return Status(201, services.seat_add(actor=request.user, term=term, person=person, duty=payload.duty,
                                         start=payload.start))


@router.post("/seats/{seat_id}/end", response=PartySeatOut, operation_id="party_seat_end")
def seat_end(request, seat_id: int, payload: PartySeatEndIn):
    seat = selectors.seat_detail(actor=request.user, pk=seat_id)
    return services.seat_end(actor=request.user, seat=seat, reason=payload.reason, on=payload.on)


# --- points -------------------------------------------------------------------------------------------------------
@router.get("/points", response=list[PartyPointsTotalOut], operation_id="party_points_totals")
def points_totals(request, year: Year | None = None, org: int | None = None):
    from grassroots.core import clock

    return selectors.yearly_totals(actor=request.user, year=year or clock.today().year, org=_org(request.user, org))


@router.get("/points/entries", response=list[PartyPointsEntryOut], operation_id="party_points_entries")
@paginate(PageNumberPagination, page_size=50)
def points_entries(request, person: int | None = None, status: str = "", year: Year | None = None):
    return selectors.points_entries(actor=request.user, person_id=person, status=status[:10], year=year)


@router.post("/points/entries", response={201: PartyPointsEntryOut}, operation_id="party_points_enter")
def points_enter(request, payload: PartyPointsIn):
    person = selectors.member_person(actor=request.user, pk=payload.person_id)
    org = selectors.members_for(actor=request.user).get(person=person).org
    return Status(201, services.points_enter(actor=request.user, person=person, org=org, rule_code=payload.rule,
                                             points=payload.points, reason=payload.reason,
                                             occurred_on=payload.occurred_on))


@router.post("/points/entries/{entry_id}/decide", response=PartyPointsEntryOut, operation_id="party_points_decide")
def points_decide(request, entry_id: int, payload: PartyDecisionIn):
    entry = selectors.points_entry(actor=request.user, pk=entry_id)
    return services.points_decide(actor=request.user, entry=entry, approve=payload.approve)


# --- reviews ------------------------------------------------------------------------------------------------------
@router.get("/reviews", response=list[PartyReviewOut], operation_id="party_review_list")
@paginate(PageNumberPagination, page_size=50)
def review_list(request, year: Year | None = None, org: int | None = None, grade: str = ""):
    return selectors.reviews(actor=request.user, year=year, org=_org(request.user, org), grade=grade[:12])


@router.post("/reviews", response={201: PartyReviewOut}, operation_id="party_review_record")
def review_record(request, payload: PartyReviewIn):
    person = selectors.member_person(actor=request.user, pk=payload.person_id)
    org = selectors.members_for(actor=request.user).get(person=person).org
    return Status(201, services.review_record(actor=request.user, person=person, org=org, year=payload.year,
                                              grade=payload.grade, note=payload.note))


