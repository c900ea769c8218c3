"""One-time codes sent to a phone number: registration, sign-in, password reset (docs/personal-data.md § Phone
codes).

``send_code(phone=, purpose=)`` makes a code, stores only its keyed hash and the phone's blind index, and hands
the text to the notification backend's ``send_to_phone`` after commit. ``check_code(phone=, purpose=, code=)``
accepts the newest live code once. The limits are policy rows (``core.policy``), defaults in ``DEFAULTS``:

* a code expires ``phonecode.ttl_seconds`` after it was sent;
* ``phonecode.max_attempts`` wrong entries lock it (a new code is needed), and for ``phonecode.lock_seconds``
  after a lock no new code is sent to that phone for that purpose;
* a new code for the same phone and purpose waits ``phonecode.resend_seconds`` (resend throttling);
* at most ``phonecode.per_phone_per_day`` codes to one phone in 24 hours, and ``phonecode.per_ip_per_hour``
  from one client address in an hour.

Refusals are ``RateLimited`` (429, ``details["retry_after"]`` in seconds) or ``ValidationFailed`` (field ``code``
or ``phone``). Every send, success, failure and lock is an audit event (the phone's last four digits only).
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets

from django.db import transaction
from django.db.models import F

from . import clock, context, crypto, events, policy
from .errors import RateLimited, ValidationFailed
from .models import PhoneCode
from .notifications import backend

DEFAULTS = {
    "phonecode.length": 6,
    "phonecode.ttl_seconds": 300,
    "phonecode.max_attempts": 5,
    "phonecode.lock_seconds": 900,
    "phonecode.resend_seconds": 60,
    "phonecode.per_phone_per_day": 10,
    "phonecode.per_ip_per_hour": 30,
}
PURPOSES = PhoneCode.Purpose
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
TEXTS = {
    PURPOSES.REGISTER: ("【基层治理】您的注册验证码为 {code}，{minutes} 分钟内有效。请勿告诉他人。", "register"),
    PURPOSES.SIGN_IN: ("【基层治理】您的登录验证码为 {code}，{minutes} 分钟内有效。请勿告诉他人。", "sign in"),
    PURPOSES.RESET: ("【基层治理】您正在重置密码，验证码为 {code}，{minutes} 分钟内有效。如非本人操作请忽略。", "reset"),
    PURPOSES.INVITE: ("【基层治理】您的开通账号邀请码为 {code}，请在 {minutes} 分钟内使用。", "invite"),
    PURPOSES.VERIFY: ("【基层治理】您的验证码为 {code}，{minutes} 分钟内有效，用于确认本人操作（如评价、反映）。", "verify"),
}


def limit(key: str) -> int:
    return int(policy.setting(key, DEFAULTS[key]))


def normalize_mobile(value) -> str:
    """An 11-digit mainland mobile number (spaces and a +86 prefix dropped), else ValidationFailed."""
    text = "".join(str(value or "").split())
    if text.startswith("+86"):
        text = text[3:]
    if not _MOBILE.match(text):
        raise ValidationFailed("请输入 11 位手机号", "Enter an 11-digit mobile number", code="phone_format", field="phone")
    return text


def phone_index(phone: str) -> str:
    """The blind index of a phone number (the same as ``Person.phone_index``)."""
    return crypto.blind_index(phone, purpose="phone")


def _hash(row_nonce: str, code: str) -> str:
    return crypto.blind_index(f"{row_nonce}:{code}", purpose="phone_code")


def _retry(after: dt.datetime, now: dt.datetime) -> int:
    return max(1, int((after - now).total_seconds() + 0.999))


def _check_limits(index: str, purpose: str, ip: str | None, now: dt.datetime) -> None:
    last = (PhoneCode.objects.filter(phone_index=index, purpose=purpose).order_by("-created_at", "-id")
            .only("created_at", "locked_at").first())
    if last is not None and last.locked_at is not None:
        until = last.locked_at + dt.timedelta(seconds=limit("phonecode.lock_seconds"))
        if now < until:
            raise RateLimited("验证码错误次数过多，请稍后再试", "Too many wrong codes; try again later",
                              code="phone_code_locked", details={"retry_after": _retry(until, now)})
    if last is not None:
        until = last.created_at + dt.timedelta(seconds=limit("phonecode.resend_seconds"))
        if now < until:
            seconds = _retry(until, now)
            raise RateLimited(f"发送过于频繁，请 {seconds} 秒后再试", f"Sent too recently; try again in {seconds} s",
                              code="phone_code_resend", details={"retry_after": seconds})
    day = PhoneCode.objects.filter(phone_index=index, created_at__gt=now - dt.timedelta(days=1)).count()
    if day >= limit("phonecode.per_phone_per_day"):
        raise RateLimited("该手机号今日验证码已达上限", "This phone has had its codes for today",
                          code="phone_code_daily_limit")
    if ip:
        hour = PhoneCode.objects.filter(client_ip=ip, created_at__gt=now - dt.timedelta(hours=1)).count()
        if hour >= limit("phonecode.per_ip_per_hour"):
            raise RateLimited("当前网络请求验证码过多，请稍后再试", "Too many codes from this address; try again later",
                              code="phone_code_ip_limit")


def send_code(*, phone, purpose: str, actor=None, ip: str | None = None) -> PhoneCode:
    """Send a new one-time code to ``phone`` for ``purpose``; the row (without the code) is returned."""
    if purpose not in PURPOSES.values:
        raise ValidationFailed("未知的验证码用途", "Unknown code purpose", code="phone_code_purpose", field="purpose")
    phone = normalize_mobile(phone)
    index = phone_index(phone)
    ip = ip if ip is not None else context.current().ip
    now = clock.now()
    length = min(max(limit("phonecode.length"), 4), 8)
    code = "".join(secrets.choice("0123456789") for _ in range(length))
    nonce = secrets.token_hex(16)
    ttl = limit("phonecode.ttl_seconds")
    with transaction.atomic():
        # The limits are checked and the row written in one transaction (SQLite serialises writers; on PostgreSQL
        # two requests in the same instant may both pass the resend check, and the daily limit still bounds them).
        _check_limits(index, purpose, ip, now)
        row = PhoneCode.objects.create(phone_index=index, phone_last4=phone[-4:], purpose=purpose, nonce=nonce,
                                       code_hash=_hash(nonce, code), client_ip=ip or None, created_at=now,
                                       expires_at=now + dt.timedelta(seconds=ttl))
        events.record(actor, "phonecode.send", row, payload={"purpose": purpose, "phone_last4": phone[-4:]})
        text = TEXTS[purpose][0].format(code=code, minutes=max(1, ttl // 60))
        transaction.on_commit(lambda: _deliver(phone, text, row))
    return row


def _deliver(phone: str, text: str, row: PhoneCode) -> None:
    try:
        backend().send_to_phone(phone, text)
    except Exception as exc:  # noqa: BLE001 - a gateway failure must not undo the request; it is audited
        events.record(None, "phonecode.delivery_failed", row, outcome="failure",
                      payload={"error": type(exc).__name__, "phone_last4": phone[-4:]})


def check_code(*, phone, purpose: str, code: str, actor=None) -> PhoneCode:
    """Accept ``code`` for ``phone`` and ``purpose`` once; else ValidationFailed (field ``code``). A wrong code
    counts an attempt; the last allowed attempt locks the code."""
    phone = normalize_mobile(phone)
    index = phone_index(phone)
    code = "".join(str(code or "").split())
    now = clock.now()
    row = (PhoneCode.objects.filter(phone_index=index, purpose=purpose, used_at__isnull=True)
           .order_by("-created_at", "-id").first())
    if row is None or row.expires_at <= now:
        raise ValidationFailed("验证码已过期，请重新获取", "The code has expired; ask for a new one",
                               code="phone_code_expired", field="code")
    if row.locked_at is not None:
        raise ValidationFailed("验证码错误次数过多，已失效，请重新获取", "Too many wrong codes; ask for a new one",
                               code="phone_code_locked", field="code")
    if code and hmac.compare_digest(row.code_hash, _hash(row.nonce, code)):
        with transaction.atomic():
            used = PhoneCode.objects.filter(pk=row.pk, used_at__isnull=True, locked_at__isnull=True).update(
                used_at=now)
            if used != 1:
                raise ValidationFailed("验证码已使用，请重新获取", "The code was used; ask for a new one",
                                       code="phone_code_used", field="code")
            events.record(actor, "phonecode.verify", row, payload={"purpose": purpose,
                                                                    "phone_last4": row.phone_last4})
        row.used_at = now
        return row
    # A wrong code: count it (committed even though the caller sees an error), lock at the limit.
    with transaction.atomic():
        PhoneCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        row.refresh_from_db(fields=["attempts"])
        locked = row.attempts >= limit("phonecode.max_attempts")
        if locked:
            PhoneCode.objects.filter(pk=row.pk, locked_at__isnull=True).update(locked_at=now)
        events.record(actor, "phonecode.lock" if locked else "phonecode.fail", row, outcome="failure",
                      payload={"purpose": purpose, "phone_last4": row.phone_last4, "attempts": row.attempts})
    if locked:
        raise ValidationFailed("验证码错误次数过多，已失效，请重新获取", "Too many wrong codes; ask for a new one",
                               code="phone_code_locked", field="code")
    left = limit("phonecode.max_attempts") - row.attempts
    raise ValidationFailed(f"验证码不正确（还可尝试 {left} 次）", f"Wrong code ({left} tries left)",
                           code="phone_code_wrong", field="code", details={"attempts_left": left})
