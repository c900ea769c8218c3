"""The working-day clock over the Holiday table (China's public holidays and adjusted working days, 调休).

A day is a working day when it is Monday–Friday and not a holiday ``off`` row, or when it is a holiday ``work`` row
(a weekend day made a working day). A year without any Holiday row falls back to plain Monday–Friday; the
Holiday admin page warns about such years (``years_without_calendar``).

The table is cached per process. Holiday writes (services, admin, signals) bump a version number in the shared
cache; each process compares its copy with that version at most every ``VERSION_CHECK_SECONDS`` (and at once in
the process that wrote).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from .errors import ValidationFailed

VERSION_KEY = "grassroots:holidays:version"
VERSION_CHECK_SECONDS = 5.0
UNITS = ("minutes", "hours", "working_days")


@dataclass(frozen=True)
class _Calendar:
    version: int
    off: frozenset[dt.date]
    work: frozenset[dt.date]
    years: frozenset[int]


_lock = threading.Lock()
_calendar: _Calendar | None = None
_checked_at = 0.0


def _shared_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return int(version)


def bump_version() -> None:
    """Tell every process the Holiday table changed (and drop this process's copy now)."""
    global _calendar
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)
    with _lock:
        _calendar = None


def forget() -> None:
    """Drop this process's copy (tests call it through ``clock.reset()``: rolled-back rows must not linger)."""
    global _calendar
    with _lock:
        _calendar = None


def holidays_changed(sender=None, **kwargs) -> None:
    """Signal receiver for Holiday saves and deletes (admin edits included)."""
    bump_version()


def _load() -> _Calendar:
    from .models import Holiday

    version = _shared_version()
    off, work, years = set(), set(), set()
    for day, kind in Holiday.objects.values_list("date", "kind"):
        years.add(day.year)
        (work if kind == Holiday.Kind.WORK else off).add(day)
    return _Calendar(version, frozenset(off), frozenset(work), frozenset(years))


def calendar() -> _Calendar:
    global _calendar, _checked_at
    current = _calendar
    if current is not None:
        if time.monotonic() - _checked_at < VERSION_CHECK_SECONDS:
            return current
        if _shared_version() == current.version:
            _checked_at = time.monotonic()
            return current
    with _lock:
        _calendar = _load()
        _checked_at = time.monotonic()
        return _calendar


def is_working_day(day: dt.date) -> bool:
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    cal = calendar()
    if day.year in cal.years:
        if day in cal.work:
            return True
        if day in cal.off:
            return False
    return day.weekday() < 5


def _local(start: dt.datetime) -> dt.datetime:
    if timezone.is_naive(start):
        return timezone.make_aware(start)
    return timezone.localtime(start)


def day_of(moment: dt.datetime) -> dt.date:
    """The local day a moment belongs to. 00:00 exactly is 24:00 of the day that ends: a deadline stored as
    2026-12-03 00:00 is the end of 2 December, and time counted from it counts from 2 December."""
    local = _local(moment)
    if local.time() == dt.time.min:
        return local.date() - dt.timedelta(days=1)
    return local.date()


def add_working_days(start: dt.datetime, n: int) -> dt.datetime:
    """End (24:00 local, i.e. the next day's 00:00) of the Nth working day after the start day (``day_of``: a start
    at 00:00 is 24:00 of the day before, so an extension of a deadline at 24:00 counts from the deadline's day).

    ``n == 0`` gives the end of the start day itself. A start on a holiday counts from the next working day, because
    only working days after the start day are counted.
    """
    if n < 0:
        raise ValidationFailed("工作日数不能为负数", "The number of working days cannot be negative", code="invalid")
    local = _local(start)
    day = day_of(local)
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(end, local.tzinfo)


def deadline(start: dt.datetime, amount: int, unit: str) -> dt.datetime:
    """When a time limit of ``amount`` ``unit`` started at ``start`` runs out.

    ``minutes`` and ``hours`` are wall-clock; ``working_days`` ends at 24:00 of the Nth working day after the start
    day (``add_working_days``; a start at 24:00 belongs to the day that ends).
    """
    if amount < 0:
        raise ValidationFailed("时限不能为负数", "A time limit cannot be negative", code="invalid")
    if unit == "minutes":
        return _local(start) + dt.timedelta(minutes=amount)
    if unit == "hours":
        return _local(start) + dt.timedelta(hours=amount)
    if unit == "working_days":
        return add_working_days(start, amount)
    raise ValidationFailed(f"未知的时限单位：{unit}", f"Unknown time-limit unit: {unit}", code="invalid", field="unit")


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days after ``a`` up to and including ``b`` (0 when b <= a); the count add_working_days walks.
    A moment is read as its day (``day_of``: 00:00 is the end of the day before)."""
    if isinstance(a, dt.datetime):
        a = day_of(a)
    if isinstance(b, dt.datetime):
        b = day_of(b)
    count = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def years_without_calendar(years) -> list[int]:
    """Those of ``years`` with no Holiday row (the clock uses Monday–Friday for them)."""
    cal = calendar()
    return sorted(y for y in set(years) if y not in cal.years)
