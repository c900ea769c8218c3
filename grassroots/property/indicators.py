"""The three rates the article quotes, each with its definition and denominator written down, computed from data
for a scope (the compounds of the actor's regions) and a date.

- 物业服务覆盖率 ``property_service_coverage``: residential compounds that on the date have a professional property
  service contract (a firm: 前期物业、业主大会选聘 or 物管会委托; not 业主自管 or 街道托管) ÷ all residential compounds.
- 物业企业党组织覆盖率 ``firm_party_coverage``: property firms serving those compounds on the date that have their own
  or a joint party organisation, or a party instructor, on the date ÷ property firms serving those compounds.
- 业委会组建率 ``owners_committee_formation``: residential compounds with an owners' committee or a property
  management committee in office on the date ÷ all residential compounds (the same base as Anhui's published 70.8%;
  some places use only compounds "具备条件", which this platform does not).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from grassroots.territory.models import Compound

from .models import FirmPartyCoverage, OwnersCommittee, ServiceContract

PROFESSIONAL_KINDS = (ServiceContract.Kind.PRELIMINARY, ServiceContract.Kind.OWNERS_HIRED,
                      ServiceContract.Kind.COMMITTEE_ENTRUSTED)


@dataclass(frozen=True)
class Rate:
    code: str
    name: str
    numerator: int
    denominator: int
    as_of: dt.date
    definition: str

    @property
    def value(self) -> float | None:
        """None (shown as "—") when the denominator is empty; never 0% or 100%."""
        return None if self.denominator == 0 else self.numerator / self.denominator

    @property
    def percent(self) -> str:
        return "—" if self.value is None else f"{self.value * 100:.2f}%"


DEFINITIONS = {
    "property_service_coverage": (_("物业服务覆盖率"),
                                  _("当日有专业物业服务合同（物业企业承接）的住宅小区数 ÷ 住宅小区总数")),
    "firm_party_coverage": (_("物业企业党组织覆盖率"),
                            _("当日服务本范围小区的物业企业中，单独或联合建立党组织、或选派党建指导员的企业数"
                              " ÷ 服务本范围小区的物业企业数")),
    "owners_committee_formation": (_("业委会组建率"),
                                   _("当日有在任业主委员会或物业管理委员会的住宅小区数 ÷ 住宅小区总数")),
}


def _text(code: str) -> tuple[str, str]:
    """A rate's name and definition in the reader's language."""
    name, definition = DEFINITIONS[code]
    return str(name), str(definition)


def _active(on: dt.date, start: str = "start_date", end: str = "end_date") -> Q:
    return Q(**{f"{start}__lte": on}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": on}))


def contracts_on(on: dt.date) -> QuerySet:
    return ServiceContract.objects.filter(_active(on)).filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=on))


def compounds_base(compounds: QuerySet, on: dt.date) -> QuerySet:
    """Residential compounds (compounds carry no dates of their own; the date applies to contracts and committees)."""
    return compounds.filter(is_residential=True)


def property_service_coverage(compounds: QuerySet, on: dt.date) -> Rate:
    base = compounds_base(compounds, on)
    covered = base.filter(pk__in=contracts_on(on).filter(kind__in=PROFESSIONAL_KINDS).values("compound_id"))
    name, definition = _text("property_service_coverage")
    return Rate("property_service_coverage", name, covered.count(), base.count(), on, definition)


def firm_party_coverage(compounds: QuerySet, on: dt.date) -> Rate:
    base = compounds_base(compounds, on)
    firm_ids = set(contracts_on(on).filter(compound__in=base, firm__isnull=False).values_list("firm_id", flat=True))
    covered = set(FirmPartyCoverage.objects.filter(_active(on), firm_id__in=firm_ids).values_list("firm_id", flat=True))
    name, definition = _text("firm_party_coverage")
    return Rate("firm_party_coverage", name, len(covered), len(firm_ids), on, definition)


def owners_committee_formation(compounds: QuerySet, on: dt.date) -> Rate:
    base = compounds_base(compounds, on)
    in_office = OwnersCommittee.objects.filter(formed_on__lte=on, term_end__gte=on).filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))
    formed = base.filter(pk__in=in_office.values("compound_id"))
    name, definition = _text("owners_committee_formation")
    return Rate("owners_committee_formation", name, formed.count(), base.count(), on, definition)


def all_rates(compounds: QuerySet | None, on: dt.date) -> list[Rate]:
    compounds = compounds if compounds is not None else Compound.objects.all()
    return [property_service_coverage(compounds, on), firm_party_coverage(compounds, on),
            owners_committee_formation(compounds, on)]


def rates_by_community(compounds: QuerySet, on: dt.date) -> dict[int, list[Rate]]:
    """The three rates per community of ``compounds``, in a constant number of queries."""
    from django.db.models import Count

    base = compounds_base(compounds, on)

    def counts(qs) -> dict[int, int]:
        return dict(qs.values_list("community_id").annotate(n=Count("id")).values_list("community_id", "n"))

    totals = counts(base)
    managed = counts(base.filter(pk__in=contracts_on(on).filter(kind__in=PROFESSIONAL_KINDS).values("compound_id")))
    in_office = OwnersCommittee.objects.filter(formed_on__lte=on, term_end__gte=on).filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))
    formed = counts(base.filter(pk__in=in_office.values("compound_id")))
    pairs = set(contracts_on(on).filter(compound__in=base, firm__isnull=False)
                .values_list("compound__community_id", "firm_id"))
    covered_firms = set(FirmPartyCoverage.objects.filter(_active(on), firm_id__in={f for _, f in pairs})
                        .values_list("firm_id", flat=True))
    out = {}
    for community_id, total in totals.items():
        firms = {f for c, f in pairs if c == community_id}
        out[community_id] = [
            Rate("property_service_coverage", _text("property_service_coverage")[0], managed.get(community_id, 0),
                 total, on, _text("property_service_coverage")[1]),
            Rate("firm_party_coverage", _text("firm_party_coverage")[0], len(firms & covered_firms), len(firms), on,
                 _text("firm_party_coverage")[1]),
            Rate("owners_committee_formation", _text("owners_committee_formation")[0], formed.get(community_id, 0),
                 total, on, _text("owners_committee_formation")[1]),
        ]
    return out
