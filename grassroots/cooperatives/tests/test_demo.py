"""The cooperatives' demo on the small zone: the article's 田甜 (27 greenhouses, about 5 million yuan of income)
led by 田庄村's branch, members of every kind of contribution, three years of accounts and distributions whose parts
add up, the register within the law's limits."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.db.models import Sum

from grassroots.demo.tests.conftest import demo  # noqa: F401


@pytest.mark.django_db
def test_the_demo_builds_the_articles_cooperatives_with_three_years_of_distributions(demo):  # noqa: F811
    from grassroots.cooperatives import demo as coop_demo
    from grassroots.cooperatives import services as S
    from grassroots.cooperatives.models import Contribution, Cooperative, Plan, PlanLine

    demo.rng = random.Random("7:grassroots.cooperatives")
    coop_demo.build(demo)
    tiantian = Cooperative.objects.get(organization__name__contains="田甜")
    assert tiantian.greenhouses == 27 and tiantian.leading_branch.name.startswith("田庄村")
    assert Decimal("4500000") <= tiantian.cumulative_income <= Decimal("6000000")
    kinds = set(Contribution.objects.filter(member__cooperative=tiantian).values_list("kind", flat=True))
    assert {"cash", "land_right", "asset", "other_by_charter"} <= kinds
    assert tiantian.members.filter(kind="unit", organization__name__endswith="股份经济合作社").exists()
    assert S.limit_problems(S.register_counts(tiantian)) == []
    plans = Plan.objects.filter(cooperative=tiantian).order_by("year")
    assert [p.status for p in plans] == ["paid", "paid", "paid"]
    for plan in Plan.objects.all():
        totals = PlanLine.objects.filter(plan=plan).aggregate(c=Sum("cash"), r=Sum("reserve_share_added"))
        assert totals["c"] == plan.distributable and totals["r"] == plan.reserve
    assert Plan.objects.filter(status="noticed").exists() or Cooperative.objects.count() == 1
