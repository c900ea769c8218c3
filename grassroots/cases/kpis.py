"""Case KPIs exactly as ``reference/kpis.md`` defines them, computed with aggregate SQL (GROUP BY unit).

A KPI is computed for a **unit** over a **period**, **as of** a moment:

* ``department`` — an organisation: assignments dispatched to it in the period (响应率 counts every assignment,
  lead or co-handler; the case-level rates count the cases it led, i.e. held the lead assignment of);
* ``subdistrict`` / ``community`` (community, village or park) / ``grid`` — cases reported in the region during the
  period (its subtree, by the case's ``region_path``); assignment-level rates use the case's lead clock;
* ``grid_worker`` — cases the grid worker reported in the period;
* ``channel`` — cases reported through the channel in the period.

"As of": things not yet due are left out, not counted as failures, and nothing after the moment counts. A rate
with an empty denominator is ``None`` (shown "—"), never 0 or 100. The composite score weighs 响应率 / 解决率 /
满意率 with ``KpiWeight`` rows (defaults 10 / 45 / 45); a rate that is "—" drops out and the other weights are
rescaled. Grades: A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, else E.

Every reader takes ``actor=`` and keeps to the actor's scope (``core.scope``): a zone post sees every unit, a
subdistrict its communities and grids, a community its grids and grid workers, a department its own figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core import clock
from grassroots.core.errors import ValidationFailed
from grassroots.core.scope import scope_for

from .states import AssignmentRole, AssignmentStatus, Channel, Satisfaction, Status

UNIT_KINDS = ("subdistrict", "community", "grid", "department", "grid_worker", "channel")
UNIT_KIND_LABELS = {
    "subdistrict": _("街道"), "community": _("社区/村/园区"), "grid": _("网格"), "department": _("部门"),
    "grid_worker": _("网格员"), "channel": _("来源渠道"),
}
REGION_DEPTH = {"subdistrict": 1, "community": 2, "grid": 3}
INDIVIDUAL_KINDS = ("grid_worker",)


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

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return INDICATORS


# ---------------------------------------------------------------------------------------------------------------
# Scope: which units of a kind the actor may see.

def unit_kinds_for(actor) -> list[str]:
    scope = scope_for(actor)
    kinds: list[str] = []
    depths = sorted({p.count("/") - 2 for p in scope.paths_for("zone_leader", "hotline_operator",
                                                                  "subdistrict_officer", "community_staff",
                                                                  "community_secretary", "grid_worker")})
    if depths:
        top = depths[0]
        for kind in ("subdistrict", "community", "grid"):
            if REGION_DEPTH[kind] >= top + (1 if top < 3 else 0):
                kinds.append(kind)
        if top <= 2:
            kinds.append("grid_worker")
    if scope.has_role("zone_leader", "hotline_operator") or scope.orgs_for("department_handler"):
        kinds.insert(0, "department")
    if scope.has_role("zone_leader", "hotline_operator"):
        kinds.append("channel")
    return kinds


VIEW_ROLES = ("zone_leader", "hotline_operator", "subdistrict_officer", "community_staff", "community_secretary",
              "grid_worker")


def _units(actor, unit_kind: str) -> dict:
    """{unit id (path, org id, user id or channel): label} the actor may see for the kind."""
    from grassroots.people.models import Organization, Post
    from grassroots.territory.models import Region

    if unit_kind not in unit_kinds_for(actor):
        return {}
    scope = scope_for(actor)
    if unit_kind in REGION_DEPTH:
        levels = {"subdistrict": ["subdistrict"], "community": ["community", "village", "park"],
                  "grid": ["grid"]}[unit_kind]
        regions = Region.objects.filter(scope.region_q("path", roles=(
            "zone_leader", "hotline_operator", "subdistrict_officer", "community_staff", "community_secretary",
            "grid_worker")), level__in=levels, active=True).values_list("path", "name")
        return dict(regions)
    if unit_kind == "department":
        orgs = Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, active=True)
        if not scope.has_role("zone_leader", "hotline_operator"):
            orgs = orgs.filter(pk__in=sorted(scope.orgs_for("department_handler")))
        return dict(orgs.values_list("pk", "name"))
    if unit_kind == "grid_worker":
        posts = Post.objects.filter(role="grid_worker").filter(
            scope.region_q("region__path", roles=("zone_leader", "hotline_operator", "subdistrict_officer",
                                                  "community_staff", "community_secretary", "grid_worker")))
        result = {}
        for user_id, display, username in posts.values_list("user_id", "user__display_name", "user__username"):
            result[user_id] = display or username
        return result
    if unit_kind == "channel":
        return {c.value: str(c.label) for c in Channel}
    return {}


# ---------------------------------------------------------------------------------------------------------------
# The aggregate queries.

def _path_length(unit_kind: str) -> int | None:
    from grassroots.territory.models import Region

    levels = {"subdistrict": ["subdistrict"], "community": ["community", "village", "park"], "grid": ["grid"]}
    path = Region.objects.filter(level__in=levels[unit_kind]).values_list("path", flat=True).first()
    return len(path) if path else None


def _grouped(queryset, keys: dict, flat: bool, aggregates: dict) -> list:
    """One GROUP BY query: dict rows, or with ``flat`` one ``(counter names, [(*keys, *counters) tuples])`` pair
    (tuples skip the per-row dict building; the rollup reads them column-wise)."""
    queryset = queryset.annotate(**keys).values(*keys).annotate(**aggregates).order_by()
    if not flat:
        return list(queryset)
    # The SQL of the values_list query, read with a plain cursor: no per-row converters (every column is an
    # integer or a string, see ``_month_expr``).
    from django.db import connections

    names = (*keys, *aggregates)
    sql, params = queryset.values_list(*names).query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        if [c[0] for c in cursor.description] != list(names):
            raise RuntimeError(f"unexpected columns {cursor.description!r}")
        return [(tuple(aggregates), cursor.fetchall())]


def _case_counters(cases, keys: dict, as_of, flat: bool = False) -> list:
    """Counters for cases grouped by ``keys`` (name → expression), one GROUP BY query."""
    decided = Q(accepted_at__lte=as_of) | Q(rejected_at__lte=as_of) | Q(resolved_on_site=True,
                                                                      first_handled_at__lte=as_of)
    on_time_decision = (Q(accepted_at__lte=F("accept_due")) | Q(rejected_at__lte=F("accept_due"))
                        | Q(resolved_on_site=True, first_handled_at__lte=F("accept_due")))
    handled = Q(handled_at__lte=as_of, handle_due__isnull=False)
    open_overdue = Q(handled_at__isnull=True, handle_due__lte=as_of) & ~Q(status=Status.REJECTED)
    closed = Q(status=Status.CLOSED, closed_at__lte=as_of)
    return _grouped(cases, keys, flat, dict(
        accept_on_time=Count("id", filter=decided & on_time_decision),
        accept_due=Count("id", filter=decided | Q(accept_due__lte=as_of)),
        ack_on_time=Count("id", filter=Q(acknowledged_at__lte=as_of) & Q(acknowledged_at__lte=F("acknowledge_due"))),
        ack_due=Count("id", filter=Q(dispatched_at__lte=as_of) & (Q(acknowledged_at__lte=as_of)
                                                                    | Q(acknowledge_due__lte=as_of))),
        handle_on_time=Count("id", filter=handled & Q(handled_at__lte=F("handle_due"))),
        handle_due=Count("id", filter=handled | open_overdue),
        closed=Count("id", filter=closed & (Q(accepted_at__isnull=False) | Q(resolved_on_site=True))),
        led=Count("id", filter=Q(accepted_at__lte=as_of) | Q(resolved_on_site=True, first_handled_at__lte=as_of)),
        reworked=Count("id", filter=Q(handled_at__lte=as_of, rework_count__gt=0)),
        handled=Count("id", filter=Q(handled_at__lte=as_of)),
        closed_on_site=Count("id", filter=closed & Q(resolved_on_site=True)),
        closed_in_community=Count("id", filter=closed & Q(reached_above_community=False)),
        closed_reported=Count("id", filter=closed),
    ))


def _rating_counters(ratings, keys: dict, as_of, flat: bool = False) -> list:
    """Rated / resolved / satisfied: the rating of each case's current round, given by ``as_of``."""
    good = [Satisfaction.SATISFIED, Satisfaction.BASICALLY]
    return _grouped(ratings.filter(round=F("case__rating_round"), rated_at__lte=as_of), keys, flat, dict(
        rated=Count("case_id", distinct=True),
        resolved=Count("case_id", distinct=True, filter=Q(resolved=True)),
        satisfied=Count("case_id", distinct=True, filter=Q(satisfaction__in=good)),
    ))


