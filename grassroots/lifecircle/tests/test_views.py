import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.core.models import Event
from grassroots.lifecircle import services
from grassroots.lifecircle.models import Facility, ServiceItem
from tests.support.world import scope_test

from .conftest import LAT

pytestmark = pytest.mark.django_db


def login(client, world, user):
    client.force_login(user)
    return client


def add(world, kind, lon, region, items=(), name="设施"):
    return services.facility_create(actor=world.zone_leader, kind=kind, region=region, name=name, lon=lon, lat=LAT,
                                    service_items=items)


@pytest.fixture
def analysed(lifecircle_world):
    w = lifecircle_world
    w.f1 = add(w, w.canteen, 118.605, w.g1, [w.item_residence], "安泰便民食堂")
    w.f3 = add(w, w.canteen, 118.625, w.g3, [w.item_residence], "新华便民食堂")
    services.run_analysis(zone=w.zone)
    return w


@scope_test("lifecircle:finder")
def test_a_resident_finds_the_nearest_point_from_home(client, analysed):
    w = analysed
    login(client, w, w.resident)  # lives in b1 (118.605)
    page = client.get(reverse("lifecircle:finder"), {"item": w.item_residence.pk}).content.decode()
    assert page.index("安泰便民食堂") < page.index("新华便民食堂")
    assert "按您登记的住址计算" in page


def test_the_finder_uses_a_given_position_and_searches_items(client, analysed):
    w = analysed
    page = client.get(reverse("lifecircle:finder"), {"item": w.item_residence.pk, "lon": 118.625, "lat": LAT}).content.decode()
    assert page.index("新华便民食堂") < page.index("安泰便民食堂")
    assert "居住证办理" in client.get(reverse("lifecircle:finder"), {"q": "居住证"}).content.decode()
    assert "没有找到相关事项" in client.get(reverse("lifecircle:finder"), {"q": "不存在的事"}).content.decode()


def test_the_finder_says_when_the_position_is_far_from_any_path(client, analysed):
    w = analysed
    page = client.get(reverse("lifecircle:finder"), {"item": w.item_residence.pk, "lon": 118.9, "lat": 37.9}).content.decode()
    assert "离路网太远" in page
    for bad in ({"lon": "east", "lat": LAT}, {"lon": 118.625, "lat": LAT, "crs": "EPSG:3857"}):
        response = client.get(reverse("lifecircle:finder"), {"item": w.item_residence.pk, **bad})
        assert response.status_code == 200 and "坐标或坐标系无效" in response.content.decode()


@scope_test("lifecircle:items", "lifecircle:item_detail")
def test_the_catalogue_is_public_with_search_and_constant_queries(client, analysed):
    w = analysed
    url = reverse("lifecircle:items")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(20):
        ServiceItem.objects.create(code=f"X-{i:03d}", name=f"事项{i}", item_type="public_service",
                                   competent_department="民政", implementing_body="社区")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many)
    assert "居住证办理" in client.get(url, {"q": "居住证"}).content.decode()
    assert client.get(reverse("lifecircle:item_detail", args=[w.item_residence.pk])).status_code == 200
    ServiceItem.objects.filter(pk=w.item_pension.pk).update(active=False)
    assert client.get(reverse("lifecircle:item_detail", args=[w.item_pension.pk])).status_code == 404


@scope_test("lifecircle:facilities", "lifecircle:facility_detail")
def test_facility_pages_are_public_with_constant_queries(client, analysed):
    w = analysed
    url = reverse("lifecircle:facilities")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(20):
        Facility.objects.create(name=f"站点{i}", kind=w.kindergarten, region=w.g2, lon=118.615, lat=LAT)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, {"kind": "kindergarten"}).content.decode()
    assert len(few) == len(many)
    assert "站点3" in page and "安泰便民食堂" not in page
    assert client.get(reverse("lifecircle:facility_detail", args=[w.f1.pk])).status_code == 200
    Facility.objects.filter(pk=w.f3.pk).update(active=False)
    assert client.get(reverse("lifecircle:facility_detail", args=[w.f3.pk])).status_code == 404


@scope_test("lifecircle:facility_new")
def test_staff_add_a_facility_in_their_scope_only(client, analysed):
    w = analysed
    login(client, w, w.community_staff)
    data = {"name": "安泰幼儿园", "kind": w.kindergarten.pk, "lon": 118.615, "lat": LAT, "region_code": w.g2.code}
    response = client.post(reverse("lifecircle:facility_new"), data)
    assert response.status_code == 302 and Facility.objects.filter(name="安泰幼儿园").exists()
    page = client.post(reverse("lifecircle:facility_new"),
                       {**data, "name": "银河幼儿园", "region_code": w.g4.code}).content.decode()
    assert "区域编码不存在" in page and not Facility.objects.filter(name="银河幼儿园").exists()


@scope_test("lifecircle:facility_retire")
def test_retiring_needs_scope_and_is_recorded(client, analysed):
    w = analysed
    login(client, w, w.other_staff)
    assert client.post(reverse("lifecircle:facility_retire", args=[w.f1.pk])).status_code == 404
    assert Facility.objects.get(pk=w.f1.pk).active
    client.logout()
    login(client, w, w.community_staff)
    assert client.post(reverse("lifecircle:facility_retire", args=[w.f1.pk])).status_code == 302
    assert not Facility.objects.get(pk=w.f1.pk).active


@scope_test("lifecircle:coverage")
def test_coverage_page_shows_only_the_actors_communities(client, analysed):
    w = analysed
    login(client, w, w.community_staff)
    page = client.get(reverse("lifecircle:coverage")).content.decode()
    assert "安泰社区" in page and "新华社区" not in page and "银河社区" not in page
    client.logout()
    login(client, w, w.resident)
    assert client.get(reverse("lifecircle:coverage")).status_code == 404


@scope_test("lifecircle:gaps_geojson", "lifecircle:gaps_export")
def test_gaps_map_layer_and_excel_leave_out_buildings_outside_scope(client, analysed):
    w = analysed
    login(client, w, w.community_staff)
    data = client.get(reverse("lifecircle:gaps_geojson"), {"kind": "community_canteen"}).json()
    assert [f["properties"]["code"] for f in data["features"]] == [w.b2.code]
    response = client.get(reverse("lifecircle:gaps_export"), {"kind": "community_canteen"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == [w.b2.code]
    event = Event.objects.get(verb="life_circle_gap.export", actor=w.community_staff)
    assert event.payload["rows"] == 1 and event.payload["filters"] == {"kind": "community_canteen"}
    client.logout()
    login(client, w, w.department_handler)
    assert client.get(reverse("lifecircle:gaps_export")).status_code == 404
