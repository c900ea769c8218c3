"""Organisational life on top of ``tests.support.party.build_party``: members, party posts and accounts.

    安泰一网格党支部 (g1): 8 full members + 2 probationary, secretary ``sec_g1`` (a member), member account ``member_g1``
    新华一网格党支部 (g3): 3 full members, secretary ``sec_g3``
    安泰社区党委 (c1): committee officer ``officer_c1``; 东城街道党工委 (s1): officer ``officer_s1``
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace


def build_life(w, p) -> SimpleNamespace:
    from grassroots.core import roles as R
    from grassroots.party.posts import party_post_create
    from grassroots.partylife.policy import ensure_defaults
    from tests.support.party import add_members
    from tests.support.world import make_user

    ensure_defaults()
    life = SimpleNamespace(w=w, p=p)
    life.g1_full = add_members(p.g1, 8, prefix="安泰党员")
    life.g1_prob = add_members(p.g1, 2, status="probationary", prefix="安泰预备")
    life.g3_full = add_members(p.g3, 3, prefix="新华党员")
    start = dt.date(2020, 1, 1)
    from grassroots.party.models import Membership

    Membership.objects.filter(active=True).update(start_date=start)  # members of their branch for years

    def post(username, role, org, person=None):
        user = make_user(username, person=person)
        party_post_create(actor=w.admin, user=user, role=role, org=org, start_date=start)
        return user

    life.sec_g1 = post("sec_g1", R.Role.PARTY_BRANCH_SECRETARY, p.g1, person=life.g1_full[0].person)
    life.sec_g3 = post("sec_g3", R.Role.PARTY_BRANCH_SECRETARY, p.g3)
    life.officer_c1 = post("officer_c1", R.Role.PARTY_COMMITTEE_OFFICER, p.c1)
    life.officer_s1 = post("officer_s1", R.Role.PARTY_COMMITTEE_OFFICER, p.s1)
    life.member_g1 = make_user("member_g1", person=life.g1_full[1].person)
    life.prob_g1 = make_user("prob_g1", person=life.g1_prob[0].person)
    return life
