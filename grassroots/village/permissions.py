"""Who keeps and reads a village collective's books (docs/rules/village.md § Who).

- Village staff (community staff and secretaries posted on the village, subdistrict officers and zone leaders above)
  keep the books: entries, contracts and payments, members, disclosures, alliances.
- The board and accountant of a cooperative read the collective's second tier and the alliances their cooperative
  belongs to (what concerns their cooperative), nothing else.
- A confirmed member reads their household's statement; residents of the village read its published disclosures.

``actor=None`` is the system (the demo, the reminder sweep).
"""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.scope import scope_for


def can_keep(actor, collective) -> bool:
    return actor is None or scope_for(actor).covers_path(collective.region.path, *R.STAFF)


def can_register(actor, region) -> bool:
    return actor is None or scope_for(actor).covers_path(region.path, *R.STAFF)
