"""Who may record property governance: staff of the compound's community, its subdistrict, and the zone."""

from __future__ import annotations

from grassroots.core.scope import scope_for

EDITOR_ROLES = ("community_staff", "community_secretary", "subdistrict_officer", "zone_leader")
READER_ROLES = EDITOR_ROLES + ("grid_worker", "hotline_operator", "party_instructor")


def can_edit_compound(actor, compound) -> bool:
    return scope_for(actor).covers_path(compound.community.path, *EDITOR_ROLES)


def can_edit_firm(actor) -> bool:
    """Firm-level records (party coverage) are kept by subdistrict and zone staff."""
    return scope_for(actor).has_role("subdistrict_officer", "zone_leader")


def compounds_q(scope):
    """Compounds visible to a scope: those of its communities, and (for grid workers) those with a building in it."""
    from django.db.models import Q

    from grassroots.territory.models import Level, Region

    buildings = Region.objects.filter(scope.region_q("path", roles=READER_ROLES), level=Level.BUILDING,
                                      compound__isnull=False).values("compound_id")
    return scope.region_q("community__path", roles=READER_ROLES) | Q(pk__in=buildings)


def can_see_compound(actor, compound) -> bool:
    from grassroots.territory.models import Compound

    return Compound.objects.filter(compounds_q(scope_for(actor)), pk=compound.pk).exists()
