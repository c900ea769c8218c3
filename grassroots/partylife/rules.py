"""Where each kind of meeting applies, and who is on its roll (docs/rules/party-life.md § Meetings).

- A branch's meetings (支部党员大会, 党课, 主题党日, 组织生活会, 民主评议党员, 谈心谈话): the branches (网格、单位、联合党支部)
  and the 党总支.
- 支委会: only branches with a committee, that is with seven or more full members (policy
  ``partylife.committee_min_full_members``), counting the members of their 党小组.
- 党小组会: the 党小组 themselves, so only where groups exist.
- The roll of a members' meeting: the organisation's active members on the day (its 党小组 included); full members
  vote, probationary members attend without a vote (党章 Art 7). A party-member roll kept in ``rolls`` for the
  organisation (holder = the organisation) is used when there is one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from grassroots.party.models import BRANCH_KINDS, OrgKind, PartyOrg

from . import policy
from .states import Body

BRANCH_BODY_KINDS = sorted({*(k.value for k in BRANCH_KINDS), OrgKind.GENERAL_BRANCH.value})
GROUP_KINDS = [OrgKind.BUILDING_GROUP.value]


def full_member_counts(paths=None) -> Counter:
    """Active full members under each organisation path (an organisation counts those of the ones under it)."""
    from django.db.models import Count

    from grassroots.party.models import Membership

    by_path: Counter = Counter()
    rows = (Membership.objects.filter(active=True, status="full").order_by().values("org__path")
            .annotate(n=Count("pk")).values_list("org__path", "n"))
    for path, n in rows:
        parts = [p for p in path.split("/") if p]
        for i in range(len(parts)):
            by_path["/" + "/".join(parts[: i + 1]) + "/"] += n
    return by_path


def applies(kind, org: PartyOrg, counts: Counter | None = None) -> bool:
    if kind.body == Body.GROUP:
        return org.kind in GROUP_KINDS
    if org.kind not in BRANCH_BODY_KINDS:
        return False
    if kind.body == Body.COMMITTEE:
        counts = counts if counts is not None else full_member_counts()
        return counts.get(org.path, 0) >= int(policy.get("partylife.committee_min_full_members"))
    return True


def electorate(org: PartyOrg, on: dt.date):
    """person id → rolls' Elector for the members' roll of ``org`` on ``on``."""
    from django.contrib.contenttypes.models import ContentType

    from grassroots.party.models import Membership
    from grassroots.rolls import selectors as roll_selectors
    from grassroots.rolls.models import Roll, RollKind

    roll = Roll.objects.filter(kind=RollKind.PARTY_MEMBERS, holder_type=ContentType.objects.get_for_model(PartyOrg),
                               holder_id=org.pk).first()
    if roll is not None:
        return roll_selectors.electorate(roll=roll, on=on)
    rows = (Membership.objects.filter(active=True, org__path__startswith=org.path, start_date__lte=on)
            .values_list("person_id", "status"))
    return {pid: roll_selectors.Elector(pid, 1, Decimal("0"), status == "full") for pid, status in rows}
