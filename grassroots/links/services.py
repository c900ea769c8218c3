"""Issuing, verifying and revoking signed links (``links.models``). The only writers of the table.

An address is ``<token id>.<signature>``: a random id of 8 characters and 16 hexadecimal characters of an HMAC-SHA256
of ``token id | purpose | target type | target id | version``, keyed by ``SECRET_KEY`` through Django's
``salted_hmac`` with this module's salt. ``resolve`` refuses — as not found, all alike — an unknown id, a wrong
signature, a row changed since signing, a revoked or expired link, a purpose other than the one asked for, and a
target that no longer exists.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.crypto import salted_hmac

from grassroots.core import clock, events
from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed

from . import purposes
from .models import SignedLink

SALT = "grassroots.links.signed-link"
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: an address read aloud or typed from paper
ID_LENGTH = 8
SIGNATURE_LENGTH = 16
MAX_DAYS = 3660


def _signature(token_id: str, purpose: str, ct_id: int, target_id: int, version: int) -> str:
    message = f"{token_id}|{purpose}|{ct_id}|{target_id}|{version}"
    return salted_hmac(SALT, message, algorithm="sha256").hexdigest()[:SIGNATURE_LENGTH]


def token_of(link: SignedLink) -> str:
    return f"{link.token_id}.{_signature(link.token_id, link.purpose, link.target_ct_id, link.target_id, link.version)}"


def path_of(link: SignedLink) -> str:
    return reverse("links:open", args=[token_of(link)])


def _invalid() -> NotFound:
    return NotFound("链接无效、已过期或已撤销", "The link is invalid, expired or revoked", code="link_invalid")


def link_issue(*, actor, purpose: str, target, days: int | None = None, new_version: bool = False) -> SignedLink:
    """A link of ``purpose`` to ``target``, valid ``days`` (default: the purpose's). ``new_version`` issues the next
    version beside the earlier ones (a reprinted card), which keep working until revoked."""
    kind = purposes.get(purpose)
    if kind is None or f"{target._meta.app_label}.{target._meta.object_name}" != kind.model:
        raise ValidationFailed("链接用途无效", "Invalid link purpose", field="purpose")
    if not kind.can_issue(actor, target):
        raise NotPermitted("无权为该对象签发链接", "You may not issue links for this object")
    days = kind.days if days is None else days
    if not (1 <= days <= MAX_DAYS):
        raise ValidationFailed("有效期须为 1 至 3660 天", "The validity must be 1 to 3660 days", field="days")
    ct = ContentType.objects.get_for_model(target)
    with transaction.atomic():
        existing = SignedLink.objects.select_for_update().filter(purpose=purpose, target_ct=ct, target_id=target.pk)
        latest = existing.aggregate(v=Max("version"))["v"] or 0
        current = existing.filter(version=latest, revoked_at__isnull=True, expires_at__gt=clock.now()).first()
        if current is not None and not new_version:
            return current
        link = SignedLink.objects.create(
            token_id="".join(secrets.choice(ALPHABET) for _ in range(ID_LENGTH)), purpose=purpose, target_ct=ct,
            target_id=target.pk, version=latest + 1, expires_at=clock.now() + dt.timedelta(days=days),
            created_by=actor if getattr(actor, "is_authenticated", False) else None)
        events.record(actor, "link.issue", link, payload={"purpose": purpose, "target": target.pk,
                                                          "version": link.version, "days": days})
    return link


def link_revoke(*, actor, link: SignedLink, reason: str = "") -> SignedLink:
    kind = purposes.get(link.purpose)
    target = _target(link)
    if kind is None or target is None or not kind.can_issue(actor, target):
        raise NotPermitted("无权撤销该链接", "You may not revoke this link")
    with transaction.atomic():
        updated = SignedLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=clock.now(), revoked_reason=(reason or "").strip()[:200])
        if updated:
            events.record(actor, "link.revoke", link, payload={"purpose": link.purpose, "reason": reason[:200]})
    link.refresh_from_db()
    return link


def _target(link: SignedLink):
    model = apps.get_model(link.target_ct.app_label, link.target_ct.model)
    return model.objects.filter(pk=link.target_id).first()


def resolve(token: str, *, purpose: str | None = None) -> tuple[SignedLink, object]:
    """The link and its target for an address, or NotFound (every refusal looks the same)."""
    token_id, _, signature = (token or "").partition(".")
    if len(token_id) != ID_LENGTH or len(signature) != SIGNATURE_LENGTH:
        raise _invalid()
    link = SignedLink.objects.select_related("target_ct").filter(token_id=token_id).first()
    if link is None:
        raise _invalid()
    expected = _signature(link.token_id, link.purpose, link.target_ct_id, link.target_id, link.version)
    if not hmac.compare_digest(expected, signature):
        raise _invalid()
    if link.revoked_at is not None or link.expires_at <= clock.now():
        raise _invalid()
    if purpose is not None and link.purpose != purpose:
        raise _invalid()
    kind = purposes.get(link.purpose)
    target = _target(link)
    if kind is None or target is None:
        raise _invalid()
    return link, target


def require(token: str, *, purpose: str, target) -> SignedLink:
    """For a view that receives both an address and an object: the address must be a valid link of ``purpose`` to
    exactly this object."""
    link, linked = resolve(token, purpose=purpose)
    if type(linked) is not type(target) or linked.pk != target.pk:
        raise _invalid()
    return link
