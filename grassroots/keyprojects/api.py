"""Key-project API under ``/api/park/key-projects`` (``URL_PREFIX``; operation ids ``park_key_project_…``): the same
selectors and services as the pages, the same scope (out of scope: 404)."""

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from grassroots.core import clock
from grassroots.core.api_params import Year
from grassroots.core.errors import ValidationFailed
from grassroots.core.pagination import PageNumberPagination

from . import selectors, services

URL_PREFIX = "/park/"
router = Router(tags=["key projects 重点项目调度"])


class KeyProjectReasonOut(Schema):
    dimension: str
    light: str | None
    code: str
    text: str


class KeyProjectLightOut(Schema):
    project_id: int
    year: int
    month: int
    rule_set: str
    light: str | None
    reasons: list[KeyProjectReasonOut]


class KeyProjectOut(Schema):
    id: int
    region_id: int
    name: str
    level: str
    phase: str
    track_class: str
    industry: str
    owner_unit_id: int
    owner_unit_name: str
    soe_led: bool
    total_investment_wan: Decimal
    completed_before_wan: Decimal
    patron_leader: str
    task_force_id: int | None
    office_id: int | None
    commissioner_id: int | None
    plan_summary: str
    planned_start: dt.date | None
    actual_start: dt.date | None
    planned_end: dt.date | None
    actual_end: dt.date | None
    in_fai_stats: bool
    in_stats_date: dt.date | None
    listings: list[dict]

    @staticmethod
    def resolve_owner_unit_name(obj):
        return obj.owner_unit.name

    @staticmethod
    def resolve_listings(obj):
        return [{"year": y, "kind": k} for y, k in obj.listings.values_list("year", "kind")]


class KeyProjectIn(Schema):
    region_id: int
    name: str
    level: str
    phase: str
    track_class: str = "assessed"
    industry: str
    owner_unit_id: int
    soe_led: bool = False
    total_investment_wan: Decimal
    completed_before_wan: Decimal = Decimal("0")
    patron_leader: str
    task_force_id: int | None = None
    office_id: int | None = None
    commissioner_id: int | None = None
    plan_summary: str = ""
    planned_start: dt.date | None = None
    actual_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_end: dt.date | None = None
    in_fai_stats: bool = False
    in_stats_date: dt.date | None = None


class KeyProjectListingIn(Schema):
    year: int
    kinds: list[str]


class KeyProjectPlanIn(Schema):
    year: int
    planned_wan: Decimal
    image_target: str = ""


class KeyProjectPlanOut(Schema):
    year: int
    planned_wan: Decimal
    image_target: str


class KeyProjectReportIn(Schema):
    year: int
    month: int
    xun: int = 0
    planned_wan: Decimal
    completed_wan: Decimal
    funds_in_place_wan: Decimal = Decimal("0")
    note: str = ""


class KeyProjectReportOut(Schema):
    id: int
    year: int
    month: int
    xun: int
    planned_wan: Decimal
    completed_wan: Decimal
    funds_in_place_wan: Decimal
    note: str


class KeyProjectMonthOut(Schema):
    month: int
    planned: Decimal
    completed: Decimal
    funds: Decimal
    ytd: Decimal
    ytd_pct: Decimal | None
    since_start: Decimal
    since_pct: Decimal


class KeyProjectYearOut(Schema):
    year: int
    planned_wan: Decimal | None
    ytd: Decimal
    since_start: Decimal
    months: list[KeyProjectMonthOut]


class KeyNodeIn(Schema):
    name: str
    due: dt.date
    responsible: str
    arrangement: str = ""


class KeyNodeDoneIn(Schema):
    note: str = ""


class KeyNodeOut(Schema):
    id: int
    project_id: int
    name: str
    due: dt.date
    responsible: str
    arrangement: str
    done_on: dt.date | None
    done_note: str


class KeyProjectProblemIn(Schema):
    title: str
    owner_id: int
    deadline: dt.date
    description: str = ""


class KeyProjectProblemOut(Schema):
    id: int
    title: str
    owner_id: int
    deadline: dt.date
    status: str


