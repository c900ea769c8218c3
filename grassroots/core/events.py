"""Writing audit/event rows. Every service that changes state calls ``record`` inside its transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from . import clock, context
from .bulk import insert_many
from .models import Event


def object_type_of(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def actor_label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "anonymous"
    return actor.get_username()


def build(actor, verb: str, obj: models.Model | None = None, *, from_state: str = "", to_state: str = "",
          payload: dict[str, Any] | None = None, outcome: str = Event.Outcome.SUCCESS, object_type: str = "",
          object_id: str | int = "", at=None, label: str = "") -> Event:
    """The audit row ``record`` writes, unsaved (for callers that write it together with other rows).
    ``label`` names an unauthenticated actor (e.g. the username of a failed sign-in)."""
    ctx = context.current()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return Event(
        at=at or clock.now(),
        actor=actor if authenticated else None,
        actor_label=(label if label and not authenticated else actor_label(actor))[:150],
        verb=verb,
        object_type=object_type or (object_type_of(obj) if obj is not None else ""),
        object_id=str(object_id or (obj.pk if obj is not None else "")),
        from_state=from_state or "",
        to_state=to_state or "",
        outcome=outcome,
        ip=ctx.ip,
        user_agent=ctx.user_agent[:200],
        payload=payload or {},
    )


def record(actor, verb: str, obj: models.Model | None = None, **fields) -> Event:
    """Write one audit row (the fields of ``build``)."""
    event = build(actor, verb, obj, **fields)
    event.save(force_insert=True)
    return event


# Entities whose events were written with bare verbs before the ``entity.verb`` convention ("accept" for
# "case.accept"). The audit table refuses updates, so those rows keep their spelling and readers ask for both.
BARE_BEFORE = ("case",)


def verbs(*names: str) -> tuple[str, ...]:
    """The spellings to filter the audit table on for the verbs ``names`` (each ``entity.verb``): the name and, for
    an entity of ``BARE_BEFORE``, the bare verb its older rows carry. ``verbs("case.accept")`` →
    ``("case.accept", "accept")``."""
    found: list[str] = []
    for name in names:
        entity, _, verb = name.partition(".")
        found.append(name)
        if verb and entity in BARE_BEFORE:
            found.append(verb)
    return tuple(dict.fromkeys(found))


def bulk_record(rows: list[Event]) -> None:
    """For generators and sweeps that write many events at once; rows are built by the caller (``COPY`` on
    PostgreSQL, see ``core.bulk``)."""
    insert_many(Event, rows)
