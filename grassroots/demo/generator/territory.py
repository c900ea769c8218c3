"""Region tree and compounds, written with bulk_create; codes and paths follow territory's unified-code rules."""

from __future__ import annotations

from django.db import transaction

from grassroots.territory.models import SERIAL_WIDTH, Compound, GridKind, Level, Region

from .context import DemoContext
from .geometry import Lattice, geojson, hull
from .layout import ZONE_CODE, ZONE_NAME

CN_DIGITS = "零一二三四五六七八九"
# (floors, units, flats per floor): 多层 and 高层 residential buildings
URBAN_TYPES = ((6, 3, 2), (6, 4, 2), (6, 2, 2), (11, 2, 2), (18, 2, 2), (26, 2, 2))
URBAN_TYPE_WEIGHTS = (5, 3, 3, 2, 2, 1)
COMPOUND_WORDS = ("花园", "家园", "小区", "苑", "新村", "雅居", "华庭", "名苑", "佳园", "景苑")
COMPOUND_STEMS = ("海河", "泰和", "金湖", "锦华", "康宁", "银河", "丽景", "东城", "胜园", "悦来", "安泰", "新华",
                  "辛安", "清风", "春晖", "和园", "翠湖", "明月", "书香", "阳光", "嘉禾", "润泽", "宏远", "瑞祥",
                  "石油", "油建", "胜利", "黄河", "渤海", "广利", "府前", "文汇", "科苑", "怡景", "观澜", "绿洲")


def cn_number(n: int) -> str:
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + ("" if ones == 0 else CN_DIGITS[ones])


def _child(parent: Region, level: str, serial: int, name: str, **fields) -> Region:
    width = SERIAL_WIDTH[level]
    part = str(serial).zfill(width)
    return Region(code=parent.code + part, path=f"{parent.path}{part}/", serial=serial, level=level, name=name,
                  parent=parent, **fields)


def _centre(shape) -> tuple[float, float]:
    p = shape.representative_point()
    return round(p.x, 6), round(p.y, 6)


def _urban_buildings(ctx: DemoContext) -> list[dict]:
    rng = ctx.rng
    target = rng.randint(300, 500) if rng.random() < 0.9 else rng.randint(220, 600)
    plans, total = [], 0
    while total < target:
        floors, units, per_floor = rng.choices(URBAN_TYPES, URBAN_TYPE_WEIGHTS)[0]
        households = floors * units * per_floor
        plans.append({"floors": floors, "units": units, "per_floor": per_floor, "households": households,
                      "residential": True})
        total += households
    return plans


def _village_buildings(ctx: DemoContext) -> list[dict]:
    rng = ctx.rng
    target = rng.randint(240, 340)
    plans, total = [], 0
    while total < target:
        houses = rng.randint(8, 14)
        plans.append({"floors": rng.choice((1, 1, 2)), "units": 1, "per_floor": houses, "households": houses,
                      "residential": True})
        total += houses
    return plans


