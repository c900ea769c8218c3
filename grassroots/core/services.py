"""Writers of core data that are not holidays (holiday_services), attachments or notifications."""

from __future__ import annotations

import io

from django.db import transaction
from django.utils import timezone

from . import clock, events
from .selectors import EventFilters, event_export_rows

EXPORT_COLUMNS = ["编号", "时间", "操作人", "动作", "对象类型", "对象编号", "原状态", "新状态", "结果", "来源地址",
                  "客户端", "内容"]


def audit_export(*, actor, filters: EventFilters) -> tuple[bytes, int]:
    """The filtered audit rows as an xlsx workbook; the export itself is an audit event."""
    import json

    from openpyxl import Workbook

    rows = event_export_rows(actor=actor, filters=filters)  # refuses non-auditors before any work
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审计日志")
    ws.append(EXPORT_COLUMNS)
    count = 0
    for e in rows:
        ws.append([e.id, timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.actor_label, e.verb,
                   e.object_type, e.object_id, e.from_state, e.to_state, e.get_outcome_display(), e.ip or "",
                   e.user_agent, json.dumps(e.payload, ensure_ascii=False)[:2000]])
        count += 1
    buf = io.BytesIO()
    wb.save(buf)
    with transaction.atomic():
        events.record(actor, "audit.export", object_type="core.event",
                      payload={"filters": filters.as_dict(), "rows": count, "at": clock.now().isoformat()})
    return buf.getvalue(), count
