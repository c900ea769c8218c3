"""Geometry checks shared by boundary import, split and merge: parsing, validity, overlaps, gaps (in metres)."""

from __future__ import annotations

from collections.abc import Iterable

import shapely
from shapely.validation import explain_validity

from grassroots.core import geo
from grassroots.core.errors import ValidationFailed

# Two siblings may share an edge; an intersection larger than this is an overlap.
OVERLAP_TOLERANCE_M2 = 10.0
# A child may cross its parent's boundary by this much (two tracings of one shared edge rarely agree exactly); what
# lies farther out, beyond the overlap tolerance, is outside the parent and refused.
EDGE_TOLERANCE_M = 5.0
# A parent not covered by its children is reported (a warning) above this area …
GAP_TOLERANCE_M2 = 100.0
# … and above this share of the parent's area.
GAP_TOLERANCE_SHARE = 0.001
HOUSEHOLDS_MIN, HOUSEHOLDS_MAX = 300, 500  # docs/rules/territory.md § Grid management: urban comprehensive grids


class GeometryProblem(Exception):
    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(zh)


def parse_area_geometry(geometry) -> shapely.Geometry:
    """A shapely Polygon/MultiPolygon from a GeoJSON geometry dict; GeometryProblem if unusable."""
    if not isinstance(geometry, dict):
        raise GeometryProblem("缺少几何图形", "The geometry is missing")
    kind = geometry.get("type")
    if kind not in {"Polygon", "MultiPolygon"}:
        raise GeometryProblem(f"几何类型必须是 Polygon 或 MultiPolygon，而不是「{kind}」",
                              f"The geometry must be a Polygon or MultiPolygon, not {kind!r}")
    try:
        geom = shapely.geometry.shape(geometry)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, shapely.errors.GEOSException) as exc:
        raise GeometryProblem(f"几何坐标无法解析：{exc}", f"The coordinates cannot be read: {exc}") from None
    if geom.is_empty:
        raise GeometryProblem("几何图形为空", "The geometry is empty")
    xmin, ymin, xmax, ymax = geom.bounds
    if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
        raise GeometryProblem("坐标超出经纬度范围（应为经度、纬度顺序的 WGS84 坐标）",
                              "Coordinates out of range (expected WGS84 longitude, latitude)")
    if not geom.is_valid:
        reason = explain_validity(geom)
        raise GeometryProblem(f"几何图形无效：{reason}", f"Invalid geometry: {reason}")
    return geom


def area_geometry_or_error(geometry, field: str = "geometry") -> shapely.Geometry:
    try:
        return parse_area_geometry(geometry)
    except GeometryProblem as problem:
        raise ValidationFailed(problem.zh, problem.en, code="invalid_geometry", field=field) from None


def projection_for(geoms: Iterable[shapely.Geometry]) -> geo.LocalProjection:
    return geo.LocalProjection.around(list(geoms))


def tolerance_for(area_m2: float) -> float:
    return max(GAP_TOLERANCE_M2, GAP_TOLERANCE_SHARE * area_m2)


def overlapping_pairs(projected: list[shapely.Geometry], *, first_new: int = 0) -> list[tuple[int, int, float]]:
    """Pairs (i, j, area m²) of projected geometries overlapping by more than the tolerance.

    Only pairs involving at least one geometry at position >= ``first_new`` are checked (existing ones are
    assumed consistent among themselves).
    """
    if len(projected) < 2:
        return []
    tree = shapely.STRtree(projected)
    pairs = []
    for i in range(first_new, len(projected)):
        for j in tree.query(projected[i], predicate="intersects"):
            j = int(j)
            if j == i or (j >= first_new and j > i):  # a pair of new ones is reported at the later one
                continue
            area = shapely.intersection(projected[i], projected[j]).area
            if area > OVERLAP_TOLERANCE_M2:
                pairs.append((i, j, area))
    return pairs


def area_outside(child: shapely.Geometry, parent: shapely.Geometry) -> float:
    """Projected m² of ``child`` lying farther than ``EDGE_TOLERANCE_M`` outside ``parent`` (0 when the excess is
    within ``OVERLAP_TOLERANCE_M2``): a shared edge traced twice does not count, a real spill-over does."""
    beyond = shapely.difference(child, parent.buffer(EDGE_TOLERANCE_M)).area
    return beyond if beyond > OVERLAP_TOLERANCE_M2 else 0.0
