"""Plausible, non-overlapping polygons: a jittered lattice whose cells are grids; areas are unions of cells."""

from __future__ import annotations

import random

from shapely.geometry import MultiPoint, Polygon, mapping
from shapely.ops import unary_union

from .layout import LAT0, LAT1, LON0, LON1

JITTER = 0.2  # share of a cell's width/height a vertex may move; < 0.5 keeps every cell convex


class Lattice:
    def __init__(self, columns: int, rows: int, rng: random.Random):
        self.columns, self.rows = columns, rows
        self.dx = (LON1 - LON0) / columns
        self.dy = (LAT1 - LAT0) / rows
        self.vertices: dict[tuple[int, int], tuple[float, float]] = {}
        for j in range(rows + 1):
            for i in range(columns + 1):
                jx = rng.uniform(-JITTER, JITTER) * self.dx
                jy = rng.uniform(-JITTER, JITTER) * self.dy
                self.vertices[(i, j)] = (round(LON0 + i * self.dx + jx, 6), round(LAT0 + j * self.dy + jy, 6))
        self._cells: dict[tuple[int, int], Polygon] = {}

    def corners(self, cell: tuple[int, int]) -> list[tuple[float, float]]:
        i, j = cell
        v = self.vertices
        return [v[(i, j)], v[(i + 1, j)], v[(i + 1, j + 1)], v[(i, j + 1)]]

    def cell(self, cell: tuple[int, int]) -> Polygon:
        if cell not in self._cells:
            self._cells[cell] = Polygon(self.corners(cell))
        return self._cells[cell]

    def point_in(self, cell: tuple[int, int], u: float, v: float) -> tuple[float, float]:
        """Bilinear point of a (convex) cell for u, v in (0, 1): always strictly inside."""
        a, b, c, d = self.corners(cell)
        x = (1 - u) * (1 - v) * a[0] + u * (1 - v) * b[0] + u * v * c[0] + (1 - u) * v * d[0]
        y = (1 - u) * (1 - v) * a[1] + u * (1 - v) * b[1] + u * v * c[1] + (1 - u) * v * d[1]
        return round(x, 6), round(y, 6)

    def union(self, cells) -> Polygon:
        return unary_union([self.cell(c) for c in cells])


def geojson(shape) -> dict:
    """GeoJSON dict with plain lists (JSONField-friendly)."""
    data = mapping(shape)
    return {"type": data["type"], "coordinates": _lists(data["coordinates"])}


def _lists(value):
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], float | int):
            return [round(float(x), 6) for x in value]
        return [_lists(v) for v in value]
    return value


def hull(points: list[tuple[float, float]], pad: float = 0.0004) -> dict:
    """A compound's outline: the padded convex hull of its buildings."""
    return geojson(MultiPoint(points).convex_hull.buffer(pad, join_style="mitre").simplify(0.00005))
