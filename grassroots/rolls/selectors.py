"""The only readers of rolls. ``electorate`` is what every meeting asks: who is due on a day and what each weighs.

Kept rolls (representatives, owners, party members, cooperative members) are read from their entries on the day;
adult residents and households of a region (or a building) from the people register.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from grassroots.core import clock
from grassroots.core.errors import NotFound
from grassroots.core.scope import scope_for
from grassroots.people.models import Person
from grassroots.territory.models import Level, Region, subtree_q

from .models import DERIVED_KINDS, Roll, RollEntry, RollKind
from .permissions import KEEPERS, PARTY_KEEPERS, can_read
from .votes import Count


@dataclass(frozen=True)
class Elector:
    person_id: int
    votes: int
    area: Decimal
    voting: bool
    unit: str = ""


def entries_on(roll: Roll, on: dt.date | None = None) -> QuerySet:
    """The roll's entries in force on ``on`` (joined by then, not left before, term not run out)."""
    day = on or clock.today()
    return RollEntry.objects.filter(roll=roll, start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)).filter(Q(term_ends__isnull=True) | Q(term_ends__gte=day))


def adult_cutoff(day: dt.date) -> dt.date:
    """Born on or before this day: 18 or older on ``day`` (29 February counts from 28 February)."""
    if day.month == 2 and day.day == 29:
        return day.replace(year=day.year - 18, day=28)
    return day.replace(year=day.year - 18)


def register_persons(kind: str, region: Region, on: dt.date | None = None) -> QuerySet:
    """Adult residents or household heads of a region (or a building) from the people register."""
    day = on or clock.today()
    people = Person.objects.filter(active=True, deceased_on__isnull=True)
    if region.level == Level.BUILDING:
        people = people.filter(building=region)
    else:
        people = people.filter(subtree_q(region.path, "region__path"))
    if kind == RollKind.ADULT_RESIDENTS:
        return people.filter(birth_date__lte=adult_cutoff(day))
    if kind == RollKind.HOUSEHOLDS:
        return people.filter(is_household_head=True)
    return people


def persons_due(*, roll: Roll | None = None, kind: str = "", region: Region | None = None,
                on: dt.date | None = None) -> QuerySet:
    """Persons on the roll (or on the register for a derived kind) on ``on``: what meetings call 应到."""
    if roll is not None:
        return Person.objects.filter(pk__in=entries_on(roll, on).values("person_id"))
    if kind in DERIVED_KINDS and region is not None:
        return register_persons(kind, region, on)
    return Person.objects.none()


def electorate(*, roll: Roll | None = None, kind: str = "", region: Region | None = None,
               on: dt.date | None = None) -> dict[int, Elector]:
    """person id → Elector (votes, area, whether they vote) for everyone due on ``on``."""
    if roll is not None:
        return {e.person_id: Elector(e.person_id, e.votes, e.area or Decimal("0"), e.voting, e.unit)
                for e in entries_on(roll, on)}
    return {pid: Elector(pid, 1, Decimal("0"), True)
            for pid in persons_due(kind=kind, region=region, on=on).values_list("pk", flat=True)}


def due_count(electors: dict[int, Elector]) -> Count:
    return Count.of(electors.values())


def roll_for(*, kind: str, region: Region, compound=None) -> Roll | None:
    """The roll a meeting of ``region`` uses: the region's own roll of the kind (the compound's, for owners), else
    the nearest one above it."""
    qs = Roll.objects.filter(kind=kind)
    if compound is not None:
        qs = qs.filter(compound=compound)
    paths = [p for p in _ancestor_paths(region.path)]
    found = {r.region.path: r for r in qs.select_related("region").filter(region__path__in=paths)}
    for path in reversed(paths):
        if path in found:
            return found[path]
    return None


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


# --- pages ----------------------------------------------------------------------------------------------------------
def rolls(*, actor, kind: str = "") -> QuerySet:
    scope = scope_for(actor)
    qs = Roll.objects.select_related("region", "compound", "organization").filter(
        scope.region_q("region__path", roles=KEEPERS) | scope.party_q("party_path", roles=PARTY_KEEPERS))
    if kind in RollKind.values:
        qs = qs.filter(kind=kind)
    return qs


def roll_detail(*, actor, pk: int) -> Roll:
    roll = Roll.objects.select_related("region", "compound", "organization").filter(pk=pk).first()
    if roll is None or not can_read(actor, roll):
        raise NotFound()
    return roll


def roll_entries(*, actor, roll: Roll, on: dt.date | None = None) -> dict:
    """Who is on the roll on ``on`` and the history (every entry, newest change first), with the totals."""
    if not can_read(actor, roll):
        raise NotFound()
    current = list(entries_on(roll, on).select_related("person", "person__building").prefetch_related(
        "households", "households__building").order_by("person__name", "id"))
    history = list(RollEntry.objects.filter(roll=roll).select_related("person").order_by("-updated_at", "-id")[:500])
    return {"current": current, "history": history, "total": Count.of(current)}


def entry_detail(*, actor, pk: int) -> RollEntry:
    entry = RollEntry.objects.select_related("roll", "roll__region", "person").filter(pk=pk).first()
    if entry is None or not can_read(actor, entry.roll):
        raise NotFound()
    return entry


TERM_ENDING_DAYS = 60  # policy default ``rolls.term_ending_days``: a representative's term ends within 60 days


def term_ending_window(on: dt.date | None = None) -> tuple[dt.date, dt.date]:
    from grassroots.core import policy

    day = on or clock.today()
    return day, day + dt.timedelta(days=int(policy.setting("rolls.term_ending_days", TERM_ENDING_DAYS)))


def terms_ending(*, actor, on: dt.date | None = None) -> QuerySet:
    """Entries of rolls the actor keeps whose term runs out within ``rolls.term_ending_days`` (policy) and that are
    still open: the representatives (or others with a term) to re-elect or renew, soonest first."""
    first, last = term_ending_window(on)
    return (RollEntry.objects.filter(roll__in=rolls(actor=actor).values("pk"), end_date__isnull=True,
                                     term_ends__gte=first, term_ends__lte=last)
            .select_related("roll", "person").order_by("term_ends", "roll_id", "id"))


def regions_for_rolls(*, actor) -> QuerySet:
    """Communities (and villages, parks) where the actor may keep rolls."""
    scope = scope_for(actor)
    return Region.objects.filter(level__in=[Level.COMMUNITY, Level.VILLAGE, Level.PARK]).filter(
        scope.region_q("path", roles=KEEPERS)).order_by("path")
