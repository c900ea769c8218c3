"""The only readers of the village collective economy; every one takes the actor (``None`` = the system).

A collective is read in full by the staff of its village and the regions above. A confirmed member (or anyone of
their household with an account) reads their household's statement; residents of the village (a person living in a
grid of the village) and its members read the published disclosures; the board and accountant of a cooperative read
the alliances their cooperative belongs to. Out of scope is missing (``NotFound``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, Sum

from grassroots.core import policy
from grassroots.core import roles as R
from grassroots.core.errors import NotFound
from grassroots.core.scope import scope_for

from . import statement as st
from .models import (
    COSTS,
    DISTRIBUTION,
    INCOME,
    Alliance,
    Collective,
    Contract,
    Disclosure,
    Entry,
    Payment,
    VillageMember,
)

ZERO = Decimal("0.00")
REMIND_DAYS_KEY = "village_rent_reminder_days"
REMIND_DAYS_DEFAULT = 30


def remind_days() -> int:
    return int(policy.setting(REMIND_DAYS_KEY, REMIND_DAYS_DEFAULT))


def _none(actor) -> Q | None:
    if actor is None:
        return Q()
    scope = scope_for(actor)
    if not scope.is_authenticated or scope.is_system:
        return Q(pk__in=[])
    return None


def staff_q(actor, field: str = "") -> Q:
    """Collectives the actor keeps and reads in full (``field``: the path to the collective)."""
    q = _none(actor)
    if q is not None:
        return q
    pre = f"{field}__" if field else ""
    return scope_for(actor).region_q(f"{pre}region__path", roles=R.STAFF)


def _person(actor):
    from grassroots.people.models import Person

    pid = scope_for(actor).person_id
    return Person.objects.filter(pk=pid).select_related("region").first() if pid else None


def resident_q(actor, field: str = "") -> Q:
    """Collectives whose disclosures the actor reads: staff, members and residents of the village."""
    q = _none(actor)
    if q is not None:
        return q
    pre = f"{field}__" if field else ""
    q = staff_q(actor, field)
    person = _person(actor)
    if person is not None:
        ids = VillageMember.objects.filter(person=person).values("collective_id")
        q |= Q(**{f"{field}_id__in" if field else "pk__in": ids})
        if person.region_id:
            path = person.region.path
            homes = [c.pk for c in Collective.objects.select_related("region") if path.startswith(c.region.path)]
            q |= Q(**{f"{pre}pk__in" if field else "pk__in": homes})
    return q


def collectives(*, actor, q: str = ""):
    qs = Collective.objects.filter(resident_q(actor)).select_related("organization", "region")
    if q:
        qs = qs.filter(organization__name__icontains=q)
    return qs.order_by("region__path", "id")


def collective(*, actor, pk) -> Collective:
    try:
        return collectives(actor=actor).get(pk=pk)
    except (Collective.DoesNotExist, ValueError, TypeError):
        raise NotFound("没有这个村集体经济组织", "No such village collective") from None


def kept_collective(*, actor, pk) -> Collective:
    """A collective the actor keeps (staff); residents who see it get ``NotFound`` for the books."""
    try:
        return Collective.objects.filter(staff_q(actor)).select_related("organization", "region").get(pk=pk)
    except (Collective.DoesNotExist, ValueError, TypeError):
        raise NotFound("没有这个村集体经济组织", "No such village collective") from None


def sees_books(actor, collective: Collective) -> bool:
    return Collective.objects.filter(staff_q(actor), pk=collective.pk).exists()


# --- the statement ---------------------------------------------------------------------------------------------


def _sums(collective: Collective, **filters) -> dict[str, Decimal]:
    rows = (Entry.objects.filter(collective=collective, **filters).values("category")
            .annotate(s=Sum("amount")).order_by())
    return {r["category"]: Decimal(r["s"]) for r in rows}


def year_statement(collective: Collective, year: int) -> st.Statement:
    """The statement of ``year`` from the booked entries; the opening undistributed result is the net of every
    earlier year's entries."""
    before = _sums(collective, booked_on__year__lt=year)
    opening = (sum((before.get(c, ZERO) for c in INCOME), ZERO) - sum((before.get(c, ZERO) for c in COSTS), ZERO)
               - sum((before.get(c, ZERO) for c in DISTRIBUTION), ZERO))
    return st.build(year, _sums(collective, booked_on__year=year), opening)


def period_statement(collective: Collective, starts_on: dt.date, ends_on: dt.date) -> st.Statement:
    return st.build(starts_on.year, _sums(collective, booked_on__gte=starts_on, booked_on__lte=ends_on))


def entries(*, actor, collective: Collective, year: int | None = None):
    if not sees_books(actor, collective):
        return Entry.objects.none()
    qs = Entry.objects.filter(collective=collective)
    if year:
        qs = qs.filter(booked_on__year=year)
    return qs.order_by("-booked_on", "-id")


# --- contracts and payments ------------------------------------------------------------------------------------


def contracts(*, actor, collective: Collective | None = None):
    qs = Contract.objects.filter(staff_q(actor, "collective")).select_related("collective__organization")
    if collective is not None:
        qs = qs.filter(collective=collective)
    return qs.order_by("collective_id", "starts_on", "id")


