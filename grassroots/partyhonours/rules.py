"""The 光荣在党50年 rule, database-free (docs/rules/honours.md § Medal).

The medal goes to living members whose 党龄 — counted from the day they became full members (转正), not from
admission — reaches fifty full years by 1 July of the award year. Fifty full years by 1 July means the full-member
date is on or before 1 July fifty years earlier: for 2026, on or before 1976-07-01.
"""

from __future__ import annotations

import datetime as dt

YEARS = 50
CUTOFF_MONTH, CUTOFF_DAY = 7, 1
FIRST_YEAR, LAST_YEAR = 2000, 2200


def cutoff_day(year: int) -> dt.date:
    """The day that counts for ``year``'s list: 1 July."""
    return dt.date(year, CUTOFF_MONTH, CUTOFF_DAY)


def latest_full_member_date(year: int) -> dt.date:
    """The latest full-member date that still gives fifty full years by 1 July of ``year``."""
    return dt.date(year - YEARS, CUTOFF_MONTH, CUTOFF_DAY)


def party_standing(full_member_date: dt.date | None, on: dt.date) -> int | None:
    """党龄 in full years on ``on``; None for someone who never became a full member."""
    if full_member_date is None:
        return None
    years = on.year - full_member_date.year - ((on.month, on.day) < (full_member_date.month, full_member_date.day))
    return max(years, 0)


def eligible(full_member_date: dt.date | None, deceased_on: dt.date | None, year: int) -> bool:
    return (full_member_date is not None and deceased_on is None
            and full_member_date <= latest_full_member_date(year))
