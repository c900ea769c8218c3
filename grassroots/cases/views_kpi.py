"""KPI ranking page (实干突破 ranking) and its Excel export.

Thin edges over ``kpis.kpi_table``: the page lists the units of one kind the actor may see (a zone post every
subdistrict, community, grid, department and channel; a subdistrict its communities and grids; a community its grids
and grid workers; a department its own figures), ranked by the composite score, for a month or a date range,
optionally for one channel. Nobody else has KPI figures: the page is a 404 for them.
"""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grassroots.core.errors import ValidationFailed

from . import kpis
from .states import Channel


def _table(request):
    kinds = kpis.unit_kinds_for(request.user)
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
    table = kpis.kpi_table(actor=request.user, unit_kind=unit, period=period, channel=channel)
    return kinds, table, error


@login_required
@require_GET
def kpi_ranking(request):
    kinds, table, error = _table(request)
    return render(request, "cases/kpi_ranking.html", {
        "kinds": [(k, kpis.UNIT_KIND_LABELS[k]) for k in kinds],
        "table": table,
        "error": error,
        "channels": Channel.choices,
        "month": request.GET.get("month") or f"{table.period.start:%Y-%m}",
        "indicators": kpis.INDICATORS,
        "weights": [(kpis.INDICATOR_BY_KEY[k].label, f"{float(w) * 100:g}%") for k, w in table.weights.items()],
    })


@login_required
@require_GET
def kpi_export(request):
    from openpyxl import Workbook

    _kinds, table, _error = _table(request)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(kpis.UNIT_KIND_LABELS[table.unit_kind]))
    ws.append([_("统计期"), f"{table.period.start} ~ {table.period.end}", _("数据截至"),
               timezone.localtime(table.as_of).strftime("%Y-%m-%d %H:%M")])
    header = [_("排名"), _("考核对象")]
    for indicator in kpis.INDICATORS:
        header += [str(indicator.label), _("分子"), _("分母")]
    ws.append(header + [_("综合得分"), _("等级")])
    for row in table.rows:
        line = [row.rank if table.ranked else None, str(row.label)]
        for indicator in kpis.INDICATORS:
            rate = row.rates[indicator.key]
            line += [round(rate.value, 2) if rate.value is not None else "—", rate.numerator, rate.denominator]
        ws.append(line + [row.composite if row.composite is not None else "—", row.grade or "—"])
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"kpi-{table.unit_kind}-{table.period.start:%Y%m%d}-{table.period.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
