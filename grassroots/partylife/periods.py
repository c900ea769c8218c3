"""Calendar periods (month, quarter, year) for rhythms, points caps and alerts."""

from __future__ import annotations

import datetime as dt


def bounds(day: dt.date, period: str) -> tuple[dt.date, dt.date]:
    """First and last day of the month, quarter or year containing ``day``."""
    if period == "month":
        start = day.replace(day=1)
        months = 1
    elif period == "quarter":
        start = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        months = 3
    else:
        start = dt.date(day.year, 1, 1)
        months = 12
    return start, add_months(start, months) - dt.timedelta(days=1)


def previous(day: dt.date, period: str) -> tuple[dt.date, dt.date]:
    """The last whole period before the one containing ``day``."""
    start, _ = bounds(day, period)
    return bounds(start - dt.timedelta(days=1), period)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months (the 31st becomes the month's last day)."""
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    import calendar

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def label(start: dt.date, period: str) -> str:
    if period == "month":
        return f"{start.year}年{start.month}月"
    if period == "quarter":
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    return f"{start.year}年"
