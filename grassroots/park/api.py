"""Park API under ``/api/park`` (operation ids ``park_…``): the same selectors and services as the pages, the same
scope (out of scope: 404). Phones are not served."""

import datetime as dt

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from grassroots.core import clock
from grassroots.core.errors import NotFound
from grassroots.core.pagination import PageNumberPagination

from . import selectors, services

URL_PREFIX = "/park/"
router = Router(tags=["park 园区企业服务"])


class ParkEnterpriseOut(Schema):
    id: int
    organization_id: int
    name: str
    kind: str
    grid_id: int | None
    is_key: bool
    party_status: str
    party_org_name: str
    secretary_name: str
    commissioner_id: int | None
    chain_id: int | None
    registered_on: dt.date
    entered_on: dt.date | None
    sync_org_on: dt.date | None
    sync_activity_on: dt.date | None
    sync_role_on: dt.date | None

    @staticmethod
    def resolve_name(obj):
        return obj.organization.name


class ParkEnterpriseIn(Schema):
    grid_id: int | None = None
    is_key: bool = False
    party_status: str
    party_org_name: str = ""
    secretary_name: str = ""
    commissioner_id: int | None = None


class ParkSyncIn(Schema):
    step: str
    on: dt.date | None = None


class ParkVisitIn(Schema):
    visited_on: dt.date
    asked: str
    done: str
    follow_up: str = ""


class ParkVisitOut(Schema):
    id: int
    instructor_id: int
    profile_id: int
    visited_on: dt.date
    asked: str
    done: str
    follow_up: str


class ParkInstructorOut(Schema):
    id: int
    name: str
    grids: list[int]
    key_firms: int
    days_this_month: int


class ParkAssignmentIn(Schema):
    grid_id: int
    start: dt.date | None = None


class ParkAssignmentOut(Schema):
    id: int
    instructor_id: int
    grid_id: int
    start: dt.date
    end: dt.date


class ParkCardOut(Schema):
    id: int
    profile_id: int
    version: int
    people: dict


class ParkReprintOut(Schema):
    profile_id: int
    name: str
    version: int
    changed: list[str]


class ParkMeetingIn(Schema):
    held_on: dt.date
    topic: str
    minutes: str = ""
    case_ids: list[int] = []


class ParkMeetingOut(Schema):
    id: int
    committee_id: int
    held_on: dt.date
    topic: str
    case_ids: list[int]


def _profile(request, pk):
    return selectors.profile_detail(actor=request.user, pk=pk)


def _card(card):
    people = {k: v for k, v in card.people.items() if not k.endswith("phone")}
    return {"id": card.pk, "profile_id": card.profile_id, "version": card.version, "people": people}


@router.get("/enterprises", response=list[ParkEnterpriseOut], operation_id="park_enterprise_list")
@paginate(PageNumberPagination, page_size=50)
def enterprise_list(request, q: str = "", kind: str = "", party_status: str = "", key: bool | None = None,
                    late: bool = False):
    return selectors.profile_list(actor=request.user, q=q[:60], kind=kind[:12], party_status=party_status[:16],
                                  key=key, late=late)


@router.get("/enterprises/{profile_id}", response=ParkEnterpriseOut, operation_id="park_enterprise_detail")
def enterprise_detail(request, profile_id: int):
    return _profile(request, profile_id)


@router.put("/enterprises/{profile_id}", response=ParkEnterpriseOut, operation_id="park_enterprise_update")
def enterprise_update(request, profile_id: int, payload: ParkEnterpriseIn):
    from grassroots.people.models import User

    """Changes the fields sent (a field left out keeps its value)."""
    profile = _profile(request, profile_id)
    sent = payload.dict(exclude_unset=True)
    data = {k: sent[k] for k in ("is_key", "party_status", "party_org_name", "secretary_name") if k in sent}
    if "grid_id" in sent:
        grid = (selectors.grids(actor=request.user).filter(pk=payload.grid_id).first()
                if payload.grid_id and 0 < payload.grid_id < 2**63 else None)
        if payload.grid_id and grid is None:
            raise NotFound("网格不存在", "Grid not found")
        data["grid"] = grid
    if "commissioner_id" in sent:
        data["commissioner"] = (User.objects.filter(pk=payload.commissioner_id).first()
                                if payload.commissioner_id and 0 < payload.commissioner_id < 2**63 else None)
    return services.profile_update(actor=request.user, profile=profile, **data)


@router.post("/enterprises/{profile_id}/sync", response=ParkEnterpriseOut, operation_id="park_enterprise_sync")
def enterprise_sync(request, profile_id: int, payload: ParkSyncIn):
    return services.sync_step(actor=request.user, profile=_profile(request, profile_id), step=payload.step,
                              on=payload.on)


@router.get("/enterprises/{profile_id}/visits", response=list[ParkVisitOut], operation_id="park_visit_list")
def visit_list(request, profile_id: int):
    return list(selectors.visits(actor=request.user, profile=_profile(request, profile_id))[:200])


@router.post("/enterprises/{profile_id}/visits", response={201: ParkVisitOut}, operation_id="park_visit_create")
def visit_create(request, profile_id: int, payload: ParkVisitIn):
    return Status(201, services.visit_log(actor=request.user, profile=_profile(request, profile_id),
                                          **payload.dict()))


@router.post("/enterprises/{profile_id}/cards", response={201: ParkCardOut}, operation_id="park_card_issue")
def card_issue(request, profile_id: int):
    return Status(201, _card(services.card_issue(actor=request.user, profile=_profile(request, profile_id))))


@router.get("/cards/reprint", response=list[ParkReprintOut], operation_id="park_card_reprint")
def card_reprint(request):
    return [{"profile_id": r["profile"].pk, "name": r["profile"].organization.name, "version": r["card"].version,
             "changed": r["changed"]} for r in selectors.reprint_list(actor=request.user)]


@router.get("/instructors", response=list[ParkInstructorOut], operation_id="park_instructor_list")
def instructor_list(request):
    today = clock.today()
    return [{"id": r["instructor"].pk, "name": r["instructor"].name, "grids": [a.grid_id for a in r["assignments"]],
             "key_firms": r["key_firms"], "days_this_month": r["days"]}
            for r in selectors.instructor_figures(actor=request.user, year=today.year, month=today.month)]


@router.post("/instructors/{instructor_id}/assignments", response={201: ParkAssignmentOut},
             operation_id="park_assignment_create")
def assignment_create(request, instructor_id: int, payload: ParkAssignmentIn):
    instructor = selectors.instructor_detail(actor=request.user, pk=instructor_id)
    grid = (selectors.grids(actor=request.user).filter(pk=payload.grid_id).first()
            if 0 < payload.grid_id < 2**63 else None)
    if grid is None:
        raise NotFound("网格不存在", "Grid not found")
    return Status(201, services.assign(actor=request.user, instructor=instructor, grid=grid, start=payload.start))


@router.get("/chains/{committee_id}/meetings", response=list[ParkMeetingOut], operation_id="park_meeting_list")
def meeting_list(request, committee_id: int):
    committee = selectors.committee_detail(actor=request.user, pk=committee_id)
    return list(selectors.meetings(actor=request.user, committee=committee))


@router.post("/chains/{committee_id}/meetings", response={201: ParkMeetingOut}, operation_id="park_meeting_create")
def meeting_create(request, committee_id: int, payload: ParkMeetingIn):
    committee = selectors.committee_detail(actor=request.user, pk=committee_id)
    return Status(201, services.meeting_create(actor=request.user, committee=committee, **payload.dict()))
