"""API: the rectification ledger (list with filters, counts per owner, one item, raising an item, its moves)."""

import datetime as dt

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from grassroots.core.api_params import Year
from grassroots.core.pagination import PageNumberPagination

from . import selectors, services

router = Router(tags=["rectification 整改台账"])


class RectificationItemOut(Schema):
    id: int
    title: str
    source: str
    owner_id: int
    owner_name: str
    region_code: str
    responsible_id: int | None
    raised_on: dt.date
    deadline: dt.date
    measures: str
    long_term: bool
    status: str
    case_id: int | None
    closed_at: dt.datetime | None
    verified_by_id: int | None

    @staticmethod
    def resolve_owner_name(obj):
        return obj.owner.name

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code


class RectificationItemIn(Schema):
    title: str
    source: str
    owner_id: int
    deadline: dt.date
    responsible_id: int | None = None
    description: str = ""
    requirement: str = ""
    long_term: bool = False
    case_id: int | None = None


class RectificationMoveIn(Schema):
    reason: str = ""
    deadline: dt.date | None = None
    measures: str | None = None


class RectificationMilestoneIn(Schema):
    title: str
    due_on: dt.date


class RectificationMilestoneOut(Schema):
    id: int
    item_id: int
    title: str
    due_on: dt.date
    done_on: dt.date | None


class RectificationMeasuresIn(Schema):
    measures: str


class RectificationCountOut(Schema):
    owner_id: int
    owner_name: str
    total: int
    closed: int
    overdue: int
    open: int
    closed_rate: float | None


class RectificationItemFilters(Schema):
    status: str = ""
    source: str = ""
    owner: int | None = None
    year: Year | None = None
    quarter: int | None = None
    q: str = ""


def _filters(f: RectificationItemFilters) -> selectors.Filters:
    return selectors.filters_from({k: "" if v is None else str(v) for k, v in f.dict().items()})


@router.get("/items", response=list[RectificationItemOut], operation_id="rectification_item_list")
@paginate(PageNumberPagination, page_size=50)
def item_list(request, filters: Query[RectificationItemFilters]):
    return selectors.items(actor=request.user, filters=_filters(filters))


@router.get("/counts", response=list[RectificationCountOut], operation_id="rectification_counts")
def counts(request, filters: Query[RectificationItemFilters]):
    return selectors.counts(actor=request.user, filters=_filters(filters))


@router.get("/items/{item_id}", response=RectificationItemOut, operation_id="rectification_item_detail")
def item_detail(request, item_id: int):
    return selectors.item_get(actor=request.user, pk=item_id)


@router.post("/items", response={201: RectificationItemOut}, operation_id="rectification_item_create")
def item_create(request, payload: RectificationItemIn):
    owner = selectors.owner_get(actor=request.user, pk=payload.owner_id)
    responsible = (selectors.responsible_get(actor=request.user, pk=payload.responsible_id)
                   if payload.responsible_id else None)
    return Status(201, services.item_create(
        actor=request.user, title=payload.title, source=payload.source, owner=owner, responsible=responsible,
        deadline=payload.deadline, description=payload.description, requirement=payload.requirement,
        long_term=payload.long_term, case_id=payload.case_id))


# Registered before the moves (``/items/{id}/{verb}``), which would otherwise take these paths as verbs.
@router.put("/items/{item_id}/measures", response=RectificationItemOut, operation_id="rectification_measures_set")
def measures_set(request, item_id: int, payload: RectificationMeasuresIn):
    item = selectors.item_get(actor=request.user, pk=item_id)
    return services.measures_set(actor=request.user, item=item, measures=payload.measures)


@router.get("/items/{item_id}/milestones", response=list[RectificationMilestoneOut],
            operation_id="rectification_milestone_list")
def milestone_list(request, item_id: int):
    item = selectors.item_get(actor=request.user, pk=item_id)
    return list(item.milestones.all())


@router.post("/items/{item_id}/milestones", response={201: RectificationMilestoneOut},
             operation_id="rectification_milestone_add")
def milestone_add(request, item_id: int, payload: RectificationMilestoneIn):
    item = selectors.item_get(actor=request.user, pk=item_id)
    return Status(201, services.milestone_add(actor=request.user, item=item, title=payload.title,
                                              due_on=payload.due_on))


@router.post("/items/{item_id}/milestones/{milestone_id}/done", response=RectificationMilestoneOut,
             operation_id="rectification_milestone_done")
def milestone_done(request, item_id: int, milestone_id: int):
    item = selectors.item_get(actor=request.user, pk=item_id)
    milestone = selectors.milestone_get(actor=request.user, item=item, pk=milestone_id)
    return services.milestone_done(actor=request.user, milestone=milestone)


@router.post("/items/{item_id}/{verb}", response=RectificationItemOut, operation_id="rectification_item_move")
def item_move(request, item_id: int, verb: str, payload: RectificationMoveIn):
    item = selectors.item_get(actor=request.user, pk=item_id)
    return services.item_move(actor=request.user, item=item, verb=verb, reason=payload.reason,
                              deadline=payload.deadline, measures=payload.measures)
