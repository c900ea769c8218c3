"""Coordinate reference systems and small metric helpers.

Stored coordinates are WGS84 (CGCS2000 differs by centimetres) lon/lat. Input may come in GCJ-02 (the
"Mars" offset used by Gaode, Tencent and WeChat maps) or BD-09 (Baidu), and output is converted when the
configured tile layer (``settings.MAP_TILE_CRS``) is GCJ-02 or BD-09, so that polygons line up with the tiles.

The forward transforms are the published ones; the inverses are solved by fixed-point iteration to better than
1e-9° (about 0.1 mm). Outside mainland China's bounding box GCJ-02 applies no offset.
Every function has a scalar form and a vectorised numpy form (``*_np``) for batches.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

WGS84 = "WGS84"
GCJ02 = "GCJ02"
BD09 = "BD09"
CRS_CHOICES = (WGS84, GCJ02, BD09)
_ALIASES = {"WGS84": WGS84, "WGS-84": WGS84, "EPSG:4326": WGS84, "CGCS2000": WGS84, "GCJ02": GCJ02,
            "GCJ-02": GCJ02, "BD09": BD09, "BD-09": BD09, "BD09LL": BD09}

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = math.pi * 3000.0 / 180.0
EARTH_RADIUS_M = 6371008.8  # mean Earth radius (IUGG)
INVERSE_TOLERANCE_DEG = 1e-9
_MAX_ITERATIONS = 30


def normalize_crs(crs: str | None) -> str:
    """The canonical name of a CRS (``WGS84``, ``GCJ02``, ``BD09``); ValueError for anything else."""
    key = (crs or WGS84).strip().upper()
    try:
        return _ALIASES[key]
    except KeyError:
        raise ValueError(f"unknown CRS {crs!r}; use one of {', '.join(CRS_CHOICES)}") from None


def out_of_china(lon: float, lat: float) -> bool:
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _out_of_china_np(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return ~((lon >= 72.004) & (lon <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271))


# ---------------------------------------------------------------------------------------------------------------
# GCJ-02 offset; written once against numpy so scalars and arrays share the formula.

def _delta(lon, lat):
    """The GCJ-02 offset (dlon, dlat) in degrees at WGS84 (lon, lat); works on floats and numpy arrays."""
    x = lon - 105.0
    y = lat - 35.0
    sin, sqrt, pi = np.sin, np.sqrt, np.pi
    common = (20.0 * sin(6.0 * x * pi) + 20.0 * sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(np.abs(x)) + common
    dlat = dlat + (20.0 * sin(y * pi) + 40.0 * sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat = dlat + (160.0 * sin(y / 12.0 * pi) + 320.0 * sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(np.abs(x)) + common
    dlon = dlon + (20.0 * sin(x * pi) + 40.0 * sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon = dlon + (150.0 * sin(x / 12.0 * pi) + 300.0 * sin(x / 30.0 * pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * pi
    magic = 1.0 - _EE * sin(radlat) ** 2
    sqrtmagic = sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    if out_of_china(lon, lat):
        return lon, lat
    dlon, dlat = _delta(lon, lat)
    return float(lon + dlon), float(lat + dlat)


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Inverse of ``wgs84_to_gcj02`` by fixed-point iteration (converges in a handful of steps)."""
    if out_of_china(lon, lat):
        return lon, lat
    wlon, wlat = lon, lat
    for _ in range(_MAX_ITERATIONS):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        elon, elat = glon - lon, glat - lat
        wlon, wlat = wlon - elon, wlat - elat
        if abs(elon) < INVERSE_TOLERANCE_DEG and abs(elat) < INVERSE_TOLERANCE_DEG:
            break
    return wlon, wlat


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def _bd09_to_gcj02_approx(lon: float, lat: float) -> tuple[float, float]:
    x, y = lon - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """The published closed-form inverse, refined by iteration against the forward transform."""
    glon, glat = _bd09_to_gcj02_approx(lon, lat)
    for _ in range(_MAX_ITERATIONS):
        blon, blat = gcj02_to_bd09(glon, glat)
        elon, elat = blon - lon, blat - lat
        glon, glat = glon - elon, glat - elat
        if abs(elon) < INVERSE_TOLERANCE_DEG and abs(elat) < INVERSE_TOLERANCE_DEG:
            break
    return glon, glat


