"""Who may do what with micro-projects and the community fund."""

from __future__ import annotations

from grassroots.core.scope import scope_for

STAFF_ROLES = ("community_staff", "community_secretary", "subdistrict_officer", "zone_leader")
REVIEWER_ROLES = ("community_secretary", "community_staff", "subdistrict_officer", "zone_leader")


def is_staff_for(actor, region) -> bool:
    return scope_for(actor).covers_path(region.path, *STAFF_ROLES)


def lives_in(actor, community) -> bool:
    person = getattr(actor, "person", None) if getattr(actor, "is_authenticated", False) else None
    region = getattr(person, "region", None) if person is not None else None
    return region is not None and region.path.startswith(community.path)


def can_keep_ledger(actor, fund) -> bool:
    """Community secretaries and staff keep their community's fund; zone leaders the zone fund."""
    return scope_for(actor).covers_path(fund.region.path, "community_secretary", "community_staff", "zone_leader")
