"""The live rollup gives exactly the figures of the direct aggregate queries, also right after new moves."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.cases.tests.kpi_fixture import AS_OF, acknowledge, build, handle, rate, verify
from grassroots.core import clock
from grassroots.metrics import kpis, rollup, selectors

NOVEMBER = kpis.Period.month(2026, 11)
KINDS = ["department", "subdistrict", "community", "grid", "grid_worker", "channel"]


def _both(actor, kind):
    live = selectors.kpi_table(actor=actor, unit_kind=kind, period=NOVEMBER)
    direct = selectors.kpi_table(actor=actor, unit_kind=kind, period=NOVEMBER, as_of=live.as_of)
    return live, direct


def _assert_same(actor, kind):
    live, direct = _both(actor, kind)
    assert "实时汇总" in live.freshness and "直接计算" in direct.freshness
    assert {r.unit_id: r.counters for r in live.rows} == {r.unit_id: r.counters for r in direct.rows}
    return live


@pytest.fixture
def fixture_cases(world):
    rollup.rollup_reset()
    cases = build(world)
    clock.freeze(AS_OF)
    yield cases
    rollup.rollup_reset()


@pytest.mark.parametrize("kind", KINDS)
def test_live_figures_equal_the_direct_computation_for_every_unit_kind(world, fixture_cases, kind):
    _assert_same(world.zone_leader, kind)


def test_live_figures_follow_new_moves_and_passing_deadlines(world, fixture_cases):
    first = _assert_same(world.zone_leader, "department")
    row = next(r for r in first.rows if r.unit_id == world.dept_city.pk)
    assert (row.counters["ack_on_time"], row.counters["ack_due"]) == (5, 7)
    # case 7 is acknowledged on time, case 5 handled, verified and rated: only their block is recomputed
    acknowledge(world, fixture_cases[7], AS_OF + dt.timedelta(hours=1))
    handle(world, fixture_cases[5], AS_OF + dt.timedelta(hours=2))
    verify(world, fixture_cases[5], AS_OF + dt.timedelta(hours=3))
    rate(world, fixture_cases[5], AS_OF + dt.timedelta(hours=4), True, "satisfied")
    clock.freeze(AS_OF + dt.timedelta(hours=5))
    after = _assert_same(world.zone_leader, "department")
    assert "增量更新 1 个数据块" in after.freshness
    row = next(r for r in after.rows if r.unit_id == world.dept_city.pk)
    assert (row.counters["ack_on_time"], row.counters["ack_due"]) == (6, 8)
    assert (row.counters["closed"], row.counters["rated"], row.counters["satisfied"]) == (6, 5, 4)
    # a new case reported now is in a new month: November's figures do not move
    community = _assert_same(world.zone_leader, "community")
    assert community.rows


def test_a_deadline_passing_without_any_move_counts_as_late_at_once(world, fixture_cases):
    clock.freeze(AS_OF + dt.timedelta(hours=5))
    before = selectors.kpi_table(actor=world.zone_leader, unit_kind="department", period=NOVEMBER)
    row = next(r for r in before.rows if r.unit_id == world.dept_city.pk)
    assert (row.counters["ack_on_time"], row.counters["ack_due"]) == (5, 7)
    # 2026-12-01 09:00: case 7's acknowledgement deadline passes with no event at all
    clock.freeze(AS_OF + dt.timedelta(hours=9, minutes=30))
    live = _assert_same(world.zone_leader, "department")
    assert "增量更新 1 个数据块" in live.freshness
    row = next(r for r in live.rows if r.unit_id == world.dept_city.pk)
    assert (row.counters["ack_on_time"], row.counters["ack_due"]) == (5, 8)


def test_a_channel_filter_or_a_custom_range_is_computed_directly(world, fixture_cases):
    table = selectors.kpi_table(actor=world.zone_leader, unit_kind="department", period=NOVEMBER,
                           channel="grid_patrol")
    assert "直接计算" in table.freshness
    custom = selectors.kpi_table(actor=world.zone_leader, unit_kind="department",
                            period=kpis.Period(dt.date(2026, 11, 1), dt.date(2026, 11, 15)))
    assert "直接计算" in custom.freshness



@pytest.mark.django_db(transaction=True)
def test_a_cold_process_answers_directly_while_the_rollup_builds_in_the_background(world, settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the background build needs its own connection to a shared database (not in-memory SQLite)")
    settings.KPI_ROLLUP_BACKGROUND = True
    rollup.rollup_reset()
    build(world)
    clock.freeze(AS_OF)
    try:
        first = selectors.kpi_table(actor=world.zone_leader, unit_kind="department", period=NOVEMBER)
        assert "汇总生成中" in first.freshness and "直接计算" in first.freshness
        direct = selectors.kpi_table(actor=world.zone_leader, unit_kind="department", period=NOVEMBER,
                                as_of=first.as_of)
        assert {r.unit_id: r.counters for r in first.rows} == {r.unit_id: r.counters for r in direct.rows}
        row = next(r for r in first.rows if r.unit_id == world.dept_city.pk)
        assert (row.counters["ack_on_time"], row.counters["ack_due"]) == (5, 7)
        assert rollup.rollup_wait(timeout=60)
        for kind in KINDS:  # served by the rollup now, still equal to the direct computation
            live = _assert_same(world.zone_leader, kind)
            assert "汇总生成中" not in live.freshness
        live = selectors.kpi_table(actor=world.zone_leader, unit_kind="department", period=NOVEMBER)
        assert {r.unit_id: r.counters for r in live.rows} == {r.unit_id: r.counters for r in first.rows}
        # the periodic rebuild: the old rollup, refreshed incrementally, serves until the new one replaces it
        old = rollup._ROLLUP.current
        clock.freeze(AS_OF + dt.timedelta(seconds=rollup.REBUILD_SECONDS + 60))
        assert "增量更新" in _assert_same(world.zone_leader, "department").freshness
        assert rollup.rollup_wait(timeout=60)
        assert rollup._ROLLUP.current is not old
        assert "增量更新 0 个数据块" in _assert_same(world.zone_leader, "grid").freshness
    finally:
        rollup.rollup_wait(timeout=60)
        rollup.rollup_reset()
        clock.freeze(None)


def test_a_community_keeps_its_miss_when_a_case_is_escalated_away(world, fixture_cases):
    """响应率 counts assignments: the first unit's missed acknowledgement stays in the community's figure after
    the case went up a tier and the next unit acknowledged on time (docs/rules/kpis.md)."""
    from grassroots.cases import services
    from grassroots.cases.models import Category
    from grassroots.cases.tests.kpi_fixture import at, category, report

    before = {r.unit_id: r.counters for r in _assert_same(world.zone_leader, "community").rows}
    cat = Category.objects.get(code="E0102") if Category.objects.filter(code="E0102").exists() else category()
    case = report(world, cat, at(20, 8))
    clock.freeze(at(20, 9))
    services.case_accept(actor=world.community_staff, case=case, tier="subdistrict", public_summary="路口垃圾待清运")
    clock.freeze(at(20, 10))
    services.case_dispatch(actor=world.subdistrict_officer, case=case, lead=world.dept_city)
    clock.freeze(at(22, 10))  # the 24-hour acknowledgement deadline passed unanswered
    services.case_escalate(actor=world.subdistrict_officer, case=case, reason="逾期未报到")
    clock.freeze(at(22, 11))
    services.case_dispatch(actor=world.hotline_operator, case=case, lead=world.dept_city)
    acknowledge(world, case, at(22, 12))
    clock.freeze(AS_OF)
    after = {r.unit_id: r.counters for r in _assert_same(world.zone_leader, "community").rows}
    unit = next(u for u in after if after[u]["ack_due"] != before.get(u, {}).get("ack_due"))
    assert after[unit]["ack_due"] - before[unit]["ack_due"] == 2  # both rounds are due
    assert after[unit]["ack_on_time"] - before[unit]["ack_on_time"] == 1  # only the second was on time
