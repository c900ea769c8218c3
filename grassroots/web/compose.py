"""Pages that combine several domains, composed here in the page layer: each part is read through its own app's
selector with the same ``actor=``, so every part keeps its own app's scope rules.

Lower apps never import each other upward to build such a page (territory does not read people or party): the
page layer asks each of them.
"""

from __future__ import annotations

from grassroots.party import selectors as party
from grassroots.people import selectors as people
from grassroots.territory import selectors as territory
from grassroots.territory.models import Region


def grid_summary(*, actor, grid: Region) -> dict:
    """What a grid holds: buildings and compounds (territory), people counts and grid worker(s) (people), party
    organisation(s) (party). NotFound when the grid is outside the actor's scope."""
    contents = territory.grid_contents(actor=actor, grid=grid)
    region = contents["grid"]
    counts = people.person_counts(actor=actor, region=region, below=False)
    return {
        **contents,
        "people_total": counts["total"],
        "people_active": counts["active"],
        "party_orgs": list(party.orgs_for_region(actor=actor, region=region)),
        "grid_workers": people.grid_workers(actor=actor, grid=region),
    }


def region_summary(*, actor, region: Region) -> dict:
    """Counts below a region within the actor's scope: sub-regions by level (territory) and persons (people)."""
    return {"by_level": territory.region_counts(actor=actor, region=region),
            "people_total": people.person_counts(actor=actor, region=region)["total"]}
