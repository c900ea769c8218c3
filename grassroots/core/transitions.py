"""Compare-and-set state moves (DESIGN convention 1): UPDATE … WHERE id=… AND status IN (…)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from .errors import Conflict, NotFound


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
