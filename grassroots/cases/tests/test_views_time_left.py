"""Human-readable time left on the case pages: "剩余 3 小时" / "超时 2 天"."""

from __future__ import annotations

import datetime as dt

from grassroots.cases.templatetags.cases_pages import time_left, time_left_text

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def test_time_left_reads_as_minutes_hours_or_days():
    assert time_left_text(NOW + dt.timedelta(minutes=25), NOW) == "剩余 25 分钟"
    assert time_left_text(NOW + dt.timedelta(hours=3, minutes=10), NOW) == "剩余 3 小时"
    assert time_left_text(NOW + dt.timedelta(days=4, hours=1), NOW) == "剩余 4 天"
    assert time_left_text(NOW - dt.timedelta(days=2, hours=5), NOW) == "超时 2 天"
    assert time_left_text(NOW - dt.timedelta(seconds=20), NOW) == "超时 1 分钟"
    assert time_left_text(None, NOW) == ""


def test_overdue_deadline_is_marked_for_the_eye(frozen_now):
    assert 'class="time-left overdue"' in time_left(frozen_now - dt.timedelta(hours=1))
    assert 'class="time-left soon"' in time_left(frozen_now + dt.timedelta(minutes=30))
    assert time_left(None) == ""
