"""Who does what in the park (docs/rules/park.md § Who).

- The park's keepers — its staff (community staff and secretaries posted on the park, subdistrict officers and zone
  leaders above) and the officers of the park's party committee (a party organisation located in the park) — enter
  enterprises into grids, assign instructors, print contact cards, keep the chain committees' meetings.
- An instructor reads the enterprises of their grids and logs their visits.
- A service commissioner reads the enterprises they serve (named on the profile, or of their post's grid or firms).
- An enterprise contact reads their own enterprise.
``actor=None`` is the system (the demo, the sweep).
"""

from __future__ import annotations

from grassroots.core import roles as R
from grassroots.core.scope import scope_for


def keeper_paths(actor) -> tuple[str, ...]:
    """Region paths the actor keeps park work for: staff posts, and the regions of their party committees."""
    from grassroots.party.models import PartyOrg

    scope = scope_for(actor)
    paths = set(scope.paths_for(*R.STAFF))
    party = scope.party_paths_for(R.Role.PARTY_COMMITTEE_OFFICER)
    if party:
        paths |= set(PartyOrg.objects.filter(path__in=list(party), region__isnull=False)
                     .values_list("region__path", flat=True))
    return tuple(sorted(paths))


def can_keep(actor, park_path: str) -> bool:
    return actor is None or any(park_path.startswith(p) for p in keeper_paths(actor))


def instructor_of(actor):
    from .models import Instructor

    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return Instructor.objects.filter(user_id=actor.pk).first()
