"""The only readers of lifecircle data.

Facilities and the service item catalogue are public (residents find services near home). Coverage, gaps and
per-building results are staff information, limited to the actor's region scope.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import Case, Count, IntegerField, Q, Value, When

from grassroots.core.errors import NotFound, ValidationFailed
from grassroots.core.scope import scope_for
from grassroots.territory.models import Level, Region

from . import search, services
from .analysis import distances_from_point
from .models import AccessResult, Circle, Facility, FacilityKind, Requirement, RequirementProfile, ServiceItem
from .permissions import can_read_coverage


# --- public catalogue --------------------------------------------------------------------------------------------
def service_items(*, actor, q: str = "", level: str = "", item_type: str = ""):
    """Active items; with ``q``, those that answer it in everyday words, most relevant first (``search``)."""
    qs = ServiceItem.objects.filter(active=True)
    if level:
        qs = qs.filter(level=level)
    if item_type:
        qs = qs.filter(item_type=item_type)
    order = ["code"]
    if q:
        ranked = search.rank(qs, q)
        qs = qs.filter(pk__in=ranked)
        order = [Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked)),
                      output_field=IntegerField()), "code"] if ranked else order
    return qs.annotate(point_count=Count("facilities", filter=Q(facilities__active=True))).order_by(*order)


def service_item_detail(*, actor, pk: int) -> ServiceItem:
    item = ServiceItem.objects.filter(pk=pk, active=True).first()
    if item is None:
        raise NotFound()
    return item


def facilities(*, actor, q: str = "", kind: str = "", region_code: str = ""):
    qs = Facility.objects.filter(active=True).select_related("kind", "region")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q))
    if kind:
        qs = qs.filter(kind__code=kind)
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            return qs.none()
        from grassroots.territory.models import subtree_q

        qs = qs.filter(subtree_q(region.path, "region__path"))
    return qs.order_by("kind__code", "name")


def facility_detail(*, actor, pk: int) -> Facility:
    facility = Facility.objects.select_related("kind", "region", "operator").filter(pk=pk, active=True).first()
    if facility is None:
        raise NotFound()
    return facility


def item_points(*, actor, item: ServiceItem):
    """The active service points that handle ``item``."""
    return item.facilities.filter(active=True).select_related("kind", "region")


def region_by_code(*, actor, code: str) -> Region:
    """The region a new facility is placed in, by its code (whether the actor may place one there is the service's
    rule)."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound()
    return region


def facility_kinds(*, actor):
    return FacilityKind.objects.order_by("code")


@dataclass
class NearbyPoint:
    facility: Facility
    walk_m: float
    minutes: int


def nearest_points(*, actor, item: ServiceItem, lon: float, lat: float, zone: Region | None = None,
                   limit: int = 5, max_walk_m: float = 5000) -> list[NearbyPoint]:
    """Service points that handle ``item``, nearest first by walking distance from (lon, lat)."""
    points = list(item_points(actor=actor, item=item))
    if not points:
        return []
    zone = zone or services._zone_of(points[0].region)
    row = services.active_network(zone)
    if row is None:
        raise ValidationFailed("暂无步行路网，无法计算步行距离", "No walking network; walking distances unavailable")
    net = services.load_network(row)
    node, offset = net.snap([lon], [lat])
    if offset[0] > 1000:
        raise ValidationFailed("该位置离路网太远（超过 1 公里），请确认位置", "The position is over 1 km from any path")
    dist = distances_from_point(net, int(node[0]), float(offset[0]), max_walk_m)
    f_nodes, f_off = net.snap([p.lon for p in points], [p.lat for p in points])
    walks = dist[f_nodes] + f_off
    ranked = sorted((w, i) for i, w in enumerate(walks) if np.isfinite(w) and w <= max_walk_m)
    return [NearbyPoint(points[i], float(w), max(1, round(w / 80))) for w, i in ranked[:limit]]


# --- staff: coverage and gaps ------------------------------------------------------------------------------------
def _staff_scope(actor):
    if not can_read_coverage(actor):
        raise NotFound()
    return scope_for(actor)


def profiles(*, actor):
    """The requirement profiles coverage can be read against (reference data)."""
    return RequirementProfile.objects.order_by("code")


def profile_or_default(*, actor, code: str | None) -> RequirementProfile:
    qs = RequirementProfile.objects.all()
    profile = qs.filter(code=code).first() if code else qs.filter(is_default=True).first()
    if profile is None:
        raise NotFound("配置标准不存在", "Requirement profile not found")
    return profile


@dataclass
class CoverageRow:
    community: Region
    kind: FacilityKind
    circle: Circle
    covered: int
    total: int

    @property
    def rate(self) -> float | None:
        return None if self.total == 0 else self.covered / self.total


def _results(zone: Region, kinds) -> dict[int, tuple[np.ndarray, np.ndarray, AccessResult]]:
    row = services.active_network(zone)
    if row is None:
        return {}
    out = {}
    for r in AccessResult.objects.filter(network=row, kind__in=kinds):
        out[r.kind_id] = (np.frombuffer(bytes(r.building_ids), dtype="<i8"),
                          np.frombuffer(bytes(r.distances_m), dtype="<f4"), r)
    return out


