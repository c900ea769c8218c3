"""Who sees and keeps a cooperative's books (docs/rules/cooperatives.md § Who).

- Village staff (community staff and secretaries of the cooperative's village, subdistrict officers and zone leaders
  above) register cooperatives, read everything of the cooperatives in their region, and may keep the books.
- The cooperative's accountant and board members (posts on the cooperative's organisation) keep its books: charter,
  members, contributions, transactions, subsidies, the year's plan. Its supervisors read everything and keep nothing.
- A member (a resident whose person is the member, or who represents a unit member) reads their own account and
  dividend, and the plans and notices of their cooperative; nothing of other members.

``actor=None`` is the system (the demo generator, the trial command).
"""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.scope import scope_for

KEEPER_POSTS = (R.Role.COOPERATIVE_ACCOUNTANT, R.Role.COOPERATIVE_BOARD_MEMBER)
READER_POSTS = R.COOPERATIVE_POSTS


def is_staff_of(actor, coop) -> bool:
    return scope_for(actor).covers_path(coop.region.path, *R.STAFF)


def can_register(actor, region) -> bool:
    return actor is None or scope_for(actor).covers_path(region.path, *R.STAFF)


def can_keep(actor, coop) -> bool:
    if actor is None:
        return True
    scope = scope_for(actor)
    return coop.organization_id in scope.orgs_for(*KEEPER_POSTS) or is_staff_of(actor, coop)


def can_read_all(actor, coop) -> bool:
    if actor is None:
        return True
    scope = scope_for(actor)
    return coop.organization_id in scope.orgs_for(*READER_POSTS) or is_staff_of(actor, coop)


def can_create(actor) -> bool:
    return scope_for(actor).has_role(*R.STAFF)
