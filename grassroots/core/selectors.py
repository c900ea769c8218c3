"""Readers of core data. The audit log belongs to auditors only (separation of duties: admins cannot read it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from .errors import NotPermitted
from .models import Event
from .roles import Role
from .scope import scope_for

PAGE_SIZE = 50


def can_read_audit_log(actor) -> bool:
    return scope_for(actor).has_role(Role.AUDITOR)


def _require_auditor(actor) -> None:
    if not can_read_audit_log(actor):
        raise NotPermitted("只有审计管理员可以查看审计日志", "Only auditors may read the audit log",
                           code="auditor_only")


@dataclass(frozen=True)
class EventFilters:
    actor: str = ""
    verb: str = ""
    object_type: str = ""
    object_id: str = ""
    outcome: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def as_dict(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in self.__dict__.items() if v}


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filtered(filters: EventFilters) -> QuerySet[Event]:
    qs = Event.objects.all()
    if filters.actor:
        user_ids = list(get_user_model().objects.filter(username=filters.actor).values_list("pk", flat=True))
        qs = qs.filter(Q(actor_id__in=user_ids) | Q(actor_id__isnull=True, actor_label=filters.actor))
    if filters.verb:
        # "case." matches every case verb: a range predicate, not LIKE.
        if filters.verb.endswith("."):
            qs = qs.filter(verb__gte=filters.verb, verb__lt=filters.verb + "\uffff")
        else:
            qs = qs.filter(verb=filters.verb)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.date_from:
        qs = qs.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return qs


@dataclass(frozen=True)
class EventPage:
    rows: list[Event]
    newer_than: int | None  # pass as ?after= for the newer page
    older_than: int | None  # pass as ?before= for the older page


def event_page(*, actor, filters: EventFilters, before: int | None = None, after: int | None = None,
               size: int = PAGE_SIZE) -> EventPage:
    """Newest first, keyset-paginated on id (no COUNT(*) over the whole table): one query of size + 1 rows."""
    _require_auditor(actor)
    qs = _filtered(filters)
    if after is not None:
        rows = list(qs.filter(id__gt=after).order_by("id")[: size + 1])
        has_more_newer = len(rows) > size
        rows = list(reversed(rows[:size]))
        return EventPage(rows, rows[0].id if rows and has_more_newer else None, rows[-1].id if rows else None)
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs.order_by("-id")[: size + 1])
    has_more_older = len(rows) > size
    rows = rows[:size]
    return EventPage(rows, rows[0].id if rows and before is not None else None,
                     rows[-1].id if rows and has_more_older else None)


def require_auditor(actor) -> None:
    """NotPermitted unless the actor holds the auditor's post."""
    _require_auditor(actor)


def event_export_rows(*, actor, filters: EventFilters):
    """Every filtered row for the export (newest first), streamed."""
    _require_auditor(actor)
    return _filtered(filters).order_by("-id").iterator(chunk_size=2000)


def event_count(*, actor, filters: EventFilters) -> int:
    _require_auditor(actor)
    return _filtered(filters).count()


def phone_outbox(*, actor) -> list:
    """The phone messages kept by the embedded or test backend, for the administrator's demo page: NotFound for
    everyone else, when the page is switched off (``PHONE_OUTBOX_PAGE``) or when a real gateway delivers them."""
    from django.conf import settings

    from .errors import NotFound
    from .notifications import phone_outbox as kept

    messages = kept() if getattr(settings, "PHONE_OUTBOX_PAGE", False) else None
    if messages is None or not scope_for(actor).has_role(Role.ADMIN):
        raise NotFound("页面不存在", "Page not found")
    return messages
