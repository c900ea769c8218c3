"""Who keeps and reads rolls: staff of the roll's region (community staff and secretaries, subdistrict officers and
zone leaders above them), and — for a roll held by a party organisation (its party members) — the party posts on
that organisation or on a committee above it (``Scope.party_q`` on the roll's ``party_path``; a secretary of a
sibling branch does not see it). Rolls name people, so field roles and residents do not read them."""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.scope import scope_for

KEEPERS = R.STAFF
PARTY_KEEPERS = R.PARTY_ORG_POSTS


def can_keep(actor, region, party_path: str = "") -> bool:
    scope = scope_for(actor)
    if region is not None and scope.covers_path(region.path, *KEEPERS):
        return True
    return bool(party_path) and scope.covers_party_path(party_path, *PARTY_KEEPERS)


def can_keep_roll(actor, roll) -> bool:
    """The region's staff (and, for a party organisation's roll, its party posts); for a cooperative's members'
    roll also the cooperative's accountant and board members (posts on the roll's organisation)."""
    if can_keep(actor, roll.region, roll.party_path):
        return True
    return roll.kind == "coop_members" and roll.organization_id is not None and roll.organization_id in scope_for(
        actor).orgs_for(R.Role.COOPERATIVE_ACCOUNTANT, R.Role.COOPERATIVE_BOARD_MEMBER)


def can_read(actor, roll) -> bool:
    return can_keep_roll(actor, roll)


def can_create(actor) -> bool:
    return scope_for(actor).has_role(*KEEPERS)
