"""Who does organisational life (docs/rules/party-life.md § Who).

- The branch secretary (党支部书记) and the party affairs worker (党务工作者) act for their organisation and the ones
  under it: plan and run meetings, record points and reviews, start terms, acknowledge alerts
  (``party.permissions.acts_for`` with those two posts).
- An upper committee's officer (党(工)委干部) and the region's party staff see their subtree and remind it
  (``party.permissions.can_remind``); they approve manual points and term extensions of the organisations under
  them, never their own.
- A member sees their own meetings, points and review through their account.

``actor=None`` is the system (the sweep, the demo generator).
"""

from __future__ import annotations

from django.db.models import Q

from grassroots.core import roles as R
from grassroots.core.scope import PATH_END, scope_for
from grassroots.party import permissions as party_permissions
from grassroots.party.permissions import PARTY_STAFF_ROLES, is_zone_level

ACTING_ROLES = (R.Role.PARTY_BRANCH_SECRETARY, R.Role.PARTY_AFFAIRS_WORKER)


def can_act(actor, org) -> bool:
    return party_permissions.acts_for(actor, org, ACTING_ROLES)


def can_remind(actor, org) -> bool:
    return party_permissions.can_remind(actor, org)


def can_see(actor, org) -> bool:
    return actor is None or party_permissions.acts_for(actor, org) or can_remind(actor, org)


def can_decide(actor, org) -> bool:
    """Approve a manual points entry or a term extension: someone above the organisation (a committee over it, the
    region's party staff), never only its own secretary."""
    if actor is None:
        return True
    scope = scope_for(actor)
    own = [p for p in scope.party_paths_for(*ACTING_ROLES) if org.path.startswith(p)]
    return can_remind(actor, org) and not (own and not _above(actor, org))


def _above(actor, org) -> bool:
    above = scope_for(actor).party_paths_for(R.Role.PARTY_COMMITTEE_OFFICER)
    return (any(org.path.startswith(p) and org.path != p for p in above)
            or party_permissions.can_manage_org_by_region(actor, org))


def org_path_q(actor, field: str = "org__path") -> Q:
    """Rows whose organisation the actor sees as staff: a party post on it or above it, the region's party staff
    over a territorial organisation above it, the zone's party staff everywhere. Not through membership."""
    from grassroots.party.models import TERRITORIAL_KINDS, PartyOrg

    if actor is None:
        return Q()
    scope = scope_for(actor)
    if not scope.is_authenticated:
        return Q(pk__in=[])
    if is_zone_level(actor, PARTY_STAFF_ROLES):
        return Q()
    q = scope.party_q(field)
    region_q = scope.region_q("region__path", roles=PARTY_STAFF_ROLES)
    if scope.paths_for(*PARTY_STAFF_ROLES):
        for prefix in PartyOrg.objects.filter(region_q, kind__in=sorted(TERRITORIAL_KINDS), active=True) \
                .values_list("path", flat=True):
            q |= Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + PATH_END})
    return q


def acting_path_q(actor, field: str = "org__path") -> Q:
    """Rows whose organisation the actor acts for (secretary or party affairs worker on it or above)."""
    if actor is None:
        return Q()
    return scope_for(actor).party_q(field, roles=ACTING_ROLES)
