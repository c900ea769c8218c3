"""The worked fixture of docs/rules/kpis.md, through the services: the figures must come out exactly."""

from __future__ import annotations

import pytest

from grassroots.cases.models import Case
from grassroots.cases.tests.kpi_fixture import AS_OF, build
from grassroots.metrics import kpis, selectors
from grassroots.metrics.models import KpiWeight

NOVEMBER = kpis.Period.month(2026, 11)


@pytest.fixture
def fixture_cases(world):
    return build(world)


def _dept_row(actor, world, **kw):
    table = selectors.kpi_table(actor=actor, unit_kind="department", period=NOVEMBER, as_of=AS_OF, **kw)
    return next(r for r in table.rows if r.unit_id == world.dept_city.pk), table


def test_the_worked_fixture_gives_the_documented_rates_composite_and_grade(world, fixture_cases, four_rated_suffice):
    row, _ = _dept_row(world.zone_leader, world)
    r = row.rates
    assert (r["response_rate"].numerator, r["response_rate"].denominator) == (5, 7)
    assert (r["on_time_rate"].numerator, r["on_time_rate"].denominator) == (4, 5)
    assert (r["closure_rate"].numerator, r["closure_rate"].denominator) == (5, 8)
    assert (r["rework_rate"].numerator, r["rework_rate"].denominator) == (1, 5)
    assert (r["resolution_rate"].numerator, r["resolution_rate"].denominator) == (3, 4)
    assert (r["satisfaction_rate"].numerator, r["satisfaction_rate"].denominator) == (3, 4)
    assert r["response_rate"].display == "71.43%"
    assert r["on_time_rate"].display == "80.00%"
    assert row.composite == 74.64
    assert row.grade == "C"
    assert row.sufficient and row.formula == "0.10 × 71.43 + 0.45 × 75.00 + 0.45 × 75.00 = 74.64"


def test_a_department_without_cases_shows_dashes_not_zero(world, fixture_cases, four_rated_suffice):
    table = selectors.kpi_table(actor=world.zone_leader, unit_kind="department", period=NOVEMBER, as_of=AS_OF)
    other = next(r for r in table.rows if r.unit_id == world.dept_housing.pk)
    assert all(rate.value is None for rate in other.rates.values())
    assert other.rates["response_rate"].display == "—"
    assert other.composite is None and other.grade is None and other.rank is None
    assert table.rows[0].unit_id == world.dept_city.pk and table.rows[0].rank == 1


def test_earlier_as_of_leaves_out_what_was_not_yet_due_or_done(world, fixture_cases):
    # On 2026-11-20 cases 5, 6, 7 did not exist yet; 1–4 and 8 were all acknowledged, 2 of them late.
    import datetime as dt

    as_of = AS_OF - dt.timedelta(days=11)
    row = next(r for r in selectors.kpi_table(actor=world.zone_leader, unit_kind="department", period=NOVEMBER,
                                         as_of=as_of).rows if r.unit_id == world.dept_city.pk)
    assert (row.rates["response_rate"].numerator, row.rates["response_rate"].denominator) == (4, 5)
    assert (row.rates["closure_rate"].numerator, row.rates["closure_rate"].denominator) == (5, 5)


def test_policy_weights_change_the_composite(world, fixture_cases, four_rated_suffice):
    KpiWeight.objects.create(unit_kind="department", indicator="response_rate", weight="0.5")
    KpiWeight.objects.create(unit_kind="department", indicator="satisfaction_rate", weight="0.5")
    row, table = _dept_row(world.zone_leader, world)
    assert row.composite == round(0.5 * 500 / 7 + 0.5 * 75, 2)
    assert table.weights == {"response_rate": pytest.approx(0.5), "satisfaction_rate": pytest.approx(0.5)}


def test_the_department_handler_sees_only_their_own_department(world, fixture_cases):
    table = selectors.kpi_table(actor=world.department_handler, unit_kind="department", period=NOVEMBER, as_of=AS_OF)
    assert [r.unit_id for r in table.rows] == [world.dept_city.pk]
    other = selectors.kpi_table(actor=world.department_handler2, unit_kind="department", period=NOVEMBER, as_of=AS_OF)
    assert [r.unit_id for r in other.rows] == [world.dept_housing.pk]
    assert other.rows[0].composite is None