def wgs84_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def to_wgs84(lon: float, lat: float, crs: str = WGS84) -> tuple[float, float]:
    """Convert a position given in ``crs`` to WGS84."""
    crs = normalize_crs(crs)
    if crs == GCJ02:
        return gcj02_to_wgs84(lon, lat)
    if crs == BD09:
        return bd09_to_wgs84(lon, lat)
    return float(lon), float(lat)


def position(lon, lat, crs: str | None = WGS84) -> tuple[float, float]:
    """A position given by a user (numbers or text, in ``crs``) as WGS84, or ``ValidationFailed`` on the field
    ``position`` when it is not a pair of finite coordinates on the globe or the system is unknown."""
    from .errors import ValidationFailed

    try:
        lon, lat = to_wgs84(float(lon), float(lat), crs or WGS84)
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):  # also refuses NaN
            raise ValueError(lon, lat)
    except (TypeError, ValueError):
        raise ValidationFailed("坐标或坐标系无效", "Invalid coordinates or coordinate system", field="position",
                               code="invalid_position") from None
    return lon, lat


def from_wgs84(lon: float, lat: float, crs: str = WGS84) -> tuple[float, float]:
    """Convert a WGS84 position to ``crs``."""
    crs = normalize_crs(crs)
    if crs == GCJ02:
        return wgs84_to_gcj02(lon, lat)
    if crs == BD09:
        return wgs84_to_bd09(lon, lat)
    return float(lon), float(lat)


# ---------------------------------------------------------------------------------------------------------------
# Vectorised forms.

