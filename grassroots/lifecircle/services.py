"""The only writers of lifecircle data: requirement profiles, facilities, walking networks, the stored analysis
results, and the audited gaps export.

Facility changes recompute only the affected kind (``recompute_kind``), as a task queued once the change commits
(``tasks.recompute_kind``: a worker in production, in-process in embedded mode), so the request does not wait for
the walk analysis and the other kinds' rows are not touched. Until the task has run, the pages show the previous
result and say which kinds are being updated (``selectors.pending_kinds``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.db import transaction
from django.db.models import Count, Max

from grassroots.core import clock, events
from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed
from grassroots.territory.models import Level, Region, subtree_q

from . import network as netmod
from .analysis import nearest_distance
from .models import (
    AccessResult,
    Circle,
    Facility,
    FacilityKind,
    Requirement,
    RequirementProfile,
    ServiceItem,
    WalkNetwork,
)
from .permissions import can_edit_catalogue, can_manage_facilities, can_manage_facilities_in
from .search import clean_terms

DATA_FILE = Path(__file__).parent / "data" / "requirements.json"
WORDS_FILE = Path(__file__).parent / "data" / "service_item_words.json"


# --- reference data ----------------------------------------------------------------------------------------------
def load_requirements(*, actor=None, path: Path | str = DATA_FILE) -> dict:
    """Upsert circles, facility kinds and requirement profiles from a JSON file. Validates all before writing."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValidationFailed(f"无法读取配置文件：{exc}", f"Cannot read the file: {exc}")
    errors = []
    circle_codes = {c.get("code") for c in data.get("circles", [])}
    kind_codes = {k.get("code") for k in data.get("kinds", [])}
    for c in data.get("circles", []):
        if not c.get("code") or not isinstance(c.get("max_distance_m"), int) or c["max_distance_m"] <= 0:
            errors.append(f"生活圈层级 {c.get('code')!r} 缺少编码或距离")
    for k in data.get("kinds", []):
        if not k.get("code") or not k.get("name"):
            errors.append(f"设施类型 {k!r} 缺少编码或名称")
    if sum(1 for p in data.get("profiles", []) if p.get("is_default")) != 1:
        errors.append("必须有且只有一个默认配置标准")
    for p in data.get("profiles", []):
        for row in p.get("requirements", []):
            if len(row) != 3 or row[0] not in kind_codes or row[1] not in circle_codes:
                errors.append(f"配置标准 {p.get('code')} 的要求 {row!r} 引用了未知的设施类型或层级")
    if errors:
        raise ValidationFailed("配置文件有误：" + "；".join(errors), "Bad requirements file: " + "; ".join(errors),
                               details={"errors": errors})
    with transaction.atomic():
        circles = {}
        for c in data["circles"]:
            circles[c["code"]], _ = Circle.objects.update_or_create(
                code=c["code"], defaults={"name": c["name"], "minutes": c["minutes"],
                                          "max_distance_m": c["max_distance_m"]})
        kinds = {}
        for k in data["kinds"]:
            kinds[k["code"]], _ = FacilityKind.objects.update_or_create(
                code=k["code"], defaults={"name": k["name"], "name_en": k.get("name_en", ""),
                                          "domain": k.get("domain", ""), "description": k.get("description", "")})
        RequirementProfile.objects.filter(is_default=True).update(is_default=False)
        for p in data["profiles"]:
            profile, _ = RequirementProfile.objects.update_or_create(
                code=p["code"], defaults={"name": p["name"], "source": p["source"], "is_default": p["is_default"]})
            wanted = set()
            for kind_code, circle_code, baseline in p["requirements"]:
                Requirement.objects.update_or_create(
                    profile=profile, kind=kinds[kind_code],
                    defaults={"circle": circles[circle_code], "baseline": bool(baseline)})
                wanted.add(kinds[kind_code].pk)
            Requirement.objects.filter(profile=profile).exclude(kind_id__in=wanted).delete()
        events.record(actor, "requirement_profile.load", payload={"file": str(path)})
    return {"circles": len(data["circles"]), "kinds": len(data["kinds"]), "profiles": len(data["profiles"])}


# --- permissions -------------------------------------------------------------------------------------------------
def _require_planner(actor, region: Region) -> None:
    if not can_manage_facilities(actor):
        raise NotPermitted("只有社区、街道或区级工作人员可以维护服务设施",
                           "Only community, subdistrict or zone staff may do this")
    if not can_manage_facilities_in(actor, region):
        raise NotFound()


# --- facilities --------------------------------------------------------------------------------------------------
FACILITY_FIELDS = ("name", "address", "opening_hours", "capacity", "phone", "operator")


def _zone_of(region: Region) -> Region:
    zone_code = region.path.strip("/").split("/")[0]
    return Region.objects.get(path=f"/{zone_code}/")


def _check_position(lon, lat) -> tuple[float, float]:
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        raise ValidationFailed("请填写正确的经纬度", "Give a valid longitude and latitude", field="lon")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationFailed("经纬度超出范围", "Longitude/latitude out of range", field="lon")
    return lon, lat


