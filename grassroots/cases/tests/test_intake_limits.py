"""One description limit for every channel (in the intake service), and an ``Idempotency-Key`` that is never cut
and never returns a case for a different body."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.cases import services
from grassroots.cases.models import Case, IdempotencyKey
from grassroots.cases.states import Channel
from grassroots.cases.tests.factories import make_category
from grassroots.core.errors import ValidationFailed
from grassroots.core.models import PolicySetting
from grassroots.core.policy import invalidate
from grassroots.people.tokens import token_create
from tests.support.world import centre, make_user

pytestmark = pytest.mark.django_db


def body(category, **kw):
    lon, lat = centre(0)
    return {"channel": "grid_patrol", "category": category.code, "title": "井盖缺失", "description": "路口井盖丢了",
            "lon": lon, "lat": lat, **kw}


def test_an_idempotency_key_longer_than_its_column_is_refused_not_cut(world, api):
    category = make_category()
    caller = api(world.grid_worker)
    long_key = "k" * 100 + "-first"
    response = caller.post("/", body(category), HTTP_IDEMPOTENCY_KEY=long_key)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "idempotency_key_too_long"
    assert not Case.objects.exists() and not IdempotencyKey.objects.exists()
    assert caller.post("/", body(category), HTTP_IDEMPOTENCY_KEY="k" * 100).status_code == 201


def test_a_key_reused_with_a_different_body_is_a_conflict_naming_the_first_case(world, api):
    category = make_category()
    caller = api(world.grid_worker)
    first = caller.post("/", body(category), HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    same = caller.post("/", body(category), HTTP_IDEMPOTENCY_KEY="k-1")
    assert same.status_code == 200 and same.json() == first.json()
    other = caller.post("/", body(category, title="路灯不亮"), HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 409, other.content
    error = other.json()
    assert error["code"] == "idempotency_key_reused"
    assert error["details"]["reference"] == first.json()["reference"]
    assert Case.objects.count() == 1


def test_one_description_limit_holds_for_the_api_the_service_and_open311(client, world, api):
    category = make_category(parent=make_category("E01", name="市容环境"))
    PolicySetting.objects.create(key="case_description_max_chars", value=50)
    invalidate()
    lon, lat = centre(0)
    with pytest.raises(ValidationFailed) as refused:
        services.case_report(actor=world.grid_worker, channel=Channel.GRID_PATROL, category=category,
                             title="渣土", description="长" * 51, lon=lon, lat=lat)
    assert refused.value.field == "description"
    response = api(world.grid_worker).post("/", body(category, description="长" * 51))
    assert response.status_code == 400 and response.json()["field"] == "description"
    owner = make_user("fms_client", role=None)
    _, key = token_create(actor=owner, name="open311:fixmystreet")
    lon1, lat1 = centre(1)
    open311 = client.post("/open311/v2/requests.json", {
        "api_key": key, "service_code": category.code, "lat": str(lat1), "long": str(lon1),
        "description": "长" * 51})
    assert open311.status_code == 400
    assert not Case.objects.exists()
    ok = api(world.grid_worker).post("/", body(category, description="长" * 50))
    assert ok.status_code == 201


def test_the_report_page_shows_the_description_limit_error_next_to_the_field(client, world):
    make_category("0102", name="积存垃圾渣土")
    PolicySetting.objects.create(key="case_description_max_chars", value=10)
    invalidate()
    lon, lat = centre(0)
    response = client.post(reverse("cases:report_new"), {"category": "0102", "title": "渣土", "lon": lon, "lat": lat,
                                                         "crs": "wgs84", "description": "长" * 11})
    assert response.status_code == 200
    assert "10" in response.content.decode() and not Case.objects.exists()
