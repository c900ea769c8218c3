"""Per-process copies of small tables that every request reads (policy rows, post holders, grid boundaries).

``FingerprintedCopy(signature, load, recheck_seconds)`` keeps what ``load(signature)`` built. ``get()`` returns it
without a query while it was checked less than ``recheck_seconds()`` ago; then it asks ``signature()`` (a cheap
fingerprint of the tables, e.g. row count and latest ``updated_at``) and builds a new copy only when that changed.
The process that writes a row calls ``invalidate()`` (usually from a ``post_save`` / ``post_delete`` signal) so it
sees its own change at once; other processes see it at their next check. Thread-safe: one builder at a time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db.models import Model
from django.db.models.base import ModelState

T = TypeVar("T")


class FingerprintedCopy(Generic[T]):
    def __init__(self, signature: Callable[[], tuple], load: Callable[[tuple], T],
                 recheck_seconds: Callable[[], float]):
        self._signature_of = signature
        self._load = load
        self._recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._value: T | None = None
        self._signature: tuple | None = None
        self._checked_at = 0.0

    def get(self) -> T:
        value = self._value
        if value is not None and time.monotonic() - self._checked_at < self._recheck_seconds():
            return value
        with self._lock:
            signature = self._signature_of()
            if self._value is None or self._signature != signature:
                self._value, self._signature = self._load(signature), signature
            self._checked_at = time.monotonic()
            return self._value

    def invalidate(self, *args, **kwargs) -> None:
        """Drop this process's copy (also usable as a signal receiver)."""
        with self._lock:
            self._value, self._signature = None, None


def detached_copy(row: Model) -> Model:
    """A copy of a cached model instance to hand out: same field values, its own state and relation cache, so
    callers may read relations or change attributes without touching the cached row."""
    clone = row.__class__.__new__(row.__class__)
    clone.__dict__.update(row.__dict__)
    clone._state = ModelState()
    clone._state.adding, clone._state.db = False, row._state.db
    return clone
