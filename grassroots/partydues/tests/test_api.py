import datetime as dt

import pytest

from grassroots.party.services import membership_add
from grassroots.partydues import services
from grassroots.partydues.models import DuesBill, DuesCategory
from tests.support.party import add_members
from tests.support.world import scope_test


@pytest.fixture
def data(world, party, posts, frozen_now):
    g1 = add_members(party.g1, 2)
    g4 = add_members(party.g4, 1)
    mine = membership_add(actor=None, person=world.person1, org=party.g1, status="full",
                          admission_date=dt.date(2010, 1, 1), full_member_date=dt.date(2011, 1, 1))
    salaried = DuesCategory.objects.get(code="salaried")
    for m in [*g1, *g4, mine]:
        services.base_set(actor=None, person=m.person, category=salaried, base="4000", valid_from=dt.date(2026, 1, 1))
    services.bills_issue(actor=None, org=party.zone, month=dt.date(2026, 10, 1))
    bills = {b.person_id: b for b in DuesBill.objects.all()}
    return {"g1": g1, "g4": g4, "mine": mine, "bills": bills}


@pytest.mark.parametrize("category,base,rate,amount", [
    ("salaried", "3000.00", "0.005", "15.00"), ("salaried", "3000.01", "0.01", "30.00"),
    ("annual_salary", "10000.01", "0.02", "200.00"), ("self_employed", "5000", "0.01", "50.00"),
    ("retired", "5000.01", "0.01", "50.00"), ("farmer", "", None, "0.20"), ("student", "", None, "0.20"),
    ("unemployed", "100", None, "0.20"), ("relief", "", None, "0.20"), ("low_income", "", None, "0.20"),
])
@scope_test("party_dues_quote")
def test_quote(client, world, category, base, rate, amount):
    client.force_login(world.resident)
    body = client.get("/api/party/dues/quote", {"category": category, "base": base}).json()
    assert body == {"category": category, "rate": rate, "amount": amount}


@pytest.mark.parametrize("params,field", [
    ({"category": "salaried", "base": "abc"}, "base"), ({"category": "salaried"}, "base"),
    ({"category": "salaried", "base": "-5"}, "base"), ({"category": "salaried", "base": "1.001"}, "base"),
    ({"category": "nobody", "base": "100"}, "category"), ({"base": "100"}, "category"),
    ({"category": "salaried", "base": "NaN"}, "base"),
])
def test_quote_refusals_are_400_naming_the_field(client, world, params, field):
    client.force_login(world.resident)
    response = client.get("/api/party/dues/quote", params)
    assert response.status_code == 400
    assert response.json()["field"] == field and response.json()["message_en"]


def test_quote_is_documented(client, world):
    client.force_login(world.admin)
    schema = client.get("/api/openapi.json").json()
    op = schema["paths"]["/api/party/dues/quote"]["get"]
    assert op["operationId"] == "party_dues_quote" and "low_income" in op["description"]


@scope_test("party_dues_categories")
def test_categories(client, world):
    client.force_login(world.resident)
    codes = [c["code"] for c in client.get("/api/party/dues/categories").json()]
    assert {"salaried", "farmer", "low_income", "retired"} <= set(codes)


@scope_test("party_dues_bill_list", "party_dues_bill_detail")
def test_bills_are_scoped(client, world, party, posts, data):
    client.force_login(posts.secretary)
    body = client.get("/api/party/dues/bills").json()
    ids = {b["person_id"] for b in body["items"]}
    assert ids == {m.person_id for m in data["g1"]} | {data["mine"].person_id}
    other = data["bills"][data["g4"][0].person_id]
    assert client.get(f"/api/party/dues/bills/{other.pk}").status_code == 404
    assert client.get("/api/party/dues/bills", {"org_id": party.g4.pk}).status_code == 404
    own = data["bills"][data["g1"][0].person_id]
    assert client.get(f"/api/party/dues/bills/{own.pk}").json()["amount"] == "40.00"
    client.force_login(world.resident)
    body = client.get("/api/party/dues/bills").json()
    assert [b["person_id"] for b in body["items"]] == [data["mine"].person_id]


