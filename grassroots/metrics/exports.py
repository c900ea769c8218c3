"""The KPI ranking as an Excel workbook (the page's figures; a later issue gives every export one exporter)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from . import kpis


def kpi_workbook(table: kpis.KpiTable) -> bytes:
    """One sheet: the period and the moment, then a row per unit with each rate, its numerator and denominator,
    the composite score and the grade ("—" where a rate has no value)."""
    from openpyxl import Workbook

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
    return buf.getvalue()
