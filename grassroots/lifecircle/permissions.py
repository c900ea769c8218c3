"""Who may do what with services near home."""

from __future__ import annotations

from grassroots.core.scope import scope_for

# Community, subdistrict and zone staff maintain facilities in their scope and read coverage.
PLANNER_ROLES = ("zone_leader", "subdistrict_officer", "community_secretary", "community_staff")


def can_manage_facilities(actor) -> bool:
    return scope_for(actor).has_role(*PLANNER_ROLES)


def can_manage_facility(actor, facility) -> bool:
    return scope_for(actor).covers_path(facility.region.path, *PLANNER_ROLES)