def contract(*, actor, pk) -> Contract:
    try:
        return contracts(actor=actor).get(pk=pk)
    except (Contract.DoesNotExist, ValueError, TypeError):
        raise NotFound("没有这个合同", "No such contract") from None


def payments(*, actor, due: str = "", today: dt.date, collective: Collective | None = None):
    """Open payments of contracts in scope: ``due="soon"`` falls due within the policy's days (today included),
    ``due="overdue"`` is past its date and unpaid; empty: every payment."""
    qs = Payment.objects.filter(staff_q(actor, "contract__collective")).select_related(
        "contract__collective__organization")
    if collective is not None:
        qs = qs.filter(contract__collective=collective)
    if due == "soon":
        qs = qs.filter(paid_on__isnull=True, due_on__gte=today, due_on__lte=today + dt.timedelta(days=remind_days()))
    elif due == "overdue":
        qs = qs.filter(paid_on__isnull=True, due_on__lt=today)
    return qs.order_by("due_on", "id")


# --- disclosures -----------------------------------------------------------------------------------------------


def disclosures(*, actor, collective: Collective | None = None):
    qs = Disclosure.objects.filter(resident_q(actor, "collective")).select_related("collective__organization")
    if collective is not None:
        qs = qs.filter(collective=collective)
    return qs.order_by("-starts_on", "-id")


def disclosure(*, actor, pk) -> Disclosure:
    try:
        return disclosures(actor=actor).get(pk=pk)
    except (Disclosure.DoesNotExist, ValueError, TypeError):
        raise NotFound("没有这个公开", "No such disclosure") from None


# --- members and households ------------------------------------------------------------------------------------


def members(*, actor, collective: Collective, active_only: bool = False):
    qs = VillageMember.objects.filter(collective=collective).select_related("person", "household")
    if not sees_books(actor, collective):
        return qs.none()
    if active_only:
        qs = qs.filter(exited_on__isnull=True)
    return qs.order_by("household_id", "id")


def member(*, actor, pk) -> VillageMember:
    m = VillageMember.objects.filter(pk=pk).select_related("collective__region", "person").first() \
        if str(pk).isdigit() else None
    if m is None or not sees_books(actor, m.collective):
        raise NotFound("没有这个成员", "No such member")
    return m


def household_shares(collective: Collective, on: dt.date | None = None) -> dict[int, int]:
    """成员股 per household: the shares of the household's members who are members on ``on`` (all active when
    ``None``), ordered by household."""
    qs = VillageMember.objects.filter(collective=collective)
    if on is None:
        qs = qs.filter(exited_on__isnull=True)
    else:
        qs = qs.filter(confirmed_on__lte=on).filter(Q(exited_on__isnull=True) | Q(exited_on__gt=on))
    rows = qs.values("household_id").annotate(s=Sum("shares")).order_by("household_id")
    return {r["household_id"]: int(r["s"]) for r in rows if r["s"]}


def household(*, actor, collective: Collective, household_id) -> int:
    """The household id when the actor may read its statement: staff, or a member of the household (or a person
    living in it)."""
    try:
        hid = int(household_id)
    except (TypeError, ValueError):
        raise NotFound("没有这一户", "No such household") from None
    exists = VillageMember.objects.filter(collective=collective, household_id=hid).exists()
    if exists and sees_books(actor, collective):
        return hid
    person = _person(actor) if actor is not None else None
    if exists and person is not None and person.household_id == hid:
        return hid
    raise NotFound("没有这一户", "No such household")


def my_households(*, actor):
    person = _person(actor)
    if person is None or not person.household_id:
        return []
    return list(VillageMember.objects.filter(household_id=person.household_id)
                .select_related("collective__organization").values_list("collective_id", "household_id")
                .distinct())


# --- alliances -------------------------------------------------------------------------------------------------


def alliances(*, actor):
    q = _none(actor)
    if q is None:
        scope = scope_for(actor)
        q = Q(collectives__in=Collective.objects.filter(staff_q(actor)))
        orgs = scope.orgs_for(*R.COOPERATIVE_POSTS)
        if orgs:
            q |= Q(organizations__in=list(orgs))
        ids = Alliance.objects.filter(q).values("pk")
        q = Q(pk__in=ids)
    return Alliance.objects.filter(q).prefetch_related("collectives__organization", "organizations").order_by(
        "name", "id")


def alliance(*, actor, pk) -> Alliance:
    try:
        return alliances(actor=actor).get(pk=pk)
    except (Alliance.DoesNotExist, ValueError, TypeError):
        raise NotFound("没有这个联合组织", "No such alliance") from None


def keepable_collectives(*, actor):
    """Collectives whose books the actor keeps (choices of the alliance form)."""
    from .permissions import can_keep

    return [c for c in collectives(actor=actor)[:200] if can_keep(actor, c)]


def alliance_partners(*, actor):
    """Cooperatives and enterprises a village may link with (联合社, 村企联建): any of the zone's, wherever they sit —
    a partner is usually outside the village. Only those who keep a collective's books get the list (names of
    registered businesses, no personal data)."""
    from grassroots.people.models import Organization

    if actor is not None and not keepable_collectives(actor=actor):
        return Organization.objects.none()
    kinds = [Organization.Kind.COOPERATIVE, Organization.Kind.ENTERPRISE, Organization.Kind.STATE_OWNED_ENTERPRISE]
    return Organization.objects.filter(kind__in=kinds, active=True).order_by("name")
