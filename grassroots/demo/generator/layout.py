"""The shape of the demo zone for each size: a lattice of cells, and which cells make up which area.

Every grid is one cell of a jittered lattice (shared vertices, so neighbouring grids never overlap); an area
(community, village, park) is a set of cells; a subdistrict is the union of its areas; the zone the union of all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ZONE_CODE = "370571"
ZONE_NAME = "东营经济技术开发区"
# Lon/lat box of the synthetic zone (WGS84).
LON0, LON1 = 118.58, 118.75
LAT0, LAT1 = 37.40, 37.50


@dataclass(frozen=True)
class AreaSpec:
    name: str
    level: str  # community | village | park
    cells: tuple[tuple[int, int], ...]  # (column, row) of the lattice


@dataclass(frozen=True)
class SubdistrictSpec:
    name: str
    areas: tuple[AreaSpec, ...]


@dataclass(frozen=True)
class SizeSpec:
    name: str
    columns: int
    rows: int
    subdistricts: tuple[SubdistrictSpec, ...]
    residents: int  # registered residents in total (urban and village grids)
    party_members_reporting: int  # in-service members reporting to their residential community (双报到)
    enterprises_per_park_grid: tuple[int, int]
    property_firms: int
    schools: int
    extra: dict = field(default_factory=dict)


def block(c0: int, c1: int, r0: int, r1: int) -> tuple[tuple[int, int], ...]:
    """Cells of the rectangle columns c0..c1, rows r0..r1 (inclusive)."""
    return tuple((c, r) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))


FULL = SizeSpec(
    name="full",
    columns=20,
    rows=9,
    subdistricts=(
        SubdistrictSpec("东城街道", (
            AreaSpec("安泰社区", "community", block(0, 3, 0, 2)),
            AreaSpec("新华社区", "community", block(4, 7, 0, 2)),
            AreaSpec("金湖社区", "community", block(0, 3, 3, 5)),
            AreaSpec("锦华社区", "community", block(4, 7, 3, 5)),
            AreaSpec("田庄村", "village", block(0, 1, 6, 8)),
            AreaSpec("王家村", "village", block(2, 3, 6, 8)),
            AreaSpec("康宁社区", "community", block(4, 7, 6, 8)),
        )),
        SubdistrictSpec("胜园街道", (
            AreaSpec("胜园社区", "community", block(8, 10, 0, 3)),
            AreaSpec("银河社区", "community", block(11, 13, 0, 3)),
            AreaSpec("丽景社区", "community", block(8, 10, 4, 8)),
            AreaSpec("泰和社区", "community", block(11, 13, 4, 8)),
        )),
        SubdistrictSpec("辛安街道", (
            AreaSpec("新材料产业园", "park", block(14, 19, 0, 2) + ((14, 3),)),
            AreaSpec("辛安社区", "community", block(15, 19, 3, 3) + block(14, 19, 4, 5)),
            AreaSpec("悦来社区", "community", block(14, 16, 6, 8)),
            AreaSpec("海河社区", "community", block(17, 19, 6, 8)),
        )),
    ),
    residents=40_000,
    party_members_reporting=4_500,
    enterprises_per_park_grid=(2, 4),
    property_firms=9,
    schools=8,
)

SMALL = SizeSpec(
    name="small",
    columns=5,
    rows=3,
    subdistricts=(
        SubdistrictSpec("东城街道", (
            AreaSpec("安泰社区", "community", block(0, 1, 0, 1)),
            AreaSpec("新华社区", "community", block(2, 2, 0, 1)),
            AreaSpec("田庄村", "village", block(0, 2, 2, 2)),
        )),
        SubdistrictSpec("胜园街道", (
            AreaSpec("新材料产业园", "park", block(3, 4, 0, 1)),
            AreaSpec("银河社区", "community", block(3, 4, 2, 2)),
        )),
    ),
    residents=1_500,
    party_members_reporting=170,
    enterprises_per_park_grid=(1, 2),
    property_firms=3,
    schools=2,
)

SIZES = {"small": SMALL, "full": FULL}


def check(spec: SizeSpec) -> None:
    """Every cell belongs to exactly one area."""
    seen: dict[tuple[int, int], str] = {}
    for sd in spec.subdistricts:
        for area in sd.areas:
            for cell in area.cells:
                if cell in seen:
                    raise ValueError(f"cell {cell} in both {seen[cell]} and {area.name}")
                if not (0 <= cell[0] < spec.columns and 0 <= cell[1] < spec.rows):
                    raise ValueError(f"cell {cell} of {area.name} is outside the lattice")
                seen[cell] = area.name
    if len(seen) != spec.columns * spec.rows:
        raise ValueError("the areas do not cover the lattice")
