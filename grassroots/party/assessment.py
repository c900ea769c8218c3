"""Party organisations as targets of the shared grading mechanism (party-building assessments, 述职评议).

Registered into ``grading.targets`` when the app is ready: a party organisation is seen by those who see it through
their posts (``selectors``), and scored by party staff of its region (or of its parent's region) and by zone-level
party staff.
"""

from __future__ import annotations

from grassroots.core.scope import scope_for
from grassroots.grading import targets

from .models import PartyOrg
from .permissions import PARTY_STAFF_ROLES, is_zone_level


def visible(actor):
    from .selectors import _staff_org_q

    return PartyOrg.objects.filter(_staff_org_q(actor))


def assessable(actor):
    if is_zone_level(actor, PARTY_STAFF_ROLES):
        return visible(actor)
    scope = scope_for(actor)
    return visible(actor).filter(scope.region_q("region__path", roles=PARTY_STAFF_ROLES)
                                 | scope.region_q("parent__region__path", roles=PARTY_STAFF_ROLES))


def register() -> None:
    targets.register(targets.TargetKind("party_org", "party.PartyOrg", "党组织", "Party organisation", visible,
                                        assessable))
