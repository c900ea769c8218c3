"""The lights (亮灯) of a key project for one month, by the rule set in force (docs/rules/park.md § Lights).

Pure functions over ``Facts`` (what the selectors read for the project and the month): each method gives one verdict
per dimension with a reason code and its numbers; the project's light is the worst of them (red > yellow >
green = blue). A dimension that does not apply (no annual plan, no planned start) gives no light, only its reason.

The methods and their parameters (the rule set's ``params``; the defaults are the reference's):

- ``yinchuan``: 开工 — green when started by the month's end or not yet due; yellow when not started by the end of
  the planned month; red when ``start_red_months`` (3) or more months late. 进度 — year-to-date completion as a
  share of the annual plan against 序时进度 (month ÷ 12): green when less than ``progress_yellow_points`` (10) points
  below; yellow from 10 to ``progress_red_points`` (30) points below; red when more than 30 below. 入库 — after the
  start, yellow when not entered in the statistics ``stats_yellow_months`` (1) month after it, red when more than
  ``stats_red_months`` (2) months after it.
- ``sanya``: 进度 only — green at or above 序时; yellow when below by at most ``red_ratio`` (50 %) of 序时; red when
  below by more.
- ``jinxiang``: 月度目标 (红黄蓝) — blue when the month's completed investment meets its planned figure; yellow when it
  does not; red when missed ``red_streak`` (2) or more months running. A month with no report after the project's
  first report counts as missed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from .states import SEVERITY, Dimension, Light, Method

DEFAULTS = {
    Method.YINCHUAN: {"start_red_months": 3, "progress_yellow_points": 10, "progress_red_points": 30,
                      "stats_yellow_months": 1, "stats_red_months": 2},
    Method.SANYA: {"red_ratio": 0.5},
    Method.JINXIANG: {"red_streak": 2},
}

REASONS = {
    "started": _("已于 %(date)s 开工"),
    "start_not_due": _("计划 %(date)s 开工，未到时间"),
    "start_missed": _("计划 %(date)s 开工，计划月份未开工"),
    "start_late": _("计划 %(date)s 开工，已滞后 %(months)s 个月"),
    "no_planned_start": _("未填计划开工日期"),
    "progress": _("年度计划完成 %(pct)s%%，序时进度 %(sched)s%%，相差 %(gap)s 个百分点"),
    "no_plan": _("%(year)s 年无年度计划投资"),
    "in_stats": _("已于 %(date)s 入库纳统"),
    "stats_not_due": _("开工未满 %(months)s 个月，入库未到期"),
    "stats_late": _("开工 %(months)s 个月仍未入库纳统"),
    "not_started": _("尚未开工，入库不评"),
    "month_met": _("本月计划 %(planned)s 万元，完成 %(completed)s 万元，达到月度目标"),
    "month_missed": _("本月计划 %(planned)s 万元，完成 %(completed)s 万元，连续 %(streak)s 个月未达目标"),
    "no_reports": _("尚无投资填报"),
    "pending": _("%(month)s 月尚未填报，按 %(as_of)s 月数据亮灯"),
}


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass
class Facts:
    """What a verdict needs of one project, as of one month (``year``, ``month``)."""

    year: int
    month: int
    planned_start: dt.date | None = None
    actual_start: dt.date | None = None
    in_stats_date: dt.date | None = None
    plan_wan: Decimal | None = None
    ytd_wan: Decimal = Decimal("0")
    # (year, month) → (planned, completed), for the months the monthly-target method looks back over
    months: dict = field(default_factory=dict)
    first_report: tuple[int, int] | None = None
    pending_month: tuple[int, int] | None = None  # the month asked for, when judged as of the month before


@dataclass
class Reason:
    dimension: str
    light: str | None
    code: str
    params: dict

    @property
    def text(self) -> str:
        return str(REASONS[self.code]) % self.params

    @property
    def dimension_label(self) -> str:
        return str(Dimension(self.dimension).label)

    @property
    def light_label(self) -> str:
        return str(Light(self.light).label) if self.light else ""


@dataclass
class Verdict:
    light: str | None
    reasons: list[Reason]

    @property
    def light_label(self) -> str:
        return str(Light(self.light).label) if self.light else ""

    @property
    def summary(self) -> str:
        return "；".join(r.text for r in self.reasons if r.light not in (None, Light.GREEN, Light.BLUE)) or ""


def _worst(reasons: list[Reason]) -> str | None:
    lights = [r.light for r in reasons if r.light]
    return max(lights, key=lambda lt: SEVERITY[lt]) if lights else None


TENTH = Decimal("0.1")


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    """A share in per cent to one decimal, rounded half up (四舍五入), as the reports print it."""
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def scheduled(month: int) -> Decimal:
    """序时进度: the share of the year elapsed at the end of ``month``, in per cent to one decimal."""
    return (Decimal(month) * 100 / 12).quantize(TENTH, rounding=ROUND_HALF_UP)


def _progress(f: Facts) -> tuple[Decimal, Decimal, Decimal] | None:
    if not f.plan_wan:
        return None
    pct = _pct(f.ytd_wan, f.plan_wan)
    sched = scheduled(f.month)
    return pct, sched, sched - pct


def _progress_reason(f: Facts, light: str, values) -> Reason:
    pct, sched, gap = values
    return Reason(Dimension.PROGRESS, light, "progress", {"pct": pct, "sched": sched, "gap": max(gap, Decimal("0"))})


def yinchuan(f: Facts, p: dict) -> list[Reason]:
    out: list[Reason] = []
    end, now = month_end(f.year, f.month), month_index(f.year, f.month)
    started = f.actual_start is not None and f.actual_start <= end
    if started:
        out.append(Reason(Dimension.START, Light.GREEN, "started", {"date": f.actual_start}))
    elif f.planned_start is None:
        out.append(Reason(Dimension.START, None, "no_planned_start", {}))
    else:
        late = now - month_index(f.planned_start.year, f.planned_start.month)
        if late < 0:
            out.append(Reason(Dimension.START, Light.GREEN, "start_not_due", {"date": f.planned_start}))
        elif late >= int(p["start_red_months"]):
            out.append(Reason(Dimension.START, Light.RED, "start_late", {"date": f.planned_start, "months": late}))
        else:
            out.append(Reason(Dimension.START, Light.YELLOW, "start_missed", {"date": f.planned_start}))
    values = _progress(f)
    if values is None:
        out.append(Reason(Dimension.PROGRESS, None, "no_plan", {"year": f.year}))
    else:
        gap = values[2]
        light = (Light.RED if gap > Decimal(str(p["progress_red_points"]))
                 else Light.YELLOW if gap >= Decimal(str(p["progress_yellow_points"])) else Light.GREEN)
        out.append(_progress_reason(f, light, values))
    if not started:
        out.append(Reason(Dimension.STATS, None, "not_started", {}))
    elif f.in_stats_date is not None and f.in_stats_date <= end:
        out.append(Reason(Dimension.STATS, Light.GREEN, "in_stats", {"date": f.in_stats_date}))
    else:
        months = now - month_index(f.actual_start.year, f.actual_start.month)
        if months > int(p["stats_red_months"]):
            out.append(Reason(Dimension.STATS, Light.RED, "stats_late", {"months": months}))
        elif months >= int(p["stats_yellow_months"]):
            out.append(Reason(Dimension.STATS, Light.YELLOW, "stats_late", {"months": months}))
        else:
            out.append(Reason(Dimension.STATS, Light.GREEN, "stats_not_due", {"months": p["stats_yellow_months"]}))
    return out


def sanya(f: Facts, p: dict) -> list[Reason]:
    values = _progress(f)
    if values is None:
        return [Reason(Dimension.PROGRESS, None, "no_plan", {"year": f.year})]
    pct, sched, gap = values
    if gap <= 0:
        light = Light.GREEN
    elif gap <= sched * Decimal(str(p["red_ratio"])):
        light = Light.YELLOW
    else:
        light = Light.RED
    return [_progress_reason(f, light, values)]


def _months_back(year: int, month: int):
    while True:
        yield year, month
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)


def jinxiang(f: Facts, p: dict) -> list[Reason]:
    if f.first_report is None or (f.year, f.month) < f.first_report:
        return [Reason(Dimension.MONTHLY, None, "no_reports", {})]
    streak = 0
    for ym in _months_back(f.year, f.month):
        if ym < f.first_report or streak > LOOKBACK[Method.JINXIANG]:
            break
        planned, completed = f.months.get(ym, (None, None))
        if planned is not None and completed >= planned:
            break
        streak += 1
    planned, completed = f.months.get((f.year, f.month), (Decimal("0"), Decimal("0")))
    if streak == 0:
        return [Reason(Dimension.MONTHLY, Light.BLUE, "month_met", {"planned": planned, "completed": completed})]
    light = Light.RED if streak >= int(p["red_streak"]) else Light.YELLOW
    return [Reason(Dimension.MONTHLY, light, "month_missed",
                   {"planned": planned, "completed": completed, "streak": streak})]


METHODS = {Method.YINCHUAN: yinchuan, Method.SANYA: sanya, Method.JINXIANG: jinxiang}
# How many months before the asked one a method reads (the monthly-target method looks back for its streak).
LOOKBACK = {Method.YINCHUAN: 0, Method.SANYA: 0, Method.JINXIANG: 12}


def params_of(method: str, params: dict | None) -> dict:
    return {**DEFAULTS[Method(method)], **(params or {})}


def evaluate(method: str, params: dict | None, facts: Facts) -> Verdict:
    reasons = METHODS[Method(method)](facts, params_of(method, params))
    if facts.pending_month is not None:
        y, m = facts.pending_month
        reasons.insert(0, Reason(Dimension.PROGRESS, None, "pending", {"month": f"{y}-{m:02d}",
                                                                        "as_of": f"{facts.year}-{facts.month:02d}"}))
    return Verdict(_worst(reasons), reasons)
