"""The audit log's export (auditors only), one kind of ``core.exports``; the export itself is an audit event."""

from __future__ import annotations

import json

from django.utils import timezone

from . import exports
from .selectors import EventFilters, event_count, event_export_rows, require_auditor

COLUMNS = ["编号", "时间", "操作人", "动作", "对象类型", "对象编号", "原状态", "新状态", "结果", "来源地址", "客户端",
           "内容"]


def filters_of(request: exports.ExportRequest) -> EventFilters:
    return EventFilters(actor=request.get("actor", ""), verb=request.get("verb", ""),
                        object_type=request.get("object_type", ""), object_id=request.get("object_id", ""),
                        outcome=request.get("outcome", ""), date_from=request.date("date_from"),
                        date_to=request.date("date_to"))


def _rows(request: exports.ExportRequest):
    outcomes = {}
    for e in event_export_rows(actor=request.actor, filters=filters_of(request)):
        if e.outcome not in outcomes:
            outcomes[e.outcome] = e.get_outcome_display()
        yield [e.id, timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.actor_label, e.verb, e.object_type,
               e.object_id, e.from_state, e.to_state, outcomes[e.outcome], e.ip or "", e.user_agent,
               json.dumps(e.payload, ensure_ascii=False)[:2000]]


AUDIT = exports.register(exports.ExportKind(
    key="core.audit", verb="audit.export", object_type="core.event", title="审计日志", filename="audit",
    columns=lambda request: COLUMNS, rows=_rows,
    count=lambda request: event_count(actor=request.actor, filters=filters_of(request)),
    check=lambda request: require_auditor(request.actor),
))

