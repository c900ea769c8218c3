"""Who may change territory data. Reading is decided by the scope (selectors)."""

from __future__ import annotations

from grassroots.core.scope import scope_for

# Roles that may redraw grids inside their own region (the zone leader everywhere, a subdistrict inside it).
BOUNDARY_ROLES = ("zone_leader", "subdistrict_officer")


def _is_system(actor) -> bool:
    """Commands and imports run without an account (actor None); superusers manage reference data."""
    return actor is None or bool(getattr(actor, "is_superuser", False))


def can_change_boundaries(actor, region=None) -> bool:
    """Import boundaries, split or merge grids in ``region`` (None: whether the actor may do so anywhere at all;
    an import then checks each feature's region or parent)."""
    if _is_system(actor):
        return True
    scope = scope_for(actor)
    if scope.has_role("admin"):
        return True
    if region is None:
        return scope.has_role(*BOUNDARY_ROLES)
    return scope.covers_path(region.path, *BOUNDARY_ROLES)


def can_create_compound(actor, community) -> bool:
    if _is_system(actor):
        return True
    scope = scope_for(actor)
    return scope.has_role("admin") or scope.covers_path(
        community.path, "community_staff", "community_secretary", "subdistrict_officer", "zone_leader")
