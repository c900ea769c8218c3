"""Which grid is a position in? ``locate`` for one point, ``locate_many`` for batches.

The active grid polygons are loaded once per process into a shapely 2 STRtree, in a local metric projection
around the zone (so "nearest" and "30 m" are metres, not degrees). The index is rebuilt when the boundaries
change: territory services call ``invalidate()`` after every boundary write (this process sees it at once), and
every process re-reads the boundary signature — count of grids, count of active grids, latest grid update —
at most every ``TERRITORY_LOCATE_RECHECK_SECONDS`` (default 2 s), which also catches bulk writers.

A point on a shared edge goes to the grid with the lower id (stable). A point in a gap within
``GAP_TOLERANCE_M`` of a grid goes to the nearest grid; farther away it is outside every grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from django.conf import settings
from django.db.models import Count, Max, Q

from grassroots.core import geo
from grassroots.core.errors import ValidationFailed
from grassroots.core.fingerprint import FingerprintedCopy, detached_copy

from .models import AREA_LEVELS, Level, Region, ancestor_paths

GAP_TOLERANCE_M = 30.0
NOT_FOUND = -1


@dataclass
class GridIndex:
    ids: np.ndarray  # region ids, aligned with the tree's geometries
    names: list[str]
    regions: dict[int, Region]  # the grid rows (without geometry), so locate() needs no query
    polygons: np.ndarray  # projected (metres) shapely polygons
    tree: shapely.STRtree | None
    projection: geo.LocalProjection
    areas: dict[str, int]  # path -> id of every community / village / park (for area_id_for_path)

    def __len__(self) -> int:
        return len(self.ids)


def _grids():
    return Region.objects.filter(level=Level.GRID)


def boundary_signature() -> tuple:
    """Cheap fingerprint of the grid boundaries; changes whenever a grid is created, edited or retired."""
    row = _grids().aggregate(n=Count("id"), active=Count("id", filter=Q(active=True)), last=Max("updated_at"))
    return row["n"], row["active"], row["last"].isoformat() if row["last"] else ""


def _build(signature: tuple) -> GridIndex:
    rows = list(_grids().filter(active=True, geometry__isnull=False).order_by("id"))
    geoms, ids, names, regions = [], [], [], {}
    for region in rows:
        try:
            geom = shapely.geometry.shape(region.geometry)
        except (TypeError, ValueError, KeyError, AttributeError, shapely.errors.GEOSException):
            continue
        if geom.is_empty:
            continue
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        geoms.append(geom)
        ids.append(region.pk)
        names.append(region.name)
        # The index holds the shape: drop the field so it becomes deferred (read again on access, and a save()
        # of a handed-out copy leaves it alone).
        del region.__dict__["geometry"]
        regions[region.pk] = region
    array = np.array(geoms, dtype=object)
    if len(geoms):
        projection = geo.LocalProjection.around(array)
        projected = projection.project(array)
        shapely.prepare(projected)
        tree = shapely.STRtree(projected)
    else:
        projection, projected, tree = geo.LocalProjection(0.0, 0.0), array, None
    areas = dict(Region.objects.filter(level__in=list(AREA_LEVELS)).values_list("path", "id"))
    return GridIndex(ids=np.asarray(ids, dtype=np.int64), names=names, regions=regions,
                     polygons=projected, tree=tree, projection=projection, areas=areas)


_index: FingerprintedCopy[GridIndex] = FingerprintedCopy(
    boundary_signature, _build, lambda: float(getattr(settings, "TERRITORY_LOCATE_RECHECK_SECONDS", 2.0)))


def grid_index() -> GridIndex:
    """The current index, rebuilt if the boundary signature changed (re-checked at most every few seconds)."""
    return _index.get()


def invalidate() -> None:
    """Drop this process's index (territory services call this after a boundary change)."""
    _index.invalidate()


def _nearest(index: GridIndex, point) -> tuple[int, float]:
    """Position in the index of the grid nearest to ``point`` (projected) and its distance in metres."""
    found, distances = index.tree.query_nearest(point, return_distance=True, all_matches=False)
    return int(found[0]), float(distances[0])


def locate_id(lon: float, lat: float, crs: str = geo.WGS84) -> int:
    """The id of the active grid containing the position (see ``locate``); raises ValidationFailed outside."""
    return _locate(lon, lat, crs)[0]


