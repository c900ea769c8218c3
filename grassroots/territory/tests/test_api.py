import pytest

from grassroots.core import geo
from grassroots.territory.services import compound_create
from tests.support.world import BASE_LAT, centre, scope_test

API = "/api/territory"


@pytest.fixture
def secretary(client, world):
    client.force_login(world.community_secretary)
    return client


@scope_test("territory_region_list")
def test_the_region_tree_holds_only_the_actors_regions(secretary, client, world):
    rows = secretary.get(f"{API}/regions").json()
    assert [r["code"] for r in rows] == [world.c1.code, world.g1.code, world.g2.code]
    assert rows[1]["parent_code"] == world.c1.code and rows[0]["parent_code"] is None
    client.force_login(world.department_handler)
    assert client.get(f"{API}/regions").json() == []


def test_the_api_needs_a_login(client, world):
    assert client.get(f"{API}/regions").status_code == 401


@scope_test("territory_region_detail")
def test_region_detail_in_scope_and_404_outside(secretary, world):
    body = secretary.get(f"{API}/regions/{world.c1.code}").json()
    assert body["name"] == "安泰社区" and [c["code"] for c in body["children"]] == [world.g1.code, world.g2.code]
    assert body["geometry"]["type"] == "Polygon"
    response = secretary.get(f"{API}/regions/{world.c3.code}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@scope_test("territory_grids_geojson")
def test_grids_geojson_in_scope_only(secretary, world):
    body = secretary.get(f"{API}/grids.geojson").json()
    assert body["type"] == "FeatureCollection" and {f["id"] for f in body["features"]} == {world.g1.code,
                                                                                          world.g2.code}
    assert secretary.get(f"{API}/grids.geojson", {"within": world.p1.code}).status_code == 404


@scope_test("territory_locate")
def test_locate_returns_the_grid_in_scope_404_outside_and_400_outside_every_grid(secretary, world):
    lon, lat = centre(1)
    body = secretary.get(f"{API}/locate", {"lon": lon, "lat": lat}).json()
    assert body == {"code": world.g2.code, "name": "安泰二网格", "path": world.g2.path}
    glon, glat = geo.wgs84_to_gcj02(lon, lat)
    assert secretary.get(f"{API}/locate", {"lon": glon, "lat": glat, "crs": "GCJ02"}).json()["code"] == world.g2.code
    assert secretary.get(f"{API}/locate", {"lon": centre(3)[0], "lat": centre(3)[1]}).status_code == 404
    response = secretary.get(f"{API}/locate", {"lon": lon, "lat": BASE_LAT - 0.005})
    assert response.status_code == 400
    assert response.json()["code"] == "outside_grids"
    assert "该位置不在任何网格内（最近的网格「安泰二网格」相距约" in response.json()["message"]
    assert secretary.get(f"{API}/locate", {"lon": lon, "lat": lat, "crs": "XYZ"}).status_code == 400


@scope_test("territory_compound_list")
def test_compounds_in_scope_only(secretary, world):
    compound_create(actor=None, community=world.c1, name="安泰小区")
    compound_create(actor=None, community=world.c3, name="银河小区")
    body = secretary.get(f"{API}/compounds").json()
    assert body["count"] == 1 and body["items"][0]["name"] == "安泰小区"
    assert secretary.get(f"{API}/compounds", {"community": world.c3.code}).status_code == 404
