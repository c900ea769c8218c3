import datetime as dt

import pytest

from grassroots.core import geo
from grassroots.core.errors import NotFound
from grassroots.core.testing import make_user
from grassroots.people.models import Person
from grassroots.territory import selectors
from grassroots.territory.models import Level
from grassroots.territory.services import compound_create, region_create

from .helpers import box


@pytest.fixture
def compounds(world):
    inside = compound_create(actor=None, community=world.c1, name="安泰小区", geometry=box(0.2, 0.2, 0.8, 0.8))
    other = compound_create(actor=None, community=world.c3, name="银河小区", geometry=box(3.2, 0.2, 3.8, 0.8))
    return inside, other


def test_a_community_secretary_sees_their_community_and_its_grids_only(world):
    codes = [row["region"].code for row in selectors.region_tree(actor=world.community_secretary)]
    assert codes == [world.c1.code, world.g1.code, world.g2.code]
    assert selectors.region_tree(actor=world.community_secretary)[1]["indent"] == 1


def test_the_zone_leader_sees_the_whole_tree_and_a_department_sees_none(world):
    assert len(selectors.region_tree(actor=world.zone_leader)) == 1 + 2 + 4 + 5
    assert selectors.region_tree(actor=world.department_handler) == []
    assert selectors.region_tree(actor=world.admin) == []


def test_region_detail_outside_scope_is_not_found(world):
    assert selectors.region_detail(actor=world.community_secretary, code=world.g1.code) == world.g1
    with pytest.raises(NotFound):
        selectors.region_detail(actor=world.community_secretary, code=world.g4.code)
    with pytest.raises(NotFound):
        selectors.region_detail(actor=world.grid_worker, code=world.g2.code)
    with pytest.raises(NotFound):
        selectors.region_detail(actor=world.community_secretary, code="no-such-code")


def test_grids_geojson_holds_the_actors_grids_in_the_tile_crs(world, settings):
    settings.MAP_TILE_CRS = "GCJ02"
    data = selectors.grids_geojson(actor=world.community_secretary)
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["name"] for f in data["features"]] == ["安泰一网格", "安泰二网格"]
    first = data["features"][0]
    stored = world.g1.geometry["coordinates"][0][0]
    assert geo.distance_m(*geo.wgs84_to_gcj02(*stored), *first["geometry"]["coordinates"][0][0]) < 0.01
    assert first["properties"]["url"].endswith(f"/r/{world.g1.code}/")


def test_grids_geojson_can_be_limited_to_a_region(world):
    data = selectors.grids_geojson(actor=world.zone_leader, within=world.c2)
    assert [f["id"] for f in data["features"]] == [world.g3.code]


def test_grid_summary_gathers_buildings_compounds_people_and_workers(world, compounds):
    Person.objects.create(name="王迁出", region=world.g1, active=False, birth_date=dt.date(1990, 1, 1))
    summary = selectors.grid_summary(actor=world.community_secretary, grid=world.g1)
    assert summary["buildings"] == [world.b1]
    assert summary["compounds"] == [compounds[0]]
    assert summary["people_total"] == 2 and summary["people_active"] == 1
    assert summary["grid_workers"] == [world.grid_worker]
    assert summary["party_orgs"] == []


def test_a_grid_worker_who_left_is_not_listed(world):
    make_user("grid1b", role="grid_worker", region=world.g1, start=dt.date(2019, 1, 1))
    from grassroots.people.models import Post

    Post.objects.filter(user__username="grid1b").update(end_date=dt.date(2019, 12, 31))
    assert selectors.grid_summary(actor=world.zone_leader, grid=world.g1)["grid_workers"] == [world.grid_worker]


def test_grid_summary_outside_scope_is_not_found(world):
    with pytest.raises(NotFound):
        selectors.grid_summary(actor=world.other_staff, grid=world.g1)


def test_compounds_are_listed_within_scope_with_search(world, compounds):
    assert list(selectors.compounds(actor=world.community_secretary)) == [compounds[0]]
    assert list(selectors.compounds(actor=world.zone_leader, q="银河")) == [compounds[1]]
    assert list(selectors.compounds(actor=world.zone_leader, community=world.c1)) == [compounds[0]]
    assert list(selectors.compounds(actor=world.department_handler)) == []


def test_locate_in_scope_hides_grids_outside_the_actors_scope(world):
    lon, lat = 118.635, 37.405  # inside g4
    assert selectors.locate_in_scope(actor=world.zone_leader, lon=lon, lat=lat) == world.g4
    with pytest.raises(NotFound):
        selectors.locate_in_scope(actor=world.community_secretary, lon=lon, lat=lat)


def test_retired_regions_leave_the_tree_unless_asked_for(world):
    from grassroots.territory.services import grid_merge

    grid_merge(actor=world.zone_leader, grids=[world.g1, world.g2], name="安泰网格")
    names = [r["region"].name for r in selectors.region_tree(actor=world.community_secretary)]
    assert names == ["安泰社区", "安泰网格"]
    names = [r["region"].name for r in selectors.region_tree(actor=world.community_secretary, include_retired=True)]
    assert "安泰一网格" in names


def test_region_summary_counts_below_the_region(world):
    region_create(actor=None, level=Level.BUILDING, name="2号楼", parent=world.g1)
    summary = selectors.region_summary(actor=world.community_secretary, region=world.c1)
    assert dict(summary["by_level"]) == {"网格": 2, "楼栋": 3}
    assert summary["people_total"] == 1
