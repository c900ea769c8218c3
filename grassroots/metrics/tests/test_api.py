"""KPI API (``/api/cases/kpi/``): the fixture's figures, scope (out of scope == missing), sign-in required."""

from __future__ import annotations

from tests.support.world import login_verified, scope_test

API = "/api/cases/kpi"


@scope_test("cases_kpi_table", "cases_kpi_kinds")
def test_the_api_table_matches_the_fixture_and_hides_other_departments(client, world, fixture_cases,
                                                                       four_rated_suffice):
    login_verified(client, world.department_handler)
    kinds = client.get(f"{API}/kinds").json()
    assert [k["key"] for k in kinds] == ["department"]
    data = client.get(f"{API}/table", {"unit": "department", "month": "2026-11"}).json()
    assert [r["label"] for r in data["rows"]] == ["城市管理局"]
    row = data["rows"][0]
    rates = {r["key"]: (r["numerator"], r["denominator"]) for r in row["rates"]}
    assert rates["response_rate"] == (5, 7) and rates["closure_rate"] == (5, 8)
    assert row["composite"] == 74.64 and row["grade"] == "C"
    assert row["sample_sufficient"] and row["short_of"] == []
    assert row["score_formula"] == "0.10 × 71.43 + 0.45 × 75.00 + 0.45 × 75.00 = 74.64"
    assert data["minimum_samples"] == {"response_rate": 5, "resolution_rate": 4, "satisfaction_rate": 4}
    assert client.get(f"{API}/table", {"unit": "channel"}).status_code == 404
    client.logout()
    assert client.get(f"{API}/table").status_code == 401


@scope_test("cases_kpi_unit")
def test_the_api_unit_is_404_outside_the_scope(client, world, fixture_cases):
    login_verified(client, world.department_handler2)
    mine = client.get(f"{API}/unit", {"unit": "department", "unit_id": world.dept_housing.pk, "month": "2026-11"})
    assert mine.status_code == 200 and mine.json()["composite"] is None
    other = client.get(f"{API}/unit", {"unit": "department", "unit_id": world.dept_city.pk, "month": "2026-11"})
    assert other.status_code == 404
    client.logout()
    login_verified(client, world.zone_leader)
    grid = client.get(f"{API}/unit", {"unit": "grid", "unit_id": world.g1.path, "month": "2026-11"})
    assert grid.status_code == 200 and grid.json()["label"] == "安泰一网格"


def test_the_api_lists_a_unit_short_of_its_sample_without_score_or_grade(client, world, fixture_cases):
    login_verified(client, world.zone_leader)
    data = client.get(f"{API}/table", {"unit": "department", "month": "2026-11"}).json()
    city = next(r for r in data["rows"] if r["label"] == "城市管理局")
    assert not city["sample_sufficient"] and city["short_of"] == ["resolution_rate", "satisfaction_rate"]
    assert city["composite"] is None and city["grade"] is None and city["rank"] is None
