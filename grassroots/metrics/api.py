"""KPI endpoints at ``/api/cases/kpi/`` (``URL_PREFIX``, where ``config.api`` mounts this router; the paths and
operation ids ``cases_kpi_*`` are the ones the KPIs had while they lived in the cases app).

The same figures as the ranking page, from ``selectors.kpi_table``; units outside the caller's scope are left out
of lists and are 404 as single units.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Query, Router, Schema

from grassroots.core.errors import NotFound

from . import kpis, selectors

URL_PREFIX = "/cases/kpi/"
router = Router(tags=["cases KPI 考核"])


class KpiQuery(Schema):
    unit: str = "department"
    month: str | None = None
    start: str | None = None
    end: str | None = None
    channel: str = ""
    as_of: dt.datetime | None = None


class KpiRateOut(Schema):
    key: str
    label: str
    numerator: int
    denominator: int
    value: float | None
    display: str


class UnitOut(Schema):
    unit_kind: str
    unit_id: str
    label: str
    rank: int | None
    composite: float | None
    grade: str | None
    sample_sufficient: bool
    short_of: list[str]
    score_formula: str
    rates: list[KpiRateOut]


class TableOut(Schema):
    unit_kind: str
    start: dt.date
    end: dt.date
    as_of: dt.datetime
    channel: str
    ranked: bool
    freshness: str
    weights: dict[str, float]
    minimum_samples: dict[str, int]
    rows: list[UnitOut]


class KindOut(Schema):
    key: str
    label: str


def _unit(row: kpis.UnitKpis) -> dict:
    return {
        "unit_kind": row.unit_kind, "unit_id": str(row.unit_id), "label": str(row.label), "rank": row.rank,
        "composite": row.composite, "grade": row.grade, "sample_sufficient": row.sufficient,
        "short_of": list(row.short), "score_formula": row.formula,
        "rates": [{"key": i.key, "label": str(i.label), "numerator": r.numerator, "denominator": r.denominator,
                   "value": None if r.value is None else round(r.value, 2), "display": r.display}
                  for i, r in zip(kpis.INDICATORS, row.ordered_rates, strict=True)],
    }


def _table(request, q: KpiQuery) -> kpis.KpiTable:
    if q.unit not in selectors.unit_kinds_for(request.auth):
        raise NotFound("没有可查看的考核对象", "No units of this kind in your scope")
    period = kpis.Period.parse(q.start, q.end, q.month)
    as_of = q.as_of
    if as_of is not None and timezone.is_naive(as_of):
        as_of = timezone.make_aware(as_of)
    return selectors.kpi_table(actor=request.auth, unit_kind=q.unit, period=period, as_of=as_of, channel=q.channel)


@router.get("/kinds", response=list[KindOut], operation_id="cases_kpi_kinds")
def kpi_kinds(request):
    """The unit kinds the caller may see figures for."""
    return [{"key": k, "label": str(kpis.UNIT_KIND_LABELS[k])} for k in selectors.unit_kinds_for(request.auth)]


@router.get("/table", response=TableOut, operation_id="cases_kpi_table")
def kpi_table(request, q: Query[KpiQuery]):
    """Every visible unit of a kind with its rates, composite score and grade, best first; units whose weighted
    rates lack their minimum sample (``sample_sufficient`` false, ``short_of``) follow, without score or grade."""
    table = _table(request, q)
    return {"unit_kind": table.unit_kind, "start": table.period.start, "end": table.period.end,
            "as_of": table.as_of, "channel": table.channel, "ranked": table.ranked, "freshness": table.freshness,
            "weights": {k: float(v) for k, v in table.weights.items()}, "minimum_samples": table.minimums,
            "rows": [_unit(r) for r in table.rows]}


@router.get("/unit", response=UnitOut, operation_id="cases_kpi_unit")
def kpi_unit(request, unit_id: str, q: Query[KpiQuery]):
    """One unit's figures (a region path, an organisation or user id, or a channel); 404 outside the scope."""
    table = _table(request, q)
    for row in table.rows:
        if str(row.unit_id) == unit_id:
            return _unit(row)
    raise NotFound()


