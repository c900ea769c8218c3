import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from grassroots.core import workdays
from grassroots.core.errors import ValidationFailed
from grassroots.core.holiday_services import holiday_seed, holiday_set
from grassroots.core.models import Event, Holiday

BJ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10, minute=0):
    return dt.datetime(y, m, d, h, minute, tzinfo=BJ)


def midnight(y, m, d):
    return dt.datetime(y, m, d, 0, 0, tzinfo=BJ)


@pytest.fixture
def calendar_2026(db):
    holiday_seed(actor=None, years=[2026])


@pytest.mark.parametrize(("day", "working"), [
    (dt.date(2026, 9, 20), True),    # Sunday made a working day (调休) for 国庆
    (dt.date(2026, 9, 25), False),   # 中秋节, a Friday
    (dt.date(2026, 9, 30), True),    # Wednesday before 国庆
    (dt.date(2026, 10, 1), False),
    (dt.date(2026, 10, 4), False),   # Sunday inside the holiday
    (dt.date(2026, 10, 7), False),
    (dt.date(2026, 10, 8), True),
    (dt.date(2026, 10, 10), True),   # Saturday made a working day (调休)
    (dt.date(2026, 10, 11), False),  # ordinary Sunday
])
def test_national_day_2026_working_days_follow_the_seeded_calendar(calendar_2026, day, working):
    assert workdays.is_working_day(day) is working


def test_one_working_day_from_the_eve_of_national_day_ends_at_midnight_after_october_8(calendar_2026):
    assert workdays.add_working_days(at(2026, 9, 30, 16), 1) == midnight(2026, 10, 9)


def test_three_working_days_over_national_day_include_the_adjusted_saturday(calendar_2026):
    assert workdays.add_working_days(at(2026, 9, 30), 3) == midnight(2026, 10, 11)


def test_working_days_skip_the_mid_autumn_friday_and_the_weekend(calendar_2026):
    assert workdays.add_working_days(at(2026, 9, 24), 1) == midnight(2026, 9, 29)


def test_an_adjusted_sunday_counts_as_a_working_day(calendar_2026):
    assert workdays.add_working_days(at(2026, 9, 19, 23, 30), 1) == midnight(2026, 9, 21)


def test_zero_working_days_end_at_the_end_of_the_start_day(calendar_2026):
    assert workdays.add_working_days(at(2026, 10, 2), 0) == midnight(2026, 10, 3)


def test_a_start_on_a_holiday_counts_from_the_next_working_day(calendar_2026):
    assert workdays.deadline(at(2026, 10, 3), 2, "working_days") == midnight(2026, 10, 10)


def test_wall_clock_units_ignore_holidays(calendar_2026):
    start = at(2026, 9, 30, 23, 0)
    assert workdays.deadline(start, 30, "minutes") == at(2026, 9, 30, 23, 30)
    assert workdays.deadline(start, 48, "hours") == at(2026, 10, 2, 23, 0)


def test_deadline_refuses_unknown_units_and_negative_amounts(db):
    with pytest.raises(ValidationFailed):
        workdays.deadline(at(2026, 9, 30), 1, "weeks")
    with pytest.raises(ValidationFailed):
        workdays.deadline(at(2026, 9, 30), -1, "hours")


def test_a_utc_start_is_counted_in_local_days(calendar_2026):
    # 2026-09-30 17:00 UTC is already 1 October 01:00 in Beijing: the start day is a holiday.
    start = dt.datetime(2026, 9, 30, 17, 0, tzinfo=dt.UTC)
    assert workdays.add_working_days(start, 1) == midnight(2026, 10, 9)


def test_working_days_between_counts_days_after_the_first_up_to_the_second(calendar_2026):
    assert workdays.working_days_between(dt.date(2026, 9, 30), dt.date(2026, 10, 10)) == 3
    assert workdays.working_days_between(dt.date(2026, 10, 10), dt.date(2026, 9, 30)) == 0