@scope_test("party_dues_mine")
def test_mine(client, world, data):
    client.force_login(world.resident)
    assert [b["amount"] for b in client.get("/api/party/dues/mine").json()] == ["40.00"]
    client.force_login(world.resident3)
    assert client.get("/api/party/dues/mine").json() == []


@scope_test("party_dues_bill_pay")
def test_pay(client, world, posts, data):
    bill = data["bills"][data["g1"][0].person_id]
    other = data["bills"][data["g4"][0].person_id]
    client.force_login(posts.secretary)
    r = client.post(f"/api/party/dues/bills/{bill.pk}/pay", {"receipt_no": "2026-001"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "paid"
    r = client.post(f"/api/party/dues/bills/{other.pk}/pay", {"receipt_no": "x"}, content_type="application/json")
    assert r.status_code == 404
    client.force_login(world.resident)
    mine = data["bills"][data["mine"].person_id]
    r = client.post(f"/api/party/dues/bills/{mine.pk}/pay", {"receipt_no": "x"}, content_type="application/json")
    assert r.status_code == 403


@scope_test("party_dues_bills_issue")
def test_issue(client, world, party, posts, data):
    client.force_login(posts.secretary)
    r = client.post("/api/party/dues/bills/issue", {"org_id": party.g1.pk, "month": "2026-11-01"},
                    content_type="application/json")
    assert r.status_code == 201 and r.json() == {"issued": 3}
    r = client.post("/api/party/dues/bills/issue", {"org_id": party.g4.pk, "month": "2026-11-01"},
                    content_type="application/json")
    assert r.status_code == 404


@scope_test("party_dues_base_set")
def test_base_set(client, world, posts, data):
    client.force_login(posts.secretary)
    m = data["g1"][0]
    r = client.post("/api/party/dues/bases", {"member_id": m.pk, "category": "farmer", "flat_amount": "0.80",
                                              "valid_from": "2026-11-01"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["flat_amount"] == "0.80"
    r = client.post("/api/party/dues/bases", {"member_id": m.pk, "category": "farmer", "flat_amount": "1.20",
                                              "valid_from": "2026-11-01"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "flat_amount"
    r = client.post("/api/party/dues/bases", {"member_id": data["g4"][0].pk, "category": "salaried", "base": "1",
                                              "valid_from": "2026-11-01"}, content_type="application/json")
    assert r.status_code == 404


@scope_test("party_dues_reduction_list", "party_dues_reduction_propose", "party_dues_reduction_decide")
def test_reductions(client, world, posts, data):
    client.force_login(posts.secretary)
    m = data["g1"][0]
    r = client.post("/api/party/dues/reductions", {"member_id": m.pk, "month_from": "2026-10-01",
                                                   "month_to": "2026-12-01", "amount": "0", "reason": "大病住院"},
                    content_type="application/json")
    assert r.status_code == 201
    rid = r.json()["id"]
    # The branch does not approve its own proposal.
    assert client.post(f"/api/party/dues/reductions/{rid}/approve").status_code == 403
    client.force_login(posts.worker4)
    assert client.get("/api/party/dues/reductions").json() == []
    assert client.post(f"/api/party/dues/reductions/{rid}/approve").status_code == 404
    client.force_login(posts.officer)
    assert [x["id"] for x in client.get("/api/party/dues/reductions").json()] == [rid]
    assert client.post(f"/api/party/dues/reductions/{rid}/approve").json()["status"] == "approved"
    assert DuesBill.objects.get(person=m.person).status == "waived"


@scope_test("party_dues_summary")
def test_summary(client, world, party, posts, data):
    client.force_login(posts.officer)
    rows = client.get("/api/party/dues/summary", {"year": 2026}).json()
    assert {r["org_name"] for r in rows} == {"安泰一网格党支部"}
    assert rows[0]["due"] == "120.00" and rows[0]["open_bills"] == 3
    client.force_login(posts.worker4)
    assert client.get("/api/party/dues/summary", {"year": 2026, "org_id": party.g1.pk}).status_code == 404