def _department_rows(assignments: Q, ratings: Q, keys: dict, rating_keys: dict, as_of, flat: bool = False) -> list:
    """Department counters grouped by ``keys`` over the assignments matching ``assignments`` (``flat``: see
    ``_grouped``; the rating rows' key columns, named by ``rating_keys``, come in the order of ``keys``)."""
    from .models import Assignment, Rating

    rows: list = []
    # 响应率: every assignment (lead or co-handler); one that ended unacknowledged before its deadline (the case
    # was escalated or taken back) was never due.
    ended_early = Q(acknowledged_at__isnull=True, ended_at__isnull=False, ended_at__lt=F("acknowledge_due"))
    rows += _grouped(Assignment.objects.filter(assignments).exclude(ended_early), keys, flat, dict(
        ack_on_time=Count("id", filter=Q(acknowledged_at__lte=as_of)
                          & Q(acknowledged_at__lte=F("acknowledge_due"))),
        ack_due=Count("id", filter=Q(acknowledged_at__lte=as_of) | Q(acknowledge_due__lte=as_of)),
    ))
    # Case-level rates over the cases the unit led (a case led in two rounds counts once).
    leads = Assignment.objects.filter(assignments, role=AssignmentRole.LEAD)
    handled = Q(handled_at__lte=as_of, case__handle_due__isnull=False)
    open_overdue = (Q(handled_at__isnull=True, active=True, case__handle_due__lte=as_of)
                    & ~Q(case__status__in=[Status.REJECTED, Status.CLOSED]))
    rows += _grouped(leads.exclude(status=AssignmentStatus.RETURNED), keys, flat, dict(
        handle_on_time=Count("case_id", distinct=True, filter=handled & Q(handled_at__lte=F("case__handle_due"))),
        handle_due=Count("case_id", distinct=True, filter=handled | open_overdue),
        reworked=Count("case_id", distinct=True, filter=Q(handled_at__lte=as_of, case__rework_count__gt=0)),
        handled=Count("case_id", distinct=True, filter=Q(handled_at__lte=as_of)),
    ))
    rows += _grouped(leads, keys, flat, dict(
        led=Count("case_id", distinct=True),
        closed=Count("case_id", distinct=True, filter=Q(case__status=Status.CLOSED, case__closed_at__lte=as_of)),
    ))
    rated = _rating_counters(Rating.objects.filter(ratings & Q(case__assignments__role=AssignmentRole.LEAD)),
                             rating_keys, as_of, flat)
    if flat:
        return rows + rated
    for row in rated:
        rows.append({**{k: row.pop(r) for k, r in zip(keys, rating_keys, strict=True)}, **row})
    return rows


