"""Who may change party data. Plain functions; services call them, pages use them to show or hide actions.

``actor=None`` stands for the system (management commands, generators) and may do everything.
"""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.scope import scope_for

# Posts that manage party organisations, members and report-ins within their region.
PARTY_STAFF_ROLES = (*R.STAFF, R.Role.PARTY_INSTRUCTOR)
# Posts that see party organisations of their region (grid workers see their grid's branch and members).
PARTY_VIEW_ROLES = (*PARTY_STAFF_ROLES, R.Role.GRID_WORKER)
# Every post that reads party pages: the region posts above, and the organisation posts (a department or an
# enterprise sees its own party organisations, report-ins and employees' report-ins).
PARTY_READERS = (*PARTY_VIEW_ROLES, *R.ORGANIZATION_POSTS, *R.PARTY_ORG_POSTS)


def is_zone_level(actor, roles=PARTY_VIEW_ROLES) -> bool:
    """The actor holds one of ``roles`` over a whole zone (a path with one segment). ``None`` is the system."""
    if actor is None:
        return True
    return any(p.count("/") == 2 for p in scope_for(actor).paths_for(*roles))


def can_manage_region(actor, region) -> bool:
    if actor is None:  # the system itself (commands, generators)
        return region is not None
    return region is not None and scope_for(actor).covers_path(region.path, *PARTY_STAFF_ROLES)


def anchor_region(org):
    """The region an organisation is managed from: its own for territorial ones, else the nearest territorial
    ancestor's (an enterprise branch under a community committee is the community's; under the 党工委, the zone's)."""
    from .models import TERRITORIAL_KINDS, PartyOrg

    if org.kind in TERRITORIAL_KINDS:
        return org.region
    parts = [p for p in org.path.split("/") if p]
    ancestors = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts) - 1)]
    nearest = (PartyOrg.objects.filter(path__in=ancestors, kind__in=sorted(TERRITORIAL_KINDS))
               .select_related("region").order_by("-path").first())
    return nearest.region if nearest else None


def acts_for(actor, org, roles=R.PARTY_ORG_POSTS) -> bool:
    """The actor holds one of the party posts ``roles`` on this organisation or on one above it: a branch
    secretary or party affairs worker acts for their organisation and the ones under it; an upper committee's
    officer for every organisation under the committee (whom they see and remind). ``None`` is the system."""
    if actor is None:
        return org is not None
    return org is not None and scope_for(actor).covers_party_path(org.path, *roles)


def can_remind(actor, org) -> bool:
    """Remind an organisation (terms due, organisational life, dues): an officer of a committee above it, or the
    region's party staff who manage it. ``None`` is the system."""
    if org is None:
        return False
    if actor is None:
        return True
    above = scope_for(actor).party_paths_for(R.Role.PARTY_COMMITTEE_OFFICER)
    return any(org.path.startswith(p) and org.path != p for p in above) or can_manage_org_by_region(actor, org)


def can_manage_org_by_region(actor, org) -> bool:
    if is_zone_level(actor, PARTY_STAFF_ROLES):
        return True
    return can_manage_region(actor, anchor_region(org))


def can_manage_org(actor, org) -> bool:
    """Create children, add and move members, record report-ins of this organisation: the region's party staff,
    and the holders of a party post on it or above it (``acts_for``)."""
    if org is None:
        return False
    return can_manage_org_by_region(actor, org) or acts_for(actor, org)


def can_report_in(actor, membership, community) -> bool:
    """A member reports in themselves; the community's staff may record it for them."""
    scope = scope_for(actor)
    return (scope.person_id is not None and scope.person_id == membership.person_id) or can_manage_region(
        actor, community)


def can_manage_report_in(actor, report_in) -> bool:
    scope = scope_for(actor)
    return (scope.person_id is not None and scope.person_id == report_in.person_id) or can_manage_region(
        actor, report_in.community)


def can_record_service(actor, report_in) -> bool:
    return can_manage_region(actor, report_in.community)


def can_manage_org_report_in(actor, *, community, party_org=None, organization=None) -> bool:
    if can_manage_region(actor, community):
        return True
    org_ids = scope_for(actor).orgs_for(*R.ORGANIZATION_POSTS)
    own = {getattr(organization, "pk", None), getattr(party_org, "organization_id", None)} - {None}
    return bool(own & set(org_ids))


def can_manage_liaison(actor, *, region=None, compound=None) -> bool:
    if compound is not None:
        return can_manage_region(actor, compound.community)
    return can_manage_region(actor, region)


def can_import(actor) -> bool:
    """Roster import writes members anywhere in the actor's region; each row is still checked with can_manage_org."""
    return bool(scope_for(actor).paths_for(*PARTY_STAFF_ROLES))
