import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core import clock
from grassroots.village import services as S
from grassroots.village.models import Contract, Entry, Payment, VillageMember
from tests.support.world import login_verified, scope_test

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"village:{name}", args=args)


@pytest.fixture
def published(village_world):
    w = village_world
    w.disclosure = S.disclosure_publish(actor=w.village_staff, collective=w.vcollective, period="2025Q1")
    w.other_disclosure = S.disclosure_publish(actor=w.other_village_staff, collective=w.other_vcollective,
                                              period="2025Q1")
    w.alliance = S.alliance_create(actor=w.village_staff, name="田庄果蔬产业联合社", kind="union",
                                   collectives=[w.vcollective], organizations=[w.coop_org],
                                   formed_on=dt.date(2024, 3, 1))
    w.other_alliance = S.alliance_create(actor=w.other_village_staff, name="李庄村企联建", kind="village_enterprise",
                                         collectives=[w.other_vcollective], formed_on=dt.date(2024, 3, 1))
    return w


@scope_test("village:list", "village:detail", "village:statement_export", "village:disclosure")
def test_staff_read_their_village_residents_read_its_disclosures_only(client, published):
    w = published
    login_verified(client, w.village_staff)
    body = client.get(url("list")).content.decode()
    assert "田庄村股份经济合作社" in body and "李庄村股份经济合作社" not in body
    body = client.get(url("detail", w.vcollective.pk) + "?year=2025").content.decode()
    assert "600000.00" in body and "东营绿源农业公司" in body and "田小明" in body
    rows = list(load_workbook(io.BytesIO(client.get(url("statement_export", w.vcollective.pk) + "?year=2025")
                                         .content)).active.values)
    assert any(r and r[0] == "经营收入" and Decimal(str(r[1])) == Decimal("600000") for r in rows)
    assert client.get(url("disclosure", w.disclosure.pk)).status_code == 200
    for name, pk in (("detail", w.other_vcollective.pk), ("statement_export", w.other_vcollective.pk),
                     ("disclosure", w.other_disclosure.pk)):
        assert client.get(url(name, pk)).status_code == 404
    login_verified(client, w.villager_user)  # a resident and member: the disclosures, not the books
    body = client.get(url("detail", w.vcollective.pk)).content.decode()
    assert "2025Q1" in body and "东营绿源农业公司" not in body
    assert client.get(url("disclosure", w.disclosure.pk)).status_code == 200
    assert client.get(url("statement_export", w.vcollective.pk)).status_code == 404
    assert client.get(url("disclosure", w.other_disclosure.pk)).status_code == 404
    login_verified(client, w.outsider_user)
    assert client.get(url("detail", w.vcollective.pk)).status_code == 404
    assert client.get(url("disclosure", w.disclosure.pk)).status_code == 404


@scope_test("village:entry", "village:contract_add", "village:publish", "village:member_confirm",
            "village:member_exit")
def test_only_the_villages_staff_keep_the_books(client, published):
    w = published
    c = w.vcollective
    login_verified(client, w.other_village_staff)
    assert client.post(url("entry", c.pk), {"category": "operating", "amount": "5"}).status_code == 404
    assert client.post(url("member_exit", w.vmembers[0].pk), {"reason": "x"}).status_code == 404
    for name in ("contract_add", "publish", "member_confirm"):
        assert client.post(url(name, c.pk), {}).status_code == 404
    login_verified(client, w.villager_user)
    assert client.post(url("entry", c.pk), {"category": "operating", "amount": "5"}).status_code == 404
    login_verified(client, w.village_staff)
    client.post(url("entry", c.pk), {"category": "subsidy", "amount": "5", "booked_on": "2026-06-01"})
    assert Entry.objects.filter(collective=c, category="subsidy", amount=5).exists()
    client.post(url("entry", c.pk), {"category": "subsidy", "amount": "-5", "booked_on": "2026-06-01"})
    assert not Entry.objects.filter(amount=-5).exists()
    client.post(url("contract_add", c.pk), {"counterparty": "李四", "object_kind": "building", "object": "村东仓库",
                                            "annual_rent": "12000", "starts_on": "2026-01-01",
                                            "ends_on": "2026-12-31", "due_dates": "2026-06-30 2026-12-30",
                                            "amount": "6000"})
    assert Contract.objects.get(counterparty="李四").payments.count() == 2
    client.post(url("publish", c.pk), {"period": "2025-04"})
    assert c.disclosures.filter(period="2025-04").exists()
    newcomer = w.coop_people[5]
    newcomer.household = w.households[2]
    newcomer.save()
    client.post(url("member_confirm", c.pk), {"person": newcomer.pk, "basis": "婚入", "resolution": "成员大会决议",
                                              "confirmed_on": "2026-01-01", "shares": "1"})
    assert VillageMember.objects.filter(person=newcomer, exited_on__isnull=True).exists()
    client.post(url("member_exit", w.vmembers[6].pk), {"reason": "户籍迁出", "exited_on": "2026-02-01"})
    assert VillageMember.objects.get(pk=w.vmembers[6].pk).exit_reason == "户籍迁出"


