"""The clocks and checks of member development (中国共产党发展党员工作细则, 2014; docs/rules/party-development.md),
as pure functions of dates and counts. The numbers marked [R] in the rules page are policy defaults
(``core.policy``: ``partydevelopment.*``)."""

from __future__ import annotations

import calendar
import datetime as dt

from grassroots.core import policy
from grassroots.rolls.votes import Base, Count, Measure, Threshold, decide

MORE_THAN_HALF = Threshold(1, 2, strict=True)


def add_months(day: dt.date, n: int) -> dt.date:
    """The same day ``n`` months later (the month's last day where it is shorter: 31 January + 1 = 28 February)."""
    y, m = divmod(day.year * 12 + day.month - 1 + n, 12)
    m += 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def add_years(day: dt.date, n: int) -> dt.date:
    return add_months(day, 12 * n)


def talk_deadline(applied_on: dt.date) -> dt.date:
    """Step 2: the talk within one month of receiving the application (Art 8)."""
    return add_months(applied_on, int(policy.setting("partydevelopment.talk_within_months", 1)))


def candidate_earliest(activist_on: dt.date) -> dt.date:
    """Step 7: at least a year as an activist (Art 13)."""
    return add_years(activist_on, int(policy.setting("partydevelopment.activist_years", 1)))


def training_enough(days, hours) -> bool:
    """Step 11: at least three days or 24 class hours (Art 17)."""
    min_days = int(policy.setting("partydevelopment.training_days", 3))
    min_hours = int(policy.setting("partydevelopment.training_hours", 24))
    return (days or 0) >= min_days or (hours or 0) >= min_hours


def approval_deadlines(vote_on: dt.date) -> tuple[dt.date, dt.date]:
    """Step 17: the committee approves within three months of the branch vote, six at most (Art 27)."""
    return add_months(vote_on, 3), add_months(vote_on, 6)


def probation_end(vote_on: dt.date, extension_months: int = 0) -> dt.date:
    """The probation runs one year from the vote (the admission date), plus an extension (Art 30, 33): the day
    before the anniversary is still probation; it has ended on the anniversary."""
    return add_months(add_years(vote_on, 1), extension_months)


EXTENSION_MONTHS = (6, 12)  # at least six months, at most a year (Art 33)


def vote(*, due: int, present: int, yes: int):
    """The branch general meeting's vote on one person: quorum more than half of the full members with a vote who
    should attend, and yes votes from more than half of those who should attend (not of those present)."""
    return decide(quorum=MORE_THAN_HALF, quorum_measure=Measure.HEADS, majority=MORE_THAN_HALF,
                  majority_measure=Measure.HEADS, majority_base=Base.DUE, due=Count(due, due),
                  present=Count(present, present), cast=Count(present, present), yes=Count(yes, yes))
