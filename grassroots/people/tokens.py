"""Personal API tokens: create (secret shown once), look up by hash, revoke."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from grassroots.core import clock, events

from .models import ApiToken, User


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, actor: User, name: str, expires_at=None) -> tuple[ApiToken, str]:
    secret = "gr_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=actor, name=name, key_hash=_digest(secret), prefix=secret[3:9],
                                        expires_at=expires_at)
        events.record(actor, "api_token.create", token, payload={"name": name})
    return token, secret


def token_revoke(*, actor: User, token: ApiToken) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=clock.now())
        events.record(actor, "api_token.revoke", token)


def user_for_token(secret: str) -> User | None:
    if not secret:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_digest(secret), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = clock.now()
    if token.expires_at and token.expires_at <= now:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
