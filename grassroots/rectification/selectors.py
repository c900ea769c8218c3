"""The only readers of the rectification ledger; every one takes the actor.

An item is visible to region readers whose region covers the item's region, to accounts posted to the owner
organisation, and to the responsible person. Out of scope is missing (``NotFound``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear

from grassroots.core import clock
from grassroots.core import roles as R
from grassroots.core.edges import bool_param, int_param
from grassroots.core.errors import NotFound
from grassroots.core.scope import scope_for

from .models import Item
from .states import Source, Status


def visible_q(actor) -> Q:
    scope = scope_for(actor)
    if not scope.is_authenticated or scope.is_system:
        return Q(pk__in=[])
    q = scope.region_q("region__path", roles=R.REGION_READERS) | scope.org_q("owner_id", roles=R.ORGANIZATION_POSTS)
    if scope.person_id:
        q |= Q(responsible_id=scope.person_id)
    return q


@dataclass
class Filters:
    status: str = ""
    source: str = ""
    owner: int | None = None
    year: int | None = None
    quarter: int | None = None
    month: int | None = None
    overdue: bool | None = None
    q: str = ""
    subject_type: str = ""
    subject_id: int | None = None


def filters_from(params) -> Filters:
    """Filters from a query string (a value that does not parse reads as absent)."""
    return Filters(
        status=params.get("status", "") if params.get("status", "") in Status.values else "",
        source=params.get("source", "") if params.get("source", "") in Source.values else "",
        owner=int_param(params.get("owner"), minimum=1), year=int_param(params.get("year"), minimum=1900, maximum=2999),
        quarter=int_param(params.get("quarter"), minimum=1, maximum=4),
        month=int_param(params.get("month"), minimum=1, maximum=12),
        overdue=bool_param(params.get("overdue")), q=params.get("q", "").strip()[:100])


def _period_q(f: Filters) -> Q:
    q = Q()
    if f.year:
        q &= Q(raised_on__year=f.year)
        if f.quarter:
            q &= Q(raised_on__month__gte=3 * f.quarter - 2, raised_on__month__lte=3 * f.quarter)
        if f.month:
            q &= Q(raised_on__month=f.month)
    return q


def items(*, actor, filters: Filters | None = None):
    f = filters or Filters()
    qs = Item.objects.filter(visible_q(actor)).select_related("owner", "region", "responsible")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.owner:
        qs = qs.filter(owner_id=f.owner)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(owner__name__icontains=f.q))
    if f.subject_type:
        qs = qs.filter(subject_type=f.subject_type, subject_id=f.subject_id)
    if f.overdue is True:
        qs = qs.filter(status=Status.OVERDUE)
    qs = qs.filter(_period_q(f))
    return qs.order_by("deadline", "id")


def item_get(*, actor, pk: int) -> Item:
    item = items(actor=actor).filter(pk=pk).first()
    if item is None:
        raise NotFound("整改事项不存在", "Rectification item not found")
    return item


def milestone_get(*, actor, item: Item, pk: int):
    """A milestone of an item the actor sees."""
    item_get(actor=actor, pk=item.pk)
    milestone = item.milestones.filter(pk=pk).first()
    if milestone is None:
        raise NotFound()
    return milestone


def item_for_attachment(actor, object_id) -> Item:
    try:
        return item_get(actor=actor, pk=int(object_id))
    except (TypeError, ValueError):
        raise NotFound()


@dataclass
class OwnerCount:
    owner_id: int
    owner_name: str
    total: int
    closed: int
    overdue: int
    open: int

    @property
    def closed_rate(self) -> float | None:
        return round(100 * self.closed / self.total, 1) if self.total else None


def counts(*, actor, filters: Filters | None = None) -> list[OwnerCount]:
    """Items per owner organisation in the period (the list's filters): total, closed, overdue, still open."""
    qs = items(actor=actor, filters=filters).order_by()
    rows = (qs.values("owner_id", "owner__name")
            .annotate(total=Count("id"), closed=Count("id", filter=Q(status=Status.CLOSED)),
                      overdue=Count("id", filter=Q(status=Status.OVERDUE)))
            .order_by("-total", "owner__name"))
    return [OwnerCount(r["owner_id"], r["owner__name"], r["total"], r["closed"], r["overdue"],
                       r["total"] - r["closed"]) for r in rows]


def counts_by_month(*, actor, year: int) -> list[dict]:
    """Items raised and closed per month of a year (what the period columns of a report quote)."""
    qs = items(actor=actor, filters=Filters(year=year)).order_by()
    rows = (qs.annotate(y=ExtractYear("raised_on"), m=ExtractMonth("raised_on")).values("m")
            .annotate(total=Count("id"), closed=Count("id", filter=Q(status=Status.CLOSED))).order_by("m"))
    return list(rows)


def owner_choices(*, actor):
    """Organisations the actor may name as owners: those it sees (people's selector)."""
    from grassroots.people.selectors import organization_visible

    return organization_visible(actor=actor).filter(active=True).order_by("name")


def owner_get(*, actor, pk) -> object:
    from grassroots.people.selectors import organization_get

    return organization_get(actor=actor, pk=pk)


def responsible_get(*, actor, pk):
    from grassroots.people.selectors import person_get

    return person_get(actor=actor, pk=pk)


def due_for_overdue(on: dt.date | None = None):
    """Items past their deadline and not yet marked (for the sweep; no actor: the system)."""
    day = on or clock.today()
    return Item.objects.filter(status__in=[Status.OPEN, Status.IN_RECTIFICATION, Status.REOPENED],
                               deadline__lt=day).order_by("id")