def test_a_year_without_rows_falls_back_to_monday_to_friday(calendar_2026):
    assert workdays.is_working_day(dt.date(2031, 10, 1)) is True       # a Wednesday, no calendar for 2031
    assert workdays.is_working_day(dt.date(2031, 10, 4)) is False      # a Saturday
    assert workdays.add_working_days(at(2031, 1, 3), 1) == midnight(2031, 1, 7)  # Friday → Monday's end
    assert workdays.years_without_calendar([2026, 2031, 2031]) == [2031]


def test_a_holiday_change_takes_effect_at_once(calendar_2026, world):
    day = dt.date(2026, 10, 12)
    assert workdays.is_working_day(day) is True
    holiday_set(actor=world.admin, date=day, kind=Holiday.Kind.OFF, name="临时调整")
    assert workdays.is_working_day(day) is False
    assert Event.objects.filter(verb="holiday.create", actor=world.admin).exists()


def test_only_administrators_edit_holidays(world):
    from grassroots.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        holiday_set(actor=world.zone_leader, date=dt.date(2026, 10, 12), kind="off")
    assert not Holiday.objects.exists()


def test_seeding_is_idempotent_and_records_adjusted_working_days(db):
    first = holiday_seed(actor=None, years=[2025, 2026])
    count = Holiday.objects.count()
    second = holiday_seed(actor=None, years=[2025, 2026])
    assert first["created"] == count > 0
    assert second["created"] == second["updated"] == 0
    assert Holiday.objects.count() == count
    work = set(Holiday.objects.filter(kind="work").values_list("date", flat=True))
    assert {dt.date(2025, 9, 28), dt.date(2025, 10, 11), dt.date(2026, 9, 20), dt.date(2026, 10, 10)} <= work


def test_seed_holidays_command_fills_the_given_years(db, capsys):
    call_command("seed_holidays", "--years", "2026")
    assert "created=" in capsys.readouterr().out
    assert Holiday.objects.filter(date=dt.date(2026, 10, 1), kind="off").exists()
    assert not Holiday.objects.filter(date__year=2025).exists()


def test_another_process_writing_holidays_is_noticed_through_the_shared_version(db, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(workdays, "VERSION_CHECK_SECONDS", 0)
    day = dt.date(2030, 5, 6)  # a Monday, no calendar for 2030
    assert workdays.is_working_day(day) is True
    # Another process writes a row and bumps the shared version; this process still holds its old copy.
    Holiday.objects.bulk_create([Holiday(date=day, kind="off", name="劳动节")])  # bulk: no signal here
    assert workdays.is_working_day(day) is True
    cache.incr(workdays.VERSION_KEY)
    assert workdays.is_working_day(day) is False


def test_a_start_at_midnight_belongs_to_the_day_that_ends(calendar_2026):
    assert workdays.day_of(midnight(2026, 12, 3)) == dt.date(2026, 12, 2)
    assert workdays.day_of(at(2026, 12, 3, 0, 1)) == dt.date(2026, 12, 3)
    assert workdays.day_of(dt.datetime(2026, 12, 2, 16, 0, tzinfo=dt.UTC)) == dt.date(2026, 12, 2)  # 24:00 local


def test_working_days_added_to_a_deadline_at_24_00_count_from_the_deadline_day(calendar_2026):
    # due at the end of Wednesday 2 December; two more working days: Thursday and Friday
    assert workdays.deadline(midnight(2026, 12, 3), 2, "working_days") == midnight(2026, 12, 5)


def test_working_days_added_to_a_friday_deadline_skip_the_weekend(calendar_2026):
    assert workdays.deadline(midnight(2026, 12, 5), 1, "working_days") == midnight(2026, 12, 8)


def test_working_days_added_to_a_deadline_before_an_adjusted_saturday_count_that_saturday(calendar_2026):
    # due at the end of Friday 9 October; Saturday 10 October is a working day (调休)
    assert workdays.deadline(midnight(2026, 10, 10), 1, "working_days") == midnight(2026, 10, 11)
    assert workdays.deadline(midnight(2026, 10, 10), 2, "working_days") == midnight(2026, 10, 13)


def test_working_days_between_reads_a_deadline_at_midnight_as_the_day_that_ends(calendar_2026):
    # from Friday 10:00 to a deadline at the end of the next Tuesday: Monday and Tuesday
    assert workdays.working_days_between(at(2026, 12, 4), midnight(2026, 12, 9)) == 2
