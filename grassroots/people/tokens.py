"""Personal API tokens: create (secret shown once), list one's own, revoke, look up by secret.

Scope: a token belongs to its user alone; another user's token is simply not found. A token carries the second
factor's checks (``people.security``): users whose posts require it create tokens only from a verified session, and
their tokens work only while they have a confirmed device.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction

from grassroots.core import clock, events
from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed

from . import security
from .models import ApiToken, User

MAX_ACTIVE_TOKENS = 10


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _require_account(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotFound()


def tokens_for(*, actor: User):
    """The actor's own tokens, newest first."""
    _require_account(actor)
    return ApiToken.objects.filter(user_id=actor.pk).order_by("-created_at", "-id")


def token_get(*, actor: User, pk: int) -> ApiToken:
    token = tokens_for(actor=actor).filter(pk=pk).first()
    if token is None:
        raise NotFound("令牌不存在", "Token not found")
    return token


def token_create(*, actor: User, name: str, expires_at=None, valid_days: int | None = None) -> tuple[ApiToken, str]:
    _require_account(actor)
    if security.needs_second_factor(actor) and not security.passed_second_factor(actor):
        raise NotPermitted("创建令牌前须先通过双重验证（动态口令）", "Pass the second factor (TOTP) before creating a token",
                           code="second_factor_required")
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("请填写令牌用途", "Say what the token is for", field="name")
    if len(name) > 64:
        raise ValidationFailed("用途不能超过64个字", "The purpose is limited to 64 characters", field="name")
    if valid_days is not None:
        if valid_days <= 0:
            raise ValidationFailed("有效期必须为正数", "The validity must be positive", field="valid_days")
        expires_at = clock.now() + dt.timedelta(days=valid_days)
    now = clock.now()
    active = ApiToken.objects.filter(user_id=actor.pk, revoked_at__isnull=True).exclude(expires_at__lte=now).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationFailed(f"有效令牌最多{MAX_ACTIVE_TOKENS}个，请先吊销不用的令牌",
                               f"At most {MAX_ACTIVE_TOKENS} active tokens; revoke unused ones first", field="name")
    secret = "gr_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=actor, name=name, key_hash=_digest(secret), prefix=secret[3:9],
                                        expires_at=expires_at)
        events.record(actor, "api_token.create", token, payload={"name": name,
                                                                 "expires_at": expires_at.isoformat()
                                                                 if expires_at else None})
    return token, secret


def token_revoke(*, actor: User, token: ApiToken) -> None:
    """Revoke one of the actor's own tokens (someone else's is not found)."""
    _require_account(actor)
    if token.user_id != actor.pk:
        raise NotFound("令牌不存在", "Token not found")
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=clock.now())
        events.record(actor, "api_token.revoke", token)


def token_named(secret: str, prefix: str) -> ApiToken | None:
    """The token with this secret whose name starts with ``prefix`` (a client key such as ``open311:<client>``),
    revoked and expired ones included; None when there is none. ``user_for_token`` says whether it still works."""
    if not secret:
        return None
    return ApiToken.objects.filter(key_hash=_digest(secret), name__startswith=prefix).first()


def user_for_token(secret: str) -> User | None:
    """The token's user, or None for an unknown, revoked or expired token; ``NotPermitted`` when the user must
    enrol a second factor first."""
    if not secret:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_digest(secret), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = clock.now()
    if token.expires_at and token.expires_at <= now:
        return None
    if not security.token_usable(token.user):
        raise NotPermitted("此账号的岗位要求双重验证，请先登录网页启用动态口令，令牌方可使用",
                           "This account's posts require a second factor: enrol a TOTP device before using tokens",
                           code="second_factor_required")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
