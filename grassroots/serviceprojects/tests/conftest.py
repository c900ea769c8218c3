import datetime as dt
from types import SimpleNamespace

import pytest


@pytest.fixture
def party(world):
    from tests.support.party import build_party

    return build_party(world)


@pytest.fixture
def sp(world, party, frozen_now):
    """g1's secretary keeps the projects; the 安泰 committee's officer oversees; g4's secretary is outside."""
    from grassroots.core import roles as R
    from grassroots.party.posts import party_post_create
    from tests.support.world import make_user

    ns = SimpleNamespace(w=world, p=party)

    def post(username, role, org):
        user = make_user(username)
        party_post_create(actor=world.admin, user=user, role=role, org=org, start_date=dt.date(2020, 1, 1))
        return user

    ns.secretary = post("sp_sec_g1", R.Role.PARTY_BRANCH_SECRETARY, party.g1)
    ns.officer = post("sp_officer_c1", R.Role.PARTY_COMMITTEE_OFFICER, party.c1)
    ns.stranger = post("sp_sec_g4", R.Role.PARTY_BRANCH_SECRETARY, party.g4)
    return ns


def project(ns, **kw):
    from grassroots.core import clock
    from grassroots.serviceprojects import services

    today = clock.today()
    values = dict(actor=ns.secretary, org=ns.p.g1, title="楼道照明维修", source="grid_visit", owner="张伟",
                  start=today - dt.timedelta(days=10), due=today + dt.timedelta(days=5))
    values.update(kw)
    return services.project_create(**values)
