"""API: rolls (list, one roll), who is on a roll on a day, and the electorate with each person's weight.

Read through the same selectors as the pages: staff of the roll's region, and for a roll held by a party
organisation the party posts on it or above it; anything else is not found.
"""

import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from grassroots.core.pagination import PageNumberPagination

from . import selectors
from .votes import Count

router = Router(tags=["rolls 名册"])


class RollOut(Schema):
    id: int
    kind: str
    name: str
    region_code: str
    compound_code: str | None
    organization_id: int | None
    party_path: str

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code

    @staticmethod
    def resolve_compound_code(obj):
        return obj.compound.code if obj.compound_id else None


class RollFilters(Schema):
    kind: str = ""


class RollEntryOut(Schema):
    id: int
    person_id: int
    person_name: str
    start_date: dt.date
    term_ends: dt.date | None
    end_date: dt.date | None
    unit: str
    area: Decimal | None
    extra_votes: int
    votes: int
    voting: bool

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name


class RollDay(Schema):
    on: dt.date | None = None


class RollTotalOut(Schema):
    heads: int
    votes: int
    area: Decimal


class RollEntriesOut(Schema):
    roll_id: int
    on: dt.date
    total: RollTotalOut
    entries: list[RollEntryOut]


class ElectorOut(Schema):
    person_id: int
    votes: int
    area: Decimal
    voting: bool
    unit: str


class ElectorateOut(Schema):
    roll_id: int
    on: dt.date
    due: RollTotalOut
    electors: list[ElectorOut]


def _total(count: Count) -> dict:
    return {"heads": count.heads, "votes": count.votes, "area": count.area}


def _day(day: RollDay) -> dt.date:
    from grassroots.core import clock

    return day.on or clock.today()


@router.get("/rolls", response=list[RollOut], operation_id="rolls_list")
@paginate(PageNumberPagination, page_size=50)
def roll_list(request, filters: Query[RollFilters]):
    return selectors.rolls(actor=request.user, kind=filters.kind)


@router.get("/rolls/{roll_id}", response=RollOut, operation_id="rolls_detail")
def roll_detail(request, roll_id: int):
    return selectors.roll_detail(actor=request.user, pk=roll_id)


@router.get("/rolls/{roll_id}/entries", response=RollEntriesOut, operation_id="rolls_entries")
def roll_entries(request, roll_id: int, day: Query[RollDay]):
    """Who is on the roll on ``on`` (default today): joined by then, not left before, term not run out."""
    roll = selectors.roll_detail(actor=request.user, pk=roll_id)
    on = _day(day)
    data = selectors.roll_entries(actor=request.user, roll=roll, on=on)
    return {"roll_id": roll.pk, "on": on, "total": _total(data["total"]), "entries": data["current"]}


@router.get("/rolls/{roll_id}/electorate", response=ElectorateOut, operation_id="rolls_electorate")
def roll_electorate(request, roll_id: int, day: Query[RollDay]):
    """Everyone due on ``on`` with what each weighs (votes, area, whether they vote): what a meeting counts."""
    roll = selectors.roll_detail(actor=request.user, pk=roll_id)
    on = _day(day)
    electors = selectors.electorate(roll=roll, on=on)
    rows = sorted(electors.values(), key=lambda e: e.person_id)
    return {"roll_id": roll.pk, "on": on, "due": _total(selectors.due_count(electors)), "electors": rows}
