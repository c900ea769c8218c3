import datetime as dt

import pytest

from grassroots.cases import policy
from grassroots.cases.states import Stage, TimeUnit
from grassroots.cases.tests.factories import make_category, make_limit
from grassroots.core import workdays
from grassroots.core.models import PolicySetting

pytestmark = pytest.mark.django_db


def test_the_most_specific_time_limit_wins_with_fallbacks(world):
    garbage = make_category()
    other = make_category()
    assert policy.limit(garbage, "community", Stage.HANDLE) == policy.BUILT_IN[Stage.HANDLE]
    make_limit(Stage.HANDLE, 10, TimeUnit.WORKING_DAYS)
    assert policy.limit(garbage, "community", Stage.HANDLE) == (10, "working_days")
    make_limit(Stage.HANDLE, 8, TimeUnit.WORKING_DAYS, tier="community")
    assert policy.limit(garbage, "community", Stage.HANDLE) == (8, "working_days")
    assert policy.limit(garbage, "zone", Stage.HANDLE) == (10, "working_days")
    make_limit(Stage.HANDLE, 4, TimeUnit.HOURS, category=garbage)
    assert policy.limit(garbage, "community", Stage.HANDLE) == (4, "hours")
    make_limit(Stage.HANDLE, 2, TimeUnit.HOURS, category=garbage, tier="community")
    assert policy.limit(garbage, "community", Stage.HANDLE) == (2, "hours")
    assert policy.limit(garbage, "zone", Stage.HANDLE) == (4, "hours")
    assert policy.limit(other, "community", Stage.HANDLE) == (8, "working_days")


def test_working_day_limits_end_at_midnight_of_the_nth_working_day(world):
    category = make_category()
    make_limit(Stage.HANDLE, 2, TimeUnit.WORKING_DAYS, category=category)
    friday = dt.datetime(2026, 11, 27, 15, 0).astimezone()
    due = policy.due(category, "community", Stage.HANDLE, friday)
    assert due == workdays.deadline(friday, 2, "working_days")
    assert due.astimezone(friday.tzinfo).date() >= dt.date(2026, 12, 1)


def test_emergencies_run_on_wall_clock_minutes(world):
    fire = make_category(emergency=True, emergency_service="119")
    assert policy.limit(fire, "community", Stage.HANDLE) == (120, "minutes")
    make_limit(Stage.HANDLE, 3, TimeUnit.WORKING_DAYS, category=fire)
    assert policy.limit(fire, "community", Stage.HANDLE) == (120, "minutes")
    make_limit(Stage.HANDLE, 1, TimeUnit.HOURS, category=fire, tier="community")
    assert policy.limit(fire, "community", Stage.HANDLE) == (60, "minutes")
    assert "119" in policy.emergency_notice(fire)[0]
    assert policy.emergency_notice(make_category()) is None


def test_the_whistle_gives_thirty_minutes_unless_policy_says_otherwise(world):
    start = dt.datetime(2026, 11, 25, 9, 0).astimezone()
    assert policy.whistle_due(start) == start + dt.timedelta(minutes=30)
    PolicySetting.objects.create(key="whistle_ack_minutes", value=20)
    assert policy.whistle_due(start) == start + dt.timedelta(minutes=20)
    assert policy.setting("reopen_window_days") == 7
