import datetime as dt

import pytest

from grassroots.party.services import party_org_create
from grassroots.people.models import Organization, Person
from grassroots.property import services
from grassroots.territory.services import compound_create

D = dt.date(2026, 6, 30)


@pytest.fixture
def property_world(world):
    """Five compounds: c1 has 安泰一/二/三/四小区, c2 has 新华小区; three firms; hand-countable coverage."""
    w = world
    leader = w.zone_leader
    w.k1 = compound_create(actor=leader, community=w.c1, name="安泰一小区")
    w.k2 = compound_create(actor=leader, community=w.c1, name="安泰二小区")
    w.k3 = compound_create(actor=leader, community=w.c1, name="安泰三小区")
    w.k4 = compound_create(actor=leader, community=w.c1, name="安泰四小区")
    w.k5 = compound_create(actor=leader, community=w.c2, name="新华小区")
    for building, compound in ((w.b1, w.k1), (w.b3, w.k5)):
        building.compound = compound
        building.save(update_fields=["compound"])
    firm = Organization.Kind.PROPERTY_FIRM
    w.firm_a = Organization.objects.create(name="红帆物业", kind=firm, region=w.zone)
    w.firm_b = Organization.objects.create(name="安居物业", kind=firm, region=w.zone)
    w.firm_c = Organization.objects.create(name="新华物业", kind=firm, region=w.zone)
    top = party_org_create(actor=w.zone_leader, kind="zone_working_committee", name="开发区党工委", region=w.zone)
    w.firm_org = party_org_create(actor=w.zone_leader, kind="org_branch", name="红帆物业党支部", parent=top,
                                  organization=w.firm_a)
    w.owner = Person.objects.create(name="业主甲", building=w.b1, region=w.g1)
    return w


@pytest.fixture
def rated_world(property_world):
    """The fixture described in test_indicators.py, recorded through the services."""
    w = property_world
    s = w.community_staff
    services.contract_create(actor=s, compound=w.k1, firm=w.firm_a, kind="owners_hired", start_date=dt.date(2025, 1, 1))
    services.contract_create(actor=s, compound=w.k2, firm=w.firm_b, kind="preliminary", start_date=dt.date(2024, 1, 1),
                             end_date=dt.date(2026, 3, 31))
    k3 = services.contract_create(actor=s, compound=w.k3, firm=w.firm_b, kind="preliminary",
                                  start_date=dt.date(2024, 1, 1))
    services.contract_terminate(actor=s, contract=k3, on=dt.date(2026, 6, 1), reason="企业撤场")
    services.contract_create(actor=s, compound=w.k4, kind="self_managed", start_date=dt.date(2024, 1, 1))
    services.contract_create(actor=w.subdistrict_officer, compound=w.k5, firm=w.firm_c, kind="preliminary",
                             start_date=dt.date(2023, 5, 1))
    services.firm_party_coverage_set(actor=w.subdistrict_officer, firm=w.firm_a, mode="own", party_org=w.firm_org,
                                     start_date=dt.date(2024, 7, 1))
    services.committee_form(actor=s, compound=w.k1, formed_on=dt.date(2025, 3, 1))
    mc = services.committee_form(actor=s, compound=w.k2, formed_on=dt.date(2024, 3, 1), kind="management", term_years=2)
    services.committee_dissolve(actor=s, committee=mc, on=dt.date(2026, 1, 10), reason="业主大会选举产生业委会前过渡结束")
    services.committee_form(actor=w.subdistrict_officer, compound=w.k5, formed_on=dt.date(2026, 9, 1))
    return w