def _merge(rows: list[dict], key_names) -> dict:
    result: dict = defaultdict(dict)
    for row in rows:
        key = tuple(row.pop(k) for k in key_names)
        result[key if len(key) > 1 else key[0]].update(row)
    return result


def _direct_counters(actor, unit_kind: str, period: Period, as_of, channel: str, units: dict) -> dict:
    from .models import Case, Rating

    if unit_kind == "department":
        org_ids = sorted(units)
        window = Q(dispatched_at__gte=period.start_at, dispatched_at__lt=period.end_at, dispatched_at__lte=as_of,
                   organization_id__in=org_ids)
        rating_window = Q(case__assignments__organization_id__in=org_ids,
                          case__assignments__dispatched_at__gte=period.start_at,
                          case__assignments__dispatched_at__lt=period.end_at,
                          case__assignments__dispatched_at__lte=as_of)
        if channel:
            window &= Q(case__channel=channel)
            rating_window &= Q(case__channel=channel)
        rows = _department_rows(window, rating_window, {"unit": F("organization_id")},
                                {"r_unit": F("case__assignments__organization_id")}, as_of)
        return _merge(rows, ["unit"])
    in_period = Q(reported_at__gte=period.start_at, reported_at__lt=period.end_at, reported_at__lte=as_of)
    if channel:
        in_period &= Q(channel=channel)
    cases = Case.objects.filter(in_period)
    ratings = Rating.objects.filter(case__reported_at__gte=period.start_at, case__reported_at__lt=period.end_at,
                                    case__reported_at__lte=as_of)
    if channel:
        ratings = ratings.filter(case__channel=channel)
    if unit_kind in REGION_DEPTH:
        length = _path_length(unit_kind)
        if length is None:
            return {}
        scope = scope_for(actor)
        cases = cases.filter(scope.region_q("region_path", roles=VIEW_ROLES))
        ratings = ratings.filter(scope.region_q("case__region_path", roles=VIEW_ROLES))
        case_key, rating_key = Substr("region_path", 1, length), Substr("case__region_path", 1, length)
    elif unit_kind == "grid_worker":
        cases = cases.filter(reporter_id__in=sorted(units), channel=Channel.GRID_PATROL)
        ratings = ratings.filter(case__reporter_id__in=sorted(units), case__channel=Channel.GRID_PATROL)
        case_key, rating_key = F("reporter_id"), F("case__reporter_id")
    else:  # channel
        case_key, rating_key = F("channel"), F("case__channel")
    return _merge(_case_counters(cases, {"unit": case_key}, as_of)
                  + _rating_counters(ratings, {"unit": rating_key}, as_of), ["unit"])


