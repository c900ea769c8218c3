"""Through the pages only: a community secretary opens the territory map and cannot reach another community."""

import pytest

from tests.support.world import browser_login, menu_click

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_community_secretary_sees_own_grids_on_the_map_and_not_another_communitys(browser_page, world):
    page, w = browser_page, world
    other_grid_url = f"/territory/r/{w.g4.code}/"  # read before the first step
    browser_login(page, w.community_secretary.username, w.password)
    menu_click(page, "网格地图")
    page.wait_for_selector("#territory-map[data-features]")
    assert page.get_attribute("#territory-map", "data-features") == "2"
    assert page.locator("#territory-map path.grid-polygon").count() == 2
    labels = page.locator("#territory-map .grid-label").all_inner_texts()
    assert sorted(labels) == ["安泰一网格", "安泰二网格"]
    assert "银河一网格" not in page.inner_text("#territory-map")

    page.locator(f"#territory-map path.grid-{w.g1.code}").click(force=True)
    page.wait_for_selector(f"#grid-panel [data-grid-code='{w.g1.code}']")
    panel = page.inner_text("#grid-panel")
    assert "安泰一网格1号楼" in panel and "grid1" in panel

    response = page.goto(other_grid_url)
    assert response.status == 404
    body = page.inner_text("body")
    assert "对象不存在" in body or "Not Found" in body
    assert "银河一网格" not in body