def facility_create(*, actor, kind: FacilityKind, region: Region, name: str, lon, lat, service_items=(), **fields) -> Facility:
    _require_planner(actor, region)
    if not name or not name.strip():
        raise ValidationFailed("名称不能为空", "Name is required", field="name")
    lon, lat = _check_position(lon, lat)
    with transaction.atomic():
        facility = Facility.objects.create(kind=kind, region=region, name=name.strip(), lon=lon, lat=lat,
                                           **{k: v for k, v in fields.items() if k in FACILITY_FIELDS})
        if service_items:
            facility.service_items.set(service_items)
        events.record(actor, "facility.create", facility, payload={"kind": kind.code, "name": facility.name})
        _recompute_after_commit(_zone_of(region), kind)
    return facility


def facility_retire(*, actor, facility: Facility) -> None:
    _require_planner(actor, facility.region)
    with transaction.atomic():
        Facility.objects.filter(pk=facility.pk).update(active=False)
        facility.active = False
        events.record(actor, "facility.retire", facility, payload={"kind": facility.kind.code})
        _recompute_after_commit(_zone_of(facility.region), facility.kind)


FACILITY_CHANGE_VERBS = ("facility.create", "facility.retire")


def _recompute_after_commit(zone: Region, kind: FacilityKind) -> None:
    from . import tasks

    zone_id, kind_id = zone.pk, kind.pk
    transaction.on_commit(lambda: tasks.recompute_kind.delay(zone_id, kind_id))


# --- the service-item catalogue ----------------------------------------------------------------------------------
def service_item_set_words(*, actor, item: ServiceItem, aliases, keywords) -> ServiceItem:
    """Replace an item's aliases (everyday names) and keywords, which the finder searches. Zone staff only."""
    if not can_edit_catalogue(actor):
        raise NotPermitted("只有区级工作人员可以维护服务事项目录", "Only zone staff may edit the service catalogue")
    alias_list = clean_terms(aliases, field="aliases")
    keyword_list = clean_terms(keywords, field="keywords")
    with transaction.atomic():
        before = {"aliases": item.aliases, "keywords": item.keywords}
        item.aliases, item.keywords = "\n".join(alias_list), "\n".join(keyword_list)
        ServiceItem.objects.filter(pk=item.pk).update(aliases=item.aliases, keywords=item.keywords,
                                                      updated_at=clock.now())
        events.record(actor, "service_item.words", item, payload={
            "before": before, "aliases": alias_list, "keywords": keyword_list})
    return item


