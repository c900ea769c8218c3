"""Possible duplicates before filing: open cases of the category near a position (selector, API, page fragment)."""

import datetime as dt

import pytest

from grassroots.cases.selectors import nearby_open_cases, public_rounding_m
from grassroots.cases.tests.factories import make_case, make_category, report
from grassroots.core import clock
from grassroots.core.errors import ValidationFailed
from grassroots.core.geo import distance_m
from tests.support.world import centre, scope_test

pytestmark = pytest.mark.django_db

METRE = 1 / 111_195  # degrees of latitude per metre


def test_the_reporter_sees_open_cases_of_the_category_within_50_m_and_72_h_nearest_first(world, frozen_now):
    category = make_category()
    lon, lat = centre(0)
    at_30 = report(world, category=category, lon=lon, lat=lat + 30 * METRE, privacy_requested=True).case
    at_10 = report(world, category=category, lon=lon, lat=lat - 10 * METRE).case
    report(world, category=category, lon=lon, lat=lat + 60 * METRE)  # outside 50 m
    report(world, category=make_category(), lon=lon, lat=lat)  # another category
    make_case(world, "closed", category=category, lon=lon, lat=lat)  # done with
    found = nearby_open_cases(actor=world.grid_worker, category=category.code, lon=lon, lat=lat)
    assert [c.pk for c in found] == [at_10.pk, at_30.pk]
    assert [round(c.distance_m) for c in found] == [10, 30]
    assert not any(c.approximate for c in found)
    assert found[1].title == at_30.title and found[1].category.code == category.code
    clock.freeze(frozen_now + dt.timedelta(hours=73))
    assert nearby_open_cases(actor=world.grid_worker, category=category.code, lon=lon, lat=lat) == []


def test_outside_ones_scope_only_public_cases_show_on_their_rounded_position(world, frozen_now):
    category = make_category()
    lon, lat = centre(0)
    # ~35 m east of the grid's centre: its public position is rounded back to the centre (3 decimals).
    public = report(world, category=category, lon=lon + 0.0004, lat=lat).case
    private = report(world, category=category, lon=lon + 0.0004, lat=lat, privacy_requested=True).case
    assert (public.public_lon, public.public_lat) == (round(lon, 3), round(lat, 3))
    query = (lon + 0.0009, lat)  # 44 m from the exact position, 79 m from the public one
    for actor in (None, world.grid_worker3, world.department_handler, world.resident):
        found = nearby_open_cases(actor=actor, category=category.code, lon=query[0], lat=query[1])
        assert [c.pk for c in found] == [public.pk], actor
        assert found[0].approximate
        assert round(found[0].distance_m) == round(distance_m(*query, public.public_lon, public.public_lat))
    # The community's staff see both on their exact positions.
    found = nearby_open_cases(actor=world.community_staff, category=category.code, lon=query[0], lat=query[1])
    assert {c.pk for c in found} == {public.pk, private.pk} and not any(c.approximate for c in found)
    # The widened radius is the public grid's half diagonal: a public case farther than that is not suggested.
    assert 60 < public_rounding_m(lat) < 80
    far = (lon + (50 + public_rounding_m(lat) + 5) / (111_195 * 0.794), lat)
    assert nearby_open_cases(actor=None, category=category.code, lon=far[0], lat=far[1]) == []


def test_bad_input_is_refused_with_a_reason(world, frozen_now):
    lon, lat = centre(0)
    with pytest.raises(ValidationFailed) as err:
        nearby_open_cases(actor=None, category="NOPE", lon=lon, lat=lat)
    assert err.value.field == "category"
    for bad in [("x", lat), (lon, None), (float("nan"), lat), (lon, 95.0)]:
        with pytest.raises(ValidationFailed) as err:
            nearby_open_cases(actor=None, category=make_category().code, lon=bad[0], lat=bad[1])
        assert err.value.field == "position"


@scope_test("cases_nearby")
def test_api_nearby_shows_titles_only_of_cases_the_caller_may_see(world, frozen_now, api):
    category = make_category()
    lon, lat = centre(0)
    public = report(world, category=category, lon=lon, lat=lat + 10 * METRE).case
    private = report(world, category=category, lon=lon, lat=lat + 5 * METRE, privacy_requested=True).case
    params = {"category": category.code, "lon": lon, "lat": lat}
    mine = api(world.grid_worker).get("/nearby", **params)
    assert mine.status_code == 200, mine.content
    assert [(r["id"], r["title"], r["approximate"]) for r in mine.json()] == [
        (private.pk, private.title, False), (public.pk, public.title, False)]
    assert mine.json()[0]["distance_m"] == 5
    for caller in (api(), api(world.grid_worker3), api(world.department_handler)):
        rows = caller.get("/nearby", **params).json()
        assert [(r["id"], r["title"], r["approximate"]) for r in rows] == [(public.pk, "", True)]
        assert "reporter" not in str(rows) and "description" not in rows[0]
    bad = api().get("/nearby", category="NOPE", lon=lon, lat=lat)
    assert bad.status_code == 400 and bad.json()["field"] == "category"


def test_intake_answers_without_suggestions(world, frozen_now, api):
    category = make_category()
    lon, lat = centre(0)
    report(world, category=category, lon=lon, lat=lat)
    body = {"channel": "grid_patrol", "category": category.code, "title": "井盖缺失", "lon": lon, "lat": lat}
    response = api(world.grid_worker).post("/", body)
    assert response.status_code == 201
    assert set(response.json()) == {"id", "reference", "status", "tracking_code", "notice", "notice_en"}


@scope_test("cases:nearby")
def test_the_intake_forms_ask_for_the_fragment_and_it_lists_what_the_visitor_may_open(client, world, frozen_now):
    category = make_category("0102", name="积存垃圾渣土")
    lon, lat = centre(0)
    public = report(world, category=category, lon=lon, lat=lat + 10 * METRE).case
    private = report(world, category=category, lon=lon, lat=lat + 5 * METRE, privacy_requested=True).case
    page = client.get("/cases/report/")
    assert 'data-nearby-url="/cases/nearby/"' in page.content.decode() and "data-nearby" in page.content.decode()
    params = {"category": "0102 积存垃圾渣土", "lon": lon, "lat": lat, "crs": "wgs84"}
    anonymous = client.get("/cases/nearby/", params).content.decode()
    assert public.reference in anonymous and f"/cases/public/{public.pk}/" in anonymous
    assert private.reference not in anonymous and public.title not in anonymous and "约" in anonymous
    client.force_login(world.grid_worker)
    mine = client.get("/cases/nearby/", params).content.decode()
    assert f"/cases/{private.pk}/" in mine and private.title in mine and "5 米" in mine
    # Incomplete or bad input: nothing to show, no error page.
    for partial in ({"category": "0102"}, {"lon": lon, "lat": lat}, {**params, "lat": "north"}):
        response = client.get("/cases/nearby/", partial)
        assert response.status_code == 200 and "nearby-cases" not in response.content.decode()
