"""In-app notification inbox with a pluggable outbound backend (logging by default).

``notify`` writes inbox rows in the caller's transaction and hands them to the backend after commit, so a
rolled-back move never notifies anyone.

A backend has two methods: ``send(notifications)`` delivers inbox rows (to the recipients' own channels), and
``send_to_phone(phone, text)`` delivers a text to a phone number that may belong to no account yet (phone codes,
``core.phonecodes``). The embedded default (``LoggingBackend``) and the test backend (``MemoryBackend``) keep the
phone messages in an in-process outbox (``phone_outbox()``) that tests and the staff-only demo page read; the
outbound adapters (``core.phone_gateways``: an SMS gateway, 企业微信) deliver over HTTP.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from . import clock
from .models import Notification

log = logging.getLogger("grassroots.notifications")


@dataclass(frozen=True)
class PhoneMessage:
    phone: str
    text: str
    at: object


# The in-process outbox of phone messages of the embedded and test backends (the newest last; bounded).
_PHONE_OUTBOX: deque[PhoneMessage] = deque(maxlen=200)


def phone_outbox() -> list[PhoneMessage] | None:
    """Phone messages kept by the configured backend, newest first; None when the backend keeps none (a real
    gateway delivers them and nothing is kept)."""
    if not getattr(backend(), "keeps_phone_messages", False):
        return None
    return list(reversed(_PHONE_OUTBOX))


def clear_phone_outbox() -> None:
    _PHONE_OUTBOX.clear()


class LoggingBackend:
    """Writes each notification to the log; phone messages go to the in-process outbox (embedded default; swap for
    the SMS / 企业微信 adapters of ``core.phone_gateways`` in production). The log names the phone's last four
    digits only, never the text (it may hold a code)."""

    keeps_phone_messages = True

    def send(self, notifications: list[Notification]) -> None:
        for n in notifications:
            log.info("notify user=%s verb=%s title=%s", n.recipient_id, n.verb, n.title)

    def send_to_phone(self, phone: str, text: str) -> None:
        log.info("phone message to ****%s kept in the outbox", phone[-4:])
        _PHONE_OUTBOX.append(PhoneMessage(phone, text, clock.now()))


class MemoryBackend:
    """Keeps what was sent in ``MemoryBackend.outbox`` and the phone outbox (tests)."""

    outbox: list[Notification] = []
    keeps_phone_messages = True

    def send(self, notifications: list[Notification]) -> None:
        MemoryBackend.outbox.extend(notifications)

    def send_to_phone(self, phone: str, text: str) -> None:
        _PHONE_OUTBOX.append(PhoneMessage(phone, text, clock.now()))


_phone_lookup = None


def install_phone_lookup(fn) -> None:
    """Set the function ``fn(user_ids) -> {user_id: mobile phone}`` the phone adapters use to deliver inbox rows
    (people installs it: phones belong to persons, a layer above core)."""
    global _phone_lookup
    _phone_lookup = fn


def phones_of(user_ids) -> dict[int, str]:
    ids = sorted({i for i in user_ids if i})
    if not ids or _phone_lookup is None:
        return {}
    return _phone_lookup(ids)


def backend():
    return import_string(settings.NOTIFICATION_BACKEND)()


def build(recipients: Iterable, *, verb: str, title: str, body: str = "", url: str = "",
          obj=None) -> list[Notification]:
    """The inbox rows ``notify`` writes, unsaved: one per distinct recipient (users or ids)."""
    from .events import object_type_of

    seen: set[int] = set()
    rows = []
    now = clock.now()
    for user in recipients:
        uid = getattr(user, "pk", user)
        if uid is None or uid in seen:
            continue
        seen.add(uid)
        rows.append(Notification(
            recipient_id=uid, created_at=now, verb=verb, title=title[:200], body=body, url=url[:300],
            object_type=object_type_of(obj) if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
        ))
    return rows


def send_after_commit(rows: list[Notification]) -> None:
    """Hand written rows to the outbound backend once the transaction commits (at once outside one)."""
    if rows:
        transaction.on_commit(lambda: backend().send(rows))


def write(rows: list[Notification]) -> list[Notification]:
    """Write built rows in the caller's transaction and hand them to the backend after commit."""
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    send_after_commit(created)
    return created


def notify(recipients: Iterable, *, verb: str, title: str, body: str = "", url: str = "", obj=None) -> list[Notification]:
    return write(build(recipients, verb=verb, title=title, body=body, url=url, obj=obj))


def inbox(*, actor, unread_only: bool = False):
    """The actor's own notifications (the only scope: one's own inbox)."""
    qs = Notification.objects.filter(recipient_id=actor.pk)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(*, actor) -> int:
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).count()


def mark_read(*, actor, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=clock.now())
