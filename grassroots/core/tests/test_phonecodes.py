"""core.phonecodes: codes expire, lock after the attempt limit, throttle resends, obey the limits per phone and
per client address (policy rows), store no plaintext, and reach the phone through the notification backend."""

import datetime as dt
import re

import pytest

from grassroots.core import clock, notifications, phonecodes
from grassroots.core.errors import RateLimited, ValidationFailed
from grassroots.core.models import Event, PhoneCode, PolicySetting
from tests.support.world import login_verified, scope_test

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


def last_code(phone=PHONE) -> str:
    message = next(m for m in notifications.phone_outbox() if m.phone == phone)
    return re.search(r"\d{6}", message.text).group(0)


def send(phone=PHONE, purpose="register", ip="10.0.0.1"):
    return phonecodes.send_code(phone=phone, purpose=purpose, ip=ip)


@pytest.fixture
def now(frozen_now):
    return frozen_now


def test_a_code_reaches_the_test_backend_and_is_accepted_once(django_capture_on_commit_callbacks, now):
    with django_capture_on_commit_callbacks(execute=True):
        row = send()
    code = last_code()
    assert phonecodes.check_code(phone=PHONE, purpose="register", code=code).pk == row.pk
    with pytest.raises(ValidationFailed):
        phonecodes.check_code(phone=PHONE, purpose="register", code=code)


def test_neither_the_phone_nor_the_code_is_stored_or_audited_in_plaintext(django_capture_on_commit_callbacks, now):
    with django_capture_on_commit_callbacks(execute=True):
        row = send()
    code = last_code()
    stored = " ".join(str(v) for v in PhoneCode.objects.filter(pk=row.pk).values().first().values())
    assert PHONE not in stored and code not in stored
    audit = " ".join(str(e.payload) for e in Event.objects.filter(verb__startswith="phonecode."))
    assert PHONE not in audit and code not in audit and "5678" in audit


def test_a_code_for_one_purpose_does_not_serve_another(django_capture_on_commit_callbacks, now):
    with django_capture_on_commit_callbacks(execute=True):
        send(purpose="register")
    with pytest.raises(ValidationFailed):
        phonecodes.check_code(phone=PHONE, purpose="reset", code=last_code())


def test_a_code_expires_after_its_time(django_capture_on_commit_callbacks, now):
    with django_capture_on_commit_callbacks(execute=True):
        send()
    code = last_code()
    clock.freeze(now + dt.timedelta(seconds=phonecodes.DEFAULTS["phonecode.ttl_seconds"] + 1))
    with pytest.raises(ValidationFailed) as err:
        phonecodes.check_code(phone=PHONE, purpose="register", code=code)
    assert err.value.code == "phone_code_expired"


def test_wrong_codes_lock_the_code_at_the_attempt_limit_even_for_the_right_code_after(
        django_capture_on_commit_callbacks, now):
    PolicySetting.objects.create(key="phonecode.max_attempts", value=3)
    with django_capture_on_commit_callbacks(execute=True):
        send()
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for expected in ("phone_code_wrong", "phone_code_wrong", "phone_code_locked"):
        with pytest.raises(ValidationFailed) as err:
            phonecodes.check_code(phone=PHONE, purpose="register", code=wrong)
        assert err.value.code == expected
    with pytest.raises(ValidationFailed) as err:
        phonecodes.check_code(phone=PHONE, purpose="register", code=code)
    assert err.value.code == "phone_code_locked"
    assert Event.objects.filter(verb="phonecode.lock", outcome="failure").count() == 1
    # A locked phone gets no new code until the lock time has passed.
    clock.freeze(now + dt.timedelta(seconds=120))
    with pytest.raises(RateLimited) as err:
        send()
    assert err.value.code == "phone_code_locked"
    clock.freeze(now + dt.timedelta(seconds=phonecodes.DEFAULTS["phonecode.lock_seconds"] + 1))
    send()


def test_a_resend_waits_for_the_throttle_and_then_replaces_the_code(django_capture_on_commit_callbacks, now):
    with django_capture_on_commit_callbacks(execute=True):
        send()
    first = last_code()
    clock.freeze(now + dt.timedelta(seconds=30))
    with pytest.raises(RateLimited) as err:
        send()
    assert err.value.status == 429 and err.value.details["retry_after"] == 30
    clock.freeze(now + dt.timedelta(seconds=61))
    with django_capture_on_commit_callbacks(execute=True):
        send()
    second = last_code()
    if first != second:
        with pytest.raises(ValidationFailed):
            phonecodes.check_code(phone=PHONE, purpose="register", code=first)
    assert phonecodes.check_code(phone=PHONE, purpose="register", code=second)


