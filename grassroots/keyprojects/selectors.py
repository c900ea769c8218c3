"""The only readers of key projects; every one takes the actor (``None`` = the system). Out of scope is missing.

The lights are computed here for a month from the reports, the plans and the project's dates with the rule set in
force (``lights.evaluate``), never stored; a month not yet reported and not yet due is judged on the month before
(its report is due on the policy day ``keyprojects.report_day`` of the next month). Year-to-date and since-start
totals are sums of the reports in a few grouped queries, whatever the number of projects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Min, Q, QuerySet, Sum

from grassroots.core import clock, policy
from grassroots.core import roles as R
from grassroots.core.edges import int_param
from grassroots.core.errors import NotFound
from grassroots.core.scope import scope_for

from . import lights
from .models import (
    AnnualPlan,
    InvestmentReport,
    KeyNode,
    LightRuleSet,
    Listing,
    ProgressReport,
    Project,
    TaskForce,
)
from .states import SEVERITY, Light, Method

ZERO = Decimal("0")
RULE_SET_KEY = "keyprojects.rule_set"
RULE_SET_DEFAULT = "yinchuan"
REPORT_DAY_KEY = "keyprojects.report_day"
REPORT_DAY_DEFAULT = 5


def visible_q(actor) -> Q:
    if actor is None:
        return Q()
    scope = scope_for(actor)
    if not scope.is_authenticated or scope.is_system:
        return Q(pk__in=[])
    return scope.region_q("region_path", roles=R.STAFF) | Q(commissioner_id=actor.pk)


def project_list(*, actor, year: int | None = None, list_kind: str = "", level: str = "", phase: str = "",
                 q: str = "", soe: bool | None = None, region=None, task_force: int | None = None) -> QuerySet:
    qs = Project.objects.filter(visible_q(actor)).select_related("owner_unit", "region", "commissioner")
    if year and list_kind:
        qs = qs.filter(pk__in=Listing.objects.filter(year=year, kind=list_kind).values("project_id"))
    elif year:
        qs = qs.filter(pk__in=Listing.objects.filter(year=year).values("project_id"))
    elif list_kind:
        qs = qs.filter(pk__in=Listing.objects.filter(kind=list_kind).values("project_id"))
    if level:
        qs = qs.filter(level=level)
    if phase:
        qs = qs.filter(phase=phase)
    if q:
        q = q.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(owner_unit__name__icontains=q) | Q(industry__icontains=q))
    if soe is not None:
        qs = qs.filter(soe_led=soe)
    if region is not None:
        qs = qs.filter(region_path__startswith=region.path)
    if task_force:
        qs = qs.filter(task_force_id=task_force)
    return qs.order_by("region_path", "name", "pk")


def project_detail(*, actor, pk) -> Project:
    row = (Project.objects.filter(visible_q(actor), pk=pk)
           .select_related("owner_unit", "region", "commissioner", "office", "task_force").first()
           if int_param(pk, minimum=1) else None)
    if row is None:
        raise NotFound("重点项目不存在", "Key project not found")
    return row


def project_owner(actor, object_id):
    """The attachment hook: a plan document on the project."""
    return project_detail(actor=actor, pk=object_id)


def progress_owner(actor, object_id):
    row = ProgressReport.objects.filter(pk=object_id).first()
    if row is None:
        raise NotFound()
    project_detail(actor=actor, pk=row.project_id)
    return row


def node_detail(*, actor, pk) -> KeyNode:
    row = KeyNode.objects.filter(pk=pk).first() if int_param(pk, minimum=1) else None
    if row is None:
        raise NotFound("关键节点不存在", "Key node not found")
    project_detail(actor=actor, pk=row.project_id)
    return row


def report_detail(*, actor, pk) -> InvestmentReport:
    row = InvestmentReport.objects.filter(pk=pk).first() if int_param(pk, minimum=1) else None
    if row is None:
        raise NotFound("填报不存在", "Report not found")
    project_detail(actor=actor, pk=row.project_id)
    return row


def registrable_regions(*, actor):
    """Parks and the zone or subdistricts the actor may register projects in (the form's choices)."""
    from grassroots.territory.models import Region

    scope = scope_for(actor)
    return (Region.objects.filter(scope.region_q("path", roles=R.STAFF))
            .filter(level__in=["zone", "subdistrict", "park"]).order_by("path"))


def task_forces(*, actor) -> QuerySet:
    scope = scope_for(actor)
    return (TaskForce.objects.filter(scope.region_q("region_path", roles=R.STAFF)).select_related("region")
            .annotate(n=Count("projects")).order_by("region_path", "name"))


# ---------------------------------------------------------------------------------------------- lights


@dataclass
class RuleSet:
    code: str
    name: str
    method: str
    params: dict


def rule_set(code: str | None = None) -> RuleSet:
    """The rule set ``code``, or the one in force (policy ``keyprojects.rule_set``)."""
    code = code or str(policy.setting(RULE_SET_KEY, RULE_SET_DEFAULT))
    row = LightRuleSet.objects.filter(code=code).first()
    if row is None:
        if code != RULE_SET_DEFAULT:
            return rule_set(RULE_SET_DEFAULT)
        return RuleSet(RULE_SET_DEFAULT, str(Method.YINCHUAN.label), Method.YINCHUAN, {})
    return RuleSet(row.code, row.name, row.method, lights.params_of(row.method, row.params))


def rule_sets() -> list[LightRuleSet]:
    return list(LightRuleSet.objects.order_by("code"))


def report_due(year: int, month: int) -> dt.date:
    """The day a month's investment report is due: the policy day of the next month."""
    day = int(policy.setting(REPORT_DAY_KEY, REPORT_DAY_DEFAULT))
    y, m = (year, month + 1) if month < 12 else (year + 1, 1)
    return dt.date(y, m, max(1, min(day, 28)))


def _previous(year: int, month: int) -> tuple[int, int]:
    return (year, month - 1) if month > 1 else (year - 1, 12)


def _ym(year: int, month: int) -> int:
    return year * 100 + month


def facts_for(project_ids, year: int, month: int, *, today: dt.date | None = None,
              lookback: int = 12) -> dict[int, lights.Facts]:
    """``Facts`` of each project for the month in a fixed number of queries, whatever the number of projects: the
    projects' dates, who reported the month (while it is not yet due), the plans of the years concerned, the
    year-to-date sums (grouped by project in the database) and, for a method that looks back (``lookback`` months),
    the monthly sums of those months and each project's first reported month."""
    today = today or clock.today()
    ids = list(project_ids)
    if not ids:
        return {}
    current = today <= report_due(year, month)
    reported = set(InvestmentReport.objects.filter(project_id__in=ids, ym=_ym(year, month))
                   .values_list("project_id", flat=True).distinct()) if current else set()
    prev = _previous(year, month)
    ytd_now = Q(ym__gte=_ym(year, 1), ym__lte=_ym(year, month))
    ytd_prev = Q(ym__gte=_ym(prev[0], 1), ym__lte=_ym(*prev))
    sums = {pid: (now or ZERO, before or ZERO) for pid, now, before in (
        InvestmentReport.objects.filter(project_id__in=ids, ym__gte=_ym(prev[0], 1), ym__lte=_ym(year, month))
        .values_list("project_id").annotate(now=Sum("completed_wan", filter=ytd_now),
                                            before=Sum("completed_wan", filter=ytd_prev))
        .order_by().values_list("project_id", "now", "before"))}
    months: dict[int, dict] = {}
    firsts: dict[int, int] = {}
    if lookback:
        since = _ym(*divmod(year * 12 + month - 1 - lookback - 1, 12)) + 1
        for pid, y, m, p, c in (InvestmentReport.objects.filter(project_id__in=ids, ym__gte=since,
                                                                ym__lte=_ym(year, month))
                                .values_list("project_id", "year", "month")
                                .annotate(p=Sum("planned_wan"), c=Sum("completed_wan")).order_by()):
            months.setdefault(pid, {})[(y, m)] = (p or ZERO, c or ZERO)
        firsts = dict(InvestmentReport.objects.filter(project_id__in=ids).values_list("project_id")
                      .annotate(first=Min("ym")).order_by().values_list("project_id", "first"))
    plans = {(pid, y): w for pid, y, w in AnnualPlan.objects.filter(project_id__in=ids, year__in={year, prev[0]})
             .values_list("project_id", "year", "planned_wan")}
    out = {}
    for pid, planned_start, actual_start, in_stats, in_stats_date in (
            Project.objects.filter(pk__in=ids).values_list("pk", "planned_start", "actual_start", "in_fai_stats",
                                                           "in_stats_date")):
        y, m, pending = year, month, None
        now, before = sums.get(pid, (ZERO, ZERO))
        ytd = now
        if current and pid not in reported:
            (y, m), pending, ytd = prev, (year, month), before
        first = firsts.get(pid)
        out[pid] = lights.Facts(
            year=y, month=m, planned_start=planned_start, actual_start=actual_start,
            in_stats_date=in_stats_date if in_stats else None, plan_wan=plans.get((pid, y)), ytd_wan=ytd,
            months=months.get(pid, {}), first_report=(first // 100, first % 100) if first else None,
            pending_month=pending)
    return out


def lights_for(project_ids, year: int, month: int, *, rules: RuleSet | None = None,
               today: dt.date | None = None) -> dict[int, lights.Verdict]:
    rules = rules or rule_set()
    facts = facts_for(project_ids, year, month, today=today, lookback=lights.LOOKBACK[Method(rules.method)])
    return {pid: lights.evaluate(rules.method, rules.params, f) for pid, f in facts.items()}


def light_history(project: Project, year: int, *, upto: int, rules: RuleSet | None = None) -> list[tuple]:
    """(month, verdict) for the months 1..``upto`` of ``year`` (the project page's row of lights)."""
    rules = rules or rule_set()
    return [(m, lights_for([project.pk], year, m, rules=rules)[project.pk]) for m in range(1, upto + 1)]




# ---------------------------------------------------------------------------------------------- figures


def year_table(project: Project, year: int) -> dict:
    """The project's months of ``year``: planned, completed, funds, year-to-date (and its share of the annual plan)
    and since start (and its share of the total investment), plus the 旬 rows."""
    plan = AnnualPlan.objects.filter(project=project, year=year).first()
    before = (InvestmentReport.objects.filter(project=project, ym__lt=_ym(year, 1))
              .aggregate(c=Sum("completed_wan"))["c"] or ZERO) + project.completed_before_wan
    rows = list(InvestmentReport.objects.filter(project=project, year=year).order_by("month", "xun"))
    months = []
    ytd = ZERO
    for m in range(1, 13):
        mine = [r for r in rows if r.month == m]
        if not mine:
            continue
        planned = sum((r.planned_wan for r in mine), ZERO)
        completed = sum((r.completed_wan for r in mine), ZERO)
        funds = sum((r.funds_in_place_wan for r in mine), ZERO)
        ytd += completed
        since = before + ytd
        months.append({
            "month": m, "planned": planned, "completed": completed, "funds": funds, "ytd": ytd,
            "ytd_pct": lights._pct(ytd, plan.planned_wan) if plan and plan.planned_wan else None,
            "since_start": since, "since_pct": lights._pct(since, project.total_investment_wan),
            "parts": mine if any(r.xun for r in mine) else [], "report": mine[0] if len(mine) == 1 else None})
    return {"plan": plan, "months": months, "ytd": ytd, "since_start": before + ytd}


def totals(project_ids, year: int, month: int) -> dict[int, dict]:
    """Year-to-date, the month's and since-start completion of each project up to the month (two queries)."""
    ids = list(project_ids)
    out = {pid: {"month": ZERO, "ytd": ZERO, "since": ZERO, "plan": None} for pid in ids}
    rows = (InvestmentReport.objects.filter(project_id__in=ids, ym__lte=_ym(year, month)).values("project_id")
            .annotate(since=Sum("completed_wan"),
                      ytd=Sum("completed_wan", filter=Q(ym__gte=_ym(year, 1))),
                      month=Sum("completed_wan", filter=Q(ym=_ym(year, month))))
            .order_by())
    for r in rows:
        out[r["project_id"]].update(month=r["month"] or ZERO, ytd=r["ytd"] or ZERO, since=r["since"] or ZERO)
    for pid, w in AnnualPlan.objects.filter(project_id__in=ids, year=year).values_list("project_id", "planned_wan"):
        out[pid]["plan"] = w
    return out


def dispatch(*, actor, year: int, month: int, rules: RuleSet | None = None, region=None, list_kind: str = "",
             today: dt.date | None = None) -> dict:
    """The monthly dispatch report (月调度): every project the actor sees with its figures to the month, its light
    with the reasons, its key nodes due or overdue, its open problems; and the totals by light."""
    rules = rules or rule_set()
    projects = list(project_list(actor=actor, region=region, list_kind=list_kind,
                                 year=year if list_kind else None).select_related("task_force"))
    ids = [p.pk for p in projects]
    verdicts = lights_for(ids, year, month, rules=rules, today=today)
    figures = totals(ids, year, month)
    end = lights.month_end(year, month)
    nodes = dict(KeyNode.objects.filter(project_id__in=ids, done_on__isnull=True, due__lte=end)
                 .values_list("project_id").annotate(n=Count("pk")).order_by().values_list("project_id", "n"))
    lists = {}
    for pid, kind in Listing.objects.filter(project_id__in=ids, year=year).values_list("project_id", "kind"):
        lists.setdefault(pid, []).append(kind)
    problems = open_problem_counts(ids)
    rows, counts = [], {k: 0 for k in Light.values}
    sched = lights.scheduled(month)
    for p in projects:
        v, f = verdicts[p.pk], figures[p.pk]
        if v.light:
            counts[v.light] += 1
        since = f["since"] + p.completed_before_wan
        rows.append({"project": p, "verdict": v, "plan": f["plan"], "month": f["month"], "ytd": f["ytd"],
                     "ytd_pct": lights._pct(f["ytd"], f["plan"]) if f["plan"] else None, "since": since,
                     "since_pct": lights._pct(since, p.total_investment_wan), "nodes_due": nodes.get(p.pk, 0),
                     "problems": problems.get(p.pk, 0), "lists": sorted(lists.get(p.pk, []))})
    rows.sort(key=lambda r: (-SEVERITY.get(r["verdict"].light, -1) if r["verdict"].light else 1, r["project"].name))
    plan_total = sum((r["plan"] or ZERO for r in rows), ZERO)
    ytd_total = sum((r["ytd"] for r in rows), ZERO)
    return {"year": year, "month": month, "rules": rules, "rows": rows, "counts": counts, "sched": sched,
            "plan_total": plan_total, "ytd_total": ytd_total,
            "ytd_pct": lights._pct(ytd_total, plan_total) if plan_total else None}


def open_problem_counts(project_ids) -> dict[int, int]:
    """Open problems (not closed) of each project on the rectification ledger (one query)."""
    from grassroots.rectification.models import Item

    return dict(Item.objects.filter(subject_type=SUBJECT, subject_id__in=list(project_ids))
                .exclude(status="closed").values_list("subject_id").annotate(n=Count("pk")).order_by()
                .values_list("subject_id", "n"))


SUBJECT = "keyprojects.project"


def problems(*, actor, project: Project):
    """The project's problem ledger: rectification items that name the project, as the actor sees them."""
    from grassroots.rectification import selectors as rect

    return rect.items(actor=actor, filters=rect.Filters(subject_type=SUBJECT, subject_id=project.pk))




def projects_with_nodes_due(*, actor, today: dt.date, days: int = 7) -> QuerySet:
    """Projects with an open key node due within ``days`` (negative: already past by that many days)."""
    return project_list(actor=actor).filter(pk__in=KeyNode.objects.filter(
        done_on__isnull=True, due__lte=today + dt.timedelta(days=days)).values("project_id"))


def unreported(*, actor, today: dt.date) -> QuerySet:
    """Projects the actor reports on whose last month's investment report is missing (the workbench's count)."""
    y, m = _previous(today.year, today.month)
    return (project_list(actor=actor).exclude(phase="completed")
            .exclude(pk__in=InvestmentReport.objects.filter(ym=_ym(y, m)).values("project_id")))




# ---------------------------------------------------------------------------------------------- form choices


def commissioner_choices(*, region) -> QuerySet:
    """Accounts with a current post in or above the project's area (a commissioner is one of the park's people)."""
    from grassroots.core.scope import active_posts_q
    from grassroots.people.models import Post, User

    posts = Post.objects.filter(active_posts_q(), region__isnull=False)
    ancestors = [region.path[:i] for i in range(1, len(region.path) + 1) if region.path[i - 1] == "/"]
    q = Q(region__path__startswith=region.path) | Q(region__path__in=ancestors)
    return User.objects.filter(pk__in=posts.filter(q).values("user_id"), is_active=True).order_by("username")


def organization_choices(*, region) -> QuerySet:
    """Owner units, offices and problem owners: organisations of the area and the zone's departments."""
    from grassroots.people.models import Organization

    return (Organization.objects.filter(active=True)
            .filter(Q(region__path__startswith=region.path) | Q(kind__in=["department", "state_owned_enterprise"]))
            .order_by("kind", "name"))


def organization_get(*, region, pk):
    row = organization_choices(region=region).filter(pk=pk).first() if int_param(pk, minimum=1) else None
    if row is None:
        raise NotFound("单位不存在", "Organisation not found")
    return row


def commissioner_get(*, region, pk):
    row = commissioner_choices(region=region).filter(pk=pk).first() if int_param(pk, minimum=1) else None
    if row is None:
        raise NotFound("账号不存在", "Account not found")
    return row


def region_get(*, actor, pk):
    row = registrable_regions(actor=actor).filter(pk=pk).first() if int_param(pk, minimum=1) else None
    if row is None:
        raise NotFound("区域不存在", "Area not found")
    return row


def task_force_get(*, actor, pk):
    row = task_forces(actor=actor).filter(pk=pk).first() if int_param(pk, minimum=1) else None
    if row is None:
        raise NotFound("专班不存在", "Task force not found")
    return row


def progress_list(project: Project):
    from grassroots.core.models import Attachment

    rows = list(project.progress.all()[:24])
    photos: dict[str, list] = {}
    for a in Attachment.objects.filter(object_type="keyprojects.progressreport",
                                       object_id__in=[str(r.pk) for r in rows]).order_by("id"):
        photos.setdefault(a.object_id, []).append(a)
    for r in rows:
        r.photos = photos.get(str(r.pk), [])
    return rows