def _locate(lon: float, lat: float, crs: str) -> tuple[int, GridIndex]:
    try:
        lon, lat = geo.to_wgs84(float(lon), float(lat), crs)
    except (TypeError, ValueError):
        raise ValidationFailed("坐标或坐标系无效", "Invalid coordinates or coordinate system",
                               code="invalid_position", field="position") from None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationFailed("坐标超出范围", "Coordinates out of range", code="invalid_position",
                               field="position")
    index = grid_index()
    if index.tree is None:
        raise ValidationFailed("尚未导入网格边界，无法定位", "No grid boundaries have been imported yet",
                               code="outside_grids", field="position")
    projection = index.projection
    point = shapely.Point((lon - projection.lon0) * projection.kx, (lat - projection.lat0) * projection.ky)
    hits = index.tree.query(point, predicate="intersects")
    if len(hits):
        return int(index.ids[hits.min()]), index
    i, distance = _nearest(index, point)
    if distance <= GAP_TOLERANCE_M:
        return int(index.ids[i]), index
    metres = int(round(distance))
    raise ValidationFailed(
        f"该位置不在任何网格内（最近的网格「{index.names[i]}」相距约 {metres} 米）",
        f"This position is not inside any grid (the nearest grid, '{index.names[i]}', is about {metres} m away)",
        code="outside_grids", field="position",
        details={"nearest_grid_id": int(index.ids[i]), "distance_m": metres},
    )


def area_id_for_path(path: str) -> int | None:
    """The id of the community / village / park whose subtree holds ``path`` (from the index: no query)."""
    areas = grid_index().areas
    return next((areas[p] for p in reversed(ancestor_paths(path)) if p in areas), None)


def locate(lon: float, lat: float, crs: str = geo.WGS84) -> Region:
    """The active grid containing (lon, lat) given in ``crs`` (WGS84, GCJ02 or BD09).

    A point in a gap within 30 m of a grid goes to the nearest grid; farther away → ValidationFailed with
    code ``outside_grids`` naming the nearest grid and its distance.
    """
    grid_id, index = _locate(lon, lat, crs)
    # A copy of the row read when the index was built (without its geometry): no query per call.
    return detached_copy(index.regions[grid_id])


def _assign_first(result: np.ndarray, found: np.ndarray, which: np.ndarray, ids: np.ndarray, *,
                  ordered: bool = False) -> None:
    """result[found] = ids[which], keeping for each position its first pair (after ordering by tree position
    within a position, unless ``ordered``): a point on a shared edge goes to the lower id, as in ``locate``."""
    if not found.size:
        return
    if not ordered:
        is_sorted = bool(np.all(found[1:] >= found[:-1]))
        if is_sorted and not np.any(found[1:] == found[:-1]):
            result[found] = ids[which]  # the common case: one grid per point
            return
        order = np.lexsort((which, found))
        found, which = found[order], which[order]
    first = np.ones(found.size, dtype=bool)
    first[1:] = found[1:] != found[:-1]
    result[found[first]] = ids[which[first]]


def locate_many(lons, lats, crs: str = geo.WGS84) -> np.ndarray:
    """Region ids of the grids containing each position (``-1`` where a position is outside every grid)."""
    lon, lat = geo.to_wgs84_np(lons, lats, crs)
    result = np.full(lon.shape, NOT_FOUND, dtype=np.int64)
    index = grid_index()
    if index.tree is None or lon.size == 0:
        return result
    x, y = index.projection.forward(lon, lat)
    points = shapely.points(x, y)
    found, which = index.tree.query(points, predicate="intersects")
    _assign_first(result, found, which, index.ids)
    missing = np.flatnonzero((result == NOT_FOUND) & np.isfinite(x) & np.isfinite(y))
    if missing.size:
        # Gaps: every grid within 30 m, then the nearest of them (ties: lower tree position).
        near_found, near_which = index.tree.query(points[missing], predicate="dwithin", distance=GAP_TOLERANCE_M)
        if near_found.size:
            distances = shapely.distance(points[missing][near_found], index.polygons[near_which])
            order = np.lexsort((near_which, distances, near_found))
            _assign_first(result, missing[near_found[order]], near_which[order], index.ids, ordered=True)
    return result
