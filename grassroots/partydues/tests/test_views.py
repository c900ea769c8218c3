import datetime as dt

import pytest

from grassroots.partydues import permissions, services
from grassroots.partydues.models import DuesBill, DuesReduction
from tests.support.world import scope_test


@scope_test("partydues:mine")
def test_my_page_has_the_calculator_and_only_my_bills(client, world, data):
    client.force_login(world.resident)
    page = client.get("/partydues/", {"category": "salaried", "base": "3000.01"}).content.decode()
    assert "30.00" in page and "dues-calculator" in page
    assert page.count("2026-10") == 1
    assert "金额应为数字" in client.get("/partydues/", {"category": "salaried", "base": "x"}).content.decode()


@scope_test("partydues:bills", "partydues:pay", "partydues:issue")
def test_bills_page_scoped_and_payment(client, world, party, posts, data):
    client.force_login(posts.secretary)
    page = client.get("/partydues/bills/").content.decode()
    other = data["g4"][0].person.name
    assert data["g1"][0].person.name in page and other not in page
    bill = data["bills"][data["g1"][0].person_id]
    client.post(f"/partydues/bills/{bill.pk}/pay/", {"receipt_no": "R-1"})
    assert DuesBill.objects.get(pk=bill.pk).status == "paid"
    foreign = data["bills"][data["g4"][0].person_id]
    assert client.post(f"/partydues/bills/{foreign.pk}/pay/", {"receipt_no": "R-2"}).status_code == 404
    assert client.post("/partydues/bills/issue/", {"org": party.g4.pk, "month": "2026-11-01"}).status_code == 404
    client.post("/partydues/bills/issue/", {"org": party.g1.pk, "month": "2026-11-01"})
    assert DuesBill.objects.filter(month=dt.date(2026, 11, 1)).count() == 3


@scope_test("partydues:export")
def test_export(client, posts, data):
    client.force_login(posts.secretary)
    r = client.get("/partydues/bills.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")


@scope_test("partydues:reductions", "partydues:reduction_decide")
def test_reductions_page(client, world, posts, data):
    from grassroots.partydues import services

    r = services.reduction_propose(actor=posts.secretary, person=data["g1"][0].person, month_from=dt.date(2026, 10, 1),
                                   month_to=dt.date(2026, 10, 1), amount="1", reason="困难")
    client.force_login(posts.worker4)
    assert "困难" not in client.get("/partydues/reductions/").content.decode()
    assert client.post(f"/partydues/reductions/{r.pk}/approve/").status_code == 404
    client.force_login(posts.officer)
    assert "困难" in client.get("/partydues/reductions/").content.decode()
    client.post(f"/partydues/reductions/{r.pk}/approve/")
    assert DuesReduction.objects.get(pk=r.pk).status == "approved"


@scope_test("partydues:summary")
def test_summary_page(client, posts, data):
    client.force_login(posts.worker4)
    page = client.get("/partydues/summary/", {"year": 2026}).content.decode()
    assert "银河一网格党支部" in page and "安泰一网格党支部" not in page


@pytest.mark.django_db
def test_pages_need_login(client):
    assert client.get("/partydues/bills/").status_code == 302


def test_workbench_tallies_equal_their_lists(client, world, posts, data):
    from grassroots.core import clock
    from grassroots.core.scope import scope_for
    from grassroots.partydues import workbench

    tallies = {t.key: t for t in workbench.tallies(posts.secretary, scope_for(posts.secretary), clock.now())}
    assert tallies["partydues.arrears"].count == 3  # October's bills, unpaid in November
    client.force_login(posts.secretary)
    page = client.get(tallies["partydues.arrears"].url).content.decode()
    assert page.count("欠缴") >= 3


@scope_test("partydues:member", "partydues:base_set", "partydues:reduction_propose")
def test_member_page_sets_the_base_and_proposes_a_reduction(client, world, posts, data):
    from grassroots.partydues.models import DuesBase

    m = data["g1"][0]
    client.force_login(posts.secretary)
    page = client.get(f"/partydues/members/{m.pk}/").content.decode()
    assert "4000.00" in page and "b-cat" in page
    client.post(f"/partydues/members/{m.pk}/base/", {"category": "retired", "base": "5000.01",
                                                     "valid_from": "2026-11-01"})
    assert DuesBase.objects.filter(person=m.person).count() == 2
    client.post(f"/partydues/members/{m.pk}/reduction/", {"month_from": "2026-11-01", "month_to": "2026-12-01",
                                                          "amount": "0", "reason": "困难"})
    assert DuesReduction.objects.filter(person=m.person, status="proposed").count() == 1
    assert "partydues/members/" in client.get("/partydues/bills/").content.decode()
    client.force_login(posts.worker4)
    assert client.get(f"/partydues/members/{m.pk}/").status_code == 404
    assert client.post(f"/partydues/members/{m.pk}/base/", {"category": "retired", "base": "1"}).status_code == 404
    assert client.post(f"/partydues/members/{m.pk}/reduction/", {"amount": "0"}).status_code == 404
    client.force_login(world.resident)  # their own page: read, no forms
    page = client.get(f"/partydues/members/{data['mine'].pk}/").content.decode()
    assert "b-cat" not in page


def test_reductions_to_approve_are_those_strictly_below_the_actors_committee(world, posts, data, party):
    from grassroots.partydues import selectors

    g1_member = data["g1"][0]
    row = services.reduction_propose(actor=posts.secretary, person=g1_member.person, month_from=dt.date(2026, 11, 1),
                                     month_to=dt.date(2026, 11, 1), amount="0", reason="困难")
    assert list(selectors.reductions_to_approve(actor=posts.officer)) == [row]  # g1 lies under c1
    assert list(selectors.reductions_to_approve(actor=posts.secretary)) == []  # the branch never approves its own
    assert list(selectors.reductions_to_approve(actor=posts.worker4)) == []  # another branch's worker
    staff = set(selectors.reductions_to_approve(actor=world.community_staff))  # the region's party staff
    assert staff == {r for r in selectors.reduction_list(actor=world.community_staff, status="proposed")
                     if permissions.can_approve_reduction(world.community_staff, r.org)}
