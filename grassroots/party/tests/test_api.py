import pytest

from grassroots.party.services import liaison_create, membership_add, org_report_in_create, report_in_create
from tests.support.party import add_members
from tests.support.world import login_verified, scope_test


@pytest.fixture
def data(world, party, frozen_now):
    g1 = add_members(party.g1, 3)
    g4 = add_members(party.g4, 1)
    ent = add_members(party.enterprise_branch, 1, region=world.g1, in_service=True, employer=world.enterprise)
    ent4 = add_members(party.enterprise_branch, 1, region=world.g4, in_service=True, employer=world.enterprise,
                       prefix="银河在职")
    return {
        "g1": g1, "g4": g4, "ent": ent, "ent4": ent4,
        "r1": report_in_create(actor=None, membership=ent[0], community=world.c1),
        "r4": report_in_create(actor=None, membership=ent4[0], community=world.c3),
        "o1": org_report_in_create(actor=None, community=world.c1, organization=world.dept_city, needs=["加装电梯"]),
        "o4": org_report_in_create(actor=None, community=world.c3, organization=world.dept_housing),
        "l1": liaison_create(actor=None, kind="member_grid", person=ent[0].person, region=world.g1),
        "l4": liaison_create(actor=None, kind="member_grid", person=ent4[0].person, region=world.g4),
    }


@scope_test("party_org_tree")
def test_api_org_tree_is_scoped(client, world, party, data):
    client.force_login(world.community_staff)
    tree = client.get("/api/party/orgs/tree").json()
    assert [n["name"] for n in tree] == ["安泰社区党委"]
    g1 = next(n for n in tree[0]["children"] if n["name"] == "安泰一网格党支部")
    assert g1["member_count"] == 3 and g1["flagged"] is False
    client.logout()
    assert client.get("/api/party/orgs/tree").status_code == 401


@scope_test("party_org_list")
def test_api_org_list_is_scoped_and_filters_flagged(client, world, party, data):
    client.force_login(world.community_staff)
    body = client.get("/api/party/orgs").json()
    names = {o["name"] for o in body["items"]}
    assert "安泰一网格党支部" in names and "银河一网格党支部" not in names
    flagged = {o["name"] for o in client.get("/api/party/orgs", {"flagged": "true"}).json()["items"]}
    assert flagged == {"安泰二网格党支部"}


@scope_test("party_org_detail")
def test_api_org_detail_404s_outside_scope(client, world, party, data):
    client.force_login(world.community_staff)
    body = client.get(f"/api/party/orgs/{party.c1.pk}").json()
    assert body["name"] == "安泰社区党委" and {c["name"] for c in body["children"]} == {"安泰一网格党支部", "安泰二网格党支部"}
    response = client.get(f"/api/party/orgs/{party.c3.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@scope_test("party_member_list")
def test_api_member_list_is_scoped(client, world, party, data):
    client.force_login(world.community_staff)
    body = client.get("/api/party/members").json()
    ids = {m["id"] for m in body["items"]}
    assert {m.pk for m in data["g1"]} <= ids and data["g4"][0].pk not in ids
    assert body["items"][0]["party_age_years"] == 25
    assert client.get("/api/party/members", {"org_id": party.g4.pk}).status_code == 404
    assert client.get("/api/party/members", {"status": "x"}).status_code == 400


@scope_test("party_member_detail")
def test_api_member_detail_for_residents_is_their_own_only(client, world, party, data):
    mine = membership_add(actor=None, person=world.person1, org=party.g1, status="probationary",
                          admission_date=data["g1"][0].admission_date)
    client.force_login(world.resident)
    assert client.get(f"/api/party/members/{mine.pk}").json()["party_age_years"] is None
    assert client.get(f"/api/party/members/{data['g1'][0].pk}").status_code == 404
    assert client.get("/api/party/members").json()["count"] == 1


@scope_test("party_report_in_list")
def test_api_report_in_list_is_scoped(client, world, party, data):
    client.force_login(world.community_staff)
    body = client.get("/api/party/report-ins").json()
    assert [r["id"] for r in body["items"]] == [data["r1"].pk]
    assert client.get("/api/party/report-ins", {"community_code": world.c3.code}).status_code == 404


@scope_test("party_report_in_create")
def test_api_report_in_create_refuses_other_communities_and_hidden_members(client, world, party, frozen_now):
    (m,) = add_members(party.enterprise_branch, 1, region=world.g1, in_service=True, employer=world.enterprise)
    (other,) = add_members(party.enterprise_branch, 1, region=world.g4, in_service=True, employer=world.enterprise)
    login_verified(client, world.zone_leader)
    response = client.post("/api/party/report-ins", {"membership_id": m.pk, "community_code": world.c3.code},
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "not_resident"
    response = client.post("/api/party/report-ins", {"membership_id": m.pk, "community_code": world.c1.code,
                                                     "grid_code": world.g3.code}, content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "grid_code"
    response = client.post("/api/party/report-ins", {"membership_id": m.pk, "community_code": world.c1.code},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["grid_code"] == world.g1.code
    client.force_login(world.community_staff)  # sees no enterprise members
    response = client.post("/api/party/report-ins", {"membership_id": other.pk, "community_code": world.c3.code},
                           content_type="application/json")
    assert response.status_code == 404


@scope_test("party_org_report_in_list")
def test_api_org_report_in_list_is_scoped(client, world, party, data):
    client.force_login(world.community_staff)
    items = client.get("/api/party/org-report-ins").json()["items"]
    assert [r["id"] for r in items] == [data["o1"].pk] and items[0]["needs"] == ["加装电梯"]


@scope_test("party_org_report_in_detail")
def test_api_org_report_in_detail_404s_outside_scope(client, world, party, data):
    client.force_login(world.community_staff)
    assert client.get(f"/api/party/org-report-ins/{data['o1'].pk}").status_code == 200
    assert client.get(f"/api/party/org-report-ins/{data['o4'].pk}").status_code == 404


@scope_test("party_liaison_list")
def test_api_liaison_list_is_scoped(client, world, party, data):
    client.force_login(world.community_staff)
    items = client.get("/api/party/liaisons").json()["items"]
    assert [r["id"] for r in items] == [data["l1"].pk]
    assert items[0]["target_name"] == world.g1.name
