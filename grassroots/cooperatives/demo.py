"""Demo data for the cooperatives: the article's party-branch-led cooperatives (党支部+合作社+企业+农户), one per
village — 田甜果蔬种植专业合作社 in 田庄村 (27 greenhouses, about 5 million yuan of cumulative income) and a 双收
cooperative in the other village —, each led by its village's party branch, with the village's 股份经济合作社 as the
unit member investing cash, a cold store and the greenhouses, villagers investing money, land-use rights (8,000 yuan
a 亩) and labour valued by all members, a state subsidy quantified equally, transactions booked by real name (member
and non-member business apart), and three years of accounts: 田甜's three distributions went through the trial, the
notice, the members' assembly and the payout; 双收's latest year is on public notice.

Everything is written through the services (the law's limits and the extra-vote cap hold), except the transactions
(bulk) and the notices' dates (moved back to the years they belong to).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from grassroots.notices.models import Notice
from grassroots.party.models import PartyOrg
from grassroots.people.models import Organization, Person

from . import services as S
from .models import Cooperative, Plan, Transaction

# (cooperative name prefix, members, greenhouses, yearly income, margin, founded)
PROFILES = {
    "田甜": dict(members=36, greenhouses=27, income=(Decimal("1480000"), Decimal("1650000"), Decimal("1870000")),
                 margin=Decimal("0.24"), founded=dt.date(2019, 3, 18)),
    "双收": dict(members=22, greenhouses=12, income=(Decimal("240000"), Decimal("310000"), Decimal("380000")),
                 margin=Decimal("0.20"), founded=dt.date(2020, 4, 8)),
}
PRODUCTS = ("西红柿", "甜瓜", "西瓜", "黄瓜", "草莓")


def _persons(ctx, village, n):
    ids = []
    for grid in ctx.grids_by_area.get(village.id, []):
        ids += ctx.person_ids_by_grid.get(grid.id, [])
    people = list(Person.objects.filter(pk__in=ids, active=True, deceased_on__isnull=True,
                                        birth_date__lte=dt.date(ctx.today.year - 20, 1, 1)).order_by("pk")[:n + 1])
    if len(people) < 6:
        return []
    return people


def _backdate_notice(plan, start: dt.datetime, end: dt.datetime) -> None:
    Notice.objects.filter(kind=S.NOTICE_KIND, subject_type=ContentType.objects.get_for_model(Plan),
                          subject_id=plan.pk).update(starts_at=start, ends_at=end)


def _accountant(ctx, org):
    """The cooperative's accountant: the demo account posted to it, or a new one (coop_accountant2 …)."""
    from grassroots.core.roles import Role
    from grassroots.people.models import Post, User

    post = Post.objects.filter(role=Role.COOPERATIVE_ACCOUNTANT, organization=org).select_related("user").first()
    if post is not None:
        return post.user
    n = Post.objects.filter(role=Role.COOPERATIVE_ACCOUNTANT).count() + 1
    user = User.objects.create_user(username=f"coop_accountant{n}", password=ctx.password,
                                    display_name=f"{org.name}会计")
    Post.objects.create(user=user, role=Role.COOPERATIVE_ACCOUNTANT, organization=org, title="会计",
                        start_date=dt.date(ctx.today.year - 4, 1, 1))
    ctx.users.setdefault(Role.COOPERATIVE_ACCOUNTANT, []).append(user)
    return user