def counters(*, actor, unit_kind: str, period: Period, as_of: dt.datetime | None = None, channel: str = "",
             units: dict | None = None) -> dict:
    """{unit id: {counter: n}} for the units of ``unit_kind`` the actor may see (raw numerators/denominators).

    Computed directly with aggregate SQL over the period (exact for any period, channel and moment).
    """
    as_of = as_of or clock.now()
    units = _units(actor, unit_kind) if units is None else units
    if not units:
        return {}
    raw = _direct_counters(actor, unit_kind, period, as_of, channel, units)
    return {unit: {c: raw.get(unit, {}).get(c, 0) for c in COUNTERS} for unit in units}


def weights_for(unit_kind: str) -> dict[str, Decimal]:
    """Composite weights from ``KpiWeight`` rows for the kind, else the rows for any kind, else 10/45/45."""
    from .models import KpiWeight

    rows = list(KpiWeight.objects.filter(active=True, unit_kind__in=[unit_kind, ""]).values_list(
        "unit_kind", "indicator", "weight"))
    specific = {ind: w for kind, ind, w in rows if kind == unit_kind and ind in INDICATOR_BY_KEY}
    general = {ind: w for kind, ind, w in rows if kind == "" and ind in INDICATOR_BY_KEY}
    return specific or general or dict(DEFAULT_WEIGHTS)


def composite(rates: dict[str, Rate], weights: dict[str, Decimal]) -> float | None:
    """Weighted mean of the rates that have a value; rates shown "—" drop out and the weights rescale."""
    total = 0.0
    weight_sum = 0.0
    for key, weight in weights.items():
        rate = rates.get(key)
        value = rate.value if rate is not None else None
        if value is None or not weight:
            continue
        if INDICATOR_BY_KEY[key].lower_is_better:
            value = 100.0 - value
        total += float(weight) * value
        weight_sum += float(weight)
    if not weight_sum:
        return None
    return round(total / weight_sum, 2)


def individual_ranking_enabled() -> bool:
    from . import policy

    return bool(policy.setting("kpi.rank_individuals", True))


def kpi_table(*, actor, unit_kind: str, period: Period, as_of: dt.datetime | None = None,
              channel: str = "") -> KpiTable:
    """The ranking table: every visible unit of the kind with its rates, composite and grade, best first."""
    if unit_kind not in UNIT_KINDS:
        raise ValidationFailed("未知的考核对象", "Unknown unit kind", field="unit")
    if channel and channel not in Channel.values:
        raise ValidationFailed("未知的来源渠道", "Unknown channel", field="channel")
    units = _units(actor, unit_kind)
    freshness = ""
    if as_of is None and not channel and _whole_months(period) is not None and units:
        raw, as_of, freshness = live_counters(actor=actor, unit_kind=unit_kind, period=period, units=units)
    else:
        as_of = as_of or clock.now()
        raw = counters(actor=actor, unit_kind=unit_kind, period=period, as_of=as_of, channel=channel, units=units)
        freshness = "按统计时点直接计算"
    weights = weights_for(unit_kind)
    rows = []
    for unit_id, label in units.items():
        c = raw.get(unit_id, dict.fromkeys(COUNTERS, 0))
        rates = {i.key: Rate(c[i.numerator], c[i.denominator]) for i in INDICATORS}
        score = composite(rates, weights)
        rows.append(UnitKpis(unit_kind, unit_id, label, c, rates, score, grade(score)))
    ranked = unit_kind not in INDIVIDUAL_KINDS or individual_ranking_enabled()
    if ranked:
        rows.sort(key=lambda r: (r.composite is None, -(r.composite or 0), str(r.label)))
        rank = 0
        previous = object()
        for i, row in enumerate(rows, start=1):
            if row.composite is None:
                break
            if row.composite != previous:
                rank, previous = i, row.composite
            row.rank = rank
    else:
        rows.sort(key=lambda r: str(r.label))
    return KpiTable(unit_kind, period, as_of, channel, rows, ranked, weights, freshness)


def unit_kpis(*, actor, unit_kind: str, unit_id, period: Period, as_of: dt.datetime | None = None,
              channel: str = "") -> UnitKpis:
    """One unit's figures; NotFound when the unit is outside the actor's scope."""
    from grassroots.core.errors import NotFound

    table = kpi_table(actor=actor, unit_kind=unit_kind, period=period, as_of=as_of, channel=channel)
    for row in table.rows:
        if str(row.unit_id) == str(unit_id):
            return row
    raise NotFound()


