import pytest

from grassroots.cases.models import Case
from grassroots.cases.tests.factories import make_category
from tests.support.world import centre, scope_test

pytestmark = pytest.mark.django_db


def body(category, **kw):
    lon, lat = centre(0)
    return {"channel": "grid_patrol", "category": category.code, "title": "井盖缺失", "description": "路口井盖丢了",
            "lon": lon, "lat": lat, **kw}


@scope_test("cases_intake")
def test_intake_answers_201_then_200_with_the_same_body_on_retry(world, api):
    category = make_category()
    caller = api(world.grid_worker)
    first = caller.post("/", body(category), HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    again = caller.post("/", body(category), HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Case.objects.count() == 1
    other = caller.post("/", body(category), HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.status_code == 201 and Case.objects.count() == 2


def test_grid_worker_cannot_report_by_patrol_outside_their_grid(world, api):
    category = make_category()
    lon, lat = centre(2)
    response = api(world.grid_worker).post("/", body(category, lon=lon, lat=lat))
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_anonymous_resident_reports_and_gets_a_tracking_code(world, api):
    category = make_category()
    response = api().post("/", body(category, channel="resident", anonymous=True))
    assert response.status_code == 201, response.content
    code = response.json()["tracking_code"]
    assert len(code) >= 10
    tracked = api().post("/track", {"code": code})
    assert tracked.status_code == 200 and tracked.json()["status"] == "reported"
