import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.core import clock
from grassroots.core.models import Event
from tests.support.world import login_verified, scope_test


def sign_in(client, username, password, ip="127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_sign_in_writes_a_login_event_with_the_client_address(client, world):
    response = sign_in(client, "grid1", world.password, ip="10.1.2.3")
    assert response.status_code == 302
    event = Event.objects.get(verb="auth.login")
    assert (event.actor_id, event.ip, event.outcome) == (world.grid_worker.pk, "10.1.2.3", "success")


def test_failed_sign_in_writes_a_failure_event_naming_the_username(client, world):
    response = sign_in(client, "grid1", "wrong-Password1", ip="10.1.2.4")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    event = Event.objects.get(verb="auth.login_failed")
    assert (event.actor_id, event.actor_label, event.outcome, event.ip) == (None, "grid1", "failure", "10.1.2.4")
    assert event.object_id == str(world.grid_worker.pk)


def test_sign_out_is_a_post_and_writes_a_logout_event(client, world):
    client.force_login(world.grid_worker)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert Event.objects.filter(verb="auth.logout", actor=world.grid_worker).exists()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_username_even_from_another_address(client, world):
    for _ in range(5):
        sign_in(client, "grid1", "wrong-Password1", ip="10.0.0.1")
    response = sign_in(client, "grid1", world.password, ip="10.9.9.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "锁定" in response.content.decode()
    assert Event.objects.filter(verb="auth.locked_out", actor_label="grid1", outcome="denied").exists()


def test_a_locked_username_does_not_lock_others_behind_the_same_address(client, world):
    for _ in range(5):
        sign_in(client, "grid1", "wrong-Password1", ip="10.0.0.1")
    response = sign_in(client, "grid3", world.password, ip="10.0.0.1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.grid_worker3.pk)


def test_four_failures_do_not_lock(client, world):
    for _ in range(4):
        sign_in(client, "grid1", "wrong-Password1")
    assert sign_in(client, "grid1", world.password).status_code == 302


@pytest.mark.parametrize(("password", "ok"), [
    ("Qmzt8vbnK", True),      # upper, lower, digit
    ("qmzt8vb!x", True),      # lower, digit, symbol
    ("qmztvbnk8", False),     # two classes
    ("QMZTVBNKX", False),     # one class
    ("Ab1!", False),          # too short
])
def test_passwords_need_eight_characters_of_three_classes(db, password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_an_idle_session_is_signed_out(client, world):
    client.force_login(world.grid_worker)
    assert client.get(reverse("notifications")).status_code == 200
    clock.shift(dt.timedelta(minutes=29))
    assert client.get(reverse("notifications")).status_code == 200  # activity renews the session
    clock.shift(dt.timedelta(minutes=31))
    response = client.get(reverse("notifications"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login")) and "timeout=1" in response["Location"]
    assert "_auth_user_id" not in client.session
    assert Event.objects.get(verb="auth.idle_timeout", actor=world.grid_worker).ip == "127.0.0.1"


@pytest.mark.parametrize("role_user", ["admin", "auditor", "zone_leader", "subdistrict_officer"])
def test_privileged_roles_must_pass_the_second_factor_first(client, world, role_user):
    user = getattr(world, role_user)
    client.force_login(user)
    response = client.get(reverse("notifications"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_setup"))
    assert client.get("/api/core/me").status_code == 401
    # An API token would bypass the second factor: the tokens page waits for verification too.
    assert client.post(reverse("tokens"), {"name": "x", "valid_days": "30"}).status_code == 302
    assert not user.api_tokens.exists()


@pytest.mark.parametrize("role_user", ["grid_worker", "community_staff", "resident"])
def test_other_roles_need_no_second_factor(client, world, role_user):
    client.force_login(getattr(world, role_user))
    assert client.get(reverse("notifications")).status_code == 200
    assert client.get("/api/core/me").status_code == 200


def test_totp_enrolment_and_verification(client, world):
    leader = world.zone_leader
    response = sign_in(client, "leader", world.password)
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_setup"))
    page = client.get(reverse("otp_setup"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=leader, confirmed=False)

    wrong = client.post(reverse("otp_setup"), {"token": "000000" if totp(device.bin_key) != 0 else "111111"})
    assert wrong.status_code == 200
    assert Event.objects.filter(verb="auth.otp_verify", outcome="failure", actor=leader).exists()
    assert client.get("/api/core/me").status_code == 401

    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp throttles guessing; lift it rather than wait
    device.throttle_reset()
    token = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("otp_setup") + "?next=/notifications/", {"token": token})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    device.refresh_from_db()
    assert device.confirmed
    assert Event.objects.filter(verb="auth.otp_enrol", actor=leader).exists()
    assert client.get(reverse("notifications")).status_code == 200
    me = client.get("/api/core/me").json()
    assert me["roles"] == ["zone_leader"] and me["second_factor_verified"] is True


def test_a_confirmed_device_is_asked_for_at_the_next_sign_in(client, world):
    device = TOTPDevice.objects.create(user=world.subdistrict_officer, name="default", confirmed=True)
    sign_in(client, "street1", world.password)
    page = client.get(reverse("otp_setup"))
    assert page.status_code == 200 and "<svg" not in page.content.decode()
    response = client.post(reverse("otp_setup"), {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    assert client.get(reverse("notifications")).status_code == 200


def test_otp_next_parameter_cannot_leave_the_site(client, world):
    device = TOTPDevice.objects.create(user=world.zone_leader, name="default", confirmed=True)
    client.force_login(world.zone_leader)
    response = client.post(reverse("otp_setup") + "?next=https://evil.example/", {"token": f"{totp(device.bin_key):06d}"})
    assert response["Location"] == "/"


def test_the_auditor_cannot_open_the_admin_site_even_as_staff(client, world):
    world.auditor.is_staff = True
    world.auditor.save()
    login_verified(client, world.auditor)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get("/admin/core/holiday/").status_code == 302


def test_the_administrator_opens_the_admin_site_after_the_second_factor(client, world):
    client.force_login(world.admin)
    assert client.get("/admin/").status_code == 302  # to the second factor
    login_verified(client, world.admin)
    assert client.get("/admin/").status_code == 200


def test_the_auditor_has_no_business_scope(client, world):
    login_verified(client, world.auditor)
    me = client.get("/api/core/me").json()
    assert me["roles"] == ["auditor"]
    assert me["region_paths"] == [] and me["organization_ids"] == []
    page = client.get(reverse("home")).content.decode()
    assert reverse("core:audit") in page


@scope_test("core_me")
def test_core_me_describes_only_the_callers_own_scope(client, world):
    client.force_login(world.community_staff)
    me = client.get("/api/core/me").json()
    assert me["username"] == "staff1"
    assert me["roles"] == ["community_staff"]
    assert me["region_paths"] == [world.c1.path]
    client.logout()
    assert client.get("/api/core/me").status_code == 401


def test_login_page_redirects_signed_in_users_and_shows_the_timeout_notice(client, world):
    page = client.get(reverse("login") + "?timeout=1")
    assert "自动退出" in page.content.decode()
    client.force_login(world.grid_worker)
    assert client.get(reverse("login")).status_code == 302


def test_the_auditor_sees_no_business_pages_or_data(client, world):
    login_verified(client, world.auditor)
    assert client.get(reverse("territory:region_detail", args=[world.g1.code])).status_code == 404
    assert client.get("/api/territory/regions/" + world.g1.code).status_code == 404


def test_the_administrator_sees_no_business_data_through_the_pages(client, world):
    login_verified(client, world.admin)
    assert client.get(reverse("territory:region_detail", args=[world.g1.code])).status_code == 404
