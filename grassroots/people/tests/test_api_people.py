import pytest

from tests.support.world import scope_test

from .factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(world):
    return person(world, name="爱丽丝", phone="13812345678", room="1-101", tags=["志愿者"])


@pytest.fixture
def faraway(world):
    return person(world, name="远方", building=world.b4, actor=world.other_staff)


@scope_test("people_person_list")
def test_person_list_api_is_scoped_paginated_and_masked(client, world, alice, faraway):
    client.force_login(world.community_staff)
    body = client.get("/api/people/persons").json()
    names = {p["name"] for p in body["items"]}
    assert "爱丽丝" in names and "远方" not in names and body["count"] == len(names)
    row = next(p for p in body["items"] if p["name"] == "爱丽丝")
    assert row["phone_masked"] == "138****5678" and row["id_number_masked"].count("*") == 10
    assert "13812345678" not in str(body) and alice.id_number not in str(body)
    assert row["room"] == "1-101" and row["tags"] == ["志愿者"]
    found = client.get("/api/people/persons", {"q": "爱丽"}).json()
    assert [p["id"] for p in found["items"]] == [alice.pk]
    client.force_login(world.department_handler)
    assert client.get("/api/people/persons").json()["count"] == 0


def test_person_list_api_needs_a_login(client, world):
    assert client.get("/api/people/persons").status_code == 401


@scope_test("people_person_detail")
def test_person_detail_api_is_404_outside_scope(client, world, alice, faraway):
    client.force_login(world.community_staff)
    assert client.get(f"/api/people/persons/{alice.pk}").json()["name"] == "爱丽丝"
    response = client.get(f"/api/people/persons/{faraway.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    client.force_login(world.resident)
    assert client.get(f"/api/people/persons/{world.person1.pk}").status_code == 200
    assert client.get(f"/api/people/persons/{alice.pk}").status_code == 404


@scope_test("people_organization_list", "people_organization_detail")
def test_organization_api_follows_scope(client, world):
    client.force_login(world.enterprise_contact)
    body = client.get("/api/people/organizations").json()
    assert [o["id"] for o in body["items"]] == [world.enterprise.pk]
    assert client.get(f"/api/people/organizations/{world.enterprise.pk}").json()["kind"] == "enterprise"
    assert client.get(f"/api/people/organizations/{world.dept_city.pk}").status_code == 404
    client.force_login(world.hotline_operator)
    assert client.get("/api/people/organizations").json()["count"] == 4


@scope_test("people_post_list")
def test_post_api_follows_scope(client, world):
    client.force_login(world.grid_worker)
    body = client.get("/api/people/posts").json()
    assert [p["username"] for p in body["items"]] == ["grid1"]
    client.force_login(world.community_staff)
    usernames = {p["username"] for p in client.get("/api/people/posts").json()["items"]}
    assert usernames == {"grid1", "staff1", "secretary1"}


@scope_test("people_person_lookup")
def test_person_lookup_by_number_goes_by_post_and_stays_in_scope(client, world, alice, faraway):
    client.force_login(world.community_staff)
    # a number in the query string matches nothing: numbers never travel in a URL
    assert client.get("/api/people/persons", {"q": alice.id_number}).json()["count"] == 0
    found = client.post("/api/people/persons/lookup", {"number": alice.id_number}, content_type="application/json")
    assert found.status_code == 200 and [p["id"] for p in found.json()] == [alice.pk]
    assert alice.id_number not in found.content.decode()
    by_phone = client.post("/api/people/persons/lookup", {"number": "138 1234 5678"}, content_type="application/json")
    assert [p["id"] for p in by_phone.json()] == [alice.pk]
    elsewhere = client.post("/api/people/persons/lookup", {"number": faraway.id_number},
                            content_type="application/json")
    assert elsewhere.json() == []
    client.force_login(world.department_handler)
    assert client.post("/api/people/persons/lookup", {"number": alice.id_number},
                       content_type="application/json").json() == []
    assert client.get("/api/people/persons/lookup").status_code in (404, 405)
