"""What every API operation shares at its edge: bounded pagination, refused characters, documented errors, CSRF
refusals in the platform's format."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.support.world import issue_token

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"}


@pytest.mark.parametrize("path", ["/api/cases/", "/api/people/persons", "/api/deliberation/resolutions",
                                  "/api/property/firms", "/api/lifecircle/items"])
def test_a_page_number_no_database_holds_is_a_400_naming_it_and_a_page_past_the_rows_is_empty(client, world,
                                                                                                path):
    headers = bearer(world.community_staff)
    huge = client.get(path, {"page": "9223372036854775807"}, **headers)
    assert huge.status_code == 400, huge.content
    body = huge.json()
    assert body["code"] == "invalid" and any("page" in e["loc"] for e in body["errors"])
    past = client.get(path, {"page": "999999"}, **headers)
    assert past.status_code == 200, past.content
    assert past.json()["items"] == []


@pytest.mark.parametrize("path", ["/api/party/members", "/api/party/orgs", "/api/territory/compounds"])
def test_an_offset_no_database_holds_is_a_400_naming_it_and_one_past_the_rows_is_empty(client, world, path):
    headers = bearer(world.community_staff)
    huge = client.get(path, {"offset": "9223372036854775807"}, **headers)
    assert huge.status_code == 400, huge.content
    assert any("offset" in e["loc"] for e in huge.json()["errors"])
    past = client.get(path, {"offset": "400000000"}, **headers)
    assert past.status_code == 200, past.content
    assert past.json()["items"] == []


def test_nul_in_a_query_string_is_refused_at_the_edge(client, world):
    response = client.get("/api/people/persons", {"q": "张\x00三"}, **bearer(world.community_staff))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_characters"


@pytest.mark.parametrize("text", ['"\\u0000"', '"a\\ud800b"', '"\\udc00"'])
def test_nul_and_lone_surrogates_in_a_json_body_are_refused(client, world, text):
    body = '{"channel": "grid_patrol", "title": ' + text + ', "description": "x", "lon": 118.5, "lat": 37.4}'
    response = client.post("/api/cases/", body, content_type="application/json", **bearer(world.grid_worker))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_characters"


def test_a_surrogate_pair_is_an_ordinary_character_and_passes_the_guard(client, world):
    body = json.dumps({"title": "😀"}, ensure_ascii=True)  # "\ud83d\ude00"
    assert "\\ud83d\\ude00" in body
    response = client.post("/api/cases/", body, content_type="application/json", **bearer(world.grid_worker))
    assert response.status_code == 400 and response.json()["code"] != "invalid_characters"


def test_nul_in_a_form_field_is_refused_on_pages_too(client, world):
    client.force_login(world.community_staff)
    response = client.post("/people/persons/new/", {"name": "张\x00三"})
    assert response.status_code == 400
    assert "无法保存的字符" in response.content.decode()


def test_every_operation_documents_its_error_responses_with_the_one_error_schema(client):
    schema = client.get("/api/openapi.json").json()
    assert "Error" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404", "409"):
                response = operation["responses"].get(status) or operation["responses"].get(int(status))
                assert response, (method, path, status)
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_schema_names_are_unique_so_no_operation_shows_another_apps_schema(client):
    """Ninja names a component after its class: two classes of one name share one entry, and one app's operation
    is then documented with the other app's schema."""
    from ninja import Schema

    client.get("/api/openapi.json")  # every router (and so every schema class) is imported
    seen: dict[str, set[str]] = {}
    stack = list(Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith(("grassroots.", "config.")) and ".tests" not in cls.__module__:
            seen.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: where for name, where in seen.items() if len(where) > 1} == {}


def test_a_csrf_failure_on_the_api_answers_in_the_platforms_error_format(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.grid_worker)
    response = browser.post("/api/cases/", "{}", content_type="application/json")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "csrf_failed" and body["message_en"]


@pytest.mark.parametrize("path", ["/api/people/persons", "/api/core/me", "/api/cases/"])
def test_api_answers_carrying_personal_data_are_never_stored(client, world, path):
    response = client.get(path, **bearer(world.community_staff))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    refused = client.get("/api/people/persons/999999", **bearer(world.community_staff))
    assert refused.status_code == 404 and refused["Cache-Control"] == "no-store"


def test_a_malformed_id_in_an_api_path_is_a_json_404(client, world):
    response = client.get("/api/people/persons/abc", **bearer(world.community_staff))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json") and response.json()["code"] == "not_found"
    page = client.get("/people/nothing-here/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_a_year_no_calendar_holds_is_a_400_naming_it(client, world):
    response = client.get("/api/property/meetings", {"year": "28045043"}, **bearer(world.community_staff))
    assert response.status_code == 400
    assert any("year" in e["loc"] for e in response.json()["errors"])
    assert client.get("/api/property/meetings", {"year": "2026"}, **bearer(world.community_staff)).status_code == 200
