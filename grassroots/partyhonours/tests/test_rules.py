"""The medal's rule at its boundaries, database-free."""

import datetime as dt

import pytest

from grassroots.partyhonours import rules


@pytest.mark.parametrize(("full", "year", "due"), [
    (dt.date(1976, 7, 1), 2026, True),    # fifty full years exactly on 1 July
    (dt.date(1976, 7, 2), 2026, False),   # one day short on 1 July
    (dt.date(1976, 7, 2), 2027, True),
    (dt.date(1976, 6, 30), 2026, True),
    (dt.date(1976, 2, 29), 2026, True),   # a leap-day full member
    (dt.date(1977, 1, 1), 2026, False),
    (None, 2026, False),                  # never a full member
])
def test_fifty_full_years_by_the_first_of_july_from_the_full_member_date(full, year, due):
    assert rules.eligible(full, None, year) is due


def test_the_dead_are_never_due():
    assert not rules.eligible(dt.date(1960, 1, 1), dt.date(2026, 1, 1), 2026)


def test_standing_counts_full_years():
    assert rules.party_standing(dt.date(1976, 7, 1), dt.date(2026, 7, 1)) == 50
    assert rules.party_standing(dt.date(1976, 7, 2), dt.date(2026, 7, 1)) == 49
    assert rules.party_standing(None, dt.date(2026, 7, 1)) is None