def test_community_figures_count_the_cases_reported_in_its_grids(world, fixture_cases):
    table = selectors.kpi_table(actor=world.zone_leader, unit_kind="community", period=NOVEMBER, as_of=AS_OF)
    anta = next(r for r in table.rows if r.unit_id == world.c1.path)
    assert anta.counters["closed_reported"] == 5
    assert (anta.rates["satisfaction_rate"].numerator, anta.rates["satisfaction_rate"].denominator) == (3, 4)
    assert anta.rates["community_rate"].value == 0.0  # all went to the zone tier
    xinhua = next(r for r in table.rows if r.unit_id == world.c2.path)
    assert xinhua.composite is None


def test_grid_worker_rankings_can_be_switched_off_by_policy(world, fixture_cases, four_rated_suffice):
    from grassroots.core import policy
    from grassroots.core.models import PolicySetting

    table = selectors.kpi_table(actor=world.community_staff, unit_kind="grid_worker", period=NOVEMBER, as_of=AS_OF)
    assert table.ranked and table.rows[0].unit_id == world.grid_worker.pk and table.rows[0].rank == 1
    PolicySetting.objects.create(key="kpi.rank_individuals", value=False)
    policy.invalidate()
    table = selectors.kpi_table(actor=world.community_staff, unit_kind="grid_worker", period=NOVEMBER, as_of=AS_OF)
    assert not table.ranked and all(r.rank is None for r in table.rows)
    assert Case.objects.count() == 8


def test_by_default_four_rated_cases_are_too_few_to_score_rank_or_grade(world, fixture_cases):
    row, table = _dept_row(world.zone_leader, world)
    assert table.minimums == {"response_rate": 5, "resolution_rate": 5, "satisfaction_rate": 5}
    assert not row.sufficient and row.short == ["resolution_rate", "satisfaction_rate"]
    assert row.composite is None and row.grade is None and row.rank is None and row.formula == ""
    assert (row.rates["satisfaction_rate"].numerator, row.rates["satisfaction_rate"].denominator) == (3, 4)
    assert table.ranked_rows == [] and row in table.short_rows


def test_a_department_with_one_acknowledged_case_and_nothing_rated_is_not_ranked_first(world, fixture_cases,
                                                                                        four_rated_suffice):
    from grassroots.cases.states import Status
    from grassroots.cases.tests.factories import make_case
    from grassroots.cases.tests.kpi_fixture import AS_OF, at
    from grassroots.core import clock

    clock.freeze(at(20, 9))
    make_case(world, Status.IN_PROGRESS, lead=world.dept_housing)  # acknowledged at once, nothing closed or rated
    clock.freeze(AS_OF)
    table = selectors.kpi_table(actor=world.zone_leader, unit_kind="department", period=NOVEMBER, as_of=AS_OF)
    housing = next(r for r in table.rows if r.unit_id == world.dept_housing.pk)
    assert housing.rates["response_rate"].value == 100.0
    assert housing.composite is None and housing.grade is None and housing.rank is None
    assert set(housing.short) == {"response_rate", "resolution_rate", "satisfaction_rate"}
    assert [r.unit_id for r in table.ranked_rows] == [world.dept_city.pk]
    assert table.rows[0].unit_id == world.dept_city.pk and table.rows[0].rank == 1


def test_the_minimum_samples_are_policy_settings(world, fixture_cases):
    from grassroots.core import policy
    from grassroots.core.models import PolicySetting

    PolicySetting.objects.create(key="kpi.min_rated_cases", value=3)
    PolicySetting.objects.create(key="kpi.min_assignments", value=8)
    policy.invalidate()
    row, table = _dept_row(world.zone_leader, world)
    assert table.minimums == {"response_rate": 8, "resolution_rate": 3, "satisfaction_rate": 3}
    assert row.short == ["response_rate"]  # 7 assignments due
