"""Who sees a ledger item, who rectifies it and who verifies it (docs/rules/rectification.md).

- The owner side: accounts holding a post in the owner organisation, the responsible person's own account, and —
  for an organisation that is a region's own office (居委会, 村委会, 街道办事处) — the staff posted to exactly that
  region. They rectify: start, record measures, milestones and evidence, submit.
- The supervisor side: staff (community, subdistrict, zone) whose region covers the item's region, minus anyone on
  the owner side. They raise items, verify and close (销号), send back, reopen and extend. The owner never verifies
  its own item: the service refuses it with that reason, whatever other post the account holds.
- Readers: the two sides, and every region reader (grid workers, hotline) of the region.

``actor=None`` is the system (the sweep, the demo generator).
"""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.scope import scope_for

OWN_OFFICE_KINDS = ("residents_committee", "village_committee", "subdistrict_office")


def is_owner_side(actor, item) -> bool:
    if actor is None:
        return False
    scope = scope_for(actor)
    if item.owner_id in scope.orgs_for(*R.ORGANIZATION_POSTS):
        return True
    if item.responsible_id is not None and scope.person_id == item.responsible_id:
        return True
    owner = item.owner
    if owner.kind in OWN_OFFICE_KINDS and owner.region_id is not None:
        return owner.region.path in scope.paths_for(*R.STAFF)
    return False


def covers(actor, region) -> bool:
    return actor is None or (region is not None and scope_for(actor).covers_path(region.path, *R.STAFF))


def can_raise(actor, *, owner, region, source: str) -> bool:
    """Supervisors raise items in their region; an owner records its own self-check findings."""
    if actor is None or covers(actor, region):
        return True
    return source == "self_check" and owner.pk in scope_for(actor).orgs_for(*R.ORGANIZATION_POSTS)


def can_rectify(actor, item) -> bool:
    return actor is None or is_owner_side(actor, item)


def can_supervise(actor, item) -> bool:
    """Verify, send back, reopen, extend: staff above the item who are not its owner."""
    return actor is None or (covers(actor, item.region) and not is_owner_side(actor, item))
