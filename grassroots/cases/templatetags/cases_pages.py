"""Template helpers for the case pages: human-readable time left ("剩余 3 小时" / "超时 2 天")."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grassroots.core import clock

register = template.Library()


def _amount(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        n = max(minutes, 1)
        return ngettext("%(n)d 分钟", "%(n)d 分钟", n) % {"n": n}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(n)d 小时", "%(n)d 小时", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)d 天", "%(n)d 天", days) % {"n": days}


def time_left_text(deadline: dt.datetime | None, now: dt.datetime | None = None) -> str:
    if deadline is None:
        return ""
    seconds = (deadline - (now or clock.now())).total_seconds()
    if seconds >= 0:
        return _("剩余 %(t)s") % {"t": _amount(seconds)}
    return _("超时 %(t)s") % {"t": _amount(-seconds)}


@register.simple_tag
def time_left(deadline):
    """<span class="time-left …">剩余 3 小时</span>; red when overdue, amber within 2 hours."""
    if deadline is None:
        return ""
    seconds = (deadline - clock.now()).total_seconds()
    css = "overdue" if seconds < 0 else ("soon" if seconds < 7200 else "")
    return format_html('<span class="time-left {}" title="{}">{}</span>', css,
                       timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"), time_left_text(deadline))


@register.filter
def deadline(value) -> str:
    """A deadline as people read it: 00:00 exactly is 24:00 of the day that ends ("2026-12-02 24:00")."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    if local.time() == dt.time.min:
        return f"{local.date() - dt.timedelta(days=1):%Y-%m-%d} 24:00"
    return local.strftime("%Y-%m-%d %H:%M")
