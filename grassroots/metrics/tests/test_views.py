"""KPI ranking page and Excel export: scope (out of scope == missing), constant queries, figures."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from grassroots.people.models import Organization
from tests.support.world import login_verified, scope_test

URL = "/cases/kpi/"
EXPORT = "/cases/kpi/export.xlsx"


def login(client, world, user):
    login_verified(client, user)
    return client


@scope_test("metrics:kpi_ranking")
def test_the_zone_leader_ranks_departments_and_a_department_sees_only_itself(client, world, fixture_cases,
                                                                              four_rated_suffice):
    page = login(client, world, world.zone_leader).get(URL, {"unit": "department", "month": "2026-11"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "城市管理局" in html and "住房和城乡建设局" in html and "74.64" in html and "71.43%" in html
    assert "0.10 × 71.43 + 0.45 × 75.00 + 0.45 × 75.00 = 74.64" in html  # how the score was made
    client.logout()
    mine = login(client, world, world.department_handler2).get(URL, {"unit": "department", "month": "2026-11"})
    assert mine.status_code == 200
    assert "住房和城乡建设局" in mine.content.decode() and "城市管理局" not in mine.content.decode()
    assert mine.context["table"].rows[0].composite is None


@pytest.mark.parametrize("user, kinds", [
    ("zone_leader", ["department", "subdistrict", "community", "grid", "grid_worker", "channel"]),
    ("subdistrict_officer", ["community", "grid", "grid_worker"]),
    ("community_staff", ["grid", "grid_worker"]),
    ("department_handler", ["department"]),
])
def test_each_post_sees_the_unit_kinds_below_it(client, world, user, kinds):
    page = login(client, world, getattr(world, user)).get(URL)
    assert page.status_code == 200
    assert [k for k, _ in page.context["kinds"]] == kinds


def test_a_community_sees_only_its_own_grids(client, world, fixture_cases):
    page = login(client, world, world.community_staff).get(URL, {"unit": "grid", "month": "2026-11"})
    labels = [r.label for r in page.context["table"].rows]
    assert sorted(labels) == ["安泰一网格", "安泰二网格"]
    # a kind above the post is not offered: community rankings are 404 for community staff
    assert client.get(URL, {"unit": "subdistrict"}).status_code == 404


@pytest.mark.parametrize("user", ["resident", "enterprise_contact", "admin", "auditor"])
def test_people_without_kpi_scope_get_404(client, world, user):
    assert login(client, world, getattr(world, user)).get(URL).status_code == 404
    assert client.get(EXPORT).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, world):
    assert client.get(URL).status_code == 302


def test_the_page_uses_the_same_number_of_queries_for_2_and_20_units(client, world, fixture_cases):
    login(client, world, world.zone_leader)
    client.get(URL, {"unit": "department", "month": "2026-11"})  # the live rollup is built on the first load
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"unit": "department", "month": "2026-11"})
    for i in range(18):
        Organization.objects.create(name=f"测试部门{i}", kind=Organization.Kind.DEPARTMENT, region=world.zone)
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL, {"unit": "department", "month": "2026-11"})
    assert len(page.context["table"].rows) == 20
    assert len(many) == len(few)


def test_a_bad_month_shows_an_error_and_the_current_month(client, world):
    page = login(client, world, world.zone_leader).get(URL, {"month": "2026-13"})
    assert page.status_code == 200 and page.context["error"]


@scope_test("metrics:kpi_export")
def test_the_export_holds_the_same_figures_and_keeps_to_the_scope(client, world, fixture_cases,
                                                                  four_rated_suffice):
    response = login(client, world, world.department_handler).get(EXPORT, {"unit": "department",
                                                                           "month": "2026-11"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("排名", "考核对象")
    assert [r[1] for r in rows[1:]] == ["城市管理局"]
    assert rows[1][-2:] == (74.64, "C")
    response = client.get(EXPORT, {"unit": "channel"})
    assert response.status_code == 404


def test_units_short_of_their_sample_are_listed_below_the_ranking_without_a_grade(client, world, fixture_cases):
    page = login(client, world, world.zone_leader).get(URL, {"unit": "department", "month": "2026-11"})
    html = page.content.decode()
    assert "data-ranking" not in html  # nobody has 5 rated cases
    short = html[html.index("data-short"):]
    assert "城市管理局" in short and "样本不足" in short and "3/4" in short and "74.64" not in html
    assert "data-minimums" in html
@pytest.mark.parametrize("unit", ["community", "subdistrict", "grid", "department", "channel"])
def test_the_export_answers_a_workbook_for_every_unit_kind_and_is_audited(client, world, fixture_cases, unit):
    """社区/村/园区 holds characters a sheet title may not: the export still answers, titled without them."""
    response = login(client, world, world.zone_leader).get(EXPORT, {"unit": unit, "month": "2026-11"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    if unit == "community":
        assert book.active.title == "社区村园区"
    assert book.active["A1"].value == "排名" and "说明" in book.sheetnames
    from grassroots.core.models import Event

    event = Event.objects.get(verb="kpi.export")
    assert event.actor_id == world.zone_leader.pk and event.payload["rows"] == book.active.max_row - 1
    assert event.payload["filters"] == {"unit": unit, "start": "2026-11-01", "end": "2026-11-30", "channel": ""}
