"""Walking networks as arrays: nodes (lon/lat), undirected edges (u, v, length in metres).

Built from GeoJSON lines or an OpenStreetMap extract (pyosmium); stored compressed in one row; searched with
scipy.sparse.csgraph. Points (buildings, facilities, a resident's position) are snapped to the nearest node, and
the straight-line snap distance is added to the walk.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.sparse import csr_matrix
from scipy.spatial import cKDTree

from grassroots.core.errors import ValidationFailed

EARTH_RADIUS_M = 6_371_008.8
WALKABLE_HIGHWAYS = {
    "footway", "pedestrian", "path", "steps", "living_street", "residential", "service", "unclassified",
    "tertiary", "tertiary_link", "secondary", "secondary_link", "primary", "primary_link", "track", "cycleway",
    "corridor", "road",
}


class NetworkError(ValidationFailed):
    """A bad network file; nothing is written."""

    code = "bad_network"


def haversine_m(lon1, lat1, lon2, lat2):
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(a, dtype=np.float64)) for a in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


@dataclass
class Network:
    lon: np.ndarray
    lat: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length: np.ndarray
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        self.lon = np.asarray(self.lon, dtype=np.float64)
        self.lat = np.asarray(self.lat, dtype=np.float64)
        self.u = np.asarray(self.u, dtype=np.int32)
        self.v = np.asarray(self.v, dtype=np.int32)
        self.length = np.asarray(self.length, dtype=np.float64)

    @property
    def node_count(self) -> int:
        return int(self.lon.shape[0])

    @property
    def edge_count(self) -> int:
        return int(self.u.shape[0])

    # -- storage -------------------------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(buf, lon=self.lon, lat=self.lat, u=self.u, v=self.v, length=self.length)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Network:
        with np.load(io.BytesIO(bytes(data))) as z:
            return cls(z["lon"], z["lat"], z["u"], z["v"], z["length"])

    # -- graph ---------------------------------------------------------------------------------------------------
    @cached_property
    def csr(self) -> csr_matrix:
        """Symmetric adjacency (both directions stored), the shortest parallel edge kept."""
        n = self.node_count
        rows = np.concatenate([self.u, self.v])
        cols = np.concatenate([self.v, self.u])
        data = np.concatenate([self.length, self.length])
        keep = rows != cols
        rows, cols, data = rows[keep], cols[keep], data[keep]
        # keep the minimum weight of duplicate (row, col) pairs: sort by weight, then unique on the pair
        order = np.lexsort((data, cols, rows))
        rows, cols, data = rows[order], cols[order], data[order]
        pair = rows.astype(np.int64) * n + cols
        first = np.ones(pair.shape[0], dtype=bool)
        first[1:] = pair[1:] != pair[:-1]
        m = csr_matrix((np.maximum(data[first], 1e-3), (rows[first], cols[first])), shape=(n, n))
        m.sort_indices()
        return m

    @cached_property
    def _origin(self) -> tuple[float, float]:
        return float(np.mean(self.lon)), float(np.mean(self.lat))

    def project(self, lon, lat) -> np.ndarray:
        """Local equirectangular metres around the network's centre (accurate to well under 1% at zone scale)."""
        lon0, lat0 = self._origin
        k = math.cos(math.radians(lat0))
        x = (np.asarray(lon, dtype=np.float64) - lon0) * (math.pi / 180) * EARTH_RADIUS_M * k
        y = (np.asarray(lat, dtype=np.float64) - lat0) * (math.pi / 180) * EARTH_RADIUS_M
        return np.column_stack([x, y])

    @cached_property
    def kdtree(self) -> cKDTree:
        return cKDTree(self.project(self.lon, self.lat))

    def snap(self, lons, lats) -> tuple[np.ndarray, np.ndarray]:
        """Nearest node of each point and the straight-line distance to it (metres)."""
        if len(lons) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        dist, idx = self.kdtree.query(self.project(lons, lats))
        return idx.astype(np.int64), dist.astype(np.float64)

    def bbox(self) -> tuple[float, float, float, float]:
        return float(self.lon.min()), float(self.lat.min()), float(self.lon.max()), float(self.lat.max())


def _validate(lon: np.ndarray, lat: np.ndarray, u: np.ndarray, v: np.ndarray) -> None:
    if lon.shape[0] < 2 or u.shape[0] < 1:
        raise NetworkError("路网为空：至少需要两个节点和一条路段", "The network is empty")
    if not (np.all(np.isfinite(lon)) and np.all(np.isfinite(lat))):
        raise NetworkError("路网含有非法坐标", "The network has invalid coordinates")
    if lon.min() < -180 or lon.max() > 180 or lat.min() < -90 or lat.max() > 90:
        raise NetworkError("坐标超出经纬度范围，请使用 WGS84 经纬度", "Coordinates are outside lon/lat ranges (use WGS84)")


