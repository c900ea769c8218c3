import datetime as dt
from decimal import Decimal

import pytest

from grassroots.cooperatives import services as CS
from grassroots.core import clock
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.models import Notification, PolicySetting
from grassroots.village import selectors, tier
from grassroots.village import services as S
from grassroots.village.models import Payment, VillageMember
from grassroots.village.statement import build

pytestmark = pytest.mark.django_db
YEAR = 2025


def D(x):
    return Decimal(x)


def test_the_statement_arithmetic_in_the_official_shape():
    s = build(2025, {"operating": D("600000"), "contracting": D("400000"), "investment": D("300000"),
                     "subsidy": D("150000"), "other_income": D("50000"), "operating_cost": D("500000"),
                     "admin_cost": D("200000"), "other_cost": D("100000"), "reserve": D("200000"),
                     "welfare": D("50000"), "member_distribution": D("300000"), "other_distribution": D("10000")},
              opening_undistributed=D("12345.67"))
    assert s.income == D("1500000.00") and s.operating_income == D("1300000.00")
    assert s.costs == D("800000.00") and s.year_result == D("700000.00")
    assert s.distributable == D("712345.67") and s.distributed == D("560000.00")
    assert s.closing_undistributed == D("152345.67")


def test_the_statement_is_computed_from_booked_entries_and_carries_the_undistributed(village_world):
    w = village_world
    c = w.vcollective
    for cat, amount, year in (("operating", "100000", 2024), ("admin_cost", "40000", 2024),
                              ("member_distribution", "10000", 2024), ("subsidy", "50000", YEAR),
                              ("operating_cost", "200000.50", YEAR)):
        S.entry_book(actor=w.village_staff, collective=c, booked_on=dt.date(year, 5, 1), category=cat, amount=amount)
    s = selectors.year_statement(c, YEAR)
    assert s.opening_undistributed == D("50000.00")
    assert s.income == D("650000.00") and s.operating_income == D("600000.00")
    assert s.year_result == D("449999.50") and s.closing_undistributed == D("499999.50")


def test_entries_are_refused_with_clear_errors(village_world):
    w = village_world
    c = w.vcollective
    with pytest.raises(NotPermitted):
        S.entry_book(actor=w.other_village_staff, collective=c, booked_on=dt.date(YEAR, 1, 1), category="operating",
                     amount="1")
    for bad in ("0", "-5", "1.001", "abc"):
        with pytest.raises(ValidationFailed) as err:
            S.entry_book(actor=w.village_staff, collective=c, booked_on=dt.date(YEAR, 1, 1), category="operating",
                         amount=bad)
        assert err.value.field == "amount"
    with pytest.raises(ValidationFailed):
        S.entry_book(actor=w.village_staff, collective=c, booked_on=dt.date(YEAR, 1, 1), category="x", amount="1")
    with pytest.raises(ValidationFailed):
        S.entry_book(actor=w.village_staff, collective=c, booked_on=clock.today() + dt.timedelta(days=1),
                     category="operating", amount="1")


def test_a_published_period_is_locked(village_world):
    w = village_world
    d = S.disclosure_publish(actor=w.village_staff, collective=w.vcollective, period="2025Q1")
    assert d.snapshot["period"]["lines"]["operating"] == "600000.00"
    assert [x["counterparty"] for x in d.snapshot["contracts"]] == ["东营绿源农业公司"]  # running in the period
    with pytest.raises(Conflict):
        S.disclosure_publish(actor=w.village_staff, collective=w.vcollective, period="2025Q1")
    with pytest.raises(Conflict):
        S.entry_book(actor=w.village_staff, collective=w.vcollective, booked_on=dt.date(YEAR, 2, 1),
                     category="operating", amount="1")
    with pytest.raises(ValidationFailed):  # not yet over
        S.disclosure_publish(actor=w.village_staff, collective=w.vcollective, period="2026Q4")
    with pytest.raises(ValidationFailed):
        S.disclosure_publish(actor=w.village_staff, collective=w.vcollective, period="2025Q5")
    assert S.period_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert S.period_bounds("2025Q4") == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))


