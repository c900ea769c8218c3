"""The light rules at their boundaries, for each rule set of the reference (pure functions, no database)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from grassroots.keyprojects import lights
from grassroots.keyprojects.lights import Facts


def verdict(method, facts, **params):
    return lights.evaluate(method, params or None, facts)


def by_dim(v, dim):
    return [r for r in v.reasons if r.dimension == dim][0]


# ---- Yinchuan: start

@pytest.mark.parametrize(("planned", "month", "expected"), [
    (dt.date(2026, 7, 1), 6, "green"),    # not yet due
    (dt.date(2026, 6, 1), 6, "yellow"),   # the planned month ended without a start
    (dt.date(2026, 4, 1), 6, "yellow"),   # two months late
    (dt.date(2026, 3, 1), 6, "red"),      # three months late
])
def test_yinchuan_start_by_months_late(planned, month, expected):
    v = verdict("yinchuan", Facts(year=2026, month=month, planned_start=planned))
    assert by_dim(v, "start").light == expected


def test_yinchuan_a_start_within_the_month_is_green_and_one_after_it_is_not_yet():
    f = Facts(year=2026, month=6, planned_start=dt.date(2026, 6, 1), actual_start=dt.date(2026, 6, 30))
    assert by_dim(verdict("yinchuan", f), "start").light == "green"
    f.actual_start = dt.date(2026, 7, 1)  # started after the month asked for: not started as of June
    assert by_dim(verdict("yinchuan", f), "start").light == "yellow"


# ---- Yinchuan: progress against 序时 (June: 50.0 %)

@pytest.mark.parametrize(("ytd", "expected"), [
    ("500", "green"),      # 50 %, on 序时
    ("401", "green"),      # 40.1 %: 9.9 points below
    ("400", "yellow"),     # 40 %: 10 points below
    ("200", "yellow"),     # 20 %: 30 points below
    ("199", "red"),        # 19.9 %: more than 30 below
])
def test_yinchuan_progress_bands(ytd, expected):
    v = verdict("yinchuan", Facts(year=2026, month=6, plan_wan=D("1000"), ytd_wan=D(ytd),
                                  planned_start=dt.date(2025, 1, 1), actual_start=dt.date(2025, 1, 1),
                                  in_stats_date=dt.date(2025, 1, 20)))
    assert by_dim(v, "progress").light == expected
    assert v.light == expected  # the other dimensions are green: the worst is the progress


# ---- Yinchuan: entered in the statistics

@pytest.mark.parametrize(("start", "expected"), [
    (dt.date(2026, 6, 3), "green"),    # started this month
    (dt.date(2026, 5, 3), "yellow"),   # one month after the start
    (dt.date(2026, 4, 3), "yellow"),   # two months
    (dt.date(2026, 3, 3), "red"),      # more than two months
])
def test_yinchuan_stats_entry(start, expected):
    v = verdict("yinchuan", Facts(year=2026, month=6, planned_start=start, actual_start=start))
    assert by_dim(v, "stats").light == expected


def test_yinchuan_the_worst_dimension_wins_and_every_reason_is_shown():
    v = verdict("yinchuan", Facts(year=2026, month=6, planned_start=dt.date(2026, 1, 1),
                                  actual_start=dt.date(2026, 1, 5), plan_wan=D("1200"), ytd_wan=D("480")))
    assert {r.dimension: r.light for r in v.reasons} == {"start": "green", "progress": "yellow", "stats": "red"}
    assert v.light == "red"
    assert "开工 5 个月仍未入库纳统" in v.summary and "相差 10.0 个百分点" in v.summary


def test_yinchuan_thresholds_are_parameters():
    f = Facts(year=2026, month=6, plan_wan=D("1000"), ytd_wan=D("450"))
    assert by_dim(verdict("yinchuan", f), "progress").light == "green"
    assert by_dim(verdict("yinchuan", f, progress_yellow_points=5), "progress").light == "yellow"


def test_without_a_plan_or_a_planned_start_there_is_no_light_only_a_reason():
    v = verdict("yinchuan", Facts(year=2026, month=6))
    assert v.light is None and {r.code for r in v.reasons} == {"no_planned_start", "no_plan", "not_started"}


# ---- Sanya: ratio below 序时 (June: 50 %)

@pytest.mark.parametrize(("ytd", "expected"), [
    ("500", "green"), ("499", "yellow"), ("250", "yellow"), ("249", "red"), ("0", "red"),
])
def test_sanya_bands(ytd, expected):
    v = verdict("sanya", Facts(year=2026, month=6, plan_wan=D("1000"), ytd_wan=D(ytd)))
    assert v.light == expected


# ---- Jinxiang: monthly target, blue / yellow / red by the run of misses

def months(*pairs, year=2026):
    return {(year, m): (D(p), D(c)) for m, (p, c) in enumerate(pairs, start=1)}


def test_jinxiang_blue_when_the_month_is_met():
    f = Facts(year=2026, month=3, months=months(("10", "5"), ("10", "5"), ("10", "10")), first_report=(2026, 1))
    assert verdict("jinxiang", f).light == "blue"


def test_jinxiang_yellow_on_one_miss_red_on_two_running():
    f = Facts(year=2026, month=2, months=months(("10", "10"), ("10", "9.99")), first_report=(2026, 1))
    assert verdict("jinxiang", f).light == "yellow"
    f = Facts(year=2026, month=3, months=months(("10", "10"), ("10", "9"), ("10", "9")), first_report=(2026, 1))
    v = verdict("jinxiang", f)
    assert v.light == "red" and v.reasons[0].params["streak"] == 2


def test_jinxiang_a_missing_month_after_the_first_report_is_a_miss_and_runs_cross_the_year():
    f = Facts(year=2026, month=1, months={(2025, 11): (D("10"), D("10"))}, first_report=(2025, 11))
    v = verdict("jinxiang", f)  # December and January unreported
    assert v.light == "red" and v.reasons[0].params["streak"] == 2


def test_jinxiang_before_the_first_report_there_is_no_light():
    assert verdict("jinxiang", Facts(year=2026, month=1)).light is None


def test_a_pending_month_says_so():
    f = Facts(year=2026, month=5, plan_wan=D("1000"), ytd_wan=D("500"), pending_month=(2026, 6))
    v = verdict("sanya", f)
    assert v.light == "green" and v.reasons[0].code == "pending" and "2026-06" in v.reasons[0].text