# ---------------------------------------------------------------------------------------------------------------
# Live figures: an incrementally maintained rollup.
#
# The default page (this month or whole months, all channels, as of now) is served from per-month sums kept in
# this process. The sums are built from blocks of BLOCK consecutive case ids: each block's contribution (the same
# aggregate SQL as above, grouped by block, unit and month; the month is computed in SQL as an integer
# year * 12 + month - 1 at TIME_ZONE) is kept as numpy vectors, so when a case moves only its block is recomputed
# and the difference is applied to the month sums. A refresh runs before every live read and finds the moved cases
# from the event log (every service writes an event with the case id; the event id is the watermark) and from
# running deadlines that have passed since the last refresh (``Case.next_due``, indexed), so "not yet due" items
# become due on time. Its cost depends on how many cases moved (recent open cases lie in a few small blocks), not
# on how many cases exist.
#
# Freshness: the figures are as of the last refresh (the moment of the request); a co-handler's acknowledgement
# deadline that passes without any event is picked up at the next full rebuild (every REBUILD_SECONDS) — only the
# department 响应率 can lag that long.
#
# Full builds (the first one in a process, the periodic rebuild, and after the log went back) run in a background
# thread with its own database connection when ``settings.KPI_ROLLUP_BACKGROUND`` is on (the default): no request
# waits for one. Until the first build is done a request gets the direct computation as of now (noted "汇总生成中");
# during a periodic rebuild the previous rollup, refreshed incrementally, keeps serving and the new one replaces it
# when done. With the setting off (tests on an in-memory database) the build runs inline in the request.

BLOCK = 100
REBUILD_SECONDS = 6 * 3600
N_COUNTERS = len(COUNTERS)
COUNTER_INDEX = {c: i for i, c in enumerate(COUNTERS)}


def _month_expr(field_name: str):
    """The month of a timestamp at TIME_ZONE as the integer year * 12 + month - 1 (``_month_key``), in SQL."""
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.db.models import IntegerField
    from django.db.models.functions import Cast, ExtractMonth, ExtractYear

    tz = ZoneInfo(settings.TIME_ZONE)
    return Cast(ExtractYear(field_name, tzinfo=tz) * 12 + ExtractMonth(field_name, tzinfo=tz) - 1, IntegerField())


def _block_expr(field_name: str):
    from django.db.models import BigIntegerField, ExpressionWrapper

    return ExpressionWrapper(F(field_name) / BLOCK, output_field=BigIntegerField())


def _month_key(value) -> int:
    return value.year * 12 + value.month - 1


def _ranges(blocks, field_name: str) -> Q:
    """Primary-key ranges covering the blocks (runs of adjacent blocks make one range)."""
    q = Q(pk__in=[])
    runs: list[list[int]] = []
    for b in sorted(blocks):
        if runs and runs[-1][1] == b:
            runs[-1][1] = b + 1
        else:
            runs.append([b, b + 1])
    for first, end in runs:
        q |= Q(**{f"{field_name}__gte": first * BLOCK, f"{field_name}__lt": end * BLOCK})
    return q


def _latest_event_id() -> int:
    from grassroots.core.models import Event

    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