def test_reminders_fall_before_the_due_date_by_the_policy_days(village_world):
    w = village_world
    today = clock.today()  # 2026-11-25; the 2026 payment falls due 2026-12-15 (20 days)
    clock.freeze(clock.now() - dt.timedelta(days=30))  # 2026-10-26: 50 days before, outside 30
    assert S.remind_due() == 0
    clock.freeze(clock.now() + dt.timedelta(days=30))
    assert S.remind_due() == 1
    n = Notification.objects.filter(recipient=w.village_staff, verb="village.rent_due")
    assert n.count() == 1 and "东营绿源农业公司" in n.get().title
    assert S.remind_due() == 0  # once only
    assert Notification.objects.filter(recipient=w.other_village_staff).count() == 0
    PolicySetting.objects.create(key="village_rent_reminder_days", value=10)
    assert selectors.payments(actor=w.village_staff, due="soon", today=today).count() == 0
    # overdue: 2024 and 2025 payments unpaid
    overdue = selectors.payments(actor=w.village_staff, due="overdue", today=today)
    assert [p.due_on.year for p in overdue] == [2024, 2025]
    assert selectors.payments(actor=w.other_village_staff, due="overdue", today=today).count() == 0
    S.payment_record(actor=w.village_staff, payment=overdue[0], paid_on=dt.date(2024, 12, 20))
    with pytest.raises(Conflict):
        S.payment_record(actor=w.village_staff, payment=Payment.objects.get(pk=overdue[0].pk),
                         paid_on=dt.date(2024, 12, 20))
    assert selectors.year_statement(w.vcollective, 2024).lines["contracting"] == D("96000.00")


def test_contract_refusals(village_world):
    w = village_world
    kw = dict(collective=w.vcollective, counterparty="x", object_kind="building", object="村办公楼一层",
              annual_rent="1000", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31))
    with pytest.raises(ValidationFailed):
        S.contract_create(actor=w.village_staff, schedule=[], **kw)
    with pytest.raises(ValidationFailed):
        S.contract_create(actor=w.village_staff, schedule=[(dt.date(2026, 1, 1), "1000")], **kw)
    with pytest.raises(NotPermitted):
        S.contract_create(actor=w.other_village_staff, schedule=[(dt.date(2025, 6, 1), "1000")], **kw)


def test_member_confirmation_and_exit_rules(village_world):
    w = village_world
    c, p = w.vcollective, w.villagers[0]
    with pytest.raises(Conflict):  # already a member
        S.member_confirm(actor=w.village_staff, collective=c, person=p, confirmed_on=dt.date(2025, 6, 1),
                         basis="户籍", resolution="决议")
    newcomer = w.coop_people[5]
    with pytest.raises(ValidationFailed):  # no household
        S.member_confirm(actor=w.village_staff, collective=c, person=newcomer, confirmed_on=dt.date(2025, 6, 1),
                         basis="户籍", resolution="决议")
    newcomer.household = w.households[2]
    newcomer.save()
    for basis, resolution in (("", "决议"), ("户籍", " ")):
        with pytest.raises(ValidationFailed):
            S.member_confirm(actor=w.village_staff, collective=c, person=newcomer, confirmed_on=dt.date(2025, 6, 1),
                             basis=basis, resolution=resolution)
    m = w.vmembers[6]
    with pytest.raises(ValidationFailed):
        S.member_exit(actor=w.village_staff, member=m, exited_on=dt.date(2025, 6, 1), reason="")
    with pytest.raises(ValidationFailed):
        S.member_exit(actor=w.village_staff, member=m, exited_on=dt.date(2020, 6, 1), reason="迁出")
    S.member_exit(actor=w.village_staff, member=m, exited_on=dt.date(2025, 6, 1), reason="户籍迁出本村")
    with pytest.raises(Conflict):
        S.member_exit(actor=w.village_staff, member=m, exited_on=dt.date(2025, 6, 2), reason="x")
    again = S.member_confirm(actor=w.village_staff, collective=c, person=w.villagers[6],
                             confirmed_on=dt.date(2026, 1, 5), basis="户籍迁回", resolution="2026年成员大会决议")
    assert VillageMember.objects.filter(person=w.villagers[6]).count() == 2 and again.exited_on is None
    assert selectors.household_shares(c, dt.date(2025, 12, 31)) == {w.households[0].pk: 4, w.households[1].pk: 2}
    assert selectors.household_shares(c)[w.households[2].pk] == 1


