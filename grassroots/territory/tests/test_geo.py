import math

import numpy as np
import pytest
import shapely

from grassroots.core import geo

# Published reference pairs (WGS84 → GCJ-02 → BD-09) for Tian'anmen and for Dongying.
BEIJING_WGS84 = (116.404, 39.915)
BEIJING_GCJ02 = (116.41024449916938, 39.91640428150164)
BEIJING_GCJ02_AS_INPUT_TO_BD09 = (116.41036949371029, 39.92133699351021)  # gcj02_to_bd09(116.404, 39.915)
HALF_METRE = 0.5


def metres_between(a, b) -> float:
    return geo.distance_m(a[0], a[1], b[0], b[1])


def test_wgs84_to_gcj02_matches_the_published_pair():
    assert metres_between(geo.wgs84_to_gcj02(*BEIJING_WGS84), BEIJING_GCJ02) < HALF_METRE


def test_gcj02_to_bd09_matches_the_published_pair():
    assert metres_between(geo.gcj02_to_bd09(*BEIJING_WGS84), BEIJING_GCJ02_AS_INPUT_TO_BD09) < HALF_METRE


def test_the_gcj02_offset_near_dongying_is_hundreds_of_metres():
    lon, lat = 118.67, 37.43
    assert 300 < metres_between((lon, lat), geo.wgs84_to_gcj02(lon, lat)) < 1000


@pytest.mark.parametrize("point", [BEIJING_WGS84, (118.67, 37.43), (121.47, 31.23), (113.26, 23.13), (87.6, 43.8)])
def test_gcj02_inverse_round_trips_within_a_micro_degree(point):
    back = geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(*point))
    assert abs(back[0] - point[0]) < 1e-6 and abs(back[1] - point[1]) < 1e-6
    assert metres_between(back, point) < HALF_METRE


@pytest.mark.parametrize("point", [BEIJING_WGS84, (118.67, 37.43), (121.47, 31.23)])
def test_bd09_round_trips_within_half_a_metre(point):
    assert metres_between(geo.bd09_to_wgs84(*geo.wgs84_to_bd09(*point)), point) < HALF_METRE
    assert metres_between(geo.bd09_to_gcj02(*geo.gcj02_to_bd09(*point)), point) < HALF_METRE


def test_to_wgs84_accepts_each_crs_and_aliases():
    gcj = geo.wgs84_to_gcj02(*BEIJING_WGS84)
    bd = geo.wgs84_to_bd09(*BEIJING_WGS84)
    assert metres_between(geo.to_wgs84(*gcj, "gcj-02"), BEIJING_WGS84) < HALF_METRE
    assert metres_between(geo.to_wgs84(*bd, "BD09"), BEIJING_WGS84) < HALF_METRE
    assert geo.to_wgs84(*BEIJING_WGS84, "wgs84") == BEIJING_WGS84


def test_unknown_crs_is_refused():
    with pytest.raises(ValueError):
        geo.to_wgs84(1.0, 2.0, "EPSG:3857")


def test_outside_china_there_is_no_offset():
    paris = (2.35, 48.85)
    assert geo.wgs84_to_gcj02(*paris) == paris
    assert geo.gcj02_to_wgs84(*paris) == paris
    lon, lat = geo.wgs84_to_gcj02_np([2.35], [48.85])
    assert lon[0] == 2.35 and lat[0] == 48.85


def test_vectorised_conversions_agree_with_the_scalar_ones():
    rng = np.random.default_rng(7)
    lons = rng.uniform(100, 125, 200)
    lats = rng.uniform(20, 45, 200)
    for crs in ("GCJ02", "BD09"):
        vl, vt = geo.from_wgs84_np(lons, lats, crs)
        back_l, back_t = geo.to_wgs84_np(vl, vt, crs)
        assert np.abs(back_l - lons).max() < 1e-6 and np.abs(back_t - lats).max() < 1e-6
        for i in range(0, 200, 37):
            assert metres_between(geo.from_wgs84(lons[i], lats[i], crs), (vl[i], vt[i])) < 1e-3


def test_geometry_to_crs_moves_every_vertex_and_keeps_the_shape():
    square = {"type": "Polygon", "coordinates": [[[118.6, 37.4], [118.61, 37.4], [118.61, 37.41], [118.6, 37.41],
                                                  [118.6, 37.4]]]}
    out = geo.geometry_to_crs(square, "GCJ02")
    assert out["type"] == "Polygon" and len(out["coordinates"][0]) == 5
    for (x, y), (gx, gy) in zip(square["coordinates"][0], out["coordinates"][0], strict=True):
        assert metres_between(geo.wgs84_to_gcj02(x, y), (gx, gy)) < 1e-3
    assert geo.geometry_to_crs(square, "WGS84") is square
    back = geo.geometry_to_wgs84(out, "GCJ02")
    assert metres_between(back["coordinates"][0][2], square["coordinates"][0][2]) < HALF_METRE


def test_geometry_to_crs_follows_the_map_tile_setting(settings):
    point = {"type": "Point", "coordinates": list(BEIJING_WGS84)}
    settings.MAP_TILE_CRS = "BD09"
    assert metres_between(geo.geometry_to_crs(point)["coordinates"], geo.wgs84_to_bd09(*BEIJING_WGS84)) < 1e-3
    settings.MAP_TILE_CRS = "WGS84"
    assert geo.geometry_to_crs(point) == point


def test_distance_of_one_degree_of_latitude_is_about_111_km():
    assert abs(geo.distance_m(118.0, 37.0, 118.0, 38.0) - 111_195) < 50
    assert geo.distance_m(118.0, 37.0, 118.0, 37.0) == 0


def test_local_projection_measures_like_the_great_circle_over_a_zone():
    proj = geo.LocalProjection(118.65, 37.45)
    x, y = proj.forward(118.70, 37.48)
    assert abs(math.hypot(x, y) - geo.distance_m(118.65, 37.45, 118.70, 37.48)) < 5
    lon, lat = proj.inverse(x, y)
    assert abs(lon - 118.70) < 1e-9 and abs(lat - 37.48) < 1e-9
    box = proj.project(shapely.box(118.65, 37.45, 118.651, 37.451))
    assert abs(box.area - geo.distance_m(118.65, 37.45, 118.651, 37.45) * geo.distance_m(118.65, 37.45, 118.65,
                                                                                            37.451)) < 50
