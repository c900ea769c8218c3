"""KPI ranking page (实干突破 ranking) and its Excel export.

Thin edges over ``selectors.kpi_table``: the page lists the units of one kind the actor may see (a zone post every
subdistrict, community, grid, department and channel; a subdistrict its communities and grids; a community its grids
and grid workers; a department its own figures), ranked by the composite score, for a month or a date range,
optionally for one channel. Nobody else has KPI figures: the page is a 404 for them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from grassroots.cases.states import Channel
from grassroots.core.errors import ValidationFailed
from grassroots.core.export_views import export_response

from . import exports, kpis, selectors


def _table(request):
    kinds = selectors.unit_kinds_for(request.user)
    if not kinds:
        raise Http404
    unit = request.GET.get("unit") or kinds[0]
    if unit not in kinds:
        raise Http404
    error = None
    try:
        period = kpis.Period.parse(request.GET.get("start"), request.GET.get("end"), request.GET.get("month"))
    except ValidationFailed as exc:
        error = exc.message
        period = kpis.Period.parse(None, None, None)
    channel = request.GET.get("channel", "")
    if channel not in Channel.values:
        channel = ""
    table = selectors.kpi_table(actor=request.user, unit_kind=unit, period=period, channel=channel)
    return kinds, table, error


@login_required
@require_GET
def kpi_ranking(request):
    kinds, table, error = _table(request)
    return render(request, "metrics/kpi_ranking.html", {
        "kinds": [(k, kpis.UNIT_KIND_LABELS[k]) for k in kinds],
        "table": table,
        "error": error,
        "channels": Channel.choices,
        "month": request.GET.get("month") or f"{table.period.start:%Y-%m}",
        "indicators": kpis.INDICATORS,
        "weights": [(kpis.INDICATOR_BY_KEY[k].label, f"{float(w) * 100:g}%") for k, w in table.weights.items()],
        "minimums": [(kpis.INDICATOR_BY_KEY[k].label, n) for k, n in table.minimums.items()],
    })


@login_required
@require_GET
def kpi_export(request):
    _kinds, table, _error = _table(request)
    channel = request.GET.get("channel", "")
    return export_response(request, exports.KPI.key,
                           exports.filters_json(table, channel if channel in Channel.values else ""))
