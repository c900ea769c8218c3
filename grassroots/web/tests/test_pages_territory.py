"""The region and grid pages (``web.pages.territory``): territory's tree with people counts, grid workers and party
organisations composed beside it; their URLs keep the ``territory:`` names."""

import pytest
from django.urls import reverse

from grassroots.territory.tests.helpers import two_compounds
from tests.support.world import scope_test


@pytest.fixture
def secretary(client, world):
    client.force_login(world.community_secretary)
    return client


@scope_test("territory:region_detail")
def test_region_detail_shows_a_grid_and_hides_other_communities(secretary, world):
    two_compounds(world)
    response = secretary.get(reverse("territory:region_detail", args=[world.g1.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert world.b1.name in html and "安泰小区" in html and "grid1" in html
    assert secretary.get(reverse("territory:region_detail", args=[world.g4.code])).status_code == 404
    assert secretary.get(reverse("territory:region_detail", args=[world.s1.code])).status_code == 404


def test_region_detail_of_a_community_lists_its_grids(secretary, world):
    html = secretary.get(reverse("territory:region_detail", args=[world.c1.code])).content.decode()
    assert "安泰一网格" in html and "安泰二网格" in html and "查看本社区小区" in html


@scope_test("territory:grid_panel")
def test_the_grid_panel_is_a_fragment_for_grids_in_scope(secretary, world):
    response = secretary.get(reverse("territory:grid_panel", args=[world.g2.code]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "安泰二网格" in html and "<html" not in html
    assert secretary.get(reverse("territory:grid_panel", args=[world.g3.code])).status_code == 404
    assert secretary.get(reverse("territory:grid_panel", args=[world.c1.code])).status_code == 404