def test_the_worked_example_second_tier_to_the_fen():
    retained, cshare, rest, parts = tier.work(D("94585.26"), D("0.30"), D("0.20"), {1: 4, 2: 996})
    assert (retained, cshare, rest) == (D("28375.58"), D("13241.94"), D("52967.74"))
    assert parts == {1: D("211.87"), 2: D("52755.87")}
    assert retained + cshare + sum(parts.values()) == D("94585.26")


@pytest.mark.parametrize("received,shares", [("0.07", {1: 1, 2: 1, 3: 1}), ("1000.01", {5: 3, 2: 7, 9: 11}),
                                             ("94585.26", {i: (i % 5) + 1 for i in range(1, 300)}),
                                             ("5", {})])
def test_the_second_tier_adds_up_exactly(received, shares):
    retained, cshare, rest, parts = tier.work(D(received), D("0.30"), D("0.20"), shares)
    assert retained + cshare + sum(parts.values(), D(0)) == D(received)
    assert rest == sum(parts.values(), D(0))


def test_the_second_tier_reads_the_cooperatives_payout(village_world):
    w = village_world
    plan = CS.plan_trial(actor=w.accountant, coop=w.coop, year=YEAR, surplus="500000", loss_to_cover="20000")
    plan = CS.plan_publish(actor=w.accountant, plan=plan)
    clock.freeze(clock.now() + dt.timedelta(days=20))
    everyone = [m.pk for m in (w.m1, w.m2, w.m3, w.m4, w.m5)]
    plan = CS.plan_decide(actor=w.accountant, plan=plan, present=everyone, yes=everyone)
    CS.plan_pay(actor=w.accountant, plan=plan, paid_on=dt.date(2026, 12, 14))
    t = tier.second_tier(w.vcollective, YEAR)
    assert t.received == D("94585.26") and t.retained == D("28375.58") and t.collective_share == D("13241.94")
    assert t.total_shares == 7 and t.to_households == D("52967.74")
    payouts = {h: v["payout"] for h, v in t.households.items()}
    assert payouts[w.households[0].pk] == D("30267.28")  # 4 of 7 shares: 30267.2800
    assert sum(payouts.values()) == D("52967.74")
    est = tier.per_villager_estimate(w.vcollective, YEAR)
    assert est["estimate"] is True and est["villagers"] == 1000 and est["per_villager"] == D("52.97")


def test_the_reminder_command_and_task_and_the_workbench_tallies_match_their_lists(village_world, client):
    import json as _json
    from io import StringIO

    from django.core.management import call_command

    from grassroots.core.scope import scope_for
    from grassroots.village import workbench
    from grassroots.village.tasks import remind_rents

    w = village_world
    out = StringIO()
    call_command("village_rent_reminders", stdout=out)
    assert _json.loads(out.getvalue()) == {"reminded": 1}
    assert remind_rents() == {"reminded": 0}
    now = clock.now()
    tallies = {t.key: t for t in workbench.tallies(w.village_staff, scope_for(w.village_staff), now)}
    assert tallies["village.rents_soon"].count == 1 and tallies["village.rents_overdue"].count == 2
    assert tallies["village.rents_overdue"].overdue == 2
    assert workbench.tallies(w.other_village_staff, scope_for(w.other_village_staff), now) == []
    assert workbench.tallies(w.villager_user, scope_for(w.villager_user), now) == []


def test_the_second_tier_adds_up_over_random_cases():
    import random

    rng = random.Random(16)
    for _ in range(300):
        received = D(rng.randint(0, 10_000_000)) / 100
        shares = {rng.randint(1, 10_000): rng.randint(0, 9) for _ in range(rng.randint(1, 60))}
        rate, crate = D(rng.randint(0, 100)) / 100, D(rng.randint(0, 100)) / 100
        retained, cshare, rest, parts = tier.work(received, rate, crate, shares)
        assert retained + cshare + sum(parts.values(), D(0)) == received
        assert all(p >= 0 for p in parts.values())
