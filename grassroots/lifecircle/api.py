"""API: the service catalogue and facilities (public), the nearest service points, coverage and gaps (staff)."""

from __future__ import annotations

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from grassroots.core.errors import ValidationFailed
from grassroots.core.geo import position
from grassroots.core.pagination import PageNumberPagination

from . import selectors, services

router = Router(tags=["lifecircle 一刻钟生活圈"])


class ServiceItemOut(Schema):
    id: int
    code: str
    name: str
    item_type: str
    competent_department: str
    implementing_body: str
    level: str
    is_instant: bool
    legal_days: int | None
    promised_days: int | None
    max_visits: int
    online_url: str
    aliases: list[str]
    keywords: list[str]

    @staticmethod
    def resolve_aliases(obj):
        return obj.aliases.splitlines() if obj.aliases else []

    @staticmethod
    def resolve_keywords(obj):
        return obj.keywords.splitlines() if obj.keywords else []


class ServiceItemDetailOut(ServiceItemOut):
    legal_basis: list
    applicant_scope: str
    conditions: str
    materials: list
    steps: list
    fee_required: bool
    fee_basis: str
    location: str
    hours: str
    consult_phone: str
    complaint_phone: str


class FacilityOut(Schema):
    id: int
    name: str
    kind: str
    kind_name: str
    region_code: str
    region_name: str
    lon: float
    lat: float
    address: str
    opening_hours: str
    capacity: int | None

    @staticmethod
    def resolve_kind(obj):
        return obj.kind.code

    @staticmethod
    def resolve_kind_name(obj):
        return obj.kind.name

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj):
        return obj.region.name


class NearbyFacilityOut(Schema):
    facility: FacilityOut
    walk_m: float
    minutes: int


class CoverageKindOut(Schema):
    kind: str
    kind_name: str
    circle: str
    max_distance_m: int
    covered: int
    total: int
    rate: float | None


class GapOut(Schema):
    building_code: str
    building_name: str
    kind: str
    circle: str
    distance_m: float | None


@router.get("/items", response=list[ServiceItemOut], auth=None, operation_id="lifecircle_item_list")
@paginate(PageNumberPagination, page_size=50)
def item_list(request, q: str = "", level: str = "", item_type: str = ""):
    """The catalogue; with ``q`` (everyday words: 社保卡补办, 开证明 …) the items that answer it, most relevant first."""
    return selectors.service_items(actor=request.user, q=q, level=level, item_type=item_type)


@router.get("/items/{item_id}", response=ServiceItemDetailOut, auth=None, operation_id="lifecircle_item_detail")
def item_detail(request, item_id: int):
    return selectors.service_item_detail(actor=request.user, pk=item_id)


class ItemWordsIn(Schema):
    aliases: list[str] = []
    keywords: list[str] = []


@router.put("/items/{item_id}/words", response=ServiceItemDetailOut, operation_id="lifecircle_item_words")
def item_words(request, item_id: int, body: ItemWordsIn):
    """Replace an item's everyday names (aliases) and keywords, which the search reads (zone staff)."""
    item = selectors.service_item_detail(actor=request.user, pk=item_id)
    return services.service_item_set_words(actor=request.user, item=item, aliases=body.aliases,
                                           keywords=body.keywords)


@router.get("/facilities", response=list[FacilityOut], auth=None, operation_id="lifecircle_facility_list")
@paginate(PageNumberPagination, page_size=50)
def facility_list(request, q: str = "", kind: str = "", region: str = ""):
    return selectors.facilities(actor=request.user, q=q, kind=kind, region_code=region)


@router.get("/facilities/{facility_id}", response=FacilityOut, auth=None, operation_id="lifecircle_facility_detail")
def facility_detail(request, facility_id: int):
    return selectors.facility_detail(actor=request.user, pk=facility_id)


class NearestQuery(Schema):
    item: int
    lon: float
    lat: float
    crs: str = "WGS84"
    limit: int = 5


@router.get("/nearest", response=list[NearbyFacilityOut], auth=None, operation_id="lifecircle_nearest")
def nearest(request, query: Query[NearestQuery]):
    item = selectors.service_item_detail(actor=request.user, pk=query.item)
    if not 1 <= query.limit <= 20:
        raise ValidationFailed("limit 须在 1 到 20 之间", "limit must be between 1 and 20", field="limit")
    lon, lat = position(query.lon, query.lat, query.crs)
    return [{"facility": r.facility, "walk_m": round(r.walk_m, 1), "minutes": r.minutes}
            for r in selectors.nearest_points(actor=request.user, item=item, lon=lon, lat=lat, limit=query.limit)]


@router.get("/coverage", response=list[CoverageKindOut], operation_id="lifecircle_coverage")
def coverage(request, profile: str = ""):
    prof = selectors.profile_or_default(actor=request.user, code=profile or None)
    data = selectors.coverage(actor=request.user, profile=prof)
    return [{"kind": k["requirement"].kind.code, "kind_name": k["requirement"].kind.name,
             "circle": k["requirement"].circle.code, "max_distance_m": k["requirement"].circle.max_distance_m,
             "covered": k["covered"], "total": k["total"], "rate": k["rate"]} for k in data["by_kind"]]


@router.get("/gaps", response=list[GapOut], operation_id="lifecircle_gaps")
@paginate(PageNumberPagination, page_size=200)
def gaps(request, profile: str = "", kind: str = "", community: str = ""):
    prof = selectors.profile_or_default(actor=request.user, code=profile or None)
    return [{"building_code": g.building.code, "building_name": g.building.name, "kind": g.kind.code,
             "circle": g.circle.code, "distance_m": None if g.distance_m is None else round(g.distance_m, 1)}
            for g in selectors.gaps(actor=request.user, profile=prof, kind_code=kind, community_code=community)]
