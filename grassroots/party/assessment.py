"""Party organisations as targets of the shared grading mechanism (party-building assessments, 述职评议).

Registered into ``grading.targets`` when the app is ready. A party organisation is seen by those who see it through
their posts (``selectors``). It is scored along the party-organisation tree, by path (``Scope.party_q``), so that an
enterprise or agency branch outside the region tree is assessed by the committee it sits under:

- an officer of an upper committee (社区党委, 街道党工委, the zone's 工委) assesses every organisation strictly under
  the committee (never the committee itself: it is assessed from above);
- party staff of a region assess the territorial party organisations of their region and everything under them;
  zone-level party staff assess every organisation they see.

A branch secretary or a party affairs worker is assessed, and assesses nobody.
"""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.scope import paths_q, scope_for
from grassroots.grading import targets

from .models import TERRITORIAL_KIND_VALUES, PartyOrg
from .permissions import PARTY_STAFF_ROLES, is_zone_level


def visible(actor):
    from .selectors import _staff_org_q

    return PartyOrg.objects.filter(_staff_org_q(actor))


def assessable(actor):
    if is_zone_level(actor, PARTY_STAFF_ROLES):
        return visible(actor)
    scope = scope_for(actor)
    roots = PartyOrg.objects.filter(kind__in=TERRITORIAL_KIND_VALUES).filter(
        scope.region_q("region__path", roles=PARTY_STAFF_ROLES)).values_list("path", flat=True)
    q = paths_q("path", list(roots)) | scope.party_q("path", roles=(R.Role.PARTY_COMMITTEE_OFFICER,), below=True)
    return visible(actor).filter(q)


def register() -> None:
    targets.register(targets.TargetKind("party_org", "party.PartyOrg", "党组织", "Party organisation", visible,
                                        assessable))