def build_cooperative(ctx, village, org, profile) -> Cooperative | None:
    rng = ctx.rng
    people = _persons(ctx, village, profile["members"])
    if not people:
        return None
    A = _accountant(ctx, org)
    tz = ctx.now.tzinfo
    founded = profile["founded"]
    branch = PartyOrg.objects.filter(region=village).order_by("path").first()
    total_income = sum(profile["income"], Decimal("0"))
    coop = S.cooperative_register(actor=None, organization=org, founded_on=founded, leading_branch=branch,
                                  business="设施蔬菜、瓜果种植，采摘体验，预售与电商销售",
                                  greenhouses=profile["greenhouses"],
                                  # 田甜 about 5 million; with 双收 over 6 million (the article)
                                  cumulative_income=(total_income if profile["greenhouses"] > 20
                                                     else total_income + Decimal("300000")),
                                  charter=dict(reserve_rate="0.10", refund_rate="0.60",
                                               reserve_quantified_by="transactions", land_value_per_mu="8000",
                                               labour_valuation="按年度用工天数、每天120元由全体成员评估作价，成员大会决议通过",
                                               extra_votes_rule="出资额或交易额居前的成员享有附加表决权，总数不超过基本表决权的20%"))
    collective, _ = Organization.objects.get_or_create(
        name=f"{village.name}股份经济合作社", kind=Organization.Kind.COOPERATIVE, defaults={"region": village})
    representative, farmers = people[0], people[1:]
    resolution = f"{founded.year}年设立大会决议"
    unit = S.member_join(actor=A, coop=coop, kind="unit", organization=collective, representative=representative,
                         joined_on=founded, founder=True)
    S.contribution_record(actor=A, member=unit, kind="cash", amount="200000", description="村集体资金",
                          contributed_on=founded)
    S.contribution_record(actor=A, member=unit, kind="asset", amount="300000", description="冷库一座",
                          valued_by="全体成员", valuation_method="重置成本评估", resolution=resolution,
                          contributed_on=founded)
    S.contribution_record(actor=A, member=unit, kind="asset", amount=str(12000 * profile["greenhouses"]),
                          description=f"温室大棚{profile['greenhouses']}个", valued_by="全体成员",
                          valuation_method="每个大棚按12000元评估", resolution=resolution, contributed_on=founded)
    members = [unit]
    extra_left, given = (len(farmers) + 1) // 10, 0  # a few extra votes, well under the 20% cap
    for i, person in enumerate(farmers):
        joined = founded if i < 8 else founded + dt.timedelta(days=rng.randint(200, 900))
        extra = int(given < extra_left and i + 2 >= 10 * (given + 1))  # never above a tenth of those on the roll
        given += extra
        m = S.member_join(actor=A, coop=coop, kind="farmer", person=person, joined_on=joined, founder=i < 8,
                          extra_votes=extra)
        members.append(m)
        kind = rng.choice(("land_right", "land_right", "cash", "labour"))
        if kind == "land_right":
            S.contribution_record(actor=A, member=m, kind="land_right", mu=str(rng.randint(2, 20)),
                                  description="承包地经营权", contributed_on=joined)
        elif kind == "cash":
            S.contribution_record(actor=A, member=m, kind="cash", amount=str(rng.randint(5, 50) * 1000),
                                  contributed_on=joined)
        else:
            days = rng.randint(60, 200)
            S.contribution_record(actor=A, member=m, kind="other_by_charter", amount=str(days * 120),
                                  description=f"大棚管护劳务{days}天", valued_by="全体成员",
                                  resolution=f"{joined.year}年成员大会决议", contributed_on=joined)
        if rng.random() < 0.3:
            S.contribution_record(actor=A, member=m, kind="cash", amount=str(rng.randint(2, 20) * 1000),
                                  contributed_on=joined + dt.timedelta(days=30))
    first_year = ctx.today.year - 3
    S.subsidy_record(actor=A, coop=coop, name="设施农业项目财政补助", amount="100000",
                     received_on=dt.date(first_year, 4, 15))
    farmers_m = members[1:]
    for k, income in enumerate(profile["income"]):
        year = first_year + k
        rows = []
        member_share = income * Decimal("0.8")
        active = [m for m in farmers_m if m.joined_on <= dt.date(year, 6, 30)]
        weights = [rng.randint(1, 10) for _ in active]
        for m, wgt in zip(active, weights, strict=True):
            amount = (member_share * wgt / sum(weights)).quantize(Decimal("0.01"))
            parts = rng.randint(2, 5)
            for _ in range(parts):
                value = (amount / parts).quantize(Decimal("0.01"))
                if value > 0:
                    rows.append(Transaction(cooperative=coop, member=m, real_name=m.person.name,
                                            occurred_on=dt.date(year, rng.randint(3, 11), rng.randint(1, 28)),
                                            product=rng.choice(PRODUCTS), amount=value))
        for _ in range(6):  # non-member business: pickers and wholesalers, by real name
            rows.append(Transaction(cooperative=coop, member=None, real_name=rng.choice(
                ("东营果蔬批发市场", "胜利超市", "节假日采摘游客（团购）", "鲁北生鲜电商")),
                occurred_on=dt.date(year, rng.randint(4, 10), rng.randint(1, 28)), product=rng.choice(PRODUCTS),
                amount=(income * Decimal("0.2") / 6).quantize(Decimal("0.01"))))
        Transaction.objects.bulk_create(rows, batch_size=2000)
        surplus = (income * profile["margin"]).quantize(Decimal("0.01"))
        plan = S.plan_trial(actor=A, coop=coop, year=year, surplus=surplus, income=income,
                            loss_to_cover="20000" if k == 0 else "0")
        plan = S.plan_publish(actor=A, plan=plan, working_days=7)
        last = k == len(profile["income"]) - 1
        if last and profile["greenhouses"] < 20:
            continue  # 双收's latest plan stays on public notice
        start = dt.datetime(year + 1, 2, 1, 9, tzinfo=tz)
        _backdate_notice(plan, start, start + dt.timedelta(days=10))
        ids = [m.pk for m in members if m.joined_on <= dt.date(year + 1, 3, 1)]
        present = ids[: max(len(ids) * 5 // 6, (2 * len(ids) + 2) // 3)]
        plan = S.plan_decide(actor=A, plan=plan, held_on=dt.date(year + 1, 3, 1), present=present,
                             yes=present[: len(present) - 2], note="成员大会审议通过年度盈余分配方案")
        if plan.status == Plan.Status.APPROVED:
            S.plan_pay(actor=A, plan=plan, paid_on=dt.date(year + 1, 3, 20))
    return coop


def build(ctx) -> None:
    built = 0
    for village in ctx.villages:
        org = Organization.objects.filter(kind=Organization.Kind.COOPERATIVE, region=village,
                                          cooperative__isnull=True).exclude(name__endswith="股份经济合作社").first()
        if org is None:
            continue
        profile = PROFILES["田甜" if "田甜" in org.name else "双收"]
        if build_cooperative(ctx, village, org, profile) is not None:
            built += 1
    ctx.stats.update(cooperatives=built, coop_members=sum(c.members.count() for c in Cooperative.objects.all()))
