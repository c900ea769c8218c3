"""Spreadsheet exports of cases (the list page's 导出): rows through the selectors, so the actor's scope applies."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors

EXPORT_LIMIT = 20000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def case_list_xlsx(*, actor, **filters) -> bytes:
    """The filtered case list (``selectors.case_list``), at most ``EXPORT_LIMIT`` rows, as an .xlsx workbook."""
    from openpyxl import Workbook

    rows = selectors.case_list(actor=actor, **filters)[:EXPORT_LIMIT]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("事件"))
    ws.append([_("编号"), _("上报时间"), _("渠道"), _("类别"), _("标题"), _("网格"), _("层级"), _("状态"),
               _("当前时限"), _("督办"), _("返工次数"), _("结案时间")])

    def local(value):
        return timezone.localtime(value).replace(tzinfo=None) if value else None

    for c in rows:
        ws.append([c.reference, local(c.reported_at), c.get_channel_display(), c.category.name, c.title,
                   c.region.name, c.get_tier_display(), c.get_status_display(), local(c.running_due),
                   _("是") if c.supervision else "", c.rework_count, local(c.closed_at)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
