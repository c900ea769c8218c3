"""A token client (no cookies, no CSRF token) can POST to the API with ``Authorization: Bearer``."""

import json

import pytest
from django.test import Client

from grassroots.cases.models import Case
from grassroots.cases.tests.factories import make_category
from grassroots.people.tokens import token_create
from tests.support.world import centre

pytestmark = pytest.mark.django_db


def test_bearer_token_posts_without_csrf_and_session_posts_still_need_it(world):
    category = make_category()
    lon, lat = centre(0)
    payload = {"channel": "grid_patrol", "category": category.code, "title": "井盖破损", "description": "路口井盖松动",
               "lon": lon, "lat": lat}
    _, secret = token_create(actor=world.grid_worker, name="巡查终端")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/cases/", json.dumps(payload), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 201, response.content
    assert Case.objects.get().channel == "grid_patrol"
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.grid_worker)
    refused = browser.post("/api/cases/", json.dumps(payload), content_type="application/json")
    assert refused.status_code in (401, 403) and Case.objects.count() == 1
