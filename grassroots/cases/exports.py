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
    channels, tiers, statuses = dict(Channel.choices), dict(Tier.choices), dict(Status.choices)
    channels = {k: str(v) for k, v in channels.items()}
    tiers = {k: str(v) for k, v in tiers.items()}
    statuses = {k: str(v) for k, v in statuses.items()}
    yes = _("是")
    zone = timezone.get_current_timezone()
    qs = (_queryset(request).select_related(None).select_related("category", "region")
          .only("reference", "reported_at", "channel", "category__name", "title", "region__name", "tier", "status",
                "supervision", "rework_count", "closed_at"))

    def local(value):
        return value.astimezone(zone).replace(tzinfo=None) if value else None

    for c in qs.iterator(chunk_size=2000):
        yield [c.reference, local(c.reported_at), channels.get(c.channel, c.channel), c.category.name, c.title,
               c.region.name, tiers.get(c.tier, c.tier), statuses.get(c.status, c.status), local(c.running_due),
               yes if c.supervision else "", c.rework_count, local(c.closed_at)]


CASES = exports.register(exports.ExportKind(
    key="cases.case", verb="case.export", object_type="cases.case", title="事件", filename="cases",
    columns=_columns, rows=_rows, count=lambda request: _queryset(request).count(),
))