class KeyProjectDispatchRowOut(Schema):
    project_id: int
    name: str
    light: str | None
    plan: Decimal | None
    month: Decimal
    ytd: Decimal
    ytd_pct: Decimal | None
    since: Decimal
    since_pct: Decimal
    nodes_due: int
    problems: int
    reasons: list[KeyProjectReasonOut]


class KeyProjectDispatchOut(Schema):
    year: int
    month: int
    rule_set: str
    sched: Decimal
    counts: dict
    plan_total: Decimal
    ytd_total: Decimal
    rows: list[KeyProjectDispatchRowOut]


def _reasons(verdict) -> list[dict]:
    return [{"dimension": r.dimension, "light": r.light, "code": r.code, "text": r.text} for r in verdict.reasons]


def _period(year: int | None, month: int | None) -> tuple[int, int]:
    today = clock.today()
    year, month = year or today.year, month or today.month
    if not (2000 <= year <= today.year and 1 <= month <= 12) or (year, month) > (today.year, today.month):
        raise ValidationFailed("年月无效", "Invalid month", field="month")
    return year, month


def _rules(code: str):
    if code and code not in {r.code for r in selectors.rule_sets()}:
        raise ValidationFailed("亮灯规则不存在", "No such light rule set", field="rules")
    return selectors.rule_set(code or None)


def _refs(request, region, payload) -> dict:
    data = payload.dict()
    for key in ("region_id", "owner_unit_id", "task_force_id", "office_id", "commissioner_id"):
        data.pop(key, None)
    data["owner_unit"] = selectors.organization_get(region=region, pk=payload.owner_unit_id)
    data["office"] = selectors.organization_get(region=region, pk=payload.office_id) if payload.office_id else None
    data["commissioner"] = (selectors.commissioner_get(region=region, pk=payload.commissioner_id)
                            if payload.commissioner_id else None)
    data["task_force"] = (selectors.task_force_get(actor=request.user, pk=payload.task_force_id)
                          if payload.task_force_id else None)
    return data


@router.get("/key-projects", response=list[KeyProjectOut], operation_id="park_key_project_list")
@paginate(PageNumberPagination, page_size=50)
def project_list(request, year: Year | None = None, list_kind: str = "", level: str = "", phase: str = "",
                 q: str = "", soe: bool | None = None):
    return selectors.project_list(actor=request.user, year=year, list_kind=list_kind[:12], level=level[:12],
                                  phase=phase[:12], q=q[:60], soe=soe).prefetch_related("listings")


@router.get("/key-projects/lights", response=list[KeyProjectLightOut], operation_id="park_key_project_lights")
@paginate(PageNumberPagination, page_size=100)
def project_lights(request, year: Year | None = None, month: int | None = None, rules: str = ""):
    """Every visible project's light for the month, with the reasons, by the rule set in force (or ``rules``)."""
    year, month = _period(year, month)
    rule_set = _rules(rules[:30])
    ids = list(selectors.project_list(actor=request.user).values_list("pk", flat=True))
    verdicts = selectors.lights_for(ids, year, month, rules=rule_set)
    return [{"project_id": pid, "year": year, "month": month, "rule_set": rule_set.code, "light": v.light,
             "reasons": _reasons(v)} for pid, v in verdicts.items()]


@router.get("/key-projects/dispatch", response=KeyProjectDispatchOut, operation_id="park_key_project_dispatch")
def project_dispatch(request, year: Year | None = None, month: int | None = None, rules: str = ""):
    """The monthly dispatch report (月调度) as data."""
    year, month = _period(year, month)
    d = selectors.dispatch(actor=request.user, year=year, month=month, rules=_rules(rules[:30]))
    return {"year": year, "month": month, "rule_set": d["rules"].code, "sched": d["sched"], "counts": d["counts"],
            "plan_total": d["plan_total"], "ytd_total": d["ytd_total"],
            "rows": [{"project_id": r["project"].pk, "name": r["project"].name, "light": r["verdict"].light,
                      "plan": r["plan"], "month": r["month"], "ytd": r["ytd"], "ytd_pct": r["ytd_pct"],
                      "since": r["since"], "since_pct": r["since_pct"], "nodes_due": r["nodes_due"],
                      "problems": r["problems"], "reasons": _reasons(r["verdict"])} for r in d["rows"]]}


