"""In-app notification inbox with a pluggable outbound backend (logging by default).

``notify`` writes inbox rows in the caller's transaction and hands them to the backend after commit, so a
rolled-back move never notifies anyone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from . import clock
from .models import Notification

log = logging.getLogger("grassroots.notifications")


class LoggingBackend:
    """Writes each notification to the log (embedded default; swap for SMS / 企业微信 gateways in production)."""

    def send(self, notifications: list[Notification]) -> None:
        for n in notifications:
            log.info("notify user=%s verb=%s title=%s", n.recipient_id, n.verb, n.title)


class MemoryBackend:
    """Keeps what was sent in ``MemoryBackend.outbox`` (tests)."""

    outbox: list[Notification] = []

    def send(self, notifications: list[Notification]) -> None:
        MemoryBackend.outbox.extend(notifications)


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