def test_a_phone_gets_at_most_its_daily_number_of_codes(now):
    PolicySetting.objects.create(key="phonecode.per_phone_per_day", value=2)
    send(purpose="register")
    send(purpose="reset")
    with pytest.raises(RateLimited) as err:
        send(purpose="sign_in")
    assert err.value.code == "phone_code_daily_limit"
    clock.freeze(now + dt.timedelta(days=1, seconds=1))
    send(purpose="sign_in")


def test_one_client_address_gets_at_most_its_hourly_number_of_codes(now):
    PolicySetting.objects.create(key="phonecode.per_ip_per_hour", value=2)
    send(phone="13800000001")
    send(phone="13800000002")
    with pytest.raises(RateLimited) as err:
        send(phone="13800000003")
    assert err.value.code == "phone_code_ip_limit"
    send(phone="13800000003", ip="10.0.0.2")  # another address is not limited by this one


@pytest.mark.parametrize("bad", ["", "12345", "0546-8888888", "1381234567x", "23812345678"])
def test_only_mainland_mobile_numbers_get_codes(bad, now):
    with pytest.raises(ValidationFailed) as err:
        send(phone=bad)
    assert err.value.field == "phone"
    assert not PhoneCode.objects.exists()


def test_a_refused_send_writes_nothing(now):
    send()
    with pytest.raises(RateLimited):
        send()
    assert PhoneCode.objects.count() == 1


def test_a_failing_gateway_is_audited_and_does_not_undo_the_code(settings, django_capture_on_commit_callbacks, now):
    settings.NOTIFICATION_BACKEND = "grassroots.core.phone_gateways.SmsGatewayBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/unreachable"
    with django_capture_on_commit_callbacks(execute=True):
        row = send()
    assert PhoneCode.objects.filter(pk=row.pk).exists()
    assert Event.objects.filter(verb="phonecode.delivery_failed", outcome="failure").exists()


@scope_test("core:outbox")
def test_the_outbox_page_shows_kept_codes_to_the_administrator_only(client, world, settings,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send()
    login_verified(client, world.admin)
    page = client.get("/core/outbox/")
    assert page.status_code == 200 and last_code() in page.content.decode()
    settings.PHONE_OUTBOX_PAGE = False
    assert client.get("/core/outbox/").status_code == 404
    settings.PHONE_OUTBOX_PAGE = True
    for user in (world.community_secretary, world.auditor, world.resident):
        client.force_login(user)
        assert client.get("/core/outbox/").status_code in (404, 302), user  # 302: a second factor is asked first
    client.force_login(world.community_secretary)
    assert client.get("/core/outbox/").status_code == 404


def test_the_limits_hold_at_their_exact_boundaries(django_capture_on_commit_callbacks, now):
    """A code lives ``ttl`` seconds (one second before: accepted; at the second: expired); a resend waits exactly
    ``resend_seconds`` (a second before: refused, one second to wait); one wrong attempt short of the limit leaves
    the right code usable."""
    ttl, resend = phonecodes.DEFAULTS["phonecode.ttl_seconds"], phonecodes.DEFAULTS["phonecode.resend_seconds"]
    PolicySetting.objects.create(key="phonecode.max_attempts", value=3)
    with django_capture_on_commit_callbacks(execute=True):
        send()
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(2):  # limit - 1 wrong attempts
        with pytest.raises(ValidationFailed) as err:
            phonecodes.check_code(phone=PHONE, purpose="register", code=wrong)
        assert err.value.code == "phone_code_wrong"
    clock.freeze(now + dt.timedelta(seconds=ttl - 1))
    assert phonecodes.check_code(phone=PHONE, purpose="register", code=code)

    later = now + dt.timedelta(seconds=ttl + 600)
    clock.freeze(later)
    with django_capture_on_commit_callbacks(execute=True):
        send(ip="10.0.0.2")
    code = last_code()
    clock.freeze(later + dt.timedelta(seconds=resend - 1))
    with pytest.raises(RateLimited) as err:
        send(ip="10.0.0.2")
    assert err.value.details["retry_after"] == 1
    clock.freeze(later + dt.timedelta(seconds=ttl))
    with pytest.raises(ValidationFailed) as err:
        phonecodes.check_code(phone=PHONE, purpose="register", code=code)
    assert err.value.code == "phone_code_expired"
    clock.freeze(later + dt.timedelta(seconds=resend))
    send(ip="10.0.0.2")  # exactly the throttle: allowed
