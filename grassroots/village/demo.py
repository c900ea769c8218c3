"""Demo data for the village collective: the collective of each village (田庄村股份经济合作社 beside 田甜 in the
article) registered on its village, its members confirmed by the members' assembly after the 农村集体经济组织法 came
into force (one 成员股 each, certified per household; two exits with their reasons), leases of land, greenhouses
and a building with yearly rents (one falling due within the reminder window, one overdue, the rest paid and booked),
three years of booked entries whose current year's income is 1.5 million yuan as the article expects (the operating
part about 1.3 million; the investment income is what the cooperative actually paid the collective), year-end
distributions of the past years, the past quarters of the current year published, and one alliance (the 联合社 of the
villages' cooperatives) plus a 村企联建 link with a park enterprise. The second tier (田甜's payout to the collective
split over the households' shares) is computed from these rows, never stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from grassroots.cooperatives.selectors import unit_member_payouts
from grassroots.core import events
from grassroots.people.models import Organization, Person

from . import services as S
from .models import Collective, Entry, Payment, VillageMember

# Income of the year (yuan) for the 田甜 village, two years ago → this year; the other village about a quarter.
INCOME = (Decimal("1180000"), Decimal("1320000"), Decimal("1500000"))
SUBSIDY_SHARE, OTHER_SHARE = Decimal("0.10"), Decimal("0.02")
CONFIRMED_ON = dt.date(2025, 6, 20)
RESOLUTION = "2025年第1次成员大会决议（依据《农村集体经济组织法》）"
BASIS = "户籍在本村，依法享有土地承包经营权，以本集体土地为基本生活保障"


def _anniversary(day: dt.date, year: int) -> dt.date:
    return dt.date(year, day.month, min(day.day, 28))


def _villagers(ctx, village):
    ids = []
    for grid in ctx.grids_by_area.get(village.id, []):
        ids += ctx.person_ids_by_grid.get(grid.id, [])
    return Person.objects.filter(pk__in=ids, active=True, deceased_on__isnull=True, household__isnull=False)


def build_collective(ctx, village, scale: Decimal) -> Collective | None:
    org = Organization.objects.filter(name=f"{village.name}股份经济合作社").first()
    if org is None:
        org = Organization.objects.create(name=f"{village.name}股份经济合作社", kind=Organization.Kind.COOPERATIVE,
                                          region=village)
    people = list(_villagers(ctx, village).order_by("household_id", "pk"))
    c = S.collective_register(actor=None, region=village, organization=org, retained_rate="0.30",
                              collective_share_rate="0", villagers=len(people))
    # members: one share each, confirmed together by the assembly (bulk; one audit row for the resolution)
    on = min(CONFIRMED_ON, ctx.today)
    VillageMember.objects.bulk_create([
        VillageMember(collective=c, person=p, household_id=p.household_id, confirmed_on=on, basis=BASIS,
                      resolution=RESOLUTION, shares=1) for p in people], batch_size=2000)
    events.record(None, "village.member_confirm", c, payload={"members": len(people), "resolution": RESOLUTION})
    for m, reason in zip(VillageMember.objects.filter(collective=c).order_by("-pk")[:2],
                         ("户籍迁出本村（升学落户）", "取得其他集体经济组织成员身份（婚出）"), strict=False):
        S.member_exit(actor=None, member=m, exited_on=min(on + dt.timedelta(days=200), ctx.today), reason=reason)
    today, year0 = ctx.today, ctx.today.year - 2
    # leases: yearly rents; the first falls due within the reminder window, the second's this year is overdue
    leases = [
        ("东营绿源农业发展有限公司", "land", "村北耕地", Decimal("300"), Decimal("240000"), today + dt.timedelta(days=20)),
        ("鲁北设施蔬菜公司", "land", "村南设施农业用地", Decimal("150"), Decimal("120000"), today - dt.timedelta(days=40)),
        ("田甜果蔬种植专业合作社", "other", "集体温室大棚（租赁部分）", None, Decimal("90000"),
         dt.date(today.year, 3, 31)),
        ("东营乡村物流服务站", "building", "村委会东侧仓储用房", Decimal("600"), Decimal("36000"),
         dt.date(today.year, 1, 15)),
    ]
    for counterparty, kind, obj, area, rent, due in leases:
        rent = (rent * scale).quantize(Decimal("0.01"))
        k = S.contract_create(actor=None, collective=c, counterparty=counterparty, object_kind=kind, object=obj,
                              area=area, area_unit="亩" if kind == "land" else "平方米", annual_rent=rent,
                              starts_on=dt.date(year0, 1, 1), ends_on=dt.date(year0 + 6, 12, 31),
                              schedule=[(_anniversary(due, y), rent) for y in range(year0, year0 + 7)])
        for p in Payment.objects.filter(contract=k, due_on__lt=today).order_by("due_on"):
            if p.due_on.year == today.year and due < today and counterparty == leases[1][0]:
                continue  # this year's rent is overdue
            S.payment_record(actor=None, payment=p, paid_on=p.due_on)
    # three years of entries: the income lines make up the year's income; the last year up to today
    for k, target in enumerate(INCOME):
        year = year0 + k
        target = (target * scale).quantize(Decimal("0.01"))
        last = year == today.year
        months = list(range(1, (today.month if last else 13)))
        if not months:
            months = [1]
        contracting = sum(Entry.objects.filter(collective=c, booked_on__year=year, category="contracting")
                          .values_list("amount", flat=True), Decimal("0"))
        investment = sum((p["cash"] for p in unit_member_payouts(organization=org, year=year - 1)), Decimal("0"))
        subsidy = (target * SUBSIDY_SHARE).quantize(Decimal("0.01"))
        other = (target * OTHER_SHARE).quantize(Decimal("0.01"))
        operating = target - contracting - investment - subsidy - other
        day = min(10, today.day) if last else 10

        def book(category, amount, month, note, year=year, day=day):
            if amount > 0:
                S.entry_book(actor=None, collective=c, booked_on=dt.date(year, month, day), category=category,
                             amount=amount, note=note)

        if investment:
            book("investment", investment, 3 if 3 in months or not last else months[-1], "合作社盈余分配（单位成员）")
        book("subsidy", subsidy, months[len(months) // 2], "村级集体经济发展扶持资金")
        book("other_income", other, months[-1], "利息及其他")
        per_month = (operating / len(months)).quantize(Decimal("0.01"))
        for i, month in enumerate(months):
            amount = per_month if i < len(months) - 1 else operating - per_month * (len(months) - 1)
            book("operating", amount, month, "集体冷库、农机服务与采摘园经营")
        costs = (("operating_cost", operating * Decimal("0.40"), "经营成本"),
                 ("admin_cost", target * Decimal("0.06"), "办公、水电及人员报酬"),
                 ("other_cost", target * Decimal("0.01"), "其他支出"))
        for category, amount, note in costs:
            book(category, amount.quantize(Decimal("0.01")), months[-1], note)
        if not last:  # the year-end distribution of a closed year
            result = target - sum((a for _, a, _ in costs), Decimal("0"))
            for category, share, note in (("reserve", "0.30", "提取公积公益金"), ("welfare", "0.05", "应付福利费"),
                                          ("member_distribution", "0.40", "按成员股分配")):
                book(category, (result * Decimal(share)).quantize(Decimal("0.01")), 12, note)
    # the ended quarters of this year are published
    for q in range(1, 5):
        period = f"{today.year}Q{q}"
        if S.period_bounds(period)[1] < today:
            S.disclosure_publish(actor=None, collective=c, period=period)
    return c


def build(ctx) -> None:
    built = []
    for i, village in enumerate(ctx.villages):
        c = build_collective(ctx, village, Decimal("1") if i == 0 else Decimal("0.25"))
        if c is not None:
            built.append(c)
    if built:
        coops = list(Organization.objects.filter(cooperative__isnull=False).exclude(
            name__endswith="股份经济合作社").order_by("pk"))
        S.alliance_create(actor=None, name="开发区果蔬合作社联合社", kind="union", collectives=built,
                          organizations=coops, formed_on=min(ctx.today, dt.date(ctx.today.year - 1, 5, 1)),
                          purpose="统一品牌、统一标准、统一销售，共建冷链与电商渠道")
        if ctx.enterprises:
            S.alliance_create(actor=None, name=f"{built[0].region.name}村企联建", kind="village_enterprise",
                              collectives=built[:1], organizations=ctx.enterprises[:1],
                              formed_on=min(ctx.today, dt.date(ctx.today.year - 1, 9, 1)),
                              purpose="企业吸纳村民就业，共建采摘园与职工食堂直供")
    ctx.stats.update(village_collectives=len(built),
                     village_members=VillageMember.objects.filter(exited_on__isnull=True).count())
