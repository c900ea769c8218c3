"""Who does what with honours (docs/rules/honours.md § Who).

- The branch (its secretary or party affairs worker, on it or above it) and the region's party staff confirm a
  member on the year's medal list (``can_confirm``).
- Someone above the organisation approves and issues: an officer of a committee over it, or the region's party
  staff (``can_approve``); never the person who confirmed the same award.
``actor=None`` is the system (the demo generator, commands).
"""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.scope import scope_for
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


# --- 两优一先 -------------------------------------------------------------------------------------------------------
def can_run_campaign(actor, org) -> bool:
    """Run a campaign in the name of a committee (create it, publish the notices, award, close): an officer of
    that committee, or the region's party staff who manage it."""
    if actor is None:
        return org is not None
    return party_permissions.acts_for(actor, org, (R.Role.PARTY_COMMITTEE_OFFICER,)) or \
        party_permissions.can_manage_org_by_region(actor, org)


def can_hand_down(actor, org) -> bool:
    """Give an organisation its quota: someone above it."""
    return party_permissions.can_remind(actor, org)


def can_nominate(actor, org) -> bool:
    """Nominate for an organisation (against its quota): its secretary or party affairs worker, the region's party
    staff, and for a committee its own officers."""
    if actor is None:
        return org is not None
    return can_confirm(actor, org) or org.path in scope_for(actor).party_paths_for(R.Role.PARTY_COMMITTEE_OFFICER)


def can_review(actor, nomination) -> bool:
    """Review a nomination: someone above the nominating organisation, never its nominator."""
    if actor is None:
        return True
    return party_permissions.can_remind(actor, nomination.org) and nomination.nominated_by_id != actor.pk
