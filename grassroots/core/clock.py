"""The one clock every time-dependent rule reads. Tests (and `--at` options of commands) can set it."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading

from django.utils import timezone

_state = threading.local()
_global_offset = dt.timedelta(0)
_global_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    frozen = getattr(_state, "frozen", None) or _global_frozen
    if frozen is not None:
        return frozen
    return timezone.now() + _global_offset


def today() -> dt.date:
    return timezone.localdate(now())


def freeze(at: dt.datetime | None) -> None:
    """Freeze the clock for the whole process (None unfreezes)."""
    global _global_frozen
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at)
    _global_frozen = at


def shift(delta: dt.timedelta) -> None:
    """Move the process clock by delta (cumulative)."""
    global _global_offset
    _global_offset += delta


_reset_hooks: list = []


def on_reset(fn) -> None:
    """Run ``fn`` on every ``reset()`` (caches derived from time and calendar, e.g. the working-day table)."""
    if fn not in _reset_hooks:
        _reset_hooks.append(fn)


def reset() -> None:
    global _global_offset, _global_frozen
    _global_offset = dt.timedelta(0)
    _global_frozen = None
    _state.frozen = None
    for fn in _reset_hooks:
        fn()


@contextlib.contextmanager
def frozen_at(at: dt.datetime):
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    previous = getattr(_state, "frozen", None)
    _state.frozen = at
    try:
        yield at
    finally:
        _state.frozen = previous
