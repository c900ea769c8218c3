"""Through the pages only: a resident finds the nearest service point; a planner opens coverage and downloads gaps."""

import io

import openpyxl
import pytest

from grassroots.lifecircle import services
from tests.support.world import browser_login

from .conftest import LAT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def analysed(lifecircle_world):
    w = lifecircle_world
    services.facility_create(actor=w.zone_leader, kind=w.canteen, region=w.g1, name="安泰党群服务中心",
                             lon=118.606, lat=LAT, service_items=[w.item_residence])
    services.facility_create(actor=w.zone_leader, kind=w.canteen, region=w.g3, name="新华党群服务中心",
                             lon=118.625, lat=LAT, service_items=[w.item_residence])
    services.run_analysis(zone=w.zone)
    return w


def test_a_resident_finds_the_nearest_point_for_a_service_item(browser_page, analysed):
    page, w = browser_page, analysed
    browser_login(page, w.resident.username, w.password)
    page.goto("/lifecircle/")
    page.fill("input[name=q]", "居住证")
    page.click("#finder-search button[type=submit]")
    page.click("a.finder-item:has-text('居住证办理')")
    points = page.locator("li.nearby-point")
    points.first.wait_for()
    assert points.count() == 2
    assert "安泰党群服务中心" in points.nth(0).inner_text()
    assert "步行约" in points.nth(0).inner_text()


def test_a_planner_opens_the_coverage_map_and_downloads_the_gaps(browser_page, analysed):
    page, w = browser_page, analysed
    browser_login(page, w.community_staff.username, w.password)
    page.goto("/lifecircle/coverage/")
    page.wait_for_selector("#gaps-map[data-loaded]")
    assert page.locator("#gaps-map .leaflet-interactive").count() >= 1
    assert "安泰社区" in page.locator("table.coverage-matrix").inner_text()
    with page.expect_download() as info:
        page.click("#gaps-download")
    sheet = openpyxl.load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active
    codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert w.b2.code in codes and w.b3.code not in codes  # b3 belongs to another community
