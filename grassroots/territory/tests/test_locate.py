import numpy as np
import pytest

from grassroots.core import clock, geo
from grassroots.core.errors import ValidationFailed
from grassroots.territory import locate
from grassroots.territory.models import Region
from grassroots.territory.services import grid_merge
from tests.support.world import BASE_LAT, BASE_LON, STEP, centre

METRE_LAT = 1 / 111_195  # degrees of latitude per metre


def test_a_point_inside_a_grid_is_located_in_that_grid(world):
    assert locate.locate(*centre(0)) == world.g1
    assert locate.locate(*centre(3)) == world.g4


@pytest.mark.parametrize("crs", ["GCJ02", "BD09"])
def test_positions_from_chinese_map_apps_are_converted_before_locating(world, crs):
    lon, lat = centre(2)
    # Near the eastern edge of g2: unconverted, the GCJ-02 offset (~500 m) would land in the next grid.
    lon = BASE_LON + STEP * 2 - 0.0005
    converted = geo.from_wgs84(lon, lat, crs)
    assert locate.locate(*converted, crs=crs) == world.g2
    assert locate.locate_many([converted[0]], [converted[1]])[0] != world.g2.pk


def test_a_point_on_a_shared_edge_goes_to_the_grid_with_the_lower_id(world):
    lon = BASE_LON + STEP  # the edge between g1 and g2
    assert locate.locate(lon, BASE_LAT + STEP / 2) == world.g1


def test_a_point_in_a_gap_within_30_metres_goes_to_the_nearest_grid(world):
    lon, _ = centre(1)
    assert locate.locate(lon, BASE_LAT - 20 * METRE_LAT) == world.g2


def test_a_point_farther_than_30_metres_is_outside_with_the_nearest_grid_named(world):
    lon, _ = centre(0)
    with pytest.raises(ValidationFailed) as caught:
        locate.locate(lon, BASE_LAT - 120 * METRE_LAT)
    err = caught.value
    assert err.code == "outside_grids"
    assert "该位置不在任何网格内" in err.zh and "「安泰一网格」" in err.zh and "约 120 米" in err.zh
    assert err.details["nearest_grid_id"] == world.g1.pk


def test_a_point_just_beyond_30_metres_is_outside(world):
    lon, _ = centre(0)
    with pytest.raises(ValidationFailed):
        locate.locate(lon, BASE_LAT - 35 * METRE_LAT)


def test_without_any_grid_boundaries_locate_says_so(db):
    with pytest.raises(ValidationFailed) as caught:
        locate.locate(118.6, 37.4)
    assert caught.value.code == "outside_grids"


def test_invalid_coordinates_are_refused(world):
    with pytest.raises(ValidationFailed):
        locate.locate(float("nan"), 37.4)
    with pytest.raises(ValidationFailed):
        locate.locate(118.6, 37.4, crs="EPSG:3857")


def test_the_index_is_built_once_and_reused(world, settings, django_assert_num_queries):
    settings.TERRITORY_LOCATE_RECHECK_SECONDS = 3600
    first = locate.grid_index()
    assert locate.grid_index() is first
    with django_assert_num_queries(0):  # no signature check, no rebuild, no row fetch
        assert locate.locate(*centre(0)) == world.g1


def test_the_index_follows_a_merge_in_the_same_process(world, settings):
    settings.TERRITORY_LOCATE_RECHECK_SECONDS = 3600
    assert locate.locate(*centre(0)) == world.g1
    merged = grid_merge(actor=world.zone_leader, grids=[world.g1, world.g2], name="安泰合并网格")
    assert locate.locate(*centre(0)) == merged
    assert locate.locate(*centre(1)) == merged


def test_a_bulk_write_that_bypasses_the_services_is_noticed_by_the_signature(world, settings):
    settings.TERRITORY_LOCATE_RECHECK_SECONDS = 0
    assert locate.locate(*centre(3)) == world.g4
    Region.objects.filter(pk=world.g4.pk).update(active=False, updated_at=clock.now())
    with pytest.raises(ValidationFailed):
        locate.locate(*centre(3))


def test_locate_many_agrees_with_locate_point_by_point(world):
    rng = np.random.default_rng(11)
    lons = rng.uniform(BASE_LON - 0.002, BASE_LON + STEP * 5 + 0.002, 300)
    lats = rng.uniform(BASE_LAT - 0.002, BASE_LAT + STEP + 0.002, 300)
    ids = locate.locate_many(lons, lats)
    assert ids.shape == (300,)
    assert (ids == -1).any() and (ids == world.g1.pk).any()
    for lon, lat, found in zip(lons, lats, ids, strict=True):
        try:
            expected = locate.locate_id(lon, lat)
        except ValidationFailed:
            expected = -1
        assert found == expected


def test_locate_many_converts_crs_and_handles_edges_and_gaps(world):
    gcj = geo.wgs84_to_gcj02(*centre(2))
    lons = np.array([centre(0)[0], BASE_LON + STEP, centre(1)[0], centre(0)[0], gcj[0]])
    lats = np.array([centre(0)[1], BASE_LAT + STEP / 2, BASE_LAT - 20 * METRE_LAT, BASE_LAT - 200 * METRE_LAT,
                     gcj[1]])
    gcj_lons, gcj_lats = geo.wgs84_to_gcj02_np(lons[:4], lats[:4])
    assert list(locate.locate_many(lons[:4], lats[:4])) == [world.g1.pk, world.g1.pk, world.g2.pk, -1]
    assert list(locate.locate_many(gcj_lons, gcj_lats, crs="GCJ02")) == [world.g1.pk, world.g1.pk, world.g2.pk, -1]
    assert list(locate.locate_many([], [])) == []


def test_the_region_handed_out_reads_its_geometry_on_demand_and_saves_without_losing_it(world):
    region = locate.locate(*centre(0))
    assert region.name == "安泰一网格"
    region.households = 410
    region.save()
    stored = Region.objects.get(pk=world.g1.pk)
    assert stored.households == 410 and stored.geometry == world.g1.geometry
    assert locate.locate(*centre(0)).geometry == world.g1.geometry