class _Rollup:
    """One rollup: families ``cases`` (region path × channel), ``reporter`` (grid patrol reporter) and
    ``department`` (organisation) → month → dense counter array over the family's unit registry, plus each
    block's contribution as vectors (months, registry indexes, counters)."""

    FAMILIES = ("cases", "reporter", "department")

    def __init__(self):
        self.built = False
        self.watermark = 0
        self.refreshed_at: dt.datetime | None = None
        self.built_at: dt.datetime | None = None
        self.registry: dict[str, dict] = {f: {} for f in self.FAMILIES}
        self.keys: dict[str, list] = {f: [] for f in self.FAMILIES}
        self.months: dict[tuple[str, int], object] = {}
        self.blocks: dict[tuple[str, int], tuple] = {}
        self.last_dirty_blocks = 0

    # -- queries -------------------------------------------------------------------------------------------------
    def _compute(self, blocks: set[int] | None, as_of) -> dict[str, tuple]:
        """{family: (blocks, months, registry indexes, counters)} vectors sorted by block, for the blocks (None:
        every block). A (block, month, unit) may come in several rows (case and rating queries): ``_apply`` adds
        them all up."""
        from .models import Case, Rating

        parts: dict[str, list] = {f: [] for f in self.FAMILIES}
        # One query for the case counters and one for the ratings, grouped by block, month, region path, channel
        # and reporter; the ``cases`` family (region path × channel) and the ``reporter`` family (grid patrol
        # reporters) are both taken from the same rows.
        case_q = Q() if blocks is None else _ranges(blocks, "id")
        rating_q = Q() if blocks is None else _ranges(blocks, "case_id")
        keys = {"b": _block_expr("id"), "m": _month_expr("reported_at"), "path": F("region_path"),
                "ch": F("channel"), "who": F("reporter_id")}
        rkeys = {"b": _block_expr("case_id"), "m": _month_expr("case__reported_at"), "path": F("case__region_path"),
                 "ch": F("case__channel"), "who": F("case__reporter_id")}
        grouped = _case_counters(Case.objects.filter(case_q), keys, as_of, flat=True)
        if blocks is None:
            grouped += _rating_counters(Rating.objects.all(), rkeys, as_of, flat=True)
        else:
            # Driven from the cases (primary-key ranges), then the ratings by their case index: the cost follows
            # the blocks, not the size of the rating table.
            good = [Satisfaction.SATISFIED, Satisfaction.BASICALLY]
            grouped += _grouped(
                Case.objects.filter(case_q, ratings__round=F("rating_round"), ratings__rated_at__lte=as_of), keys,
                True, dict(rated=Count("id", distinct=True),
                           resolved=Count("id", distinct=True, filter=Q(ratings__resolved=True)),
                           satisfied=Count("id", distinct=True, filter=Q(ratings__satisfaction__in=good))))
        for names, rows in grouped:
            columns = self._columns(rows, 5, names)
            if columns is None:
                continue
            block, month, (paths, channels, reporters), vals = columns
            parts["cases"].append((block, month, self._indexes("cases", list(zip(paths, channels, strict=True))),
                                   vals))
            patrol = [i for i, (ch, who) in enumerate(zip(channels, reporters, strict=True))
                      if ch == Channel.GRID_PATROL and who is not None]
            if patrol:
                parts["reporter"].append((block[patrol], month[patrol],
                                          self._indexes("reporter", [reporters[i] for i in patrol]), vals[patrol]))
        # Department rows: assignments of the blocks' cases, by the month they were dispatched. The explicit range
        # on the assignment's case id lets the rating join use the index.
        window = (Q() if blocks is None else _ranges(blocks, "case_id")) & Q(dispatched_at__lte=as_of)
        rating_window = rating_q & Q(case__assignments__dispatched_at__lte=as_of)
        if blocks is not None:
            rating_window &= _ranges(blocks, "case__assignments__case_id")
        keys = {"b": _block_expr("case_id"), "m": _month_expr("dispatched_at"), "org": F("organization_id")}
        rkeys = {"rb": _block_expr("case_id"), "rm": _month_expr("case__assignments__dispatched_at"),
                 "rorg": F("case__assignments__organization_id")}
        for names, rows in _department_rows(window, rating_window, keys, rkeys, as_of, flat=True):
            columns = self._columns(rows, 3, names)
            if columns is not None:
                block, month, (orgs,), vals = columns
                parts["department"].append((block, month, self._indexes("department", list(orgs)), vals))
        return {family: self._concatenate(chunks) for family, chunks in parts.items() if chunks}

    @staticmethod
    def _columns(rows: list[tuple], n_keys: int, names: tuple) -> tuple | None:
        """Rows ``(block, month, *unit keys, *counters named by names)`` → (block vector, month vector, unit key
        columns, counter matrix over COUNTERS)."""
        import numpy as np

        rows = [r for r in rows if r[1] is not None] if any(r[1] is None for r in rows) else rows
        if not rows:
            return None
        columns = list(zip(*rows, strict=True))
        vals = np.zeros((len(rows), N_COUNTERS), dtype=np.int32)
        for j, name in enumerate(names):
            vals[:, COUNTER_INDEX[name]] = columns[n_keys + j]
        return (np.asarray(columns[0], dtype=np.int64), np.asarray(columns[1], dtype=np.int64),
                columns[2:n_keys], vals)

    def _indexes(self, family: str, keys: list):
        """Registry indexes of the unit keys (new keys are registered)."""
        import numpy as np

        registry, known = self.registry[family], self.keys[family]
        for key in dict.fromkeys(keys):
            if key not in registry:
                registry[key] = len(known)
                known.append(key)
        return np.fromiter(map(registry.__getitem__, keys), dtype=np.int64, count=len(keys))

    @staticmethod
    def _concatenate(chunks: list[tuple]) -> tuple:
        import numpy as np

        block, month, idx, vals = (np.concatenate(c) for c in zip(*chunks, strict=True))
        order = np.argsort(block, kind="stable")
        return block[order], month[order], idx[order], vals[order]

    # -- the sums ------------------------------------------------------------------------------------------------
    def _apply(self, family: str, months, idx, vals, sign: int) -> None:
        """Add (sign +1) or take away (-1) contributions to the month sums; rows may repeat a (month, unit)."""
        import numpy as np

        if not len(months):
            return
        size = len(self.keys[family])
        present, position = np.unique(months, return_inverse=True)
        slot = position * size + idx
        sums = np.empty((len(present) * size, N_COUNTERS), dtype=np.int64)
        for j in range(N_COUNTERS):  # float64 sums of counts are exact
            sums[:, j] = np.bincount(slot, weights=vals[:, j], minlength=len(present) * size)
        for k, month in enumerate(present.tolist()):
            arr = self.months.get((family, month))
            if arr is None or arr.shape[0] < size:
                grown = np.zeros((max(size, 16) * 2, N_COUNTERS), dtype=np.int64)
                if arr is not None:
                    grown[: arr.shape[0]] = arr
                arr = self.months[(family, month)] = grown
            chunk = sums[k * size:(k + 1) * size]
            if sign < 0:
                arr[:size] -= chunk
            else:
                arr[:size] += chunk

    def _store(self, computed: dict[str, tuple], blocks: set[int] | None) -> None:
        """Replace the contributions of the blocks (None: every block, on an empty rollup) by ``computed``."""
        import numpy as np

        for family in self.FAMILIES:
            if blocks is not None:
                old = [o for o in (self.blocks.pop((family, b), None) for b in blocks) if o is not None]
                if old:
                    self._apply(family, *(np.concatenate(c) for c in zip(*old, strict=True)), -1)
            data = computed.get(family)
            if data is None:
                continue
            block, month, idx, vals = data
            cuts = np.flatnonzero(np.diff(block)) + 1
            starts, ends = [0, *cuts.tolist()], [*cuts.tolist(), len(block)]
            for start, end in zip(starts, ends, strict=True):
                self.blocks[(family, int(block[start]))] = (month[start:end], idx[start:end], vals[start:end])
            self._apply(family, month, idx, vals, +1)

    # -- building and refreshing ---------------------------------------------------------------------------------
    def build(self, now: dt.datetime, latest: int) -> _Rollup:
        """Compute every block as of ``now``; ``latest`` is the last event id read before (the watermark)."""
        self._store(self._compute(None, now), None)
        self.built, self.watermark, self.refreshed_at, self.built_at = True, latest, now, now
        self.last_dirty_blocks = -1
        return self

    def valid(self, now: dt.datetime, latest: int) -> bool:
        """Whether the incremental refresh can follow: not when the clock went back or the event we stopped at is
        gone (a rolled back transaction: the log itself is append-only)."""
        from grassroots.core.models import Event

        return (self.built and not (self.refreshed_at is not None and now < self.refreshed_at)
                and latest >= self.watermark
                and not (self.watermark and not Event.objects.filter(id=self.watermark).exists()))

    def due_for_rebuild(self, now: dt.datetime) -> bool:
        return self.built_at is None or (now - self.built_at).total_seconds() > REBUILD_SECONDS

    def update(self, now: dt.datetime, latest: int) -> None:
        """Recompute the blocks of the cases moved (events after the watermark) or whose running deadline passed
        since the last refresh."""
        from grassroots.core.models import Event

        from .models import Case

        ids = {int(o) for o in Event.objects.filter(id__gt=self.watermark, id__lte=latest,
                                                    object_type="cases.case").values_list("object_id", flat=True)
               if o and o.isdigit()}
        ids.update(Case.objects.filter(next_due__gt=self.refreshed_at, next_due__lte=now)
                   .values_list("id", flat=True))
        blocks = {i // BLOCK for i in ids}
        if blocks:
            self._store(self._compute(blocks, now), blocks)
        self.watermark, self.refreshed_at, self.last_dirty_blocks = latest, now, len(blocks)

    # -- reading -------------------------------------------------------------------------------------------------
    def totals(self, family: str, months: list[int]):
        """(keys, array) — counters summed over the months, one row per registry key."""
        import numpy as np

        size = len(self.keys[family])
        total = np.zeros((size, N_COUNTERS), dtype=np.int64)
        for month in months:
            arr = self.months.get((family, month))
            if arr is not None:
                n = min(size, arr.shape[0])
                total[:n] += arr[:n]
        return list(self.keys[family]), total


class _Live:
    """The process's current rollup and its builder. ``lock`` guards ``current`` (refresh and reads)."""

    def __init__(self):
        import threading

        self.lock = threading.Lock()
        self.current: _Rollup | None = None
        self.generation = 0  # bumped by ``reset``: a build started before is dropped
        self.thread = None
        self.thread_generation = -1

    @staticmethod
    def background() -> bool:
        from django.conf import settings

        return bool(getattr(settings, "KPI_ROLLUP_BACKGROUND", True))

    def reset(self) -> None:
        with self.lock:
            self.generation += 1
            self.current = None

    def refreshed(self) -> tuple[_Rollup | None, dt.datetime]:
        """(the rollup brought up to now, now); the rollup is None when there is none yet and it is built in the
        background (the caller answers directly, then calls ``start_build``). Call with ``lock`` held."""
        latest = _latest_event_id()
        now = clock.now()  # after reading the watermark: every move up to it happened by now
        rollup = self.current
        if rollup is not None and not rollup.valid(now, latest):
            rollup = self.current = None
        if rollup is None or rollup.due_for_rebuild(now):
            if not self.background():
                rollup = self.current = _Rollup().build(now, latest)
                return rollup, now
            if rollup is None:
                return None, now
            self.start_build()
        rollup.update(now, latest)
        return rollup, now

    def start_build(self) -> None:
        """Start a full build in a background thread unless one is running. Call with ``lock`` held."""
        import threading

        if self.thread is not None and self.thread.is_alive() and self.thread_generation == self.generation:
            return
        self.thread_generation = self.generation
        self.thread = threading.Thread(target=self._build, args=(self.generation,), daemon=True,
                                       name="kpi-rollup-build")
        self.thread.start()

    def _build(self, generation: int) -> None:
        import logging

        from django.db import connection

        try:
            latest = _latest_event_id()
            rollup = _Rollup().build(clock.now(), latest)
            with self.lock:
                if generation == self.generation:
                    self.current = rollup
        except Exception:  # noqa: BLE001 - logged; the next live read starts another build
            logging.getLogger(__name__).exception("KPI rollup build failed")
        finally:
            connection.close()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a background build in progress; True when none is left running."""
        thread = self.thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True


_ROLLUP = _Live()


def rollup_reset() -> None:
    """Forget the live rollup (tests; after bulk writes that bypass the services, e.g. benchmark data)."""
    _ROLLUP.reset()


def rollup_wait(timeout: float | None = None) -> bool:
    """Wait for the background build of the live rollup, if one is running (tests, benchmarks)."""
    return _ROLLUP.wait(timeout)


def _whole_months(period: Period) -> list[int] | None:
    if period.start.day != 1:
        return None
    after = period.end + dt.timedelta(days=1)
    if after.day != 1:
        return None
    first, last = _month_key(period.start), _month_key(period.end)
    return list(range(first, last + 1))


def live_counters(*, actor, unit_kind: str, period: Period, units: dict) -> tuple[dict, dt.datetime, str]:
    """Counters from the live rollup (whole months, all channels, as of now): ({unit: counters}, as_of, note).

    While the rollup's first build runs in the background, the counters are computed directly as of now."""
    months = _whole_months(period)
    if months is None:
        raise ValueError("the live rollup serves whole months")
    with _ROLLUP.lock:
        rollup, now = _ROLLUP.refreshed()
        if rollup is not None:
            dirty = rollup.last_dirty_blocks
            if unit_kind in REGION_DEPTH or unit_kind == "channel":
                keys, total = rollup.totals("cases", months)
            elif unit_kind == "grid_worker":
                keys, total = rollup.totals("reporter", months)
            else:
                keys, total = rollup.totals("department", months)
    if rollup is None:
        # Answer first, then start the build (it does not compete with this request for the database).
        result = counters(actor=actor, unit_kind=unit_kind, period=period, as_of=now, units=units)
        with _ROLLUP.lock:
            if _ROLLUP.current is None:
                _ROLLUP.start_build()
        return result, now, "汇总生成中，按当前时点直接计算"
    import numpy as np

    sums: dict = {}
    if unit_kind in REGION_DEPTH:
        length = _path_length(unit_kind)
        for i, (path, _channel) in enumerate(keys):
            unit = path[:length] if length and len(path) >= length else None
            if unit in units:
                sums[unit] = sums[unit] + total[i] if unit in sums else total[i].copy()
    elif unit_kind == "channel":
        for i, (_path, channel) in enumerate(keys):
            if channel in units:
                sums[channel] = sums[channel] + total[i] if channel in sums else total[i].copy()
    else:
        for i, key in enumerate(keys):
            if key in units:
                sums[key] = total[i]
    zero = np.zeros(N_COUNTERS, dtype=np.int64)
    result = {unit: dict(zip(COUNTERS, (int(v) for v in sums.get(unit, zero)), strict=True)) for unit in units}
    note = ("完整重算" if dirty < 0 else f"增量更新 {dirty} 个数据块") + "；实时汇总"
    return result, now, note
