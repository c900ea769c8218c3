"""The only readers of organisational life. Every read takes ``actor``; out of scope is NotFound (404).

``review_grade`` and ``points_total`` are the two reads other apps use (honours: 民主评议 and points feed
nominations); they take no actor because they answer one number about one member for a service that has already
checked its own scope."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from grassroots.core.errors import NotFound
from grassroots.core.scope import scope_for

from . import permissions, policy
from .models import MemberReview, PointsEntry
from .states import EntryStatus


def review_grade(person_id: int, year: int) -> str | None:
    """The member's 民主评议 grade for the year (``states.Grade`` value), or None when none was recorded."""
    return MemberReview.objects.filter(person_id=person_id, year=year).values_list("grade", flat=True).first()


def points_total(person_id: int, year: int) -> Decimal:
    """The member's approved points for the calendar year, computed from the ledger."""
    total = PointsEntry.objects.filter(person_id=person_id, occurred_on__year=year,
                                       status=EntryStatus.APPROVED).aggregate(s=Sum("points"))["s"]
    return total or Decimal("0")


def _own_or_org_q(actor, person_field: str = "person_id") -> Q:
    scope = scope_for(actor)
    q = permissions.org_path_q(actor)
    if scope.person_id:
        q |= Q(**{person_field: scope.person_id})
    return q


def points_entries(*, actor, person_id: int | None = None, org=None, status: str = "", year: int | None = None
                   ) -> QuerySet:
    qs = PointsEntry.objects.filter(_own_or_org_q(actor)).select_related("person", "org", "rule")
    if person_id:
        qs = qs.filter(person_id=person_id)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(occurred_on__year=year)
    return qs


def points_entry(*, actor, pk: int) -> PointsEntry:
    entry = points_entries(actor=actor).filter(pk=pk).first()
    if entry is None:
        raise NotFound()
    return entry


def yearly_totals(*, actor, year: int, org=None) -> list[dict]:
    """Approved points per member for the year, in the actor's scope (highest first when rankings are on,
    else by name)."""
    qs = points_entries(actor=actor, org=org, status=EntryStatus.APPROVED, year=year)
    rows = list(qs.values("person_id", "person__name", "org__name").annotate(total=Sum("points")))
    out = [{"person_id": r["person_id"], "name": r["person__name"], "org_name": r["org__name"],
            "total": r["total"]} for r in rows]
    if policy.get("partylife.rankings"):
        out.sort(key=lambda r: (-r["total"], r["name"]))
    else:
        out.sort(key=lambda r: r["name"])
    return out


def reviews(*, actor, year: int | None = None, org=None, grade: str = "") -> QuerySet:
    qs = MemberReview.objects.filter(_own_or_org_q(actor)).select_related("person", "org")
    if year:
        qs = qs.filter(year=year)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if grade:
        qs = qs.filter(grade=grade)
    return qs


def review_detail(*, actor, pk: int) -> MemberReview:
    review = reviews(actor=actor).filter(pk=pk).first()
    if review is None:
        raise NotFound()
    return review


