"""The case list's export (the list page's 导出), one kind of ``core.exports``: rows through ``selectors.case_list``,
so the actor's scope and the page's filters apply; every row, never cut."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core import exports

from . import selectors
from .states import Channel, Status, Tier

FILTER_KEYS = ("q", "status", "category", "tier", "channel", "date_from", "date_to", "overdue", "supervision")


def filters_json(filters: dict) -> dict:
    """The list page's filters (``views._filters``) as plain JSON values, for a job to run later."""
    out = {}
    for key in FILTER_KEYS:
        value = filters.get(key)
        if value in (None, ""):
            continue
        out[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def _selector_filters(request: exports.ExportRequest) -> dict:
    return {"q": request.get("q", ""), "status": request.get("status"), "category": request.get("category"),
            "tier": request.get("tier"), "channel": request.get("channel"), "date_from": request.date("date_from"),
            "date_to": request.date("date_to"), "overdue": request.get("overdue"),
            "supervision": request.get("supervision")}


def _queryset(request: exports.ExportRequest):
    return selectors.case_list(actor=request.actor, **_selector_filters(request))


def _columns(request):
    return [exports.Column(_("编号"), 16), exports.Column(_("上报时间"), 17), _("渠道"), _("类别"),
            exports.Column(_("标题"), 40), _("网格"), _("层级"), _("状态"), exports.Column(_("当前时限"), 17),
            _("督办"), _("返工次数"), exports.Column(_("结案时间"), 17)]


def _rows(request):
    channels = {k: str(v) for k, v in Channel.choices}
    tiers = {k: str(v) for k, v in Tier.choices}
    statuses = {k: str(v) for k, v in Status.choices}
    yes = _("是")
    zone = timezone.get_current_timezone()
    qs = _queryset(request).values_list(
        "reference", "reported_at", "channel", "category__name", "title", "region__name", "tier", "status",
        "running_due", "supervision", "rework_count", "closed_at")
    for (reference, reported_at, channel, category, title, region, tier, status, due, supervision, reworks,
         closed_at) in qs.iterator(chunk_size=2000):
        yield [reference, reported_at.astimezone(zone).replace(tzinfo=None), channels.get(channel, channel),
               category, title, region, tiers.get(tier, tier), statuses.get(status, status),
               due.astimezone(zone).replace(tzinfo=None) if due else None, yes if supervision else "", reworks,
               closed_at.astimezone(zone).replace(tzinfo=None) if closed_at else None]


CASES = exports.register(exports.ExportKind(
    key="cases.case", verb="case.export", object_type="cases.case", title="事件", filename="cases",
    columns=_columns, rows=_rows, count=lambda request: _queryset(request).count(),
))
