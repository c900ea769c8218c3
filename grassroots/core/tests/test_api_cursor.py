"""Lists of the API page by key as well as by number (core.pagination): the cursors walk every row once in both
directions, the last page is reachable without counting, and a list whose order is not keyable refuses a cursor
with a 400 naming it."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.cases.tests.factories import make_category, report
from grassroots.core import clock, keyset
from grassroots.core.pagination import keyset_order
from grassroots.people.models import Person
from tests.support.world import issue_token

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"}


def _walk(client, path, headers, size, start=None, link="next"):
    ids, cursor, pages = [], start, 0
    params = {"page_size": size}
    while True:
        body = client.get(path, {**params, **({"cursor": cursor} if cursor else {})}, **headers).json()
        pages += 1
        ids.extend(row["id"] for row in (reversed(body["items"]) if link == "previous" else body["items"]))
        cursor = body[link]
        if not cursor:
            return ids, pages


def test_cases_walk_by_cursor_forwards_and_backwards_and_meet_the_numbered_pages(client, world):
    category = make_category()
    base = clock.now()
    for i in range(11):
        with clock.frozen_at(base + dt.timedelta(minutes=i // 2)):  # pairs share reported_at: ties broken by id
            report(world, category=category, title=f"井盖缺失{i}")
    headers = bearer(world.community_staff)
    numbered = [r["id"] for p in (1, 2, 3) for r in client.get("/api/cases/", {"page": p, "page_size": 4},
                                                               **headers).json()["items"]]
    forward, pages = _walk(client, "/api/cases/", headers, 4)
    assert forward == numbered and len(forward) == 11 and len(set(forward)) == 11 and pages == 3
    first = client.get("/api/cases/", {"page_size": 4}, **headers).json()
    assert first["count"] == 11 and first["next"] and first["previous"] is None
    backward, _ = _walk(client, "/api/cases/", headers, 4, start=first["last"], link="previous")
    assert list(reversed(backward)) == forward
    last = client.get("/api/cases/", {"page_size": 4, "cursor": first["last"]}, **headers).json()
    assert [r["id"] for r in last["items"]] == forward[-4:] and last["count"] is None and last["next"] is None
    again = client.get("/api/cases/", {"page_size": 4, "cursor": first["first"]}, **headers).json()
    assert [r["id"] for r in again["items"]] == forward[:4] and again["count"] is None and again["previous"] is None


def test_a_cursor_from_page_two_continues_where_page_two_ends(client, world):
    category = make_category()
    for i in range(7):
        report(world, category=category, title=f"路灯不亮{i}")
    headers = bearer(world.community_staff)
    two = client.get("/api/cases/", {"page": 2, "page_size": 3}, **headers).json()
    three = client.get("/api/cases/", {"page": 3, "page_size": 3}, **headers).json()
    after = client.get("/api/cases/", {"page_size": 3, "cursor": two["next"]}, **headers).json()
    before = client.get("/api/cases/", {"page_size": 3, "cursor": two["previous"]}, **headers).json()
    one = client.get("/api/cases/", {"page": 1, "page_size": 3}, **headers).json()
    assert [r["id"] for r in after["items"]] == [r["id"] for r in three["items"]]
    assert [r["id"] for r in before["items"]] == [r["id"] for r in one["items"]]


def test_a_cursor_only_reads_rows_in_the_actors_scope(client, world):
    category = make_category()
    for i in range(3):
        report(world, category=category, title=f"占道经营{i}", grid_index=0)
        report(world, category=category, title=f"占道经营乙{i}", grid_index=2, reporter=world.grid_worker3)
    mine = _walk(client, "/api/cases/", bearer(world.grid_worker), 2)[0]
    theirs = _walk(client, "/api/cases/", bearer(world.grid_worker3), 2)[0]
    assert len(mine) == len(theirs) == 3 and not set(mine) & set(theirs)
    numbered = client.get("/api/cases/", {"page_size": 100}, **bearer(world.grid_worker)).json()
    assert sorted(mine) == sorted(r["id"] for r in numbered["items"])


def test_persons_page_by_key_too(client, world):
    for i in range(5):
        Person.objects.create(name=f"居民{i}", region=world.g1)
    headers = bearer(world.community_staff)
    walked, _ = _walk(client, "/api/people/persons", headers, 2)
    numbered = [r["id"] for r in client.get("/api/people/persons", {"page_size": 100}, **headers).json()["items"]]
    assert walked == numbered


@pytest.mark.parametrize("cursor", ["%%%", "bm90IGpzb24", keyset.encode(keyset.AFTER, ("x", "y")) + "!", "A" * 600])
def test_a_malformed_cursor_is_a_400_naming_it(client, world, cursor):
    response = client.get("/api/cases/", {"cursor": cursor}, **bearer(world.community_staff))
    assert response.status_code == 400, response.content
    body = response.json()
    assert "cursor" in str(body.get("field", "")) + str(body.get("errors", ""))


def test_orders_that_cannot_page_by_key_are_recognised():
    from grassroots.cases.models import Case, Category

    assert keyset_order(Case.objects.all()) == ("-reported_at", "-id")
    assert keyset_order(Case.objects.order_by("id")) == ("id", "id")
    assert keyset_order(Case.objects.order_by("-closed_at", "-id")) is None  # nullable
    assert keyset_order(Case.objects.order_by("reported_at", "-id")) is None  # mixed directions
    assert keyset_order(Category.objects.all()) is None  # ("sort_order", "code"): no id last
    assert keyset_order(Case.objects.values("id")) is None
