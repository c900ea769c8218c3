"""The village's demo on the small zone: 田庄村's collective with income of 1.5 million yuan this year (its
operating part computed), contracts falling due and overdue, members with household shares, the second tier of
田甜's payout to the fen, disclosures and an alliance."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from grassroots.demo.tests.conftest import demo  # noqa: F401


@pytest.mark.django_db
def test_the_demo_builds_tianzhuangs_collective(demo):  # noqa: F811
    from grassroots.cooperatives import demo as coop_demo
    from grassroots.village import demo as village_demo
    from grassroots.village import selectors, tier
    from grassroots.village.models import Alliance, Collective, Disclosure

    demo.rng = random.Random("7:grassroots.cooperatives")
    coop_demo.build(demo)
    demo.rng = random.Random("7:grassroots.village")
    village_demo.build(demo)
    c = Collective.objects.get(region__name="田庄村")
    year = demo.today.year
    s = selectors.year_statement(c, year)
    assert s.income == Decimal("1500000.00")
    assert Decimal("1000000") < s.operating_income < s.income
    for y in (year - 2, year - 1):
        past = selectors.year_statement(c, y)
        assert past.income > 0 and past.distributed > 0 and past.closing_undistributed > 0
    assert selectors.payments(actor=None, due="soon", today=demo.today).exists()
    assert selectors.payments(actor=None, due="overdue", today=demo.today).exists()
    assert c.members.filter(exited_on__isnull=False).count() == 2
    t = tier.second_tier(c, year - 1)
    assert t.received > 0 and t.total_shares > 0
    assert t.retained + t.collective_share + sum(h["payout"] for h in t.households.values()) == t.received
    assert tier.per_villager_estimate(c, year - 1)["estimate"] is True
    assert Disclosure.objects.filter(collective=c).exists() or demo.today.month <= 3
    assert Alliance.objects.filter(kind="union").exists()
