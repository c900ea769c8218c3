"""The only readers of property governance data; every one takes the actor and applies its region scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from grassroots.core import clock
from grassroots.core.errors import NotFound, ValidationFailed
from grassroots.core.scope import scope_for
from grassroots.people.models import Organization
from grassroots.territory.models import Compound, Region, subtree_q

from . import indicators
from .models import FirmPartyCoverage, JointMeeting, OwnersCommittee, ServiceContract
from .permissions import can_read_property, compounds_q


def _scope(actor):
    if not can_read_property(actor):
        raise NotFound()
    return scope_for(actor)


def compounds(*, actor, on: dt.date | None = None, q: str = "", community_code: str = "", managed: str = "",
              committee: str = ""):
    """Compounds in scope, annotated with today's firm and whether an owners' committee is in office."""
    scope = _scope(actor)
    on = on or clock.today()
    contracts = indicators.contracts_on(on)
    in_office = OwnersCommittee.objects.filter(formed_on__lte=on, term_end__gte=on).filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))
    qs = (Compound.objects.filter(compounds_q(scope))
          .select_related("community")
          .annotate(has_professional_service=Exists(contracts.filter(compound=OuterRef("pk"),
                                                                     kind__in=indicators.PROFESSIONAL_KINDS)),
                    has_committee=Exists(in_office.filter(compound=OuterRef("pk"))))
          .prefetch_related(Prefetch("service_contracts", queryset=contracts.select_related("firm"),
                                     to_attr="current_contracts")))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if community_code:
        qs = qs.filter(community__code=community_code)
    if managed in ("yes", "no"):
        qs = qs.filter(has_professional_service=(managed == "yes"))
    if committee in ("yes", "no"):
        qs = qs.filter(has_committee=(committee == "yes"))
    return qs.order_by("code")


def compound_summary(*, actor, pk: int) -> Compound:
    """One compound in scope, annotated like the rows of ``compounds``."""
    compound = compounds(actor=actor).filter(pk=pk).first()
    if compound is None:
        raise NotFound()
    return compound


def compound_detail(*, actor, pk: int) -> Compound:
    scope = _scope(actor)
    compound = Compound.objects.filter(compounds_q(scope), pk=pk).select_related("community").first()
    if compound is None:
        raise NotFound()
    return compound


def compound_history(*, actor, compound: Compound) -> dict:
    compound_detail(actor=actor, pk=compound.pk)
    return {
        "contracts": list(compound.service_contracts.select_related("firm").order_by("-start_date")),
        "committees": list(compound.owners_committees.prefetch_related("members__person").order_by("-formed_on")),
        "meetings": list(compound.joint_meetings.order_by("-held_on")[:20]),
        "demonstrations": list(compound.demonstrations.order_by("-year")),
    }


def contract_of(*, actor, compound: Compound, pk: int) -> ServiceContract:
    """A service contract of a compound in scope."""
    compound_detail(actor=actor, pk=compound.pk)
    contract = ServiceContract.objects.filter(pk=pk, compound=compound).first()
    if contract is None:
        raise NotFound()
    return contract


def committee_of(*, actor, compound: Compound, pk: int) -> OwnersCommittee:
    """An owners' committee of a compound in scope."""
    compound_detail(actor=actor, pk=compound.pk)
    committee = compound.owners_committees.filter(pk=pk).first()
    if committee is None:
        raise NotFound()
    return committee


def committee_candidate(*, actor, id_number: str):
    """The registered resident a committee member is recorded as, found by ID number among those the actor sees."""
    from grassroots.people.selectors import person_find_by_id_number

    person = person_find_by_id_number(actor=actor, id_number=id_number)
    if person is None:
        raise ValidationFailed("未找到该证件号码对应的居民", "No resident with this ID number", field="id_number")
    return person


def coverage_party_org(*, code: str):
    """The party organisation a firm's coverage names by its code (None when blank or unknown)."""
    from grassroots.party.models import PartyOrg

    return PartyOrg.objects.filter(code=code).first() if code else None


def coverage_instructor(*, username: str):
    """The party instructor a firm's coverage names by account (None when blank or unknown)."""
    from grassroots.people.models import User

    return User.objects.filter(username=username).first() if username else None


def firms(*, actor, on: dt.date | None = None):
    """Property firms serving compounds in scope on the date, with their party coverage on the date."""
    scope = _scope(actor)
    on = on or clock.today()
    serving = indicators.contracts_on(on).filter(compound__in=Compound.objects.filter(compounds_q(scope)))
    coverage = FirmPartyCoverage.objects.filter(indicators._active(on))
    return (Organization.objects.filter(kind=Organization.Kind.PROPERTY_FIRM, pk__in=serving.values("firm_id"))
            .annotate(compound_count=Count("service_contracts", filter=Q(service_contracts__in=serving), distinct=True),
                      covered=Exists(coverage.filter(firm=OuterRef("pk"))))
            .prefetch_related(Prefetch("party_coverages", queryset=coverage.select_related("party_org", "instructor"),
                                       to_attr="current_coverage"))
            .order_by("name"))


def joint_meetings(*, actor, community_code: str = "", year: int | None = None):
    scope = _scope(actor)
    qs = JointMeeting.objects.filter(scope.region_q("community__path")).select_related("community", "compound")
    if community_code:
        qs = qs.filter(community__code=community_code)
    if year:
        qs = qs.filter(held_on__year=year)
    return qs.order_by("-held_on", "-id")


def rates(*, actor, on: dt.date | None = None, region_code: str = "") -> list[indicators.Rate]:
    """The three rates for the actor's scope, or for one region inside it."""
    scope = _scope(actor)
    qs = Compound.objects.filter(compounds_q(scope))
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None or not scope.covers_path(region.path):
            raise NotFound()
        qs = qs.filter(subtree_q(region.path, "community__path"))
    return indicators.all_rates(qs, on or clock.today())


def rates_by_community(*, actor, on: dt.date | None = None) -> list[tuple[Region, list[indicators.Rate]]]:
    scope = _scope(actor)
    on = on or clock.today()
    grouped = indicators.rates_by_community(Compound.objects.filter(compounds_q(scope)), on)
    communities = Region.objects.filter(pk__in=grouped).order_by("path")
    return [(c, grouped[c.pk]) for c in communities]


def firm_detail(*, actor, pk: int):
    """A property firm serving compounds in the actor's scope (today)."""
    firm = firms(actor=actor).filter(pk=pk).first()
    if firm is None:
        raise NotFound()
    return firm


# Counters for people.dissolution (called inside organization_dissolve, which has checked the actor).


def current_contracts(organization, on) -> int:
    from django.db.models import Q

    from .models import ServiceContract

    return ServiceContract.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), firm=organization).filter(
        Q(terminated_on__isnull=True) | Q(terminated_on__gt=on)).count()


def current_party_coverage(organization, on) -> int:
    from django.db.models import Q

    from .models import FirmPartyCoverage

    return FirmPartyCoverage.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), firm=organization).count()
