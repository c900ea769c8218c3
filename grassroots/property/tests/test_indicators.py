"""The three rates equal hand-computed values on a fixture.

Fixture on D = 2026-06-30 (conftest): compounds k1..k4 in 安泰社区 (c1), k5 in 新华社区 (c2).
- k1: firm A (owners_hired), in force; k2: firm B (preliminary) until 2026-03-31 (expired before D);
  k3: firm B (preliminary), terminated on 2026-06-01; k4: self-managed; k5: firm C (preliminary), in force.
  → professionally managed on D: k1, k5 = 2 of 5 = 40.00%.
- firms serving on D: A (k1), C (k5). A has its own party branch; C has none; B serves nobody on D.
  → firm party coverage 1 / 2 = 50.00%.
- committees: k1 owners' committee in office; k2 management committee dissolved before D; k5 owners' committee
  formed after D. → 1 / 5 = 20.00%.
For 安泰社区 alone: 1/4, 1/1, 1/4.
"""

import datetime as dt

import pytest

from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed
from grassroots.property import indicators, selectors, services
from grassroots.property.models import ServiceContract
from grassroots.territory.models import Compound

from .conftest import D

pytestmark = pytest.mark.django_db


def values(rates):
    return {r.code: (r.numerator, r.denominator, r.percent) for r in rates}


def test_the_three_rates_equal_hand_computed_values(rated_world):
    rates = indicators.all_rates(Compound.objects.all(), D)
    assert values(rates) == {
        "property_service_coverage": (2, 5, "40.00%"),
        "firm_party_coverage": (1, 2, "50.00%"),
        "owners_committee_formation": (1, 5, "20.00%"),
    }


def test_rates_per_community_and_per_scope(rated_world):
    w = rated_world
    grouped = indicators.rates_by_community(Compound.objects.all(), D)
    assert values(grouped[w.c1.pk]) == {
        "property_service_coverage": (1, 4, "25.00%"), "firm_party_coverage": (1, 1, "100.00%"),
        "owners_committee_formation": (1, 4, "25.00%")}
    # the community's staff see their community only, whatever they ask
    assert values(selectors.rates(actor=w.community_staff, on=D)) == values(grouped[w.c1.pk])
    with pytest.raises(NotFound):
        selectors.rates(actor=w.community_staff, on=D, region_code=w.c2.code)


def test_the_date_matters(rated_world):
    later = values(indicators.all_rates(Compound.objects.all(), dt.date(2026, 9, 1)))
    assert later["owners_committee_formation"] == (2, 5, "40.00%")
    earlier = values(indicators.all_rates(Compound.objects.all(), dt.date(2025, 12, 31)))
    assert earlier["property_service_coverage"] == (4, 5, "80.00%")  # k1, k2, k3, k5


def test_an_empty_denominator_is_a_dash_not_zero(world):
    rates = indicators.all_rates(Compound.objects.none(), D)
    assert [r.percent for r in rates] == ["—", "—", "—"] and all(r.value is None for r in rates)


def test_overlapping_contracts_and_committees_are_refused(rated_world):
    w = rated_world
    with pytest.raises(ValidationFailed):
        services.contract_create(actor=w.community_staff, compound=w.k1, firm=w.firm_b, kind="owners_hired",
                                 start_date=dt.date(2026, 1, 1))
    with pytest.raises(ValidationFailed):
        services.committee_form(actor=w.community_staff, compound=w.k1, formed_on=dt.date(2026, 1, 1))
    with pytest.raises(ValidationFailed):
        services.contract_create(actor=w.community_staff, compound=w.k2, kind="preliminary", start_date=D)
    assert ServiceContract.objects.filter(compound=w.k1).count() == 1


def test_only_staff_in_scope_record_property_matters(rated_world):
    w = rated_world
    with pytest.raises(NotFound):
        services.contract_create(actor=w.other_staff, compound=w.k5, firm=w.firm_a, kind="owners_hired",
                                 start_date=dt.date(2030, 1, 1))
    with pytest.raises(NotPermitted):
        services.contract_create(actor=w.grid_worker, compound=w.k1, firm=w.firm_a, kind="owners_hired",
                                 start_date=dt.date(2030, 1, 1))
    with pytest.raises(NotPermitted):
        services.firm_party_coverage_set(actor=w.community_staff, firm=w.firm_c, mode="instructor",
                                         instructor=w.party_instructor, start_date=D)
    for actor in (w.resident, w.department_handler, w.admin):
        with pytest.raises(NotFound):
            selectors.compounds(actor=actor)
