"""Party posts (党支部书记, 党务工作者, 党(工)委干部) as the people app stores them: by party-organisation path.

``people.Post.party_org_path`` names the organisation; this module is what the party app installs into
``people.party_targets`` (the kind of organisation each role may hold, and the organisations' names), and the
appointment service pages and tests call (``party_post_create``). The scope reads the path directly
(``core.scope.Scope.party_q``); ``party.permissions.acts_for`` is the rule "acts for this organisation and the
ones under it".
"""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.errors import ValidationFailed

from .models import BRANCH_KINDS, OrgKind, PartyOrg

COMMITTEE_KINDS = frozenset({OrgKind.ZONE_WORKING_COMMITTEE, OrgKind.SUBDISTRICT_WORKING_COMMITTEE,
                             OrgKind.COMMUNITY_PARTY_COMMITTEE, OrgKind.ORG_COMMITTEE,
                             OrgKind.INDUSTRY_CHAIN_COMMITTEE, OrgKind.GENERAL_BRANCH})
# Which kinds of organisation each party post may be held on. A 党小组 has a group leader, not these posts.
KINDS_BY_ROLE = {
    R.Role.PARTY_BRANCH_SECRETARY: frozenset(BRANCH_KINDS | {OrgKind.GENERAL_BRANCH}),
    R.Role.PARTY_COMMITTEE_OFFICER: COMMITTEE_KINDS,
    R.Role.PARTY_AFFAIRS_WORKER: frozenset(set(OrgKind) - {OrgKind.BUILDING_GROUP}),
}


def check_post_target(role: str, path: str) -> None:
    """Refuse a party post on a path naming no active organisation, or one of a kind the role is not held on."""
    org = PartyOrg.objects.filter(path=path, active=True).only("kind", "name").first()
    if org is None:
        raise ValidationFailed("党组织不存在或已撤销", "No such active party organisation", code="post_party_org",
                               field="party_org")
    kinds = KINDS_BY_ROLE.get(role, frozenset())
    if org.kind not in kinds:
        raise ValidationFailed(
            f"「{R.Role(role).label}」不能设在{OrgKind(org.kind).label}",
            f"A {role} post cannot be held on a {org.kind}", code="post_party_org_kind", field="party_org")


def names_by_path(paths) -> dict[str, str]:
    return dict(PartyOrg.objects.filter(path__in=sorted(paths)).values_list("path", "name"))


def party_post_create(*, actor, user, role: str, org: PartyOrg, title: str = "", start_date=None):
    """Appoint ``user`` to a party post on ``org`` (through people's post service: same rules, event, handover)."""
    from grassroots.people import services as people_services

    if role not in R.PARTY_ORG_POSTS:
        raise ValidationFailed("不是党组织岗位", "Not a party post", code="post_scope", field="role")
    return people_services.post_create(actor=actor, user=user, role=role, party_org_path=org.path, title=title,
                                       start_date=start_date)
