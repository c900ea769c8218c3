"""Key-project exports (``core.exports`` kinds): the project list, and the monthly dispatch report (月调度) with
every project's figures to the month, its light and the reasons."""

from __future__ import annotations

from grassroots.core import exports

from . import selectors
from .states import Level, ListKind, Phase

PROJECT_HEADERS = [("项目名称", 32), ("所在区域", 16), ("项目级别", 8), ("阶段", 8), ("行业", 12), ("业主单位", 26),
                   ("国企主导", 8), ("总投资（万元）", 14), ("包保领导", 10), ("项目专员", 10), ("计划开工", 12),
                   ("实际开工", 12), ("计划竣工", 12), ("实际竣工", 12), ("已入库纳统", 10)]


def _projects(request: exports.ExportRequest):
    year = request.get("year")
    soe = request.get("soe")
    return selectors.project_list(actor=request.actor, year=int(year) if year else None,
                                  list_kind=request.get("list_kind") or "", level=request.get("level") or "",
                                  phase=request.get("phase") or "", q=request.get("q") or "",
                                  soe=None if soe in (None, "") else bool(soe))


def _project_rows(request):
    levels, phases = dict(Level.choices), dict(Phase.choices)
    for p in _projects(request).iterator(chunk_size=2000):
        yield [p.name, p.region.name, str(levels.get(p.level, p.level)), str(phases.get(p.phase, p.phase)),
               p.industry, p.owner_unit.name, "是" if p.soe_led else "", p.total_investment_wan, p.patron_leader,
               p.commissioner.display_name if p.commissioner else "", p.planned_start or "", p.actual_start or "",
               p.planned_end or "", p.actual_end or "", "是" if p.in_fai_stats else ""]


PROJECTS = exports.register(exports.ExportKind(
    key="keyprojects.projects", verb="key_project.export", object_type="keyprojects.project",
    title=lambda request: "重点项目", filename="key-projects",
    columns=lambda request: [exports.Column(h, w) for h, w in PROJECT_HEADERS],
    rows=_project_rows, count=lambda request: _projects(request).count(),
))

DISPATCH_HEADERS = [("亮灯", 8), ("项目名称", 32), ("重点清单", 14), ("阶段", 8), ("总投资（万元）", 14),
                    ("年度计划（万元）", 14), ("本月完成（万元）", 14), ("年初至今（万元）", 14), ("占年计划（%）", 12),
                    ("开工至今（万元）", 14), ("占总投资（%）", 12), ("到期未完成节点", 12), ("未销号问题", 10),
                    ("包保领导", 10), ("亮灯原因", 60)]


def _dispatch(request):
    if "dispatch" not in request.memo:
        request.memo["dispatch"] = _compute(request)
    return request.memo["dispatch"]


def _compute(request):
    return selectors.dispatch(actor=request.actor, year=int(request.get("year")), month=int(request.get("month")),
                              rules=selectors.rule_set(request.get("rules") or None))


def dispatch_row(r) -> list:
    lists, phases = dict(ListKind.choices), dict(Phase.choices)
    p, v = r["project"], r["verdict"]
    return [v.light_label, p.name, "、".join(str(lists[k]) for k in r["lists"]), str(phases.get(p.phase, p.phase)),
            p.total_investment_wan, r["plan"] if r["plan"] is not None else "", r["month"], r["ytd"],
            r["ytd_pct"] if r["ytd_pct"] is not None else "", r["since"], r["since_pct"], r["nodes_due"],
            r["problems"], p.patron_leader, "；".join(f"{x.dimension_label}：{x.text}" for x in v.reasons)]


def _dispatch_rows(request):
    for r in _dispatch(request)["rows"]:
        yield dispatch_row(r)


def _dispatch_notes(request):
    d = _dispatch(request)
    return [("月份", f"{d['year']}-{d['month']:02d}"), ("亮灯规则", d["rules"].name), ("序时进度（%）", str(d["sched"])),
            ("年度计划合计（万元）", str(d["plan_total"])), ("年初至今完成（万元）", str(d["ytd_total"])),
            ("完成年计划（%）", str(d["ytd_pct"] or "—"))]


def _check(request):
    from grassroots.core.errors import ValidationFailed

    try:
        year, month = int(request.get("year")), int(request.get("month"))
    except (TypeError, ValueError):
        raise ValidationFailed("请选择年月", "Choose the month", field="month") from None
    if not (2000 <= year <= 2999 and 1 <= month <= 12):
        raise ValidationFailed("请选择年月", "Choose the month", field="month")


DISPATCH = exports.register(exports.ExportKind(
    key="keyprojects.dispatch", verb="key_project.dispatch_export", object_type="keyprojects.project",
    title=lambda request: f"重点项目月调度{request.get('year')}-{int(request.get('month')):02d}",
    filename="key-projects-dispatch",
    columns=lambda request: [exports.Column(h, w) for h, w in DISPATCH_HEADERS],
    rows=_dispatch_rows, check=_check, notes=_dispatch_notes,
))
