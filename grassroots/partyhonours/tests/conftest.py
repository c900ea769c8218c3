"""Honours' test world on ``tests.support.party.build_party``: veterans with full-member dates around the medal's
boundary, and party posts.

    安泰一网格党支部 (g1): 老党员甲 full 1976-07-01 (due 2026), 老党员乙 full 1976-07-02 (not yet), 老党员丙
    full 1970-03-01 (due, dies), 老党员丁 full 1975-01-01 (due, leaves), 预备党员 (probationary); secretary sec_g1
    新华一网格党支部 (g3): 老党员戊 full 1960-05-01 (due); secretary sec_g3
    安泰社区党委 (c1): officer_c1 — above g1, not above g3
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from grassroots.core import clock


@pytest.fixture(autouse=True)
def _clock():
    clock.freeze(dt.datetime(2026, 6, 10, 2, 0, tzinfo=dt.UTC))
    yield
    clock.reset()


def _member(org, name, *, admitted, full=None, status="full", birth=dt.date(1950, 1, 1)):
    from grassroots.party.services import membership_add
    from grassroots.people.models import Person

    person = Person.objects.create(name=name, region=org.region, birth_date=birth)
    return membership_add(actor=None, person=person, org=org, status=status, admission_date=admitted,
                          full_member_date=full, start_date=dt.date(2000, 1, 1))


@pytest.fixture
def medal(world):
    from grassroots.core import roles as R
    from grassroots.party.posts import party_post_create
    from tests.support.party import build_party
    from tests.support.world import make_user

    p = build_party(world)
    m = SimpleNamespace(w=world, p=p)
    m.due = _member(p.g1, "老党员甲", admitted=dt.date(1975, 7, 1), full=dt.date(1976, 7, 1))
    m.next_year = _member(p.g1, "老党员乙", admitted=dt.date(1975, 7, 2), full=dt.date(1976, 7, 2))
    m.dies = _member(p.g1, "老党员丙", admitted=dt.date(1969, 3, 1), full=dt.date(1970, 3, 1))
    m.leaves = _member(p.g1, "老党员丁", admitted=dt.date(1974, 1, 1), full=dt.date(1975, 1, 1))
    m.probationary = _member(p.g1, "预备党员", admitted=dt.date(2026, 1, 5), status="probationary",
                             birth=dt.date(1998, 1, 1))
    m.other = _member(p.g3, "老党员戊", admitted=dt.date(1959, 5, 1), full=dt.date(1960, 5, 1))

    def post(username, role, org):
        user = make_user(username)
        party_post_create(actor=world.admin, user=user, role=role, org=org, start_date=dt.date(2020, 1, 1))
        return user

    m.sec_g1 = post("sec_g1", R.Role.PARTY_BRANCH_SECRETARY, p.g1)
    m.sec_g3 = post("sec_g3", R.Role.PARTY_BRANCH_SECRETARY, p.g3)
    m.officer_c1 = post("officer_c1", R.Role.PARTY_COMMITTEE_OFFICER, p.c1)
    return m
