"""Who keeps and reads rolls: staff of the roll's region (community staff and secretaries, subdistrict officers and
zone leaders above them). Rolls name people, so field roles and residents do not read them."""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.scope import scope_for

KEEPERS = R.STAFF


def can_keep(actor, region) -> bool:
    return scope_for(actor).covers_path(region.path, *KEEPERS)


def can_keep_roll(actor, roll) -> bool:
    """The region's staff; for a cooperative's members' roll also the cooperative's accountant and board members
    (posts on the roll's organisation)."""
    if can_keep(actor, roll.region):
        return True
    return roll.kind == "coop_members" and roll.organization_id is not None and roll.organization_id in scope_for(
        actor).orgs_for(R.Role.COOPERATIVE_ACCOUNTANT, R.Role.COOPERATIVE_BOARD_MEMBER)


def can_read(actor, roll) -> bool:
    return can_keep_roll(actor, roll)


def can_create(actor) -> bool:
    return scope_for(actor).has_role(*KEEPERS)