@scope_test("village:contract", "village:pay", "village:rents", "village:rents_export")
def test_contracts_and_rents_falling_due_and_overdue(client, published):
    w = published
    login_verified(client, w.village_staff)
    assert "村北耕地" in client.get(url("contract", w.lease.pk)).content.decode()
    body = client.get(url("rents") + "?due=overdue").content.decode()
    assert body.count("东营绿源农业公司") == 2  # 2024 and 2025 unpaid
    assert "东营绿源农业公司" in client.get(url("rents") + "?due=soon").content.decode()  # 2026-12-15
    first = w.lease.payments.order_by("due_on").first()
    client.post(url("pay", first.pk), {"paid_on": "2024-12-20"})
    assert Payment.objects.get(pk=first.pk).paid_on == dt.date(2024, 12, 20)
    assert client.get(url("rents") + "?due=overdue").content.decode().count("东营绿源农业公司") == 1
    login_verified(client, w.other_village_staff)
    assert client.get(url("contract", w.lease.pk)).status_code == 404
    second = w.lease.payments.order_by("due_on")[1]
    assert client.post(url("pay", second.pk), {}).status_code == 404
    assert client.post(url("pay", 999999), {}).status_code == 404
    assert "东营绿源农业公司" not in client.get(url("rents") + "?due=overdue").content.decode()
    rows = list(load_workbook(io.BytesIO(client.get(url("rents_export") + "?due=overdue").content)).active.values)
    assert not any(r and "东营绿源农业公司" in str(r) for r in rows)
    login_verified(client, w.village_staff)
    rows = list(load_workbook(io.BytesIO(client.get(url("rents_export") + "?due=overdue").content)).active.values)
    assert sum(1 for r in rows if r and "东营绿源农业公司" in str(r)) == 1


@scope_test("village:household")
def test_a_household_sees_its_own_statement_with_the_working(client, published):
    w = published
    hid, other = w.households[0].pk, w.households[1].pk
    login_verified(client, w.villager_user)
    body = client.get(url("household", w.vcollective.pk, hid) + "?year=2025").content.decode()
    assert "田小明" in body and "0.30" in body
    assert client.get(url("household", w.vcollective.pk, other)).status_code == 404
    login_verified(client, w.other_village_staff)
    assert client.get(url("household", w.vcollective.pk, hid)).status_code == 404
    login_verified(client, w.village_staff)
    assert client.get(url("household", w.vcollective.pk, other)).status_code == 200


@scope_test("village:alliances", "village:alliance")
def test_alliances_are_seen_by_their_villages_and_cooperatives(client, published):
    w = published
    for user in (w.village_staff, w.accountant):
        login_verified(client, user)
        body = client.get(url("alliances")).content.decode()
        assert "田庄果蔬产业联合社" in body and "李庄村企联建" not in body
        assert client.get(url("alliance", w.alliance.pk)).status_code == 200
        assert client.get(url("alliance", w.other_alliance.pk)).status_code == 404
    login_verified(client, w.other_accountant)
    assert client.get(url("alliance", w.alliance.pk)).status_code == 404


@scope_test("village_collective_list", "village_statement", "village_entry_create", "village_contract_list",
            "village_rent_list", "village_contract_payments", "village_member_list", "village_member_confirm",
            "village_disclosure_list", "village_household_statement", "village_alliance_list",
            "village_alliance_detail")