def _arrays(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(lon, dtype=float).copy(), np.asarray(lat, dtype=float).copy()


def wgs84_to_gcj02_np(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = _arrays(lon, lat)
    inside = ~_out_of_china_np(lon, lat)
    dlon, dlat = _delta(lon[inside], lat[inside])
    lon[inside] += dlon
    lat[inside] += dlat
    return lon, lat


def gcj02_to_wgs84_np(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    glon, glat = _arrays(lon, lat)
    wlon, wlat = glon.copy(), glat.copy()
    inside = ~_out_of_china_np(glon, glat)
    for _ in range(_MAX_ITERATIONS):
        dlon, dlat = _delta(wlon[inside], wlat[inside])
        elon = wlon[inside] + dlon - glon[inside]
        elat = wlat[inside] + dlat - glat[inside]
        wlon[inside] -= elon
        wlat[inside] -= elat
        if elon.size == 0 or max(np.abs(elon).max(), np.abs(elat).max()) < INVERSE_TOLERANCE_DEG:
            break
    return wlon, wlat


def gcj02_to_bd09_np(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = _arrays(lon, lat)
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02_np(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    blon, blat = _arrays(lon, lat)
    x, y = blon - 0.0065, blat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    glon, glat = z * np.cos(theta), z * np.sin(theta)
    for _ in range(_MAX_ITERATIONS):
        flon, flat = gcj02_to_bd09_np(glon, glat)
        elon, elat = flon - blon, flat - blat
        glon, glat = glon - elon, glat - elat
        if elon.size == 0 or max(np.abs(elon).max(), np.abs(elat).max()) < INVERSE_TOLERANCE_DEG:
            break
    return glon, glat


def to_wgs84_np(lon, lat, crs: str = WGS84) -> tuple[np.ndarray, np.ndarray]:
    crs = normalize_crs(crs)
    if crs == GCJ02:
        return gcj02_to_wgs84_np(lon, lat)
    if crs == BD09:
        return gcj02_to_wgs84_np(*bd09_to_gcj02_np(lon, lat))
    return _arrays(lon, lat)


def from_wgs84_np(lon, lat, crs: str = WGS84) -> tuple[np.ndarray, np.ndarray]:
    crs = normalize_crs(crs)
    if crs == GCJ02:
        return wgs84_to_gcj02_np(lon, lat)
    if crs == BD09:
        return gcj02_to_bd09_np(*wgs84_to_gcj02_np(lon, lat))
    return _arrays(lon, lat)


# ---------------------------------------------------------------------------------------------------------------
# GeoJSON geometry.

def _map_coordinates(coords, fn: Callable[[np.ndarray], np.ndarray]):
    """Apply ``fn`` (an (n, 2) array → (n, 2) array) to every position of nested GeoJSON coordinates."""
    if not coords:
        return coords
    if isinstance(coords[0], (int, float)):
        return [float(v) for v in fn(np.asarray([coords[:2]], dtype=float))[0]]
    if isinstance(coords[0][0], (int, float)):
        arr = fn(np.asarray([c[:2] for c in coords], dtype=float))
        return arr.tolist()
    return [_map_coordinates(c, fn) for c in coords]


def transform_geometry(geojson: dict | None, fn: Callable[[np.ndarray], np.ndarray]) -> dict | None:
    """A copy of a GeoJSON geometry with ``fn`` applied to its positions (GeometryCollection included)."""
    if not geojson:
        return geojson
    if geojson.get("type") == "GeometryCollection":
        return {"type": "GeometryCollection",
                "geometries": [transform_geometry(g, fn) for g in geojson.get("geometries", [])]}
    return {"type": geojson["type"], "coordinates": _map_coordinates(geojson.get("coordinates", []), fn)}


def geometry_to_crs(geojson: dict | None, crs: str | None = None) -> dict | None:
    """A stored (WGS84) GeoJSON geometry in ``crs`` (default ``settings.MAP_TILE_CRS``), for map output."""
    if crs is None:
        from django.conf import settings

        crs = getattr(settings, "MAP_TILE_CRS", WGS84)
    crs = normalize_crs(crs)
    if crs == WGS84 or not geojson:
        return geojson

    def convert(arr: np.ndarray) -> np.ndarray:
        lon, lat = from_wgs84_np(arr[:, 0], arr[:, 1], crs)
        return np.column_stack([lon, lat])

    return transform_geometry(geojson, convert)


def geometry_to_wgs84(geojson: dict | None, crs: str) -> dict | None:
    """A GeoJSON geometry given in ``crs`` converted to WGS84 (for input)."""
    crs = normalize_crs(crs)
    if crs == WGS84 or not geojson:
        return geojson

    def convert(arr: np.ndarray) -> np.ndarray:
        lon, lat = to_wgs84_np(arr[:, 0], arr[:, 1], crs)
        return np.column_stack([lon, lat])

    return transform_geometry(geojson, convert)


# ---------------------------------------------------------------------------------------------------------------
# Distances and a local metric projection.

def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine on the mean Earth sphere)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def distance_m_np(lon1, lat1, lon2, lat2) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(h)))


class LocalProjection:
    """Equirectangular projection around a centre: metres east/north of (lon0, lat0).

    Across a development zone (tens of kilometres) the scale error stays below 0.2 %, which is ample for
    "within 30 m of a grid" tests, overlap and gap areas.
    """

    def __init__(self, lon0: float, lat0: float):
        self.lon0 = float(lon0)
        self.lat0 = float(lat0)
        self.ky = math.pi * EARTH_RADIUS_M / 180.0
        self.kx = self.ky * math.cos(math.radians(self.lat0))

    def forward(self, lon, lat):
        """(lon, lat) → (x, y) metres; floats or arrays."""
        return (np.asarray(lon, dtype=float) - self.lon0) * self.kx, (np.asarray(lat, dtype=float) - self.lat0) * self.ky

    def inverse(self, x, y):
        return np.asarray(x, dtype=float) / self.kx + self.lon0, np.asarray(y, dtype=float) / self.ky + self.lat0

    def forward_coords(self, coords: np.ndarray) -> np.ndarray:
        """For ``shapely.transform``: an (n, 2) lon/lat array → an (n, 2) metre array."""
        out = np.empty_like(coords, dtype=float)
        out[:, 0] = (coords[:, 0] - self.lon0) * self.kx
        out[:, 1] = (coords[:, 1] - self.lat0) * self.ky
        return out

    def inverse_coords(self, coords: np.ndarray) -> np.ndarray:
        out = np.empty_like(coords, dtype=float)
        out[:, 0] = coords[:, 0] / self.kx + self.lon0
        out[:, 1] = coords[:, 1] / self.ky + self.lat0
        return out

    def project(self, geom):
        """A shapely geometry (or array of them) in lon/lat → the same in local metres."""
        import shapely

        return shapely.transform(geom, self.forward_coords)

    def unproject(self, geom):
        import shapely

        return shapely.transform(geom, self.inverse_coords)

    @classmethod
    def around(cls, geom) -> LocalProjection:
        """A projection centred on the bounding box of a shapely geometry (or array of geometries)."""
        import shapely

        xmin, ymin, xmax, ymax = shapely.total_bounds(geom)
        return cls((xmin + xmax) / 2, (ymin + ymax) / 2)
