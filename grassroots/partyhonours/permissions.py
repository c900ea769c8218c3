"""Who does what with honours (docs/rules/honours.md § Who).

- The branch (its secretary or party affairs worker, on it or above it) and the region's party staff confirm a
  member on the year's medal list (``can_confirm``).
- Someone above the organisation approves and issues: an officer of a committee over it, or the region's party
  staff (``can_approve``); never the person who confirmed the same award.
``actor=None`` is the system (the demo generator, commands).
"""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.party import permissions as party_permissions

ACTING_ROLES = (R.Role.PARTY_BRANCH_SECRETARY, R.Role.PARTY_AFFAIRS_WORKER)


def can_confirm(actor, org) -> bool:
    if actor is None:
        return org is not None
    return party_permissions.acts_for(actor, org, ACTING_ROLES) or party_permissions.can_manage_org_by_region(
        actor, org)


def can_approve(actor, award) -> bool:
    if actor is None:
        return True
    return party_permissions.can_remind(actor, award.org) and award.confirmed_by_id != actor.pk
