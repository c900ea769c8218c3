"""State moves: the one shape of a transition-table row, and compare-and-set (docs/architecture.md § Conventions 1).

Every app with a lifecycle keeps its table in its own ``states.py`` as ``{verb: Transition}``; its services look a
move up there and make it with ``compare_and_set`` (UPDATE … WHERE id=… AND status IN (…)).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy

from .errors import Conflict, NotFound


@dataclass(frozen=True)
class Transition:
    """One row of a transition table: ``verb`` moves an object from any of ``sources`` (empty: the verb creates it)
    to ``target`` (None: the state stays). ``alternatives`` are other states the move may lead to, the service
    choosing by the object; ``field`` is the column the move sets."""

    verb: str
    sources: Collection
    target: str | bool | None
    label: str
    alternatives: frozenset = field(default_factory=frozenset)
    field: str = "status"

    def __post_init__(self):
        # Tables write their labels in Chinese; the row shows them in the reader's language (docs/architecture.md
        # § Languages: every label needs its English entry in the catalogue).
        if isinstance(self.label, str):
            object.__setattr__(self, "label", gettext_lazy(self.label))

    def target_for(self, current, chosen=None):
        """The state after the move from ``current`` (``chosen``: one of the alternatives). ValueError when the
        table has no such move: the callers have checked the state first, so this is a mistake in the caller."""
        to = chosen or self.target or current
        if current not in self.sources or (to != (self.target or current) and to not in self.alternatives):
            raise ValueError(f"{self.verb}: no move from {current!r} to {to!r}")
        return to


def compare_and_set(model: type[models.Model], pk, *, from_states: Iterable[str], to_state: str,
                    status_field: str = "status", labels: dict | None = None, **fields) -> None:
    """Move one row from any of ``from_states`` to ``to_state``; raise Conflict with the current state if not."""
    from_states = list(from_states)
    updated = model.objects.filter(pk=pk, **{f"{status_field}__in": from_states}).update(
        **{status_field: to_state}, **fields)
    if updated == 1:
        return
    current = model.objects.filter(pk=pk).values_list(status_field, flat=True).first()
    if current is None:
        raise NotFound()
    label = (labels or {}).get(current, current)
    raise Conflict(
        f"状态已变为「{label}」，无法执行此操作，请刷新后重试",
        f"The state is now '{current}'; this action is not possible. Refresh and try again.",
        code="state_conflict",
        details={"current_state": current},
    )