def test_the_api_follows_the_same_scope_and_rules(client, published):
    w = published
    c, oc = w.vcollective, w.other_vcollective

    def post(path, body):
        return client.post(path, json.dumps(body), content_type="application/json")

    login_verified(client, w.village_staff)
    assert [x["name"] for x in client.get("/api/village/").json()["items"]] == ["田庄村股份经济合作社"]
    st = client.get(f"/api/village/{c.pk}/statement?year=2025").json()
    assert st["statement"]["lines"]["operating"] == "600000.00" and st["per_villager_estimate"]["estimate"] is True
    r = post(f"/api/village/{c.pk}/entries", {"booked_on": "2026-03-01", "category": "investment", "amount": "10"})
    assert r.status_code == 201
    r = post(f"/api/village/{c.pk}/entries", {"booked_on": "2026-03-01", "category": "investment", "amount": "0"})
    assert r.status_code == 400 and "金额" in r.json()["message"]
    assert client.get(f"/api/village/{c.pk}/contracts").json()["count"] == 1
    assert client.get("/api/village/rents?due=overdue").json()["count"] == 2
    assert len(client.get(f"/api/village/contracts/{w.lease.pk}/payments").json()) == 5
    assert client.get(f"/api/village/{c.pk}/members").json()["count"] == 7
    r = post(f"/api/village/{c.pk}/members", {"person_id": w.villagers[0].pk, "confirmed_on": "2026-01-01",
                                              "basis": "户籍", "resolution": "决议"})
    assert r.status_code == 409
    assert client.get(f"/api/village/{c.pk}/disclosures").json()["count"] == 1
    h = client.get(f"/api/village/{c.pk}/households/{w.households[0].pk}?year=2025").json()
    assert h["shares"] == 4
    assert [a["name"] for a in client.get("/api/village/alliances").json()["items"]] == ["田庄果蔬产业联合社"]
    assert client.get(f"/api/village/alliances/{w.alliance.pk}").status_code == 200
    for path in (f"/api/village/{oc.pk}/statement", f"/api/village/{oc.pk}/contracts", f"/api/village/{oc.pk}/members",
                 f"/api/village/{oc.pk}/disclosures", f"/api/village/alliances/{w.other_alliance.pk}",
                 f"/api/village/{oc.pk}/households/{w.households[0].pk}"):
        assert client.get(path).status_code == 404, path
    assert post(f"/api/village/{oc.pk}/entries", {"booked_on": "2026-03-01", "category": "investment",
                                                  "amount": "10"}).status_code == 404
    assert post(f"/api/village/{oc.pk}/members", {"person_id": 1, "confirmed_on": "2026-01-01", "basis": "x",
                                                  "resolution": "y"}).status_code == 404
    login_verified(client, w.other_village_staff)
    assert client.get(f"/api/village/contracts/{w.lease.pk}/payments").status_code == 404
    assert client.get("/api/village/rents?due=overdue").json()["count"] == 0
    login_verified(client, w.villager_user)  # a member: their household, the disclosures, not the books
    assert client.get(f"/api/village/{c.pk}/households/{w.households[0].pk}").status_code == 200
    assert client.get(f"/api/village/{c.pk}/households/{w.households[1].pk}").status_code == 404
    assert client.get(f"/api/village/{c.pk}/statement").status_code == 404
    assert client.get(f"/api/village/{c.pk}/disclosures").json()["count"] == 1
    assert clock.today().year == 2026


def test_a_four_share_households_payout_is_on_its_statement(client, village_world):
    from grassroots.cooperatives import services as CS

    w = village_world
    plan = CS.plan_trial(actor=w.accountant, coop=w.coop, year=2025, surplus="500000", loss_to_cover="20000")
    plan = CS.plan_publish(actor=w.accountant, plan=plan)
    clock.freeze(clock.now() + dt.timedelta(days=20))
    everyone = [m.pk for m in (w.m1, w.m2, w.m3, w.m4, w.m5)]
    plan = CS.plan_decide(actor=w.accountant, plan=plan, present=everyone, yes=everyone)
    CS.plan_pay(actor=w.accountant, plan=plan, paid_on=dt.date(2026, 12, 14))
    login_verified(client, w.villager_user)
    body = client.get(url("household", w.vcollective.pk, w.households[0].pk) + "?year=2025").content.decode()
    assert "94585.26" in body and "28375.58" in body and "52967.74" in body and "30267.28" in body
    assert ": 4 →" in body  # the household's four shares


@scope_test("village:alliance_create", "village_alliance_create")
def test_alliances_are_registered_on_the_page_and_through_the_api_by_the_villages_staff(client, published):
    from grassroots.village.models import Alliance

    w = published
    login_verified(client, w.village_staff)
    body = client.get(url("alliances")).content.decode()
    assert "登记联合与联建" in body, body[-3000:]
    assert w.coop_org.name in body
    client.post(url("alliance_create"), {"name": "田庄村企联建", "kind": "village_enterprise",
                                          "formed_on": "2025-05-01", "collectives": [w.vcollective.pk],
                                          "organizations": [w.coop_org.pk], "purpose": "蔬菜订单"})
    made = Alliance.objects.get(name="田庄村企联建")
    assert list(made.collectives.all()) == [w.vcollective] and list(made.organizations.all()) == [w.coop_org]
    r = client.post("/api/village/alliances", {"name": "", "kind": "union", "formed_on": "2025-05-01",
                                               "collective_ids": [w.vcollective.pk]}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "name"
    r = client.post("/api/village/alliances", {"name": "果蔬联盟", "kind": "league", "formed_on": "2025-05-01",
                                               "collective_ids": [w.vcollective.pk]}, content_type="application/json")
    assert r.status_code == 201 and r.json()["name"] == "果蔬联盟"
    # another village's staff cannot put 田庄's collective in an alliance: it looks missing
    login_verified(client, w.other_village_staff)
    r = client.post("/api/village/alliances", {"name": "冒名联合社", "kind": "union", "formed_on": "2025-05-01",
                                               "collective_ids": [w.vcollective.pk]}, content_type="application/json")
    assert r.status_code == 404
    assert client.post(url("alliance_create"), {"name": "冒名联合社", "kind": "union", "formed_on": "2025-05-01",
                                                 "collectives": [w.vcollective.pk]}).status_code == 404
    assert not Alliance.objects.filter(name="冒名联合社").exists()
