"""Who does what with brands (docs/rules/honours.md § Brands).

- The organisation (its secretary or party affairs worker, on it or above it) and the region's party staff write
  and apply for the organisation's brand (``can_keep``).
- The rating organisation — an officer of a committee above the organisation, or the region's party staff — opens
  the review, names the reviewers, returns, rates and revokes (``can_rate``); never the organisation alone.
- A named reviewer gives their opinion (``can_review``); a reviewer is never someone who keeps the brand.
``actor=None`` is the system (the demo generator).
"""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.party import permissions as party_permissions

ACTING_ROLES = (R.Role.PARTY_BRANCH_SECRETARY, R.Role.PARTY_AFFAIRS_WORKER)


def can_keep(actor, org) -> bool:
    if actor is None:
        return org is not None
    return party_permissions.acts_for(actor, org, ACTING_ROLES) or party_permissions.can_manage_org_by_region(
        actor, org)


def can_rate(actor, brand) -> bool:
    return party_permissions.can_remind(actor, brand.org)


def can_review(actor, brand) -> bool:
    from .models import BrandReview

    return actor is not None and BrandReview.objects.filter(brand=brand, reviewer_id=actor.pk,
                                                            reviewed_at__isnull=True).exists()
