"""Who does what with 为群众办实事 projects (docs/rules/honours.md § 为群众办实事): the organisation (its
secretary or party affairs worker, on it or above it) and the region's party staff keep its projects; the
committees above see them. Residents rate through the printed notice's signed link. ``actor=None`` is the system."""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.party import permissions as party_permissions

ACTING_ROLES = (R.Role.PARTY_BRANCH_SECRETARY, R.Role.PARTY_AFFAIRS_WORKER)


def can_keep(actor, org) -> bool:
    if actor is None:
        return org is not None
    return party_permissions.acts_for(actor, org, ACTING_ROLES) or party_permissions.can_manage_org_by_region(
        actor, org)
