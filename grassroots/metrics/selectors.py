"""The KPI readers: every one takes ``actor=`` and keeps to the actor's scope (``core.scope``): a zone post sees
every unit, a subdistrict its communities and grids, a community its grids and grid workers, a department its own
figures. ``kpi_table`` is what the ranking page, its export and the API show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext

from grassroots.cases.states import Channel
from grassroots.core import clock, policy
from grassroots.core import roles as R
from grassroots.core.errors import ValidationFailed
from grassroots.core.scope import scope_for

from . import rollup
from .aggregates import counters_for
from .kpis import (
    COUNTERS,
    DEFAULT_WEIGHTS,
    INDICATOR_BY_KEY,
    INDICATORS,
    INDIVIDUAL_KINDS,
    REGION_DEPTH,
    UNIT_KINDS,
    VIEW_ROLES,
    KpiTable,
    Period,
    Rate,
    UnitKpis,
    composite,
    grade,
    minimum_for,
    score_terms,
    short_of,
)


def unit_kinds_for(actor) -> list[str]:
    """The unit kinds the actor has figures for, in menu order (none: the actor sees no KPIs)."""
    scope = scope_for(actor)
    kinds: list[str] = []
    depths = sorted({p.count("/") - 2 for p in scope.paths_for(*VIEW_ROLES)})
    if depths:
        top = depths[0]
        for kind in ("subdistrict", "community", "grid"):
            if REGION_DEPTH[kind] >= top + (1 if top < 3 else 0):
                kinds.append(kind)
        if top <= 2:
            kinds.append("grid_worker")
    if scope.has_role(*R.ZONE_WIDE) or scope.orgs_for(R.Role.DEPARTMENT_HANDLER):
        kinds.insert(0, "department")
    if scope.has_role(*R.ZONE_WIDE):
        kinds.append("channel")
    return kinds


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
        regions = Region.objects.filter(scope.region_q("path", roles=VIEW_ROLES), level__in=levels,
                                        active=True).values_list("path", "name")
        return dict(regions)
    if unit_kind == "department":
        orgs = Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, active=True)
        if not scope.has_role(*R.ZONE_WIDE):
            orgs = orgs.filter(pk__in=sorted(scope.orgs_for(R.Role.DEPARTMENT_HANDLER)))
        return dict(orgs.values_list("pk", "name"))
    if unit_kind == "grid_worker":
        posts = Post.objects.filter(role=R.Role.GRID_WORKER).filter(scope.region_q("region__path", roles=VIEW_ROLES))
        result = {}
        for user_id, display, username in posts.values_list("user_id", "user__display_name", "user__username"):
            result[user_id] = display or username
        return result
    if unit_kind == "channel":
        return {c.value: str(c.label) for c in Channel}
    return {}


def counters(*, actor, unit_kind: str, period: Period, as_of: dt.datetime | None = None, channel: str = "",
             units: dict | None = None) -> dict:
    """{unit id: {counter: n}} for the units of ``unit_kind`` the actor may see (raw numerators/denominators).

    Computed directly with aggregate SQL over the period (exact for any period, channel and moment).
    """
    units = _units(actor, unit_kind) if units is None else units
    return counters_for(actor=actor, unit_kind=unit_kind, period=period, as_of=as_of or clock.now(),
                        channel=channel, units=units)


def weights_for(unit_kind: str) -> dict[str, Decimal]:
    """Composite weights from ``KpiWeight`` rows for the kind, else the rows for any kind, else 10/45/45."""
    from .models import KpiWeight

    rows = list(KpiWeight.objects.filter(active=True, unit_kind__in=[unit_kind, ""]).values_list(
        "unit_kind", "indicator", "weight"))
    specific = {ind: w for kind, ind, w in rows if kind == unit_kind and ind in INDICATOR_BY_KEY}
    general = {ind: w for kind, ind, w in rows if kind == "" and ind in INDICATOR_BY_KEY}
    return specific or general or dict(DEFAULT_WEIGHTS)


def individual_ranking_enabled() -> bool:
    """Whether individuals (grid workers) are ranked: the policy setting ``kpi.rank_individuals`` (default on)."""
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
    if as_of is None and not channel and rollup.serves(period) and units:
        raw, as_of, freshness = rollup.live_counters(actor=actor, unit_kind=unit_kind, period=period, units=units)
    else:
        as_of = as_of or clock.now()
        raw = counters(actor=actor, unit_kind=unit_kind, period=period, as_of=as_of, channel=channel, units=units)
        freshness = gettext("按统计时点直接计算")
    weights = weights_for(unit_kind)
    minimums = minimum_samples(weights)
    rows = []
    for unit_id, label in units.items():
        c = raw.get(unit_id, dict.fromkeys(COUNTERS, 0))
        rates = {i.key: Rate(c[i.numerator], c[i.denominator]) for i in INDICATORS}
        short = short_of(rates, minimums)
        terms = [] if short else score_terms(rates, weights)
        score = None if short else composite(rates, weights)
        rows.append(UnitKpis(unit_kind, unit_id, label, c, rates, score, grade(score), short=short, terms=terms))
    ranked = unit_kind not in INDIVIDUAL_KINDS or individual_ranking_enabled()
    if ranked:
        # the ranking first, best first; then 样本不足 by name
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
    return KpiTable(unit_kind, period, as_of, channel, rows, ranked, weights, freshness, minimums)


def minimum_samples(weights: dict[str, Decimal]) -> dict[str, int]:
    """{weighted indicator: the minimum sample it needs} from the policy settings ``kpi.min_rated_cases`` (default
    5), ``kpi.min_assignments`` (5) and ``kpi.min_cases`` (5)."""
    return {key: minimum_for(key, policy.setting) for key, weight in weights.items() if weight}

