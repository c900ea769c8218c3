"""The only readers of territory data. Every function takes ``actor=`` and applies ``scope_for(actor)``.

Outside the actor's scope a region or compound looks missing (NotFound); lists leave it out.
"""

from __future__ import annotations

import shapely
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from grassroots.core import geo
from grassroots.core.errors import NotFound
from grassroots.core.scope import scope_for

from . import locate as locating
from .models import Compound, Level, Region

TREE_LEVELS = (Level.ZONE, Level.SUBDISTRICT, Level.COMMUNITY, Level.VILLAGE, Level.PARK, Level.GRID)


def regions(*, actor, levels=None, include_retired: bool = False) -> QuerySet[Region]:
    """Regions under the actor's region prefixes (the actor's own regions and everything below)."""
    qs = Region.objects.filter(scope_for(actor).region_q("path"))
    if levels:
        qs = qs.filter(level__in=list(levels))
    if not include_retired:
        qs = qs.filter(active=True)
    return qs.order_by("path")


def region_tree(*, actor, include_retired: bool = False) -> list[dict]:
    """The actor's part of the tree down to grids, in path order, each with its depth below the top shown."""
    rows = list(regions(actor=actor, levels=TREE_LEVELS, include_retired=include_retired)
                .only("id", "code", "name", "level", "path", "parent_id", "active", "households", "grid_kind"))
    if not rows:
        return []
    top = min(r.depth for r in rows)
    return [{"region": r, "indent": r.depth - top} for r in rows]


def region_find(*, actor, code: str) -> Region | None:
    """The region with this code when the actor sees it, else None (a filter that names an unknown region)."""
    return (Region.objects.filter(scope_for(actor).region_q("path"), code=code)
            .select_related("parent").first())


def region_detail(*, actor, code: str) -> Region:
    region = region_find(actor=actor, code=code)
    if region is None:
        raise NotFound()
    return region


def region_children(*, actor, region: Region) -> list[Region]:
    return list(regions(actor=actor).filter(parent=region).annotate(
        n_children=Count("children", filter=Q(children__active=True))))


def grids(*, actor, within: Region | None = None) -> QuerySet[Region]:
    qs = regions(actor=actor, levels=[Level.GRID])
    if within is not None:
        qs = qs.filter(path__gte=within.path, path__lt=within.path + "\uffff")
    return qs.select_related("parent")


def grids_geojson(*, actor, within: Region | None = None, crs: str | None = None) -> dict:
    """Active grids in scope as a GeoJSON FeatureCollection, in the map tiles' CRS (``settings.MAP_TILE_CRS``)."""
    features = []
    for grid in grids(actor=actor, within=within):
        if not grid.geometry:
            continue
        label = None
        if grid.lon is not None and grid.lat is not None:
            label = geo.geometry_to_crs({"type": "Point", "coordinates": [grid.lon, grid.lat]}, crs)["coordinates"]
        features.append({
            "type": "Feature",
            "id": grid.code,
            "geometry": geo.geometry_to_crs(grid.geometry, crs),
            "properties": {
                "code": grid.code, "name": grid.name, "path": grid.path,
                "parent": grid.parent.name if grid.parent else "", "households": grid.households,
                "grid_kind": grid.grid_kind, "label": label,
                "url": reverse("territory:region_detail", args=[grid.code]),
                "panel_url": reverse("territory:grid_panel", args=[grid.code]),
            },
        })
    return {"type": "FeatureCollection", "features": features}


def compounds_touching(grid: Region) -> list[Compound]:
    """Compounds of the grid's community whose outline meets the grid, or that have a building in the grid."""
    candidates = list(Compound.objects.filter(community_id=grid.parent_id).order_by("code"))
    if not candidates:
        return []
    with_buildings = set(Region.objects.filter(parent=grid, level=Level.BUILDING, compound__isnull=False)
                         .values_list("compound_id", flat=True))
    grid_geom = None
    if grid.geometry:
        try:
            grid_geom = shapely.geometry.shape(grid.geometry)
        except (TypeError, ValueError, KeyError, AttributeError, shapely.errors.GEOSException):
            grid_geom = None
    result = []
    for compound in candidates:
        touches = compound.pk in with_buildings
        if not touches and grid_geom is not None and compound.geometry:
            try:
                shape = shapely.geometry.shape(compound.geometry)
                touches = shape.intersects(grid_geom) and shapely.intersection(shape, grid_geom).area > 0
            except (TypeError, ValueError, KeyError, AttributeError, shapely.errors.GEOSException):
                touches = False
        if touches:
            result.append(compound)
    return result


def region_parent(*, actor, region: Region) -> Region | None:
    """The region's parent when the actor sees it (a breadcrumb), else None."""
    if region.parent_id is None:
        return None
    return Region.objects.filter(scope_for(actor).region_q("path"), pk=region.parent_id).first()


def grid_contents(*, actor, grid: Region) -> dict:
    """What territory knows of a grid: its buildings and the compounds it touches (NotFound outside the scope).

    The grid page adds people counts, grid workers and party organisations from their own apps (``web.compose``).
    """
    region = region_detail(actor=actor, code=grid.code)
    buildings = list(Region.objects.filter(parent=region, level=Level.BUILDING, active=True)
                     .select_related("compound").order_by("path"))
    return {
        "grid": region,
        "buildings": buildings,
        "residential_buildings": sum(1 for b in buildings if b.is_residential),
        "compounds": compounds_touching(region),
    }


def region_counts(*, actor, region: Region) -> list[tuple]:
    """Sub-regions below a region (within the actor's scope) by level, as (level label, count) in tree order."""
    below = regions(actor=actor).filter(path__gt=region.path, path__lt=region.path + "\uffff")
    by_level = {row["level"]: row["n"] for row in below.order_by().values("level").annotate(n=Count("id"))}
    order = list(Level.values)
    return [(Level(k).label, by_level[k]) for k in sorted(by_level, key=order.index)]


def compounds(*, actor, q: str = "", community: Region | None = None) -> QuerySet[Compound]:
    """Compounds whose community lies in the actor's scope; optional search and community filter."""
    qs = Compound.objects.filter(scope_for(actor).region_q("community__path")).select_related("community")
    if community is not None:
        qs = qs.filter(community=community)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q) | Q(code=q))
    return qs.order_by("code")


def communities(*, actor) -> QuerySet[Region]:
    return regions(actor=actor, levels=[Level.COMMUNITY, Level.VILLAGE, Level.PARK])


def locate_in_scope(*, actor, lon: float, lat: float, crs: str = geo.WGS84) -> Region:
    """The grid at a position (see ``locate.locate``), NotFound when that grid is outside the actor's scope."""
    grid_id = locating.locate_id(lon, lat, crs)
    region = Region.objects.filter(scope_for(actor).region_q("path"), pk=grid_id).first()
    if region is None:
        raise NotFound()
    return region
