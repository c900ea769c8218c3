"""Pages, exports and the API of the cooperatives: who sees what (out of scope is 404 or left out), the forms for
the books and the plan from the trial to the payout, the member's dividend with its working."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.cooperatives.models import Contribution, CoopMember, Plan, Transaction
from grassroots.core import clock
from tests.support.world import login_verified, scope_test

from .test_trial_command import WORKED_FILE

pytestmark = pytest.mark.django_db
YEAR = 2025


def url(name, *args):
    return reverse(f"cooperatives:{name}", args=args)


@scope_test("cooperatives:list", "cooperatives:detail", "cooperatives:member", "cooperatives:members_export")
def test_the_list_the_cooperative_and_accounts_show_only_what_is_in_scope(client, coop_world):
    w = coop_world
    for user in (w.accountant, w.supervisor, w.community_staff, w.subdistrict_officer):
        login_verified(client, user)
        body = client.get(url("list")).content.decode()
        assert "田甜合作社" in body and "双收合作社" not in body
        assert client.get(url("detail", w.coop.pk)).status_code == 200
        assert client.get(url("member", w.m3.pk)).status_code == 200
    login_verified(client, w.accountant)
    body = client.get(url("detail", w.coop.pk)).content.decode()
    assert "李甜瓜" in body and "coop_board" in body  # the register and the board
    rows = list(load_workbook(io.BytesIO(client.get(url("members_export", w.coop.pk)).content)).active
                .iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["M1", "M2", "M3", "M4", "M5"]
    for outsider in (w.other_accountant, w.other_staff, w.resident, w.enterprise_contact, w.grid_worker3):
        login_verified(client, outsider)
        assert "田甜合作社" not in client.get(url("list")).content.decode()
        assert client.get(url("detail", w.coop.pk)).status_code == 404
        assert client.get(url("member", w.m2.pk)).status_code == 404
        assert client.get(url("members_export", w.coop.pk)).status_code == 404
    login_verified(client, w.member_user)  # a member: the cooperative page shows their own row only
    body = client.get(url("detail", w.coop.pk)).content.decode()
    assert "王大棚" in body and "李甜瓜" not in body
    assert client.get(url("member", w.m2.pk)).status_code == 200
    assert client.get(url("member", w.m3.pk)).status_code == 404
    rows = list(load_workbook(io.BytesIO(client.get(url("members_export", w.coop.pk)).content)).active
                .iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["M2"]


@scope_test("cooperatives:register")
def test_staff_register_a_cooperative_of_their_village(client, coop_world):
    from grassroots.people.models import Organization

    w = coop_world
    org = Organization.objects.create(name="田庄果蔬合作社", kind=Organization.Kind.COOPERATIVE, region=w.c1)
    login_verified(client, w.other_staff)
    client.post(url("register"), {"organization": org.pk, "founded_on": "2024-01-01"})
    assert not hasattr(Organization.objects.get(pk=org.pk), "cooperative")
    login_verified(client, w.community_staff)
    client.post(url("register"), {"organization": org.pk, "founded_on": "2024-01-01", "refund_rate": "0.5"})
    assert not hasattr(Organization.objects.get(pk=org.pk), "cooperative")  # below 60%: refused
    client.post(url("register"), {"organization": org.pk, "founded_on": "2024-01-01", "greenhouses": "3"})
    assert Organization.objects.get(pk=org.pk).cooperative.greenhouses == 3
    assert client.post(url("register"), {"organization": "x"}).status_code == 302


@scope_test("cooperatives:join", "cooperatives:leave", "cooperatives:contribution", "cooperatives:transaction",
            "cooperatives:subsidy", "cooperatives:charter")
def test_the_books_are_kept_on_the_pages_by_the_keepers_only(client, coop_world):
    w = coop_world
    login_verified(client, w.supervisor)  # reads, keeps nothing
    client.post(url("transaction", w.coop.pk), {"member": w.m2.pk, "amount": "10"})
    assert not Transaction.objects.filter(amount=10).exists()
    login_verified(client, w.other_accountant)
    assert client.post(url("transaction", w.coop.pk), {"member": w.m2.pk, "amount": "10"}).status_code == 404
    assert client.post(url("contribution", w.m2.pk), {"kind": "cash", "amount": "10"}).status_code == 404
    assert client.post(url("leave", w.m2.pk), {"reason": "x"}).status_code == 404
    for name in ("join", "subsidy", "charter"):
        assert client.post(url(name, w.coop.pk), {}).status_code == 404
    login_verified(client, w.accountant)
    client.post(url("join", w.coop.pk), {"kind": "citizen", "name": "周新社"})  # 4 of 6 farmers: refused
    assert not CoopMember.objects.filter(person=w.coop_people[5]).exists()
    client.post(url("join", w.coop.pk), {"kind": "farmer", "name": "周新社", "joined_on": "2026-01-05"})
    m6 = CoopMember.objects.get(person=w.coop_people[5])
    client.post(url("contribution", m6.pk), {"kind": "land_right", "mu": "2.5", "contributed_on": "2026-01-05"})
    assert Contribution.objects.get(member=m6).amount == 20000
    client.post(url("transaction", w.coop.pk), {"member": m6.pk, "amount": "1234.56", "occurred_on": "2026-03-01"})
    client.post(url("transaction", w.coop.pk), {"real_name": "散户甲", "amount": "88", "occurred_on": "2026-03-01"})
    assert Transaction.objects.filter(member__isnull=True, real_name="散户甲").exists()
    client.post(url("transaction", w.coop.pk), {"amount": "abc"})  # an error message, not a 500
    client.post(url("subsidy", w.coop.pk), {"name": "农机补助", "amount": "6000", "source": "state",
                                             "quantified": "equally", "received_on": "2026-04-01"})
    assert m6.subsidy_shares.get().amount == 1000
    client.post(url("charter", w.coop.pk), {"resolution": "2026年成员大会", "reserve_rate": "0.12",
                                            "refund_rate": "0.70", "reserve_quantified_by": "both",
                                            "reserve_by_transactions_share": "0.5"})
    assert str(w.coop.charters.order_by("-id").first().refund_rate) == "0.7000"
    client.post(url("leave", m6.pk), {"reason": "外出务工", "left_on": "2026-06-30"})
    m6.refresh_from_db()
    assert m6.left_on == dt.date(2026, 6, 30)


@scope_test("cooperatives:trial", "cooperatives:plans", "cooperatives:plan", "cooperatives:plan_action",
            "cooperatives:plan_export", "cooperatives:plan_pdf")
def test_the_plan_pages_from_the_trial_to_the_payout(client, coop_world):
    w = coop_world
    login_verified(client, w.accountant)
    response = client.post(url("trial", w.coop.pk), {"year": YEAR, "surplus": "500000", "loss_to_cover": "20000"})
    plan = Plan.objects.get(cooperative=w.coop, year=YEAR)
    assert response.url == url("plan", plan.pk)
    body = client.get(url("plan", plan.pk)).content.decode()
    assert "432000.00" in body and "94585.26" in body
    assert "试算" in client.get(url("plans") + "?status=trial").content.decode()
    login_verified(client, w.member_user)  # members never see the trial
    assert client.get(url("plan", plan.pk)).status_code == 404
    login_verified(client, w.supervisor)
    client.post(url("plan_action", plan.pk, "publish"))
    assert Plan.objects.get(pk=plan.pk).status == "trial"
    login_verified(client, w.accountant)
    client.post(url("plan_action", plan.pk, "pay"))  # nothing is paid before the assembly
    assert Plan.objects.get(pk=plan.pk).status == "trial"
    client.post(url("plan_action", plan.pk, "publish"), {"working_days": "5"})
    assert Plan.objects.get(pk=plan.pk).status == "noticed"
    clock.freeze(clock.now() + dt.timedelta(days=20))
    everyone = [m.pk for m in (w.m1, w.m2, w.m3, w.m4, w.m5)]
    client.logout()
    login_verified(client, w.accountant)  # a new session after the notice period
    client.post(url("plan_action", plan.pk, "decide"), {"present": everyone, "yes": everyone[1:4]})
    assert Plan.objects.get(pk=plan.pk).status == "approved"
    client.post(url("plan_action", plan.pk, "pay"), {"paid_on": "2026-12-20"})
    assert Plan.objects.get(pk=plan.pk).status == "paid"
    assert client.post(url("plan_action", plan.pk, "nonsense")).status_code == 404
    pdf = client.get(url("plan_pdf", plan.pk))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    rows = list(load_workbook(io.BytesIO(client.get(url("plan_export", plan.pk)).content)).active
                .iter_rows(values_only=True))
    assert len(rows) == 6
    login_verified(client, w.member_user)
    body = client.get(url("member", w.m2.pk)).content.decode()
    assert "162341.05" in body and "32741.05" in body and "180000.00" in body  # the dividend and its working
    rows = list(load_workbook(io.BytesIO(client.get(url("plan_export", plan.pk)).content)).active
                .iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["M2"]
    for outsider in (w.other_accountant, w.other_staff, w.resident):
        login_verified(client, outsider)
        for name in ("plan", "plan_export", "plan_pdf"):
            assert client.get(url(name, plan.pk)).status_code == 404
        assert client.post(url("plan_action", plan.pk, "pay")).status_code == 404
        assert client.post(url("trial", w.coop.pk), {"year": YEAR, "surplus": "1"}).status_code == 404
        assert str(plan.year) not in client.get(url("plans")).content.decode().split("<tbody>")[1]


@scope_test("cooperative_list", "cooperative_detail", "cooperative_member_list", "cooperative_member_account",
            "cooperative_transaction_create", "cooperative_plan_list", "cooperative_plan_trial",
            "cooperative_plan_detail", "cooperative_plan_decide", "cooperative_plan_move", "cooperative_trial")
def test_the_api_follows_the_same_scope_and_rules(client, coop_world):
    w = coop_world

    def post(path, body):
        return client.post(path, json.dumps(body), content_type="application/json")

    login_verified(client, w.accountant)
    assert [c["name"] for c in client.get("/api/cooperatives/").json()["items"]] == ["田甜合作社"]
    assert client.get(f"/api/cooperatives/{w.coop.pk}").json()["greenhouses"] == 27
    assert client.get(f"/api/cooperatives/{w.other_coop.pk}").status_code == 404
    assert client.get(f"/api/cooperatives/{w.coop.pk}/members").json()["count"] == 5
    assert client.get(f"/api/cooperatives/members/{w.m2.pk}/account").json()["contribution"] == "160000.00"
    created = post(f"/api/cooperatives/{w.coop.pk}/transactions", {"amount": "99.50", "member_id": w.m2.pk,
                                                                   "occurred_on": "2026-02-01"})
    assert created.status_code == 201 and created.json()["real_name"] == "王大棚"
    assert post(f"/api/cooperatives/{w.coop.pk}/transactions", {"amount": "0"}).status_code == 400
    trial = post(f"/api/cooperatives/{w.coop.pk}/plans", {"year": YEAR, "surplus": "500000", "loss_to_cover": "20000"})
    assert trial.status_code == 201 and trial.json()["distributable"] == "432000.00"
    plan_id = trial.json()["id"]
    assert [ln["cash"] for ln in trial.json()["lines"]][1] == "162341.05"
    assert len(client.get(f"/api/cooperatives/{w.coop.pk}/plans").json()) == 1
    assert post(f"/api/cooperatives/plans/{plan_id}/pay", {}).status_code == 409
    assert post(f"/api/cooperatives/plans/{plan_id}/publish", {}).json()["status"] == "noticed"
    clock.freeze(clock.now() + dt.timedelta(days=20))
    client.logout()
    login_verified(client, w.accountant)  # a new session after the notice period
    everyone = [m.pk for m in (w.m1, w.m2, w.m3, w.m4, w.m5)]
    short = post(f"/api/cooperatives/plans/{plan_id}/decide", {"present": everyone[:3], "yes": everyone[:3]})
    assert short.status_code == 400 and short.json()["code"] == "quorum"
    assert post(f"/api/cooperatives/plans/{plan_id}/decide", {"present": everyone, "yes": everyone}).json()[
        "status"] == "approved"
    assert post(f"/api/cooperatives/plans/{plan_id}/pay", {}).json()["status"] == "paid"
    assert post(f"/api/cooperatives/plans/{plan_id}/other", {}).status_code == 400
    answer = post("/api/cooperatives/trial", WORKED_FILE).json()
    assert answer["members"]["M5"]["by_basis"] == "10913.69"
    bad = post("/api/cooperatives/trial", {**WORKED_FILE, "year": {"surplus": "x"}})
    assert bad.status_code == 400 and bad.json()["details"]["errors"][0]["path"] == "year.surplus"
    login_verified(client, w.member_user)
    detail = client.get(f"/api/cooperatives/plans/{plan_id}").json()
    assert [ln["member_code"] for ln in detail["lines"]] == ["M2"]
    assert client.get(f"/api/cooperatives/members/{w.m3.pk}/account").status_code == 404
    login_verified(client, w.other_accountant)
    assert client.get("/api/cooperatives/").json()["count"] == 1
    assert client.get(f"/api/cooperatives/plans/{plan_id}").status_code == 404
    assert client.get(f"/api/cooperatives/{w.coop.pk}/members").status_code == 404
    assert client.get(f"/api/cooperatives/{w.coop.pk}/plans").status_code == 404
    assert post(f"/api/cooperatives/{w.coop.pk}/plans", {"year": YEAR, "surplus": "1"}).status_code == 404
    assert post(f"/api/cooperatives/plans/{plan_id}/decide", {}).status_code == 404
    assert post(f"/api/cooperatives/plans/{plan_id}/pay", {}).status_code == 404
    assert post(f"/api/cooperatives/{w.coop.pk}/transactions", {"amount": "1"}).status_code == 404


def _sheet(*rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["成员编号", "实名", "交易日期", "产品", "数量", "交易额"])
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@scope_test("cooperatives:transaction_import", "cooperatives:transaction_template")
def test_transactions_import_from_a_sheet_every_row_checked_first(client, coop_world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    w = coop_world

    def upload(data, **extra):
        f = SimpleUploadedFile("交易.xlsx", data, content_type="application/octet-stream")
        return client.post(url("transaction_import", w.coop.pk), {"file": f, **extra})

    login_verified(client, w.accountant)
    assert client.get(url("transaction_template", w.coop.pk)).status_code == 200
    before = Transaction.objects.count()
    bad = upload(_sheet(["M2", "别人", "2026-03-01", "西红柿", 10, 100], ["M9", "", "2026-03-01", "", "", 5],
                        ["", "", "2026-03-01", "", "", 5], ["M3", "", "2026-03-01", "", "", -1]))
    errors = bad.context["report"].errors
    assert {e.row for e in errors} == {2, 3, 4, 5} and Transaction.objects.count() == before
    good = upload(_sheet(["M2", "王大棚", "2026-03-01", "西红柿", 10, "100.50"], ["3", "", "2026-03-02", "", "", 5],
                         ["", "东营果蔬批发市场", "2026-03-03", "甜瓜", "", 900]))
    assert good.context["report"].written == 3 and Transaction.objects.count() == before + 3
    assert Transaction.objects.get(amount=Decimal("100.50")).member == w.m2
    assert Transaction.objects.filter(member__isnull=True, real_name="东营果蔬批发市场").exists()
    for outsider in (w.supervisor, w.other_accountant, w.member_user):
        login_verified(client, outsider)
        assert client.get(url("transaction_import", w.coop.pk)).status_code == 404
        assert client.get(url("transaction_template", w.coop.pk)).status_code == 404
