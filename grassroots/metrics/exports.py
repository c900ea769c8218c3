"""The KPI ranking's export, one kind of ``core.exports``: the page's figures for one unit kind and period, a row
per unit with each rate, its numerator and denominator, the composite score and the grade ("—" where a rate has no
value). The period and the moment of the figures are in the 说明 sheet."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core import exports
from grassroots.core.errors import NotFound

from . import kpis, selectors


def filters_json(table: kpis.KpiTable, channel: str = "") -> dict:
    """The page's table as plain JSON filters, for a job to compute the same table again."""
    return {"unit": table.unit_kind, "start": table.period.start.isoformat(), "end": table.period.end.isoformat(),
            "channel": channel}


def _check(request: exports.ExportRequest) -> None:
    if request.get("unit") not in selectors.unit_kinds_for(request.actor):
        raise NotFound()


def _table(request: exports.ExportRequest) -> kpis.KpiTable:
    if "table" not in request.memo:
        period = kpis.Period.parse(request.get("start"), request.get("end"))
        request.memo["table"] = selectors.kpi_table(actor=request.actor, unit_kind=request.get("unit"),
                                                    period=period, channel=request.get("channel", ""))
    return request.memo["table"]


def _columns(request):
    header = [_("排名"), exports.Column(_("考核对象"), 24)]
    for indicator in kpis.INDICATORS:
        header += [str(indicator.label), _("分子"), _("分母")]
    return header + [_("综合得分"), _("等级")]


def _rows(request):
    table = _table(request)
    for row in table.rows:
        line = [row.rank if table.ranked else None, str(row.label)]
        for indicator in kpis.INDICATORS:
            rate = row.rates[indicator.key]
            line += [round(rate.value, 2) if rate.value is not None else "—", rate.numerator, rate.denominator]
        yield line + [row.composite if row.composite is not None else "—", row.grade or "—"]


def _notes(request):
    table = _table(request)
    return [(_("考核对象"), str(kpis.UNIT_KIND_LABELS[table.unit_kind])),
            (_("统计期"), f"{table.period.start} ~ {table.period.end}"),
            (_("数据截至"), timezone.localtime(table.as_of).strftime("%Y-%m-%d %H:%M"))]


def _title(request) -> str:
    """The unit kind's name ("社区/村/园区": the exporter makes it a valid sheet title)."""
    return str(kpis.UNIT_KIND_LABELS.get(request.get("unit"), _("考核排名")))


KPI = exports.register(exports.ExportKind(
    key="metrics.kpi", verb="kpi.export", object_type="metrics.kpi", title=_title, filename="kpi",
    columns=_columns, rows=_rows, check=_check, notes=_notes,
))
