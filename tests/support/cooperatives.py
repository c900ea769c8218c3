"""A cooperative with the reference's worked example (domain rules § 1): 田甜合作社 in 安泰社区, its accountant,
board member and supervisor, the village collective as a unit member (M1) and four farmers (M2–M5) with their
contributions, a 100,000 subsidy quantified equally and the 2025 transactions. Used by the cooperatives' tests and
by apps that read cooperatives (the village collective)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.support.world import make_user

YEAR = 2025


def build_coop_world(w):
    from grassroots.cooperatives import services as S
    from grassroots.people.models import Organization, Person

    on = dt.date(YEAR, 1, 10)
    w.coop_org = Organization.objects.create(name="田甜合作社", kind=Organization.Kind.COOPERATIVE, region=w.c1)
    w.collective = Organization.objects.create(name="田庄村股份经济合作社", kind=Organization.Kind.COOPERATIVE,
                                               region=w.c1)
    w.other_coop_org = Organization.objects.create(name="双收合作社", kind=Organization.Kind.COOPERATIVE, region=w.c3)
    w.accountant = make_user("coop_accountant", role="cooperative_accountant", organization=w.coop_org)
    w.board_member = make_user("coop_board", role="cooperative_board_member", organization=w.coop_org)
    w.supervisor = make_user("coop_supervisor", role="cooperative_supervisor", organization=w.coop_org)
    w.other_accountant = make_user("coop_accountant2", role="cooperative_accountant", organization=w.other_coop_org)
    w.coop = S.cooperative_register(actor=w.community_staff, organization=w.coop_org, founded_on=dt.date(2019, 3, 1),
                                    business="设施蔬菜、甜瓜种植与采摘", greenhouses=27,
                                    cumulative_income=Decimal("5000000"))
    w.other_coop = S.cooperative_register(actor=w.other_staff, organization=w.other_coop_org,
                                          founded_on=dt.date(2020, 3, 1))
    names = ["马代表", "王大棚", "李甜瓜", "赵西红", "孙劳务", "周新社"]
    w.coop_people = [Person.objects.create(name=n, building=w.b1, region=w.g1, birth_date=dt.date(1970 + i, 2, 1))
                     for i, n in enumerate(names)]
    rep, p2, p3, p4, p5, _ = w.coop_people
    w.member_user = make_user("coop_member2", person=p2)
    w.member_user3 = make_user("coop_member3", person=p3)
    A = w.accountant
    w.m1 = S.member_join(actor=A, coop=w.coop, kind="unit", organization=w.collective, representative=rep,
                         joined_on=on, founder=True)
    w.m2, w.m3, w.m4, w.m5 = [S.member_join(actor=A, coop=w.coop, kind="farmer", person=p, joined_on=on, founder=True)
                              for p in (p2, p3, p4, p5)]
    S.contribution_record(actor=A, member=w.m1, kind="cash", amount="200000", contributed_on=on)
    S.contribution_record(actor=A, member=w.m1, kind="asset", amount="300000", description="冷库一座",
                          valued_by="全体成员", valuation_method="评估作价", resolution="2025年设立大会决议",
                          contributed_on=on)
    S.contribution_record(actor=A, member=w.m2, kind="land_right", mu="20", contributed_on=on)
    S.contribution_record(actor=A, member=w.m3, kind="cash", amount="50000", contributed_on=on)
    S.contribution_record(actor=A, member=w.m4, kind="land_right", mu="10", contributed_on=on)
    S.contribution_record(actor=A, member=w.m4, kind="cash", amount="20000", contributed_on=on)
    S.contribution_record(actor=A, member=w.m5, kind="other_by_charter", amount="40000", description="大棚管护劳务",
                          valued_by="全体成员", resolution="2025年设立大会决议", contributed_on=on)
    S.subsidy_record(actor=A, coop=w.coop, name="设施农业补助", amount="100000", received_on=dt.date(YEAR, 3, 1))
    for m, amount in ((w.m2, "600000"), (w.m3, "150000"), (w.m4, "300000"), (w.m5, "100000")):
        S.transaction_record(actor=A, coop=w.coop, member=m, amount=amount, occurred_on=dt.date(YEAR, 6, 1),
                             product="西红柿")
    S.transaction_record(actor=A, coop=w.coop, member=w.m5, amount="50000", occurred_on=dt.date(YEAR, 9, 1),
                         product="甜瓜")
    S.transaction_record(actor=A, coop=w.coop, real_name="东营果蔬批发商", amount="99000",
                         occurred_on=dt.date(YEAR, 7, 1), product="西红柿")  # non-member business
    return w


@pytest.fixture
def coop_world(world, frozen_now):
    return build_coop_world(world)
