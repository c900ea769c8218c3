"""Who may record property governance: staff of the compound's community, its subdistrict, and the zone."""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.scope import scope_for

# Firm-level records (party coverage) and the yearly demonstration compounds are kept above the community.
ABOVE_COMMUNITY = (R.Role.SUBDISTRICT_OFFICER, R.Role.ZONE_LEADER)


def can_read_property(actor) -> bool:
    return scope_for(actor).has_role(*R.REGION_READERS)


def can_see_community(actor, community) -> bool:
    return scope_for(actor).covers_path(community.path, *R.REGION_READERS)


def can_edit_community(actor, community) -> bool:
    """Records of a community (its joint meetings, its compounds) are kept by its staff and those above them."""
    return scope_for(actor).covers_path(community.path, *R.STAFF)


def can_edit_compound(actor, compound) -> bool:
    return can_edit_community(actor, compound.community)


def can_edit_firm(actor) -> bool:
    """Firm-level records (party coverage) are kept by subdistrict and zone staff."""
    return scope_for(actor).has_role(*ABOVE_COMMUNITY)


def can_name_demonstration(actor) -> bool:
    return scope_for(actor).has_role(*ABOVE_COMMUNITY)


def compounds_q(scope):
    """Compounds visible to a scope: those of its communities, and (for grid workers) those with a building in it."""
    from django.db.models import Q

    from grassroots.territory.models import Level, Region

    buildings = Region.objects.filter(scope.region_q("path", roles=R.REGION_READERS), level=Level.BUILDING,
                                      compound__isnull=False).values("compound_id")
    return scope.region_q("community__path", roles=R.REGION_READERS) | Q(pk__in=buildings)


def can_see_compound(actor, compound) -> bool:
    from grassroots.territory.models import Compound

    return Compound.objects.filter(compounds_q(scope_for(actor)), pk=compound.pk).exists()