def from_geojson_lines(data: dict) -> Network:
    """Build a network from a GeoJSON FeatureCollection of LineString / MultiLineString features (WGS84).

    Lines are split at every vertex; vertices that coincide (to 1e-7°, about 1 cm) are the same node.
    """
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise NetworkError("文件不是 GeoJSON FeatureCollection", "Not a GeoJSON FeatureCollection")
    coords_index: dict[tuple[int, int], int] = {}
    lons: list[float] = []
    lats: list[float] = []
    us: list[int] = []
    vs: list[int] = []
    errors: list[str] = []

    def node(pt) -> int:
        key = (round(pt[0] * 1e7), round(pt[1] * 1e7))
        idx = coords_index.get(key)
        if idx is None:
            idx = coords_index[key] = len(lons)
            lons.append(float(pt[0]))
            lats.append(float(pt[1]))
        return idx

    for i, feature in enumerate(data.get("features") or []):
        geom = (feature or {}).get("geometry") or {}
        kind = geom.get("type")
        if kind == "LineString":
            lines = [geom.get("coordinates")]
        elif kind == "MultiLineString":
            lines = geom.get("coordinates")
        else:
            errors.append(f"第 {i + 1} 个要素不是线（{kind}）")
            continue
        for line in lines or []:
            if not isinstance(line, list) or len(line) < 2:
                errors.append(f"第 {i + 1} 个要素的线少于两个点")
                continue
            try:
                ids = [node(pt) for pt in line if len(pt) >= 2 and all(isinstance(c, int | float) for c in pt[:2])]
            except (TypeError, ValueError):
                errors.append(f"第 {i + 1} 个要素坐标格式错误")
                continue
            if len(ids) != len(line):
                errors.append(f"第 {i + 1} 个要素坐标格式错误")
                continue
            for a, b in zip(ids, ids[1:], strict=False):
                if a != b:
                    us.append(a)
                    vs.append(b)
    if errors:
        raise NetworkError("路网文件有误：" + "；".join(errors[:20]) + (f"……共 {len(errors)} 处" if len(errors) > 20 else ""),
                           "Bad network file: " + "; ".join(errors[:20]))
    lon, lat = np.array(lons), np.array(lats)
    u, v = np.array(us, dtype=np.int32), np.array(vs, dtype=np.int32)
    _validate(lon, lat, u, v)
    return Network(lon, lat, u, v, haversine_m(lon[u], lat[u], lon[v], lat[v]))


def from_osm(path: str) -> Network:
    """Build a network from an OpenStreetMap extract (.osm, .osm.pbf) with pyosmium: walkable highways only."""
    import osmium

    ways: list[list[int]] = []
    locations: dict[int, tuple[float, float]] = {}

    class Handler(osmium.SimpleHandler):
        def way(self, w):
            tags = w.tags
            highway = tags.get("highway")
            if highway not in WALKABLE_HIGHWAYS or tags.get("foot") == "no" or tags.get("access") == "private":
                return
            refs = []
            for n in w.nodes:
                if not n.location.valid():
                    continue
                locations[n.ref] = (n.location.lon, n.location.lat)
                refs.append(n.ref)
            if len(refs) >= 2:
                ways.append(refs)

    try:
        Handler().apply_file(path, locations=True)
    except (RuntimeError, OSError) as exc:
        raise NetworkError(f"无法读取 OSM 文件：{exc}", f"Cannot read the OSM file: {exc}") from exc
    if not ways:
        raise NetworkError("OSM 文件中没有可步行的道路", "The OSM file has no walkable ways")
    ids = {ref: i for i, ref in enumerate(sorted(locations))}
    lon = np.array([locations[r][0] for r in sorted(locations)])
    lat = np.array([locations[r][1] for r in sorted(locations)])
    us, vs = [], []
    for refs in ways:
        for a, b in zip(refs, refs[1:], strict=False):
            if a != b:
                us.append(ids[a])
                vs.append(ids[b])
    u, v = np.array(us, dtype=np.int32), np.array(vs, dtype=np.int32)
    _validate(lon, lat, u, v)
    return Network(lon, lat, u, v, haversine_m(lon[u], lat[u], lon[v], lat[v]))
