"""Distances on small hand-made networks equal hand-computed ones."""

import math

import numpy as np
import pytest

from grassroots.lifecircle.analysis import distances_from_point, nearest_distance
from grassroots.lifecircle.network import Network, NetworkError, from_geojson_lines


def line_network(lengths):
    """Nodes 0..n on a line with the given edge lengths (coordinates are irrelevant for the search)."""
    n = len(lengths) + 1
    return Network(np.linspace(118.6, 118.61, n), np.full(n, 37.4), np.arange(n - 1), np.arange(1, n),
                   np.array(lengths, dtype=float))


def test_nearest_source_on_a_line_is_the_shorter_walk():
    net = line_network([100, 200, 300, 400])  # nodes 0..4 at 0, 100, 300, 600, 1000
    dist = nearest_distance(net, np.array([0, 4]), np.array([0, 1, 2, 3, 4]), 1200)
    assert dist.tolist() == [0, 100, 300, 400, 0]


def test_cutoff_leaves_far_targets_unreached():
    net = line_network([100, 200, 300, 400])
    dist = nearest_distance(net, np.array([0]), np.array([1, 2, 3, 4]), 500)
    assert dist[0] == 100 and dist[1] == 300
    assert math.isnan(dist[2]) and math.isnan(dist[3])


def test_a_shortcut_is_taken_and_parallel_edges_keep_the_shortest():
    # square 0-1-2-3-0 with sides 100, plus a diagonal 0-2 of 120 and a duplicate 0-1 of 500
    net = Network(np.array([0, 1, 1, 0]) * 0.001 + 118.6, np.array([0, 0, 1, 1]) * 0.001 + 37.4,
                  np.array([0, 1, 2, 3, 0, 0]), np.array([1, 2, 3, 0, 2, 1]), np.array([100, 100, 100, 100, 120, 500.0]))
    dist = nearest_distance(net, np.array([0]), np.array([1, 2, 3]), 1000)
    assert dist.tolist() == [100, 120, 100]


def test_snap_offsets_are_added_at_both_ends():
    net = line_network([100, 200])
    dist = nearest_distance(net, np.array([0]), np.array([2]), 1000, source_offsets=np.array([15.0]),
                            target_offsets=np.array([5.0]))
    assert dist.tolist() == [320.0]


def test_the_smallest_offset_wins_among_sources_on_one_node():
    net = line_network([100])
    dist = nearest_distance(net, np.array([0, 0]), np.array([1]), 1000, source_offsets=np.array([50.0, 10.0]))
    assert dist.tolist() == [110.0]


def test_no_facility_means_no_distance():
    net = line_network([100])
    assert np.isnan(nearest_distance(net, np.array([], dtype=int), np.array([0, 1]), 1000)).all()


def test_distances_from_a_point_include_its_offset():
    net = line_network([100, 200])
    d = distances_from_point(net, 0, 30.0, 1000)
    assert d.tolist() == [30.0, 130.0, 330.0]


def test_geojson_lines_share_nodes_at_equal_vertices_and_measure_metres():
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[118.6, 37.4], [118.601, 37.4]]}},
        {"type": "Feature", "geometry": {"type": "MultiLineString", "coordinates": [[[118.601, 37.4], [118.601, 37.401]]]}},
    ]}
    net = from_geojson_lines(data)
    assert net.node_count == 3 and net.edge_count == 2
    # 0.001° of longitude at 37.4°N ≈ 88.4 m; 0.001° of latitude ≈ 111.2 m
    assert net.length[0] == pytest.approx(88.4, abs=0.5)
    assert net.length[1] == pytest.approx(111.2, abs=0.5)


@pytest.mark.parametrize("data, fragment", [
    ({"type": "Feature"}, "FeatureCollection"),
    ({"type": "FeatureCollection", "features": [{"geometry": {"type": "Point", "coordinates": [1, 2]}}]}, "不是线"),
    ({"type": "FeatureCollection", "features": [{"geometry": {"type": "LineString", "coordinates": [[1, 2]]}}]}, "少于两个点"),
    ({"type": "FeatureCollection",
      "features": [{"geometry": {"type": "LineString", "coordinates": [[500, 2], [501, 2]]}}]}, "超出"),
    ({"type": "FeatureCollection", "features": []}, "为空"),
])
def test_bad_geojson_is_refused_with_a_clear_message(data, fragment):
    with pytest.raises(NetworkError) as err:
        from_geojson_lines(data)
    assert fragment in err.value.zh


def test_network_survives_storage_round_trip():
    net = line_network([100, 200])
    back = Network.from_bytes(net.to_bytes())
    assert back.node_count == 3 and back.length.tolist() == [100, 200]