@router.get("/key-projects/{project_id}", response=KeyProjectOut, operation_id="park_key_project_detail")
def project_detail(request, project_id: int):
    return selectors.project_detail(actor=request.user, pk=project_id)


@router.post("/key-projects", response={201: KeyProjectOut}, operation_id="park_key_project_create")
def project_create(request, payload: KeyProjectIn):
    region = selectors.region_get(actor=request.user, pk=payload.region_id)
    return Status(201, services.project_create(actor=request.user, region=region, **_refs(request, region, payload)))


@router.put("/key-projects/{project_id}", response=KeyProjectOut, operation_id="park_key_project_update")
def project_update(request, project_id: int, payload: KeyProjectIn):
    project = selectors.project_detail(actor=request.user, pk=project_id)
    return services.project_update(actor=request.user, project=project, **_refs(request, project.region, payload))


@router.put("/key-projects/{project_id}/listings", response=list[str], operation_id="park_key_project_listings")
def project_listings(request, project_id: int, payload: KeyProjectListingIn):
    project = selectors.project_detail(actor=request.user, pk=project_id)
    return services.listing_set(actor=request.user, project=project, year=payload.year, kinds=payload.kinds)


@router.put("/key-projects/{project_id}/plans", response=KeyProjectPlanOut, operation_id="park_key_project_plan")
def project_plan(request, project_id: int, payload: KeyProjectPlanIn):
    project = selectors.project_detail(actor=request.user, pk=project_id)
    return services.plan_set(actor=request.user, project=project, **payload.dict())


@router.post("/key-projects/{project_id}/reports", response={201: KeyProjectReportOut},
             operation_id="park_key_project_report")
def project_report(request, project_id: int, payload: KeyProjectReportIn):
    project = selectors.project_detail(actor=request.user, pk=project_id)
    return Status(201, services.report_submit(actor=request.user, project=project, **payload.dict()))


@router.get("/key-projects/{project_id}/years/{year}", response=KeyProjectYearOut,
            operation_id="park_key_project_year")
def project_year(request, project_id: int, year: int):
    """The months of a year with year-to-date and since-start totals against the plan."""
    project = selectors.project_detail(actor=request.user, pk=project_id)
    if not 2000 <= year <= 2999:
        raise ValidationFailed("年度无效", "Invalid year", field="year")
    t = selectors.year_table(project, year)
    return {"year": year, "planned_wan": t["plan"].planned_wan if t["plan"] else None, "ytd": t["ytd"],
            "since_start": t["since_start"], "months": t["months"]}


@router.get("/key-projects/{project_id}/nodes", response=list[KeyNodeOut], operation_id="park_key_project_nodes")
def node_list(request, project_id: int):
    project = selectors.project_detail(actor=request.user, pk=project_id)
    return list(project.nodes.order_by("due", "pk"))


@router.post("/key-projects/{project_id}/nodes", response={201: KeyNodeOut}, operation_id="park_key_project_node_add")
def node_add(request, project_id: int, payload: KeyNodeIn):
    project = selectors.project_detail(actor=request.user, pk=project_id)
    return Status(201, services.node_add(actor=request.user, project=project, **payload.dict()))


@router.post("/key-projects/nodes/{node_id}/done", response=KeyNodeOut, operation_id="park_key_project_node_done")
def node_done(request, node_id: int, payload: KeyNodeDoneIn):
    node = selectors.node_detail(actor=request.user, pk=node_id)
    return services.node_done(actor=request.user, node=node, note=payload.note)


@router.get("/key-projects/{project_id}/problems", response=list[KeyProjectProblemOut],
            operation_id="park_key_project_problems")
def problem_list(request, project_id: int):
    project = selectors.project_detail(actor=request.user, pk=project_id)
    return list(selectors.problems(actor=request.user, project=project)[:200])


@router.post("/key-projects/{project_id}/problems", response={201: KeyProjectProblemOut},
             operation_id="park_key_project_problem_raise")
def problem_raise(request, project_id: int, payload: KeyProjectProblemIn):
    project = selectors.project_detail(actor=request.user, pk=project_id)
    owner = selectors.organization_get(region=project.region, pk=payload.owner_id)
    return Status(201, services.problem_raise(actor=request.user, project=project, title=payload.title, owner=owner,
                                              deadline=payload.deadline, description=payload.description))