def _place(ctx: DemoContext, lattice: Lattice, cell, plans: list[dict]) -> None:
    """Spread buildings over the cell on a loose sub-lattice (u, v in (0.06, 0.94))."""
    n = len(plans)
    across = max(1, round(n ** 0.5))
    down = -(-n // across)
    slots = [(a, b) for b in range(down) for a in range(across)]
    for plan, (a, b) in zip(plans, slots, strict=False):
        u = (a + 0.5 + ctx.rng.uniform(-0.25, 0.25)) / across
        v = (b + 0.5 + ctx.rng.uniform(-0.25, 0.25)) / down
        plan["u"], plan["v"] = min(max(u, 0.06), 0.94), min(max(v, 0.06), 0.94)
        plan["lon"], plan["lat"] = lattice.point_in(cell, plan["u"], plan["v"])


def build(ctx: DemoContext) -> None:
    spec, rng = ctx.spec, ctx.rng
    lattice = Lattice(spec.columns, spec.rows, rng)
    ctx.extra["lattice"] = lattice
    all_cells = [c for sd in spec.subdistricts for a in sd.areas for c in a.cells]

    with transaction.atomic():
        zone_shape = lattice.union(all_cells)
        lon, lat = _centre(zone_shape)
        zone = Region(code=ZONE_CODE, name=ZONE_NAME, level=Level.ZONE, path=f"/{ZONE_CODE}/", serial=1,
                      geometry=geojson(zone_shape), lon=lon, lat=lat)
        Region.objects.bulk_create([zone])
        ctx.zone = zone

        subdistricts = []
        for k, sd in enumerate(spec.subdistricts, start=1):
            shape = lattice.union([c for a in sd.areas for c in a.cells])
            lon, lat = _centre(shape)
            subdistricts.append(_child(zone, Level.SUBDISTRICT, k, sd.name, geometry=geojson(shape), lon=lon, lat=lat))
        Region.objects.bulk_create(subdistricts)
        ctx.subdistricts = subdistricts

        areas, area_specs = [], []
        for sd_region, sd in zip(subdistricts, spec.subdistricts, strict=True):
            for k, area in enumerate(sd.areas, start=1):
                shape = lattice.union(area.cells)
                lon, lat = _centre(shape)
                areas.append(_child(sd_region, area.level, k, area.name, geometry=geojson(shape), lon=lon, lat=lat))
                area_specs.append(area)
        Region.objects.bulk_create(areas)
        ctx.communities = [a for a in areas if a.level == Level.COMMUNITY]
        ctx.villages = [a for a in areas if a.level == Level.VILLAGE]
        ctx.park = next(a for a in areas if a.level == Level.PARK)

        # Grids, with their buildings planned first (a grid's household count is the sum of its buildings').
        grids, grid_cells, grid_plans = [], {}, {}
        for area, area_spec in zip(areas, area_specs, strict=True):
            cells = sorted(area_spec.cells, key=lambda c: (-c[1], c[0]))  # north-west first
            short = area.name.removesuffix("社区").removesuffix("村").removesuffix("产业园")
            for k, cell in enumerate(cells, start=1):
                if area.level == Level.PARK:
                    name, kind, plans = f"园区{cn_number(k)}网格", GridKind.ENTERPRISE, []
                elif area.level == Level.VILLAGE:
                    name, kind, plans = f"{short}{cn_number(k)}组网格", GridKind.COMPREHENSIVE, _village_buildings(ctx)
                else:
                    name, kind, plans = f"{short}{cn_number(k)}网格", GridKind.COMPREHENSIVE, _urban_buildings(ctx)
                _place(ctx, lattice, cell, plans)
                shape = lattice.cell(cell)
                lon, lat = _centre(shape)
                households = sum(p["households"] for p in plans) or None
                grid = _child(area, Level.GRID, k, name, geometry=geojson(shape), lon=lon, lat=lat,
                              grid_kind=kind, households=households)
                grids.append(grid)
                grid_cells[grid.code] = cell
                grid_plans[grid.code] = plans
        Region.objects.bulk_create(grids, batch_size=1000)
        ctx.grids = grids
        for area in areas:
            ctx.grids_by_area[area.id] = [g for g in grids if g.parent_id == area.id]
        ctx.extra["grid_cells"] = grid_cells

        compounds = _compounds(ctx, areas, grid_cells, grid_plans)
        Compound.objects.bulk_create(compounds, batch_size=1000)
        ctx.compounds = compounds

        buildings = []
        for grid in grids:
            for k, plan in enumerate(grid_plans[grid.code], start=1):
                compound = plan.get("compound")
                if compound is not None:
                    plan["number"] = compound.next_number = getattr(compound, "next_number", 0) + 1
                    name = f"{compound.name}{plan['number']}号楼"
                else:
                    name = f"{grid.name.removesuffix('网格')}{k}排"
                b = _child(grid, Level.BUILDING, k, name, lon=plan["lon"], lat=plan["lat"], floors=plan["floors"],
                           households=plan["households"], compound=compound, is_residential=plan["residential"])
                b.plan = plan
                buildings.append(b)
        with ctx.progress(total=len(buildings), desc="楼栋", unit="栋") as bar:
            for start in range(0, len(buildings), 2000):
                chunk = buildings[start:start + 2000]
                Region.objects.bulk_create(chunk)
                bar.update(len(chunk))
        ctx.buildings = buildings
        for b in buildings:
            ctx.buildings_by_grid.setdefault(b.parent_id, []).append(b)
    ctx.stats.update(subdistricts=len(subdistricts), communities=len(ctx.communities), villages=len(ctx.villages),
                     grids=len(grids), buildings=len(buildings), compounds=len(compounds))


def _compounds(ctx: DemoContext, areas, grid_cells, grid_plans) -> list[Compound]:
    """Each urban grid gets one or two compounds; some compounds take the edge buildings of two neighbouring grids
    of the same community (a compound is a property area, not a tree level, and may cross grid lines)."""
    rng = ctx.rng
    compounds: list[Compound] = []
    used_names: set[str] = set()

    def new_compound(community: Region, plans: list[dict]) -> Compound:
        while True:
            name = rng.choice(COMPOUND_STEMS) + rng.choice(COMPOUND_WORDS)
            if name not in used_names:
                break
        used_names.add(name)
        n = sum(1 for c in compounds if c.community_id == community.id) + 1
        compound = Compound(code=f"{community.code}X{n:03d}", name=name, community=community,
                            geometry=hull([(p["lon"], p["lat"]) for p in plans]),
                            address=f"{community.name}{name}", households=sum(p["households"] for p in plans),
                            built_year=rng.randint(1988, 2022), former_work_unit=rng.random() < 0.15)
        for p in plans:
            p["compound"] = compound
        compounds.append(compound)
        return compound

    for area in areas:
        if area.level != Level.COMMUNITY:
            continue
        grids = [g for g in ctx.grids if g.parent_id == area.id]
        by_cell = {grid_cells[g.code]: g for g in grids}
        for grid in grids:
            plans = [p for p in grid_plans[grid.code] if "compound" not in p]
            if not plans:
                continue
            col, row = grid_cells[grid.code]
            east = by_cell.get((col + 1, row))
            if east is not None and rng.random() < 0.35:
                mine = sorted(plans, key=lambda p: -p["u"])[: max(1, len(plans) // 3)]
                theirs = sorted((p for p in grid_plans[east.code] if "compound" not in p), key=lambda p: p["u"])
                theirs = theirs[: max(1, len(theirs) // 3)]
                if theirs:
                    new_compound(area, mine + theirs)
                    plans = [p for p in plans if "compound" not in p]
            if not plans:
                continue
            if len(plans) >= 6 and rng.random() < 0.5:
                half = len(plans) // 2
                ordered = sorted(plans, key=lambda p: p["v"])
                new_compound(area, ordered[:half])
                new_compound(area, ordered[half:])
            else:
                new_compound(area, plans)
    _second_phases(compounds, [p for plans in grid_plans.values() for p in plans])
    return compounds


def admits_share(n: int, share: float) -> bool:
    """Whether some count out of ``n`` reads as ``share`` at two decimals of a percent (61.63% needs n = 86, 172,
    245, 258 …)."""
    return n > 0 and f"{round(n * share) / n:.2%}" == f"{share:.2%}"


def compound_target(n: int, share: float, slack: float = 0.05) -> int:
    """The smallest count ≥ ``n`` and within ``slack`` of it that admits ``share``; ``n`` itself if none does."""
    for m in range(n, int(n * (1 + slack)) + 1):
        if admits_share(m, share):
            return m
    return n


def _second_phases(compounds: list[Compound], plans: list[dict]) -> None:
    """Split the largest compounds into a first and a second phase (一期/二期, common in the zone's estates) until
    the residential count admits the article's owners' committee formation rate (the property demo then forms
    committees in round(n × rate) compounds and the indicator computes the rate from them). Uses no random
    numbers, so the rest of the zone is the same as without it."""
    from grassroots.property.demo import COMMITTEE_SHARE

    target = compound_target(len(compounds), COMMITTEE_SHARE)
    by_compound: dict[int, list[dict]] = {}
    for p in plans:
        if p.get("compound") is not None:
            by_compound.setdefault(id(p["compound"]), []).append(p)
    candidates = sorted((c for c in compounds if len(by_compound.get(id(c), ())) >= 4),
                        key=lambda c: (-len(by_compound[id(c)]), c.code))
    for first in candidates[: target - len(compounds)]:
        mine = sorted(by_compound[id(first)], key=lambda p: (p["v"], p["u"]))
        half = len(mine) // 2
        n = sum(1 for c in compounds if c.community_id == first.community_id) + 1
        second = Compound(code=f"{first.code[:-3]}{n:03d}", name=f"{first.name}二期", community=first.community,
                          geometry=hull([(p["lon"], p["lat"]) for p in mine[half:]]),
                          address=f"{first.address}二期", households=sum(p["households"] for p in mine[half:]),
                          built_year=min(first.built_year + 3, 2024), former_work_unit=False)
        for p in mine[half:]:
            p["compound"] = second
        first.geometry = hull([(p["lon"], p["lat"]) for p in mine[:half]])
        first.households = sum(p["households"] for p in mine[:half])
        compounds.append(second)

