"""Bulk writers for generators and first set-up: the territorial party tree in a few inserts."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.core import events
from grassroots.core.errors import Conflict, ValidationFailed
from grassroots.territory.models import Level

from .. import permissions
from ..models import TERRITORIAL_KINDS, OrgKind, PartyOrg
from ._common import deny
from .paths import next_serial, org_code, org_path

TERRITORIAL_KIND_OF_LEVEL = {
    Level.ZONE: OrgKind.ZONE_WORKING_COMMITTEE, Level.SUBDISTRICT: OrgKind.SUBDISTRICT_WORKING_COMMITTEE,
    Level.COMMUNITY: OrgKind.COMMUNITY_PARTY_COMMITTEE, Level.VILLAGE: OrgKind.COMMUNITY_PARTY_COMMITTEE,
    Level.PARK: OrgKind.COMMUNITY_PARTY_COMMITTEE, Level.GRID: OrgKind.GRID_BRANCH,
    Level.BUILDING: OrgKind.BUILDING_GROUP,
}
NAME_SUFFIX = {
    OrgKind.ZONE_WORKING_COMMITTEE: "党工委", OrgKind.SUBDISTRICT_WORKING_COMMITTEE: "党工委",
    OrgKind.COMMUNITY_PARTY_COMMITTEE: "党委", OrgKind.GRID_BRANCH: "党支部", OrgKind.BUILDING_GROUP: "党小组",
}


def party_tree_bulk_create(*, actor, zone, founded_on: dt.date | None = None, include_buildings: bool = True,
                           batch_size: int = 2000) -> dict[int, PartyOrg]:
    """Mirror the whole region tree under ``zone`` with territorial party organisations in a few bulk inserts
    (one per depth), for generators and first set-up. Refuses if any territorial organisation already exists
    under the zone. Returns {region id: PartyOrg}; one ``party_org.bulk_create`` event."""
    from grassroots.territory.models import Region, subtree_q

    if zone.level != Level.ZONE:
        raise ValidationFailed("请从开发区（区）一级开始建立", "Start from a zone", field="zone")
    if not permissions.is_zone_level(actor, permissions.PARTY_STAFF_ROLES):
        deny()
    levels = [lv for lv in TERRITORIAL_KIND_OF_LEVEL if include_buildings or lv != Level.BUILDING]
    with transaction.atomic():
        if PartyOrg.objects.filter(subtree_q(zone.path, "region__path"), kind__in=sorted(TERRITORIAL_KINDS)).exists():
            raise Conflict("该区域下已有党组织，不能批量建立", "Party organisations already exist under this zone",
                           code="party_tree_exists")
        regions = list(Region.objects.filter(subtree_q(zone.path), active=True, level__in=levels)
                       .only("id", "name", "level", "parent_id", "path").order_by("path"))
        by_region: dict[int, PartyOrg] = {}
        serials: dict[int | None, int] = {}
        root_serial = next_serial(None)
        by_depth: dict[int, list] = {}
        for region in regions:
            by_depth.setdefault(region.path.count("/"), []).append(region)
        for depth in sorted(by_depth):
            rows = []
            for region in by_depth[depth]:
                parent = by_region.get(region.parent_id) if region.level != Level.ZONE else None
                if region.level != Level.ZONE and parent is None:
                    continue  # parent level skipped (e.g. a building whose grid is retired)
                key = parent.pk if parent else None
                serial = serials[key] = serials.get(key, 0 if parent else root_serial - 1) + 1
                path = org_path(parent, serial)
                kind = TERRITORIAL_KIND_OF_LEVEL[region.level]
                rows.append(PartyOrg(code=org_code(path), name=f"{region.name}{NAME_SUFFIX[kind]}", kind=kind,
                                     parent=parent, serial=serial, path=path, region=region,
                                     founded_on=founded_on))
            created = PartyOrg.objects.bulk_create(rows, batch_size=batch_size)
            if any(o.pk is None for o in created):  # backends without RETURNING
                pks = dict(PartyOrg.objects.filter(path__in=[o.path for o in created]).values_list("path", "pk"))
                for o in created:
                    o.pk = pks[o.path]
            for org in created:
                by_region[org.region_id] = org
        events.record(actor, "party_org.bulk_create", None, object_type="party.partyorg",
                      payload={"zone": zone.pk, "created": len(by_region)})
    return by_region
