"""The second factor binds every credential: personal API tokens of users whose posts require TOTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.core.errors import NotPermitted
from grassroots.core.scope import forget
from grassroots.people import tokens
from grassroots.people.models import ApiToken, Post
from tests.support.world import issue_token, login_verified

pytestmark = pytest.mark.django_db


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def gain_post(user, role, region):
    Post.objects.create(user=user, role=role, region=region, start_date=dt.date(2020, 1, 1))
    forget(user)


def test_a_token_made_before_its_user_gained_a_second_factor_post_stops_until_a_device_is_enrolled(client, world):
    user = world.grid_worker
    _, secret = tokens.token_create(actor=user, name="巡查终端")
    assert client.get("/api/core/me", **bearer(secret)).status_code == 200
    gain_post(user, "subdistrict_officer", world.s1)

    for path in ("/api/core/me", "/api/cases/", "/api/people/persons"):
        refused = client.get(path, **bearer(secret))
        assert refused.status_code == 403, (path, refused.content)
        assert refused.json()["code"] == "second_factor_required"

    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    me = client.get("/api/core/me", **bearer(secret))
    assert me.status_code == 200
    assert me.json()["credential"] == "token" and me.json()["second_factor_verified"] is True


def test_an_unconfirmed_device_does_not_unlock_a_token(client, world):
    _, secret = tokens.token_create(actor=world.grid_worker, name="巡查终端")
    gain_post(world.grid_worker, "zone_leader", world.zone)
    TOTPDevice.objects.create(user=world.grid_worker, name="phone", confirmed=False)
    assert client.get("/api/core/me", **bearer(secret)).status_code == 403


@pytest.mark.parametrize("role", ["zone_leader", "subdistrict_officer", "admin", "auditor"])
def test_creating_a_token_for_a_second_factor_post_needs_a_verified_session(world, role):
    user = getattr(world, role)
    with pytest.raises(NotPermitted) as refused:
        tokens.token_create(actor=user, name="终端")
    assert refused.value.code == "second_factor_required"
    assert not ApiToken.objects.filter(user=user).exists()


def test_the_token_page_creates_a_token_once_the_second_factor_was_entered(client, world):
    login_verified(client, world.zone_leader)
    response = client.post(reverse("tokens"), {"name": "大屏", "valid_days": "30"})
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=world.zone_leader).count() == 1


def test_a_second_factor_user_without_a_verified_session_is_sent_to_enrol_before_the_token_page(client, world):
    client.force_login(world.zone_leader)
    response = client.post(reverse("tokens"), {"name": "大屏", "valid_days": "30"})
    assert response.status_code == 302 and reverse("otp_setup") in response["Location"]
    assert not ApiToken.objects.exists()


def test_a_token_of_an_enrolled_user_works_and_says_so(client, world):
    secret = issue_token(world.zone_leader)
    me = client.get("/api/core/me", **bearer(secret)).json()
    assert me["credential"] == "token" and me["second_factor_verified"] is True
    plain = issue_token(world.grid_worker)
    me = client.get("/api/core/me", **bearer(plain)).json()
    assert me["credential"] == "token" and me["second_factor_verified"] is False


def test_an_open311_key_of_a_user_who_must_enrol_is_refused(client, world):
    _, key = tokens.token_create(actor=world.hotline_operator, name="open311:fixmystreet")
    gain_post(world.hotline_operator, "zone_leader", world.zone)
    response = client.post("/open311/v2/requests.json", {"api_key": key, "service_code": "x"})
    assert response.status_code == 403
