"""A village collective for the village app's tests: 田庄村 (a village under the first subdistrict), its collective
(田庄村股份经济合作社, the unit member M1 of 田甜合作社 in the cooperatives' world), staff posted on the village,
three households with confirmed members and shares, a resident with an account, a lease with its schedule and a
year of booked entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.support.world import make_user

YEAR = 2025


def build_village_world(w):
    from grassroots.people.models import Household, Person
    from grassroots.territory.models import Level
    from grassroots.territory.services import region_create
    from grassroots.village import services as S

    w.village = region_create(actor=None, level=Level.VILLAGE, name="田庄村", parent=w.s1)
    w.other_village = region_create(actor=None, level=Level.VILLAGE, name="李庄村", parent=w.s2)
    w.village_grid = region_create(actor=None, level=Level.GRID, name="田庄一网格", parent=w.village)
    w.village_staff = make_user("village_staff", role="community_staff", region=w.village)
    w.other_village_staff = make_user("village_staff2", role="community_staff", region=w.other_village)
    w.vcollective = S.collective_register(actor=w.village_staff, region=w.village, organization=w.collective,
                                          retained_rate="0.30", collective_share_rate="0.20", villagers=1000)
    from grassroots.people.models import Organization

    w.other_collective_org = Organization.objects.create(name="李庄村股份经济合作社",
                                                         kind=Organization.Kind.COOPERATIVE, region=w.c3)
    w.other_vcollective = S.collective_register(actor=w.other_village_staff, region=w.other_village,
                                                organization=w.other_collective_org)
    w.households = [Household.objects.create(building=w.b1, room=f"田庄{i}") for i in (1, 2, 3)]
    names = [("田大伯", 0), ("田大妈", 0), ("田小明", 0), ("田小红", 0), ("张二叔", 1), ("张二婶", 1), ("刘三", 2)]
    w.villagers = [Person.objects.create(name=n, household=w.households[h], region=w.village_grid,
                                         birth_date=dt.date(1960 + i, 1, 1)) for i, (n, h) in enumerate(names)]
    w.villager_user = make_user("villager", person=w.villagers[0])
    w.outsider_user = make_user("outsider", person=w.coop_people[5])
    on = dt.date(2024, 6, 1)
    w.vmembers = [S.member_confirm(actor=w.village_staff, collective=w.vcollective, person=p, confirmed_on=on,
                                   basis="户籍在本村并承包集体土地", resolution="2024年第1次成员大会决议")
                  for p in w.villagers]
    S.entry_book(actor=w.village_staff, collective=w.vcollective, booked_on=dt.date(YEAR, 3, 1),
                 category="operating", amount="600000")
    w.lease = S.contract_create(
        actor=w.village_staff, collective=w.vcollective, counterparty="东营绿源农业公司", object_kind="land",
        object="村北耕地", area=Decimal("120"), annual_rent="96000", starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        schedule=[(dt.date(y, 12, 15), "96000") for y in range(2024, 2029)])
    return w


@pytest.fixture
def village_world(coop_world):
    return build_village_world(coop_world)
