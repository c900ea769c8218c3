"""Who may do what with services near home."""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.scope import scope_for

# Community, subdistrict and zone staff maintain facilities in their scope; they, grid workers and hotline
# operators read coverage and gaps (staff information, limited to their regions).


def can_manage_facilities(actor) -> bool:
    return scope_for(actor).has_role(*R.STAFF)


def can_manage_facilities_in(actor, region) -> bool:
    return scope_for(actor).covers_path(region.path, *R.STAFF)


def can_manage_facility(actor, facility) -> bool:
    return can_manage_facilities_in(actor, facility.region)


def can_read_coverage(actor) -> bool:
    return scope_for(actor).has_role(*R.STAFF_AND_FIELD)


def can_edit_catalogue(actor) -> bool:
    """The service-item catalogue is the zone's: staff holding a post at the zone itself keep it (its aliases and
    keywords included)."""
    return any(path.count("/") == 2 for path in scope_for(actor).paths_for(*R.STAFF))
