"""Who may change territory data. Reading is decided by the scope (selectors)."""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.roles import Role
from grassroots.core.scope import scope_for

# Roles that may redraw grids inside their own region (the zone leader everywhere, a subdistrict inside it).
BOUNDARY_ROLES = (Role.ZONE_LEADER, Role.SUBDISTRICT_OFFICER)


def _is_system(actor) -> bool:
    """Commands and imports run without an account (actor None); superusers manage reference data."""
    return actor is None or bool(getattr(actor, "is_superuser", False))


def can_change_boundaries(actor, region=None) -> bool:
    """Import boundaries, split or merge grids in ``region`` (None: whether the actor may do so anywhere at all;
    an import then checks each feature's region or parent)."""
    if _is_system(actor):
        return True
    scope = scope_for(actor)
    if scope.has_role(Role.ADMIN):
        return True
    if region is None:
        return scope.has_role(*BOUNDARY_ROLES)
    return scope.covers_path(region.path, *BOUNDARY_ROLES)


def can_create_compound(actor, community) -> bool:
    if _is_system(actor):
        return True
    scope = scope_for(actor)
    return scope.has_role(Role.ADMIN) or scope.covers_path(community.path, *R.STAFF)
