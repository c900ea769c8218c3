"""The only writers of territory data."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import shapely
from django.db import transaction
from django.db.models import F, Max
from tqdm import tqdm

from grassroots.core import clock, events
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed

from . import boundaries, locate
from .models import ALLOWED_PARENT, SERIAL_WIDTH, Compound, GridKind, Level, Region, RegionChange
from .permissions import can_change_boundaries, can_create_compound


def boundaries_changed() -> None:
    """Bump the boundary version seen by ``locate``: this process at once, after commit again (other writers'
    processes notice through the boundary signature)."""
    locate.invalidate()
    transaction.on_commit(locate.invalidate)


def _label_point(geometry: dict | None) -> tuple[float | None, float | None]:
    if not geometry:
        return None, None
    try:
        point = shapely.geometry.shape(geometry).representative_point()
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, shapely.errors.GEOSException):
        return None, None
    return round(point.x, 7), round(point.y, 7)


def _next_serial(parent: Region) -> int:
    # Serials are never reused: retired children keep theirs, so max() over all children is the high-water mark.
    current = Region.objects.filter(parent=parent).aggregate(m=Max("serial"))["m"] or 0
    return current + 1


def region_create(*, actor, level: str, name: str, parent: Region | None = None, code: str | None = None,
                  geometry: dict | None = None, lon: float | None = None, lat: float | None = None,
                  households: int | None = None, grid_kind: str = "", compound: Compound | None = None,
                  floors: int | None = None, is_residential: bool = True, record_event: bool = True) -> Region:
    """Create a region under ``parent`` with the next unified code (parent code + serial)."""
    if not name or not name.strip():
        raise ValidationFailed("名称不能为空", "Name is required", field="name")
    if level == Level.ZONE:
        if parent is not None:
            raise ValidationFailed("开发区是顶级区域，不能有上级", "A zone has no parent", field="parent")
        if not code or not code.isdigit():
            raise ValidationFailed("开发区需要数字行政区划代码", "A zone needs a numeric area code", field="code")
        serial, path = 1, f"/{code}/"
    else:
        if parent is None or parent.level not in ALLOWED_PARENT[level]:
            raise ValidationFailed(
                f"「{Level(level).label}」不能建在「{parent.get_level_display() if parent else '无'}」之下",
                f"A {level} cannot be placed under {parent.level if parent else 'nothing'}", field="parent")
        if not parent.active:
            raise ValidationFailed("上级区域已撤销", "The parent region is retired", field="parent")
        with transaction.atomic():
            serial = _next_serial(parent)
        width = SERIAL_WIDTH[level]
        if serial >= 10 ** width:
            raise ValidationFailed("该上级下的编号已用尽", "No serials left under this parent", field="parent")
        code = parent.code + str(serial).zfill(width)
        path = f"{parent.path}{str(serial).zfill(width)}/"
    if geometry and lon is None and lat is None and level != Level.BUILDING:
        lon, lat = _label_point(geometry)
    with transaction.atomic():
        region = Region.objects.create(
            code=code, name=name.strip(), level=level, parent=parent, path=path, serial=serial, geometry=geometry,
            lon=lon, lat=lat, households=households, grid_kind=grid_kind, compound=compound, floors=floors,
            is_residential=is_residential,
        )
        if record_event:
            events.record(actor, "region.create", region, payload={"code": code, "name": region.name})
        if level == Level.GRID and geometry:
            boundaries_changed()
    return region


def compound_create(*, actor, community: Region, name: str, geometry: dict | None = None, address: str = "",
                    households: int | None = None, built_year: int | None = None,
                    former_work_unit: bool = False) -> Compound:
    if community.level not in {Level.COMMUNITY, Level.VILLAGE, Level.PARK}:
        raise ValidationFailed("小区必须属于社区或村", "A compound belongs to a community or village",
                               field="community")
    if not can_create_compound(actor, community):
        raise NotPermitted("无权在该社区登记小区", "You may not register compounds in this community")
    with transaction.atomic():
        n = Compound.objects.filter(community=community).count() + 1
        code = f"{community.code}X{n:03d}"
        while Compound.objects.filter(code=code).exists():
            n += 1
            code = f"{community.code}X{n:03d}"
        compound = Compound.objects.create(code=code, name=name, community=community, geometry=geometry,
                                           address=address, households=households, built_year=built_year,
                                           former_work_unit=former_work_unit)
        events.record(actor, "compound.create", compound, payload={"code": code, "name": name})
    return compound


# ---------------------------------------------------------------------------------------------------------------
# Boundary import

@dataclass
class ImportReport:
    features: int = 0
    dry_run: bool = False
    created: list[str] = field(default_factory=list)  # codes
    updated: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {"index", "name", "message", "message_en"}
    warnings: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, bucket: list, index, name, zh: str, en: str) -> None:
        bucket.append({"index": index, "name": name or "", "message": zh, "message_en": en})

    def as_dict(self) -> dict:
        return {"features": self.features, "dry_run": self.dry_run, "created": self.created,
                "updated": self.updated, "errors": self.errors, "warnings": self.warnings}


@dataclass
class _Item:
    index: int
    name: str
    level: str
    parent: Region | None
    existing: Region | None
    geom: shapely.Geometry
    geometry: dict
    households: int | None
    grid_kind: str


def _load_collection(data) -> dict:
    if isinstance(data, (bytes, bytearray)):
        data = data.decode("utf-8-sig")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise ValidationFailed(f"文件不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}",
                                   f"The file is not valid JSON: line {exc.lineno} column {exc.colno}, {exc.msg}",
                                   code="invalid_geojson", field="file") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        raise ValidationFailed("文件必须是 GeoJSON FeatureCollection", "The file must be a GeoJSON FeatureCollection",
                               code="invalid_geojson", field="file")
    return data


def _read_feature(index: int, feature, report: ImportReport, regions_by_code: dict) -> _Item | None:
    def error(zh, en, name=""):
        report.add(report.errors, index, name, zh, en)

    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        error("不是 GeoJSON Feature", "Not a GeoJSON Feature")
        return None
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        error("properties 必须是对象", "properties must be an object")
        return None
    code = str(props.get("code") or "").strip()
    existing = None
    if code:
        existing = regions_by_code.get(code)
        if existing is None:
            error(f"编码「{code}」对应的区域不存在", f"No region has the code {code!r}", props.get("name"))
            return None
        if not existing.active:
            error(f"区域「{existing.name}」（{code}）已撤销，不能再修改边界",
                  f"Region {code} is retired; its boundary cannot change", existing.name)
            return None
    # From here on every problem of the feature is reported, not the first one only.
    errors_before = len(report.errors)
    name = str(props.get("name") or (existing.name if existing else "")).strip()
    if not name:
        error("缺少名称（name）", "The name is missing")
    level = str(props.get("level") or (existing.level if existing else "")).strip()
    level_ok = level in Level.values and level not in {Level.ZONE, Level.BUILDING}
    if not level_ok:
        error(f"层级「{level}」无效（可用：subdistrict、community、village、park、grid）",
              f"Invalid level {level!r} (subdistrict, community, village, park or grid)", name)
    elif existing is not None and existing.level != level:
        error(f"区域「{existing.name}」的层级是「{existing.get_level_display()}」，不能改为「{Level(level).label}」",
              f"Region {code} is a {existing.level}, not a {level}", name)
    parent_code = str(props.get("parent_code") or "").strip()
    if existing is not None:
        parent = existing.parent
        if parent_code and parent and parent_code != parent.code:
            error("导入不能改变区域的上级；请用拆分或合并", "An import cannot move a region to another parent", name)
    else:
        parent = regions_by_code.get(parent_code) if parent_code else None
        if parent is None or not parent.active:
            error(f"上级编码「{parent_code}」不存在或已撤销", f"Unknown or retired parent code {parent_code!r}", name)
        elif level_ok and parent.level not in ALLOWED_PARENT[level]:
            error(f"「{Level(level).label}」不能建在「{parent.get_level_display()}」之下",
                  f"A {level} cannot be placed under a {parent.level}", name)
    households = props.get("households")
    if households in ("", None):
        households = existing.households if existing else None
    else:
        try:
            households = int(households)
            if households < 0:
                raise ValueError
        except (TypeError, ValueError):
            error(f"户数「{props.get('households')}」不是非负整数", "households must be a non-negative integer", name)
    grid_kind = str(props.get("grid_kind") or (existing.grid_kind if existing else "")).strip()
    if level == Level.GRID:
        grid_kind = grid_kind or GridKind.COMPREHENSIVE
        if grid_kind not in GridKind.values:
            error(f"网格类型「{grid_kind}」无效", f"Invalid grid_kind {grid_kind!r}", name)
    else:
        grid_kind = ""
    geom = None
    try:
        geom = boundaries.parse_area_geometry(feature.get("geometry"))
    except boundaries.GeometryProblem as problem:
        error(problem.zh, problem.en, name)
    if len(report.errors) > errors_before:
        return None
    return _Item(index=index, name=name, level=level, parent=parent, existing=existing, geom=geom,
                 geometry=feature.get("geometry"), households=households, grid_kind=grid_kind)


def _json_geometry(geom: shapely.Geometry) -> dict:
    return json.loads(shapely.to_geojson(geom))


def _check_siblings(items: list[_Item], report: ImportReport, progress: bool) -> None:
    """Overlaps between siblings and spill-over beyond the parent's boundary (errors; a shared edge may differ by
    ``boundaries.EDGE_TOLERANCE_M``), gaps in the parent (warnings)."""
    by_parent: dict[int, list[_Item]] = {}
    for item in items:
        by_parent.setdefault(item.parent.pk, []).append(item)
    all_geoms = [i.geom for i in items]
    for parent_id, group in tqdm(by_parent.items(), desc="检查重叠与缝隙", unit="上级", disable=not progress):
        parent = group[0].parent
        replaced = {i.existing.pk for i in group if i.existing is not None}
        others = [r for r in Region.objects.filter(parent_id=parent_id, active=True, geometry__isnull=False)
                  .exclude(level=Level.BUILDING) if r.pk not in replaced]
        other_geoms = []
        for region in others:
            try:
                other_geoms.append(boundaries.parse_area_geometry(region.geometry))
            except boundaries.GeometryProblem:
                continue
        parent_geom = None
        if parent.geometry:
            try:
                parent_geom = boundaries.parse_area_geometry(parent.geometry)
            except boundaries.GeometryProblem:
                parent_geom = None
        projection = boundaries.projection_for(all_geoms + other_geoms + ([parent_geom] if parent_geom else []))
        projected = [projection.project(g) for g in other_geoms] + [projection.project(i.geom) for i in group]
        first_new = len(other_geoms)
        for i, j, area in boundaries.overlapping_pairs(projected, first_new=first_new):
            item = group[i - first_new]
            if j >= first_new:
                other = group[j - first_new]
                zh_other, en_other = f"第 {other.index} 个要素「{other.name}」", f"feature {other.index} ({other.name})"
            else:
                other_region = others[j]
                zh_other = f"现有区域「{other_region.name}」（{other_region.code}）"
                en_other = f"existing region {other_region.code} ({other_region.name})"
            report.add(report.errors, item.index, item.name, f"与{zh_other}重叠约 {area:.0f} 平方米",
                       f"Overlaps {en_other} by about {area:.0f} m²")
        if parent_geom is None:
            continue
        parent_projected = projection.project(parent_geom)
        parent_area = parent_projected.area
        children = shapely.union_all(projected)
        tolerance = boundaries.tolerance_for(parent_area)
        uncovered = shapely.difference(parent_projected, children).area
        if uncovered > tolerance:
            report.add(report.warnings, None, parent.name,
                       f"「{parent.name}」有约 {uncovered:.0f} 平方米（{uncovered / parent_area:.1%}）未被下级区域覆盖",
                       f"About {uncovered:.0f} m² ({uncovered / parent_area:.1%}) of {parent.name} is covered by "
                       f"no child region")
        for item in group:
            outside = boundaries.area_outside(projection.project(item.geom), parent_projected)
            if outside:
                report.add(report.errors, item.index, item.name,
                           f"有约 {outside:.0f} 平方米超出上级「{parent.name}」的边界"
                           f"（共用边界允许 {boundaries.EDGE_TOLERANCE_M:.0f} 米误差）",
                           f"About {outside:.0f} m² lie outside the parent {parent.name} (a shared edge may differ "
                           f"by {boundaries.EDGE_TOLERANCE_M:.0f} m)")


def boundaries_import(*, actor, data, dry_run: bool = False, progress: bool = False) -> ImportReport:
    """Import region boundaries from a GeoJSON FeatureCollection (a dict, a JSON string or bytes).

    Feature properties: ``name``, ``level``, ``parent_code``; optional ``code`` (update that region's boundary,
    name, households, grid kind), ``households``, ``grid_kind``. Either everything is imported in one transaction
    or nothing: errors (with feature index and reason) raise ValidationFailed with the report in ``details``.
    Warnings (gaps in a parent, grids outside 300–500 households) do not stop the import; a boundary reaching
    beyond its parent's (more than ``boundaries.EDGE_TOLERANCE_M`` past a shared edge) is an error.
    """
    if not can_change_boundaries(actor):
        raise NotPermitted("无权导入区域边界", "You may not import boundaries")
    collection = _load_collection(data)
    features = collection["features"]
    report = ImportReport(features=len(features), dry_run=dry_run)
    codes = set()
    for feature in features:
        props = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        if isinstance(props, dict):
            codes.update(str(props.get(k) or "").strip() for k in ("code", "parent_code"))
    codes.discard("")
    regions_by_code = {r.code: r for r in Region.objects.filter(code__in=codes).select_related("parent")}
    items: list[_Item] = []
    seen_codes: dict[str, int] = {}
    for index, feature in enumerate(tqdm(features, desc="读取要素", unit="个", disable=not progress)):
        item = _read_feature(index, feature, report, regions_by_code)
        if item is None:
            continue
        if not can_change_boundaries(actor, item.existing or item.parent):
            report.add(report.errors, index, item.name, "无权修改该区域或在该上级下新设区域",
                       "You may not change this region or add regions under this parent")
            continue
        if item.existing is not None:
            if item.existing.code in seen_codes:
                report.add(report.errors, index, item.name,
                           f"编码「{item.existing.code}」与第 {seen_codes[item.existing.code]} 个要素重复",
                           f"Code {item.existing.code} repeats feature {seen_codes[item.existing.code]}")
                continue
            seen_codes[item.existing.code] = index
        items.append(item)
    if items:
        _check_siblings(items, report, progress)
    for item in items:
        if (item.level == Level.GRID and item.grid_kind == GridKind.COMPREHENSIVE and item.households is not None
                and not boundaries.HOUSEHOLDS_MIN <= item.households <= boundaries.HOUSEHOLDS_MAX):
            report.add(report.warnings, item.index, item.name,
                       f"户数 {item.households} 不在综合网格 300–500 户的指导范围内",
                       f"{item.households} households is outside the 300–500 guideline for comprehensive grids")
    if report.errors:
        raise ValidationFailed(f"边界文件有 {len(report.errors)} 处错误，未导入任何内容",
                               f"The boundary file has {len(report.errors)} error(s); nothing was imported",
                               code="boundary_import_invalid", field="file", details=report.as_dict())
    if dry_run:
        return report
    today = clock.today()
    with transaction.atomic():
        created, updated = [], []
        for item in tqdm(items, desc="写入区域", unit="个", disable=not progress):
            geometry = _json_geometry(item.geom)
            if item.existing is None:
                region = region_create(actor=actor, level=item.level, name=item.name, parent=item.parent,
                                       geometry=geometry, households=item.households, grid_kind=item.grid_kind)
                created.append(region)
            else:
                region = item.existing
                lon, lat = _label_point(geometry)
                Region.objects.filter(pk=region.pk).update(
                    name=item.name, geometry=geometry, households=item.households, grid_kind=item.grid_kind,
                    lon=lon, lat=lat, geometry_version=F("geometry_version") + 1, updated_at=clock.now())
                events.record(actor, "region.boundary_adjust", region,
                              payload={"code": region.code, "name": item.name, "source": "import"})
                updated.append(region)
        if created:
            change = RegionChange.objects.create(kind=RegionChange.Kind.CREATE, effective_on=today,
                                                 note="边界导入新设")
            change.targets.set(created)
        if updated:
            change = RegionChange.objects.create(kind=RegionChange.Kind.ADJUST, effective_on=today,
                                                 note="边界导入调整")
            change.sources.set(updated)
            change.targets.set(updated)
        report.created = [r.code for r in created]
        report.updated = [r.code for r in updated]
        events.record(actor, "territory.boundaries_import", None, object_type="territory.region",
                      payload={"created": report.created, "updated": report.updated,
                               "warnings": len(report.warnings)})
        boundaries_changed()
    return report


# ---------------------------------------------------------------------------------------------------------------
# Split and merge

def _retire(actor, regions: list[Region], verb: str) -> None:
    today = clock.today()
    for region in regions:
        moved = Region.objects.filter(pk=region.pk, active=True).update(active=False, retired_on=today,
                                                                       updated_at=clock.now())
        if moved != 1:
            raise Conflict(f"网格「{region.name}」已被撤销，请刷新后重试",
                           f"Grid {region.code} has already been retired; refresh and try again",
                           code="state_conflict", details={"current_state": "retired"})
        region.active, region.retired_on = False, today
        events.record(actor, verb, region, from_state="active", to_state="retired", payload={"code": region.code})


def _check_grid(actor, grid: Region) -> None:
    if grid.level != Level.GRID:
        raise ValidationFailed(f"「{grid.name}」不是网格", f"{grid.code} is not a grid", field="grid")
    if not grid.active:
        raise Conflict(f"网格「{grid.name}」已撤销", f"Grid {grid.code} is retired", code="state_conflict",
                       details={"current_state": "retired"})
    if not can_change_boundaries(actor, grid):
        raise NotPermitted("无权调整该网格", "You may not change this grid")


def grid_split(*, actor, grid: Region, parts: list[tuple[str, dict]], note: str = "") -> list[Region]:
    """Split a grid into new grids (each with a new code); the old grid is retired, people and cases keep it."""
    _check_grid(actor, grid)
    if len(parts) < 2:
        raise ValidationFailed("拆分至少需要两个部分", "A split needs at least two parts", field="parts")
    names = [str(name or "").strip() for name, _ in parts]
    if not all(names):
        raise ValidationFailed("每个部分都需要名称", "Every part needs a name", field="parts")
    if len(set(names)) != len(names):
        raise ValidationFailed("各部分名称不能重复", "Part names must differ", field="parts")
    geoms = [boundaries.area_geometry_or_error(geometry, field="parts") for _, geometry in parts]
    source = boundaries.area_geometry_or_error(grid.geometry, field="grid")
    projection = boundaries.projection_for([source, *geoms])
    source_p = projection.project(source)
    parts_p = [projection.project(g) for g in geoms]
    for i, j, area in boundaries.overlapping_pairs(parts_p):
        raise ValidationFailed(f"「{names[i]}」与「{names[j]}」重叠约 {area:.0f} 平方米",
                               f"{names[i]} and {names[j]} overlap by about {area:.0f} m²", field="parts")
    tolerance = boundaries.tolerance_for(source_p.area)
    for name, part in zip(names, parts_p, strict=True):
        outside = shapely.difference(part, source_p).area
        if outside > tolerance:
            raise ValidationFailed(f"「{name}」有约 {outside:.0f} 平方米超出原网格",
                                   f"{name} extends about {outside:.0f} m² beyond the grid", field="parts")
    uncovered = shapely.difference(source_p, shapely.union_all(parts_p)).area
    if uncovered > tolerance:
        raise ValidationFailed(f"各部分未覆盖原网格（约 {uncovered:.0f} 平方米空缺）",
                               f"The parts leave about {uncovered:.0f} m² of the grid uncovered", field="parts")
    with transaction.atomic():
        _retire(actor, [grid], "region.split")
        created = [region_create(actor=actor, level=Level.GRID, name=name, parent=grid.parent,
                                 geometry=_json_geometry(geom), grid_kind=grid.grid_kind)
                   for name, geom in zip(names, geoms, strict=True)]
        change = RegionChange.objects.create(kind=RegionChange.Kind.SPLIT, effective_on=clock.today(), note=note)
        change.sources.set([grid])
        change.targets.set(created)
        boundaries_changed()
    return created


def grid_merge(*, actor, grids: list[Region], name: str, note: str = "") -> Region:
    """Merge adjacent grids of one parent into a new grid (new code); the old grids are retired."""
    grids = list({g.pk: g for g in grids}.values())
    if len(grids) < 2:
        raise ValidationFailed("合并至少需要两个网格", "A merge needs at least two grids", field="grids")
    if not str(name or "").strip():
        raise ValidationFailed("名称不能为空", "Name is required", field="name")
    for grid in grids:
        _check_grid(actor, grid)
    if len({g.parent_id for g in grids}) != 1:
        raise ValidationFailed("只能合并同一社区（村、园区）内的网格", "Only grids of the same parent can be merged",
                               field="grids")
    if len({g.grid_kind for g in grids}) != 1:
        raise ValidationFailed("只能合并同一类型的网格", "Only grids of the same kind can be merged", field="grids")
    geoms = [boundaries.area_geometry_or_error(g.geometry, field="grids") for g in grids]
    projection = boundaries.projection_for(geoms)
    merged_p = shapely.union_all([projection.project(g) for g in geoms])
    # Grids that only touch at a corner or lie apart would make a grid in pieces.
    if merged_p.geom_type != "Polygon" and shapely.buffer(merged_p, 0.5).geom_type != "Polygon":
        raise ValidationFailed("只能合并相邻的网格", "Only adjacent grids can be merged", field="grids")
    merged = shapely.union_all(geoms)
    households = None
    if all(g.households is not None for g in grids):
        households = sum(g.households for g in grids)
    with transaction.atomic():
        _retire(actor, grids, "region.merge")
        region = region_create(actor=actor, level=Level.GRID, name=name, parent=grids[0].parent,
                               geometry=_json_geometry(merged), grid_kind=grids[0].grid_kind, households=households)
        change = RegionChange.objects.create(kind=RegionChange.Kind.MERGE, effective_on=clock.today(), note=note)
        change.sources.set(grids)
        change.targets.set([region])
        boundaries_changed()
    return region
