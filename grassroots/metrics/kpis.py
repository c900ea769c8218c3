"""Case KPIs exactly as ``docs/rules/kpis.md`` defines them: the indicators, their values and the composite score.

A KPI is computed for a **unit** over a **period**, **as of** a moment:

* ``department`` — an organisation: assignments dispatched to it in the period (响应率 counts every assignment,
  lead or co-handler; the case-level rates count the cases it led, i.e. held the lead assignment of);
* ``subdistrict`` / ``community`` (community, village or park) / ``grid`` — cases reported in the region during the
  period (its subtree, by the case's ``region_path``); assignment-level rates use the case's lead clock;
* ``grid_worker`` — cases the grid worker reported in the period;
* ``channel`` — cases reported through the channel in the period.

"As of": things not yet due are left out, not counted as failures, and nothing after the moment counts. A rate
with an empty denominator is ``None`` (shown "—"), never 0 or 100. The composite score weighs 响应率 / 解决率 /
满意率 with ``KpiWeight`` rows (defaults 10 / 45 / 45). A unit is scored, graded and ranked only when every weighted
rate rests on at least its minimum sample (``MINIMUM_SAMPLES``: policy settings, default 5 rated cases and 5
assignments); the others are listed after the ranking as 样本不足 with their rates and counts, no score and no
grade. Grades: A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, else E.

The counters are computed by ``aggregates`` (aggregate SQL, GROUP BY unit) or served by ``rollup`` (the live
figures); ``selectors`` reads them for an actor, in the actor's scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core import clock
from grassroots.core import roles as R
from grassroots.core.errors import ValidationFailed

UNIT_KINDS = ("subdistrict", "community", "grid", "department", "grid_worker", "channel")
UNIT_KIND_LABELS = {
    "subdistrict": _("街道"), "community": _("社区/村/园区"), "grid": _("网格"), "department": _("部门"),
    "grid_worker": _("网格员"), "channel": _("来源渠道"),
}
REGION_DEPTH = {"subdistrict": 1, "community": 2, "grid": 3}
INDIVIDUAL_KINDS = ("grid_worker",)
# The posts whose region scope decides which regions and grid workers a reader has figures for.
VIEW_ROLES = R.STAFF_AND_FIELD


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    numerator: str
    denominator: str
    lower_is_better: bool = False


INDICATORS: tuple[Indicator, ...] = (
    Indicator("acceptance_rate", _("受理及时率"), "accept_on_time", "accept_due"),
    Indicator("response_rate", _("响应率"), "ack_on_time", "ack_due"),
    Indicator("on_time_rate", _("按期办结率"), "handle_on_time", "handle_due"),
    Indicator("closure_rate", _("结案率"), "closed", "led"),
    Indicator("rework_rate", _("返工率"), "reworked", "handled", lower_is_better=True),
    Indicator("resolution_rate", _("解决率"), "resolved", "rated"),
    Indicator("satisfaction_rate", _("满意率"), "satisfied", "rated"),
    Indicator("grid_autonomy_rate", _("网格自治率"), "closed_on_site", "closed_reported"),
    Indicator("community_rate", _("社区内解决率"), "closed_in_community", "closed_reported"),
)
INDICATOR_BY_KEY = {i.key: i for i in INDICATORS}
COUNTERS = tuple(dict.fromkeys(c for i in INDICATORS for c in (i.numerator, i.denominator)))
DEFAULT_WEIGHTS = {"response_rate": Decimal("0.10"), "resolution_rate": Decimal("0.45"),
                   "satisfaction_rate": Decimal("0.45")}
GRADES = ((90, "A"), (75, "B"), (60, "C"), (40, "D"))
# The minimum sample a weighted rate needs before the unit is scored, by the rate's denominator: policy setting key
# and default. 解决率 and 满意率 count rated cases, 响应率 assignments; any other rate given a weight counts cases.
MINIMUM_SAMPLES = {"rated": ("kpi.min_rated_cases", 5), "ack_due": ("kpi.min_assignments", 5)}
MINIMUM_SAMPLE_OTHER = ("kpi.min_cases", 5)


def grade(score: float | None) -> str | None:
    if score is None:
        return None
    for threshold, letter in GRADES:
        if score >= threshold:
            return letter
    return "E"


@dataclass
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """Percentage (0–100), or None when the denominator is empty."""
        return None if not self.denominator else 100.0 * self.numerator / self.denominator

    @property
    def display(self) -> str:
        value = self.value
        return "—" if value is None else f"{value:.2f}%"

    def __str__(self) -> str:
        return self.display


@dataclass
class UnitKpis:
    unit_kind: str
    unit_id: object
    label: str
    counters: dict[str, int]
    rates: dict[str, Rate] = field(default_factory=dict)
    composite: float | None = None
    grade: str | None = None
    rank: int | None = None
    short: list[str] = field(default_factory=list)  # weighted rates below their minimum sample (样本不足)
    terms: list[tuple[str, float, float]] = field(default_factory=list)  # (indicator, weight, value) of the score

    @property
    def sufficient(self) -> bool:
        return not self.short

    @property
    def short_labels(self) -> list[str]:
        return [str(INDICATOR_BY_KEY[k].label) for k in self.short]

    @property
    def formula(self) -> str:
        """How the score was made: "0.10 × 71.43 + 0.45 × 75.00 + 0.45 × 75.00 = 74.64" (rework-type rates enter
        as 100 − value); empty without a score."""
        if self.composite is None:
            return ""
        parts = " + ".join(f"{weight:.2f} × {value:.2f}" for _key, weight, value in self.terms)
        return f"{parts} = {self.composite:.2f}"

    @property
    def ordered_rates(self) -> list[Rate]:
        """The rates in ``INDICATORS`` order (for tables)."""
        return [self.rates[i.key] for i in INDICATORS]

    @property
    def composite_display(self) -> str:
        return "—" if self.composite is None else f"{self.composite:.2f}"


@dataclass
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def start_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def end_at(self) -> dt.datetime:
        """Exclusive upper bound: 00:00 of the day after ``end``."""
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = dt.date(year, month, 1)
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return cls(first, nxt - dt.timedelta(days=1))

    @classmethod
    def parse(cls, start: str | None, end: str | None, month: str | None = None) -> Period:
        """From ``?month=2026-11`` or ``?start=…&end=…``; default the current month."""
        try:
            if start or end:
                if not (start and end):
                    raise ValueError
                period = cls(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
            elif month:
                year, mon = (int(x) for x in month.split("-"))
                period = cls.month(year, mon)
            else:
                today = clock.today()
                period = cls.month(today.year, today.month)
        except (ValueError, TypeError):
            raise ValidationFailed("统计期格式应为 2026-11 或起止日期 2026-11-01 / 2026-11-30",
                                   "Give the period as month=2026-11 or start and end dates", field="period")
        if period.end < period.start:
            raise ValidationFailed("结束日期早于开始日期", "The end date is before the start date", field="end")
        if (period.end - period.start).days > 366 * 3:
            raise ValidationFailed("统计期最长三年", "A period spans at most three years", field="end")
        return period


@dataclass
class KpiTable:
    unit_kind: str
    period: Period
    as_of: dt.datetime
    channel: str
    rows: list[UnitKpis]
    ranked: bool
    weights: dict[str, Decimal]
    freshness: str = ""
    minimums: dict[str, int] = field(default_factory=dict)  # weighted indicator → minimum sample

    @property
    def ranked_rows(self) -> list[UnitKpis]:
        return [r for r in self.rows if r.sufficient]

    @property
    def short_rows(self) -> list[UnitKpis]:
        """样本不足: units listed after the ranking, with their rates and counts, without a score or a grade."""
        return [r for r in self.rows if not r.sufficient]

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return INDICATORS


def score_terms(rates: dict[str, Rate], weights: dict[str, Decimal]) -> list[tuple[str, float, float]]:
    """(indicator, weight, value) of each weighted rate that has a value, the weights normalised to sum to 1
    (a lower-is-better rate enters as 100 − value)."""
    present = []
    for key, weight in weights.items():
        rate = rates.get(key)
        value = rate.value if rate is not None else None
        if value is None or not weight:
            continue
        if INDICATOR_BY_KEY[key].lower_is_better:
            value = 100.0 - value
        present.append((key, float(weight), value))
    weight_sum = sum(w for _k, w, _v in present)
    return [(k, w / weight_sum, v) for k, w, v in present] if weight_sum else []


def composite(rates: dict[str, Rate], weights: dict[str, Decimal]) -> float | None:
    """Weighted mean of the rates that have a value (``score_terms``). Callers score a unit only when every
    weighted rate has its minimum sample (``short_of``), so no weight is ever rescaled for a ranked unit."""
    terms = score_terms(rates, weights)
    if not terms:
        return None
    return round(sum(w * v for _k, w, v in terms), 2)


def minimum_for(indicator_key: str, setting) -> int:
    """The minimum sample of a weighted rate (``MINIMUM_SAMPLES``; ``setting(key, default)`` reads the policy)."""
    key, default = MINIMUM_SAMPLES.get(INDICATOR_BY_KEY[indicator_key].denominator, MINIMUM_SAMPLE_OTHER)
    try:
        return max(0, int(setting(key, default)))
    except (TypeError, ValueError):
        return default


def short_of(rates: dict[str, Rate], minimums: dict[str, int]) -> list[str]:
    """The weighted rates whose denominator is below its minimum sample (an empty rate is below any minimum)."""
    return [key for key, minimum in minimums.items()
            if rates[key].denominator < max(minimum, 1)]

