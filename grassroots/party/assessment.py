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

from django.db.models import Q

from grassroots.core import roles as R
from grassroots.core.scope import paths_q, scope_for
from grassroots.grading import targets

from .models import BRANCH_KINDS, TERRITORIAL_KIND_VALUES, PartyOrg
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


def _narrowed(q):
    """A target kind over some of the party organisations: the same sight and scoring rules, fewer rows."""
    return (lambda actor: visible(actor).filter(q)), (lambda actor: assessable(actor).filter(q))


# The kinds a party-building assessment scheme is made for (docs/rules/honours.md § Assessments): a scheme has one
# target type, so the SOE scheme lists only SOEs' organisations, the secretaries' 述职评议 only organisations with a
# secretary (the secretary reports, 一述一评, on the organisation's work).
NARROWER = (
    ("party_org_soe", "国有企业党组织", "SOE party organisation",
     Q(organization__kind="state_owned_enterprise")),
    ("party_org_agency", "机关事业单位党组织", "Agency party organisation",
     Q(organization__kind__in=["agency", "department", "subdistrict_office"])),
    ("party_branch", "党支部", "Party branch", Q(kind__in=sorted(k.value for k in BRANCH_KINDS))),
    ("party_secretary", "书记抓基层党建述职评议", "Secretary's report and review",
     Q(secretary__isnull=False) & ~Q(kind="building_group")),
)


def register() -> None:
    targets.register(targets.TargetKind("party_org", "party.PartyOrg", "党组织", "Party organisation", visible,
                                        assessable))
    for key, zh, en, q in NARROWER:
        seen, scored = _narrowed(q)
        targets.register(targets.TargetKind(key, "party.PartyOrg", zh, en, seen, scored))