def _building_community(scope) -> tuple[np.ndarray, np.ndarray]:
    """Residential buildings visible to the actor and the id of their community (village/park)."""
    rows = list(Region.objects.filter(scope.region_q("path"), level=Level.BUILDING, active=True, is_residential=True)
                .values_list("id", "parent__parent_id"))
    arr = np.array(rows, dtype=np.int64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


def aligned_distances(ids: np.ndarray, dist: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Distances for ``wanted`` building ids from a stored (sorted ids, distances) pair; NaN where absent."""
    out = np.full(wanted.shape[0], np.nan, dtype=np.float64)
    if ids.size == 0 or wanted.size == 0:
        return out
    idx = np.clip(np.searchsorted(ids, wanted), 0, ids.size - 1)
    hit = ids[idx] == wanted
    out[hit] = dist[idx[hit]]
    return out


def zone_for(actor) -> Region:
    scope = scope_for(actor)
    if not scope.region_paths:
        raise NotFound()
    code = scope.region_paths[0].strip("/").split("/")[0]
    return Region.objects.get(path=f"/{code}/")


def pending_kinds(*, actor, zone: Region, results: dict) -> list[dict]:
    """Kinds whose facilities changed after their stored result was computed: their recompute is queued or running,
    and the pages show the previous result until it lands. Read from the audit log's facility events (indexed by
    time), so it needs no state of its own."""
    from grassroots.core.models import Event

    from .services import FACILITY_CHANGE_VERBS

    computed = {kind_id: res[2].computed_at for kind_id, res in results.items()}
    if not computed:
        return []
    oldest = min(computed.values())
    changed: dict[str, object] = {}
    for at, payload in (Event.objects.filter(verb__in=FACILITY_CHANGE_VERBS, at__gt=oldest)
                        .values_list("at", "payload")):
        code = (payload or {}).get("kind")
        if code and (code not in changed or at > changed[code]):
            changed[code] = at
    kinds = {k.code: k for k in FacilityKind.objects.filter(pk__in=list(computed), code__in=list(changed))}
    return [{"kind": kind, "changed_at": changed[code], "result_at": computed[kind.pk]}
            for code, kind in sorted(kinds.items()) if changed[code] > computed[kind.pk]]


def coverage(*, actor, profile: RequirementProfile) -> dict:
    """Coverage per community and per required kind: share of residential buildings within the kind's circle."""
    scope = _staff_scope(actor)
    zone = zone_for(actor)
    reqs = list(Requirement.objects.filter(profile=profile).select_related("kind", "circle")
                .order_by("circle__max_distance_m", "kind__code"))
    results = _results(zone, [r.kind for r in reqs])
    b_ids, b_comm = _building_community(scope)
    communities = {c.pk: c for c in Region.objects.filter(pk__in=set(b_comm.tolist())).order_by("path")}
    rows: list[CoverageRow] = []
    by_kind: list[dict] = []
    for req in reqs:
        res = results.get(req.kind_id)
        if res is None:
            by_kind.append({"requirement": req, "covered": 0, "total": len(b_ids), "rate": None, "computed_at": None})
            continue
        ids, dist, result = res
        covered_mask = aligned_distances(ids, dist, b_ids) <= req.circle.max_distance_m
        total = len(b_ids)
        by_kind.append({"requirement": req, "covered": int(covered_mask.sum()), "total": total,
                        "rate": None if total == 0 else float(covered_mask.mean()), "computed_at": result.computed_at})
        for cid, community in communities.items():
            m = b_comm == cid
            rows.append(CoverageRow(community, req.kind, req.circle, int(covered_mask[m].sum()), int(m.sum())))
    return {"profile": profile, "by_kind": by_kind, "rows": rows, "communities": list(communities.values()),
            "requirements": reqs, "analysed": bool(results),
            "pending": pending_kinds(actor=actor, zone=zone, results=results)}


@dataclass
class Gap:
    building: Region
    kind: FacilityKind
    circle: Circle
    distance_m: float | None


def gaps(*, actor, profile: RequirementProfile, kind_code: str = "", community_code: str = "") -> list[Gap]:
    """Buildings lacking a required kind within its circle."""
    return list(gaps_iter(actor=actor, profile=profile, kind_code=kind_code, community_code=community_code))


def gaps_iter(*, actor, profile: RequirementProfile, kind_code: str = "", community_code: str = ""):
    """The gaps one by one, by building path then kind code (the export streams them); scope is checked at once."""
    scope = _staff_scope(actor)
    zone = zone_for(actor)
    reqs = Requirement.objects.filter(profile=profile).select_related("kind", "circle")
    if kind_code:
        reqs = reqs.filter(kind__code=kind_code)
    reqs = sorted(reqs, key=lambda r: r.kind.code)
    results = _results(zone, [r.kind for r in reqs])
    buildings = Region.objects.filter(scope.region_q("path"), level=Level.BUILDING, active=True, is_residential=True)
    if community_code:
        community = Region.objects.filter(code=community_code).first()
        if community is None or not scope.covers_path(community.path):
            raise NotFound()
        from grassroots.territory.models import subtree_q

        buildings = buildings.filter(subtree_q(community.path))
    per_kind = []
    for req in reqs:
        res = results.get(req.kind_id)
        if res is not None:
            ids, dist, _ = res
            per_kind.append((req, dict(zip(ids.tolist(), dist.tolist(), strict=False))))
    buildings = buildings.select_related("parent", "parent__parent").only(
        "id", "code", "name", "lon", "lat", "path", "parent__name", "parent__code", "parent__parent__name")

    def generate():
        for b in buildings.order_by("path").iterator(chunk_size=2000):
            for req, distances in per_kind:
                d = distances.get(b.pk)
                if d is not None and not (d <= req.circle.max_distance_m):
                    yield Gap(b, req.kind, req.circle, None if d != d else float(d))

    return generate()
