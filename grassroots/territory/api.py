"""Territory API: region tree and detail, grid GeoJSON, locate, compounds. Every operation reads through selectors."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from grassroots.core import geo
from grassroots.core.api_params import Limit, Offset

from . import selectors

router = Router(tags=["territory"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    path: str
    parent_code: str | None = None
    grid_kind: str = ""
    households: int | None = None
    lon: float | None = None
    lat: float | None = None
    active: bool = True


class RegionDetailOut(RegionOut):
    retired_on: str | None = None
    children: list[RegionOut] = []
    geometry: dict | None = None


class GridOut(Schema):
    code: str
    name: str
    path: str


class CompoundOut(Schema):
    code: str
    name: str
    community_code: str
    community_name: str
    address: str = ""
    households: int | None = None
    built_year: int | None = None
    is_residential: bool = True
    former_work_unit: bool = False


class CompoundPage(Schema):
    count: int
    items: list[CompoundOut]


class LocateQuery(Schema):
    lon: float
    lat: float
    crs: str = "WGS84"


def _region_out(region, parent_code: str | None = None) -> dict:
    return {"code": region.code, "name": region.name, "level": region.level, "path": region.path,
            "parent_code": parent_code, "grid_kind": region.grid_kind, "households": region.households,
            "lon": region.lon, "lat": region.lat, "active": region.active}


@router.get("/regions", response=list[RegionOut], operation_id="territory_region_list")
def region_list(request: HttpRequest):
    """The actor's part of the region tree (zone down to grids) in path order; parent_code links the tree."""
    rows = [row["region"] for row in selectors.region_tree(actor=request.auth)]
    codes = {r.pk: r.code for r in rows}
    return [_region_out(r, codes.get(r.parent_id)) for r in rows]


@router.get("/regions/{code}", response=RegionDetailOut, operation_id="territory_region_detail")
def region_detail(request: HttpRequest, code: str):
    region = selectors.region_detail(actor=request.auth, code=code)
    parent_code = region.parent.code if region.parent else None
    body = _region_out(region, parent_code)
    body["retired_on"] = region.retired_on.isoformat() if region.retired_on else None
    body["children"] = [_region_out(c, region.code) for c in selectors.region_children(actor=request.auth,
                                                                                         region=region)]
    body["geometry"] = geo.geometry_to_crs(region.geometry)
    return body


@router.get("/grids.geojson", response=dict, operation_id="territory_grids_geojson")
def grids_geojson(request: HttpRequest, within: str | None = None):
    """Active grids in scope as a GeoJSON FeatureCollection, in the CRS of the configured map tiles."""
    region = selectors.region_detail(actor=request.auth, code=within) if within else None
    return selectors.grids_geojson(actor=request.auth, within=region)


@router.get("/locate", response=GridOut, operation_id="territory_locate")
def locate(request: HttpRequest, params: Query[LocateQuery]):
    """The grid at a position (crs: WGS84, GCJ02 or BD09); 400 with the reason when outside every grid."""
    from grassroots.core.errors import ValidationFailed

    try:
        crs = geo.normalize_crs(params.crs)
    except ValueError:
        raise ValidationFailed("坐标系只能是 WGS84、GCJ02 或 BD09", "crs must be WGS84, GCJ02 or BD09",
                               field="crs") from None
    grid = selectors.locate_in_scope(actor=request.auth, lon=params.lon, lat=params.lat, crs=crs)
    return {"code": grid.code, "name": grid.name, "path": grid.path}


@router.get("/compounds", response=CompoundPage, operation_id="territory_compound_list")
def compound_list(request: HttpRequest, q: str = "", community: str | None = None, offset: Offset = 0,
                  limit: Limit = 50):
    region = selectors.region_detail(actor=request.auth, code=community) if community else None
    qs = selectors.compounds(actor=request.auth, q=q, community=region)
    limit = max(1, min(limit, 200))
    offset = max(0, offset)
    items = [{"code": c.code, "name": c.name, "community_code": c.community.code,
              "community_name": c.community.name, "address": c.address, "households": c.households,
              "built_year": c.built_year, "is_residential": c.is_residential,
              "former_work_unit": c.former_work_unit} for c in qs[offset:offset + limit]]
    return {"count": qs.count(), "items": items}
