import pytest

from grassroots.lifecircle import services
from tests.support.world import scope_test

from .conftest import LAT

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysed(lifecircle_world):
    w = lifecircle_world
    w.f1 = services.facility_create(actor=w.zone_leader, kind=w.canteen, region=w.g1, name="安泰便民食堂",
                                    lon=118.605, lat=LAT, service_items=[w.item_residence])
    services.run_analysis(zone=w.zone)
    return w


@scope_test("lifecircle_item_list", "lifecircle_item_detail")
def test_items_are_public(client, analysed):
    w = analysed
    data = client.get("/api/lifecircle/items", {"q": "居住证"}).json()
    assert [i["code"] for i in data["items"]] == [w.item_residence.code]
    assert client.get(f"/api/lifecircle/items/{w.item_residence.pk}").json()["name"] == "居住证办理"
    assert client.get("/api/lifecircle/items/999999").status_code == 404


@scope_test("lifecircle_facility_list", "lifecircle_facility_detail")
def test_facilities_are_public_and_retired_ones_missing(client, analysed):
    w = analysed
    assert client.get("/api/lifecircle/facilities").json()["count"] == 1
    assert client.get(f"/api/lifecircle/facilities/{w.f1.pk}").json()["kind"] == "community_canteen"
    services.facility_retire(actor=w.zone_leader, facility=w.f1)
    assert client.get(f"/api/lifecircle/facilities/{w.f1.pk}").status_code == 404


@scope_test("lifecircle_nearest")
def test_nearest_accepts_gcj02_positions(client, analysed):
    from grassroots.core.geo import wgs84_to_gcj02

    w = analysed
    lon, lat = wgs84_to_gcj02(118.615, LAT)
    data = client.get("/api/lifecircle/nearest", {"item": w.item_residence.pk, "lon": lon, "lat": lat, "crs": "GCJ02"}).json()
    assert data[0]["facility"]["name"] == "安泰便民食堂" and 880 < data[0]["walk_m"] < 890
    bad = client.get("/api/lifecircle/nearest", {"item": w.item_residence.pk, "lon": 118.6, "lat": LAT, "limit": 99})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    unknown = client.get("/api/lifecircle/nearest", {"item": w.item_residence.pk, "lon": 118.6, "lat": LAT,
                                                     "crs": "EPSG:3857"})
    assert unknown.status_code == 400 and unknown.json()["field"] == "position"


@scope_test("lifecircle_coverage", "lifecircle_gaps")
def test_coverage_and_gaps_are_scoped(client, analysed):
    w = analysed
    assert client.get("/api/lifecircle/coverage").status_code in (401, 404)
    client.force_login(w.community_staff)
    canteen = next(k for k in client.get("/api/lifecircle/coverage").json() if k["kind"] == "community_canteen")
    assert (canteen["covered"], canteen["total"]) == (1, 2)
    gaps = client.get("/api/lifecircle/gaps", {"kind": "community_canteen"}).json()["items"]
    assert [g["building_code"] for g in gaps] == [w.b2.code]
    client.logout()
    client.force_login(w.resident)
    assert client.get("/api/lifecircle/gaps").status_code == 404
