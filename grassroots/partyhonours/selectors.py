"""Readers of honours; every one takes the actor. The year's medal list is read from the register the actor sees
(``party.selectors.member_list``): outside one's scope a member or an award looks missing."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from grassroots.core.errors import NotFound
from grassroots.core.scope import PATH_END
from grassroots.party import selectors as party_selectors
from grassroots.party.models import Membership, MembershipStatus

from . import rules
from .models import MedalAward
from .states import MedalStatus

PENDING = "pending"  # on the list, no award yet
STATUS_FILTERS = (PENDING, *[c for c, _ in MedalStatus.choices if c != MedalStatus.WITHDRAWN])


def _live_award(field: str, year: int | None = None):
    qs = MedalAward.objects.filter(person_id=OuterRef("person_id")).exclude(status=MedalStatus.WITHDRAWN)
    if year is not None:
        qs = qs.filter(year=year)
    return Subquery(qs.order_by("-year").values(field)[:1])


def _members(actor, org=None, q: str = "", include_ended: bool = False) -> QuerySet:
    """The register the actor sees (``None``: the system sees all of it)."""
    if actor is not None:
        return party_selectors.member_list(actor=actor, org=org, q=q, include_ended=include_ended)
    qs = Membership.objects.select_related("person", "org")
    if not include_ended:
        qs = qs.filter(active=True)
    if org is not None:
        qs = qs.filter(org__path__gte=org.path, org__path__lt=org.path + PATH_END)
    if q:
        qs = qs.filter(person__name__icontains=q.strip())
    return qs


def medal_list(*, actor, year: int, org=None, status: str = "", q: str = "") -> QuerySet:
    """The year's 光荣在党50年 list as memberships the actor sees: active full members, alive, whose full-member date
    gives fifty full years by 1 July of ``year``, without a medal of an earlier year. Each row carries its award of
    this year, if any (``award_id``, ``award_status``)."""
    qs = (_members(actor, org, q)
          .filter(status=MembershipStatus.FULL, full_member_date__lte=rules.latest_full_member_date(year),
                  person__deceased_on__isnull=True)
          .annotate(award_id=_live_award("pk", year), award_status=_live_award("status", year),
                    earlier=_live_award("year"))
          .filter(Q(earlier__isnull=True) | Q(earlier__gte=year)))
    if status == PENDING:
        qs = qs.filter(award_id__isnull=True)
    elif status in STATUS_FILTERS:
        qs = qs.filter(award_status=status)
    return qs.order_by("org__path", "full_member_date", "pk")


def medal_counts(*, actor, year: int) -> dict:
    """How many of the year's list wait for each step (one aggregate query)."""
    from django.db.models import Count

    return medal_list(actor=actor, year=year).aggregate(
        pending=Count("pk", filter=Q(award_id__isnull=True)),
        confirmed=Count("pk", filter=Q(award_status=MedalStatus.CONFIRMED)),
        approved=Count("pk", filter=Q(award_status=MedalStatus.APPROVED)),
        issued=Count("pk", filter=Q(award_status=MedalStatus.ISSUED)))


def membership_for_medal(*, actor, pk: int) -> Membership:
    return party_selectors.member_detail(actor=actor, pk=pk)


def awards(*, actor) -> QuerySet:
    seen = _members(actor, include_ended=True).values("pk")
    return MedalAward.objects.filter(membership__in=seen).select_related("person", "org")


def award_detail(*, actor, pk: int) -> MedalAward:
    award = awards(actor=actor).filter(pk=pk).first()
    if award is None:
        raise NotFound("纪念章记录不存在", "Medal award not found")
    return award


def person_awards(*, actor, person_id: int) -> QuerySet:
    return awards(actor=actor).filter(person_id=person_id).exclude(status=MedalStatus.WITHDRAWN)
