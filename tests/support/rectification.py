"""The rectification ledger of the test world: items of three owners, used by the ledger's tests and by the signed
links' tests (the ledger's notice is the first link purpose)."""

import datetime as dt

import pytest

from grassroots.people.models import Organization
from grassroots.rectification import services

D = dt.date(2026, 11, 2)


@pytest.fixture
def ledger_world(world, frozen_now):
    """Items of three owners: the city department (zone), 安泰社区居委会 (C1's own office), the enterprise (E1)."""
    w = world
    w.org_c1 = Organization.objects.create(name="安泰社区居委会", kind=Organization.Kind.RESIDENTS_COMMITTEE,
                                           region=w.c1)
    w.dept_item = services.item_create(actor=w.zone_leader, title="占道经营整治不到位", source="inspection",
                                       owner=w.dept_city, deadline=dt.date(2026, 11, 30), raised_on=D,
                                       requirement="一个月内完成整治")
    w.c1_item = services.item_create(actor=w.subdistrict_officer, title="楼道堆物", source="mass_opinion",
                                     owner=w.org_c1, responsible=w.person1, deadline=dt.date(2026, 11, 26),
                                     raised_on=D)
    w.firm_item = services.item_create(actor=w.zone_leader, title="安全培训台账缺失", source="audit",
                                       owner=w.enterprise, deadline=dt.date(2026, 12, 31), raised_on=D)
    return w