def load_item_words(*, actor=None, path: Path | str = WORDS_FILE) -> int:
    """Set aliases and keywords from a JSON file (``{"subjects": {…}, "items": {…}}``, see the file) on the items
    whose name it names; an item gets its subject's words and its own. Returns the number of items changed."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValidationFailed(f"无法读取词表：{exc}", f"Cannot read the word list: {exc}")
    subjects = data.get("subjects", {})
    own = data.get("items", {})
    changed = []
    for item in ServiceItem.objects.order_by("code"):
        aliases, keywords = [], []
        for subject, words in subjects.items():
            if item.name.startswith(subject):
                aliases += words.get("aliases", [])
                keywords += words.get("keywords", [])
        words = own.get(item.name, {})
        aliases = words.get("aliases", []) + aliases
        keywords = words.get("keywords", []) + keywords
        if not aliases and not keywords:
            continue
        item.aliases = "\n".join(clean_terms(aliases, field="aliases"))
        item.keywords = "\n".join(clean_terms(keywords, field="keywords"))
        changed.append(item)
    with transaction.atomic():
        ServiceItem.objects.bulk_update(changed, ["aliases", "keywords"], batch_size=500)
        events.record(actor, "service_item.load_words", payload={"file": Path(path).name, "items": len(changed)})
    return len(changed)


# --- walking networks --------------------------------------------------------------------------------------------
def network_import(*, actor, zone: Region, path: str | Path, name: str = "") -> WalkNetwork:
    """Import a walking network (GeoJSON lines, .osm or .osm.pbf) and make it the zone's active network."""
    path = Path(path)
    if zone.level != Level.ZONE:
        raise ValidationFailed("路网按开发区导入", "Networks are imported per zone", field="zone")
    suffix = "".join(path.suffixes[-2:]).lower()
    if suffix.endswith(".geojson") or suffix.endswith(".json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise netmod.NetworkError(f"无法读取 GeoJSON：{exc}", f"Cannot read the GeoJSON file: {exc}")
        net = netmod.from_geojson_lines(data)
    elif suffix.endswith(".osm.pbf") or suffix.endswith(".osm") or suffix.endswith(".pbf"):
        net = netmod.from_osm(str(path))
    else:
        raise netmod.NetworkError("不支持的文件类型：请使用 .geojson、.osm 或 .osm.pbf",
                                  "Unsupported file type: use .geojson, .osm or .osm.pbf")
    return network_save(actor=actor, zone=zone, net=net, name=name or path.name, source=path.name)


def network_save(*, actor, zone: Region, net: netmod.Network, name: str, source: str = "") -> WalkNetwork:
    with transaction.atomic():
        WalkNetwork.objects.filter(zone=zone, active=True).update(active=False)
        row = WalkNetwork.objects.create(zone=zone, name=name, source=source, node_count=net.node_count,
                                         edge_count=net.edge_count, total_length_m=float(net.length.sum()),
                                         arrays=net.to_bytes())
        events.record(actor, "walk_network.import", row,
                      payload={"nodes": net.node_count, "edges": net.edge_count, "source": source})
    _network_cache.clear()
    return row


_network_cache: dict[int, netmod.Network] = {}


def load_network(row: WalkNetwork) -> netmod.Network:
    net = _network_cache.get(row.pk)
    if net is None:
        _network_cache.clear()
        net = _network_cache[row.pk] = netmod.Network.from_bytes(row.arrays)
    return net


def active_network(zone: Region) -> WalkNetwork | None:
    return WalkNetwork.objects.filter(zone=zone, active=True).first()


# --- analysis ----------------------------------------------------------------------------------------------------
@dataclass
class AnalysisRun:
    kinds: int
    buildings: int
    facilities: int
    seconds: float


def cutoff_m() -> int:
    return max(Circle.objects.values_list("max_distance_m", flat=True), default=1000)


def _buildings(zone: Region):
    rows = np.array(
        list(Region.objects.filter(subtree_q(zone.path), level=Level.BUILDING, active=True, is_residential=True,
                                   lon__isnull=False, lat__isnull=False)
             .order_by("id").values_list("id", "lon", "lat")), dtype=np.float64).reshape(-1, 3)
    return rows[:, 0].astype(np.int64), rows[:, 1], rows[:, 2]


_snap_cache: dict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


def _snapped_buildings(zone: Region, row: WalkNetwork, net: netmod.Network):
    """Residential buildings of the zone snapped to the network, cached until a building or the network changes."""
    stats = Region.objects.filter(subtree_q(zone.path), level=Level.BUILDING).aggregate(
        n=Count("id"), latest=Max("updated_at"))
    key = (row.pk, zone.pk, stats["n"], stats["latest"])
    cached = _snap_cache.get(key)
    if cached is None:
        ids, lons, lats = _buildings(zone)
        nodes, offsets = net.snap(lons, lats)
        _snap_cache.clear()
        cached = _snap_cache[key] = (ids, nodes, offsets)
    return cached


def _facilities_by_kind(zone: Region, kinds) -> dict[int, np.ndarray]:
    rows = (Facility.objects.filter(active=True, kind__in=kinds).filter(subtree_q(zone.path, "region__path"))
            .values_list("kind_id", "lon", "lat"))
    by_kind: dict[int, list] = {k.pk: [] for k in kinds}
    for kind_id, lon, lat in rows:
        by_kind[kind_id].append((lon, lat))
    return {k: np.array(v, dtype=np.float64).reshape(-1, 2) for k, v in by_kind.items()}


def run_analysis(*, actor=None, zone: Region, kinds=None, progress=None) -> AnalysisRun:
    """Compute and store, for every residential building, the walk to the nearest facility of each kind."""
    import time

    started = time.perf_counter()
    row = active_network(zone)
    if row is None:
        raise ValidationFailed("该区域还没有步行路网，请先导入", "This zone has no walking network yet; import one first")
    net = load_network(row)
    kinds = list(kinds if kinds is not None else FacilityKind.objects.all())
    ids, b_nodes, b_off = _snapped_buildings(zone, row, net)
    limit = cutoff_m()
    facilities = _facilities_by_kind(zone, kinds)
    now = clock.now()
    ids_bytes = ids.astype("<i8").tobytes()
    total_facilities = 0
    with transaction.atomic():
        for kind in kinds:
            points = facilities[kind.pk]
            total_facilities += points.shape[0]
            f_nodes, f_off = net.snap(points[:, 0], points[:, 1]) if points.size else (np.zeros(0, int), np.zeros(0))
            dist = nearest_distance(net, f_nodes, b_nodes, limit, source_offsets=f_off, target_offsets=b_off)
            AccessResult.objects.update_or_create(
                network=row, kind=kind,
                defaults={"computed_at": now, "cutoff_m": limit, "facility_count": int(points.shape[0]),
                          "building_count": int(ids.shape[0]), "building_ids": ids_bytes,
                          "distances_m": dist.astype("<f4").tobytes()})
            if progress:
                progress(kind)
        events.record(actor, "life_circle.analyse", row,
                      payload={"kinds": [k.code for k in kinds], "buildings": int(ids.shape[0])})
    return AnalysisRun(len(kinds), int(ids.shape[0]), total_facilities, time.perf_counter() - started)


def recompute_kind(*, zone: Region, kind: FacilityKind) -> None:
    """After a facility change: recompute this kind only (if the zone has a network and results)."""
    row = active_network(zone)
    if row is None or not AccessResult.objects.filter(network=row).exists():
        return
    run_analysis(actor=None, zone=zone, kinds=[kind])
