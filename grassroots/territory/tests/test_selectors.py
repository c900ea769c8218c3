import pytest

from grassroots.core import geo
from grassroots.core.errors import NotFound
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


def test_grid_contents_are_its_buildings_and_the_compounds_it_touches(world, compounds):
    contents = selectors.grid_contents(actor=world.community_secretary, grid=world.g1)
    assert contents["grid"] == world.g1
    assert contents["buildings"] == [world.b1] and contents["residential_buildings"] == 1
    assert contents["compounds"] == [compounds[0]]


def test_grid_contents_outside_scope_are_not_found(world):
    with pytest.raises(NotFound):
        selectors.grid_contents(actor=world.other_staff, grid=world.g1)


def test_a_regions_parent_is_shown_only_inside_the_scope(world):
    assert selectors.region_parent(actor=world.community_secretary, region=world.g1) == world.c1
    assert selectors.region_parent(actor=world.community_secretary, region=world.c1) is None
    assert selectors.region_parent(actor=world.zone_leader, region=world.zone) is None


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


def test_region_counts_are_the_sub_regions_below_by_level(world):
    region_create(actor=None, level=Level.BUILDING, name="2号楼", parent=world.g1)
    counts = selectors.region_counts(actor=world.community_secretary, region=world.c1)
    assert counts == [("网格", 2), ("楼栋", 3)]
