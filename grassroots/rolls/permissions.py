"""Who keeps and reads rolls: staff of the roll's region (community staff and secretaries, subdistrict officers and
zone leaders above them). Rolls name people, so field roles and residents do not read them."""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.scope import scope_for

KEEPERS = R.STAFF


def can_keep(actor, region) -> bool:
    return scope_for(actor).covers_path(region.path, *KEEPERS)


def can_read(actor, roll) -> bool:
    return can_keep(actor, roll.region)


def can_create(actor) -> bool:
    return scope_for(actor).has_role(*KEEPERS)
