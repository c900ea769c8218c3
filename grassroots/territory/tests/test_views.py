import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core.models import Event
from grassroots.territory.models import Level
from grassroots.territory.services import compound_create, region_create
from tests.support.world import scope_test

from .helpers import box, two_compounds


@pytest.fixture
def secretary(client, world):
    client.force_login(world.community_secretary)
    return client


@pytest.fixture
def compounds(world):
    return two_compounds(world)


@scope_test("territory:browser")
def test_the_browser_shows_only_the_actors_regions(secretary, world):
    response = secretary.get(reverse("territory:browser"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "安泰一网格" in html and "安泰二网格" in html
    assert "银河一网格" not in html and "新华一网格" not in html
    assert 'src="/static/territory/map.js"' in html and "<script>" not in html


def test_the_browser_says_so_when_the_actor_has_no_region(client, world):
    client.force_login(world.department_handler)
    assert "没有负责的区域" in client.get(reverse("territory:browser")).content.decode()


def test_the_browser_asks_for_login(client, world):
    response = client.get(reverse("territory:browser"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_browser_runs_the_same_number_of_queries_for_2_and_20_grids(client, world):
    client.force_login(world.community_secretary)
    url = reverse("territory:browser")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(18):
        region_create(actor=None, level=Level.GRID, name=f"加密网格{i}", parent=world.c1, geometry=box(i, 5, i + 1, 6))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "加密网格17" in response.content.decode()
    assert len(many) == len(few)


@scope_test("territory:grids_geojson")
def test_the_geojson_view_holds_only_the_actors_grids(secretary, world):
    data = secretary.get(reverse("territory:grids_geojson")).json()
    assert {f["id"] for f in data["features"]} == {world.g1.code, world.g2.code}
    assert secretary.get(reverse("territory:grids_geojson"), {"within": world.c3.code}).status_code == 404
    within = secretary.get(reverse("territory:grids_geojson"), {"within": world.g2.code}).json()
    assert [f["id"] for f in within["features"]] == [world.g2.code]


@scope_test("territory:compound_list")
def test_the_compound_list_holds_only_compounds_in_scope(secretary, world, compounds):
    html = secretary.get(reverse("territory:compound_list")).content.decode()
    assert "安泰小区" in html and "银河小区" not in html
    html = secretary.get(reverse("territory:compound_list"), {"q": "不存在"}).content.decode()
    assert "没有符合条件的小区" in html
    # A community outside the scope as a filter shows nothing of it.
    html = secretary.get(reverse("territory:compound_list"), {"community": world.c3.code}).content.decode()
    assert "银河小区" not in html


def test_the_compound_list_runs_the_same_number_of_queries_for_2_and_20_rows(client, world):
    from grassroots.people.models import Post

    # Zone leaders need a second factor for pages; a community secretary over the whole zone does not.
    Post.objects.filter(user=world.community_secretary).update(region=world.zone)
    client.force_login(world.community_secretary)
    for i in range(2):
        compound_create(actor=None, community=world.c1, name=f"小区{i}")
    url = reverse("territory:compound_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(2, 20):
        compound_create(actor=None, community=world.c2 if i % 2 else world.c3, name=f"小区{i}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "小区19" in response.content.decode()
    assert len(many) == len(few)


@scope_test("territory:compound_export")
def test_the_compound_export_holds_only_compounds_in_scope_and_is_audited(secretary, world, compounds):
    response = secretary.get(reverse("territory:compound_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["安泰小区"]
    assert Event.objects.filter(verb="territory.compound_export", actor=world.community_secretary).exists()


def test_the_menu_offers_the_map_to_community_staff_but_not_to_a_resident(client, world):
    client.force_login(world.community_secretary)
    assert reverse("territory:browser") in client.get(reverse("home")).content.decode()
    client.force_login(world.resident)
    assert reverse("territory:browser") not in client.get(reverse("home")).content.decode()
