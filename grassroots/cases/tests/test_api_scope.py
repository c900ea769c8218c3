"""Every API operation of cases has its scope test here (or in test_api_intake.py)."""

import pytest

from grassroots.cases.models import Case
from grassroots.cases.states import Status
from grassroots.cases.tests.factories import make_case, report
from tests.support.world import scope_test

pytestmark = pytest.mark.django_db

ACTIONS = ["accept", "reject", "mark_duplicate", "resolve_on_site", "dispatch", "escalate", "supervise",
           "acknowledge", "return", "note", "part_done", "handle", "verify_pass", "verify_fail", "rate", "reopen",
           "decline_reopen", "request_extension", "approve_extension", "decline_extension", "suspend", "resume"]
BODIES = {"reject": {"reason": "x"}, "mark_duplicate": {"original": 1}, "dispatch": {"lead": 1},
          "note": {"text": "x"}, "handle": {"result": "x"}, "rate": {"resolved": True, "satisfaction": "satisfied"},
          "request_extension": {"amount": 1, "unit": "hours", "reason": "x"},
          "approve_extension": {"extension": 1}, "decline_extension": {"extension": 1},
          "suspend": {"reason": "x", "review_date": "2099-01-01"}}


@scope_test(*[f"cases_{verb}" for verb in ACTIONS])
@pytest.mark.parametrize("verb", ACTIONS)
def test_every_action_on_a_case_outside_the_actors_scope_is_not_found(world, frozen_now, api, verb):
    case = make_case(world, Status.IN_PROGRESS)
    before = Case.objects.filter(pk=case.pk).values_list("status", "updated_at").get()
    for outsider in (world.other_staff, world.department_handler2, world.resident3):
        response = api(outsider).post(f"/{case.pk}/{verb}", BODIES.get(verb, {}))
        assert response.status_code == 404, (outsider, response.content)
    assert Case.objects.filter(pk=case.pk).values_list("status", "updated_at").get() == before


def test_an_action_in_scope_answers_with_the_case_and_a_wrong_state_with_409(world, frozen_now, api):
    case = make_case(world, Status.REPORTED)
    staff = api(world.community_staff)
    response = staff.post(f"/{case.pk}/accept", {"public_summary": "路边垃圾"})
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    again = staff.post(f"/{case.pk}/accept", {})
    assert again.status_code == 409
    # the code is never taken from a URL: the old paths are gone (a JSON 404, like any unknown /api/ URL)
    assert api().get(f"/track/{case.tracking_code}").status_code == 404
    assert api().post(f"/track/{case.tracking_code}/rate", {"resolved": True,
                                                            "satisfaction": "satisfied"}).status_code == 404
    assert again.json()["details"]["current_state"] == "accepted"
    forbidden = api(world.grid_worker).post(f"/{case.pk}/dispatch", {"lead": world.dept_city.pk})
    assert forbidden.status_code == 403
    ok = staff.post(f"/{case.pk}/dispatch", {"lead": world.dept_city.pk, "co_handlers": [world.dept_housing.pk]})
    assert ok.status_code == 200 and ok.json()["status"] == "dispatched"


@scope_test("cases_list", "cases_detail", "cases_timeline")
def test_lists_leave_out_and_details_hide_cases_outside_the_scope(world, frozen_now, api):
    mine = make_case(world, Status.IN_PROGRESS)
    other = report(world, channel="hotline", grid_index=3).case
    dept = api(world.department_handler)
    listing = dept.get("/")
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["items"]] == [mine.pk]
    assert dept.get(f"/{mine.pk}").status_code == 200
    assert dept.get(f"/{other.pk}").status_code == 404
    assert dept.get(f"/{other.pk}/timeline").status_code == 404
    timeline = dept.get(f"/{mine.pk}/timeline").json()
    assert [e["verb"] for e in timeline][:2] == ["report", "accept"]
    assert api().get("/").status_code == 401


def test_a_resident_sees_their_own_case_without_the_audit_details(world, frozen_now, api):
    case = report(world, channel="resident", reporter=world.resident, reporter_contact="13900001111").case
    body = api(world.resident).get(f"/{case.pk}").json()
    assert body["tracking_code"] == case.tracking_code
    assert all(e["payload"] == {} and e["actor"] == "" for e in body["timeline"])
    staff_view = api(world.community_staff).get(f"/{case.pk}").json()
    assert staff_view["reporter_contact"] == "139****1111" and staff_view["tracking_code"] == ""


@scope_test("cases_inbox", "cases_inbox_counts")
def test_inbox_shows_only_the_actors_own_queue(world, frozen_now, api):
    case = make_case(world, Status.DISPATCHED)
    assert [r["id"] for r in api(world.department_handler).get("/inbox/to_acknowledge").json()["items"]] == [case.pk]
    assert api(world.department_handler2).get("/inbox/to_acknowledge").json()["items"] == []
    assert api(world.department_handler).get("/inbox").json()["to_acknowledge"] == 1
    assert api(world.department_handler2).get("/inbox").json()["to_acknowledge"] == 0


@scope_test("cases_public_list", "cases_public_detail")
def test_the_public_view_shows_public_cases_and_public_fields_only(world, frozen_now, api):
    public = report(world, title="原话不公开", reporter_contact="13900001111").case
    private = report(world, privacy_requested=True).case
    listing = api().get("/public").json()["items"]
    assert [r["id"] for r in listing] == [public.pk]
    assert "原话不公开" not in str(listing) and "1390000" not in str(listing)
    assert api().get(f"/public/{public.pk}").status_code == 200
    assert api().get(f"/public/{private.pk}").status_code == 404


@scope_test("cases_track", "cases_track_rate")
def test_tracking_code_lookup_and_rating_need_the_right_code(world, frozen_now, api):
    case = make_case(world, Status.CLOSED, channel="resident", reporter=None, anonymous=True)
    assert api().post("/track", {"code": "ABCDEFGHJK23"}).status_code == 404
    assert api().post("/track/rate", {"code": "ABCDEFGHJK23", "resolved": True,
                                      "satisfaction": "satisfied"}).status_code == 404
    seen = api().post("/track", {"code": case.tracking_code}).json()
    assert seen["can_rate"] is True and seen["status"] == "closed"
    rated = api().post("/track/rate", {"code": case.tracking_code, "resolved": False, "satisfaction": "unsatisfied"})
    assert rated.status_code == 200 and rated.json()["can_rate"] is False
    again = api().post("/track/rate", {"code": case.tracking_code, "resolved": True, "satisfaction": "satisfied"})
    assert again.status_code == 409
