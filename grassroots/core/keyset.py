"""Keyed paging: a page is found by the key of the row next to it, never by counting the rows before it.

``OFFSET n`` reads and throws away n rows, so the 10,000th page of a ledger costs 10,000 pages of work and the last
page the whole table. Here a page starts at a cursor that carries the ordering key of the row it follows (or
precedes), and the database reads it from the index, so the first, a middle and the last page cost the same. The
order is two columns, a value and a unique tie-breaker (``("-recorded_at", "-id")``), both ascending or both
descending, with an index on them. The cursor is opaque to clients (URL-safe base64 of a small JSON document); a
malformed one is a 400 naming ``cursor``.

Where people page by hand through short lists, page numbers stay (``core.pagination``); Open311 keeps its own
page/page_size convention.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from .errors import ValidationFailed

AFTER, BEFORE, LAST = "a", "b", "z"
MAX_CURSOR_LENGTH = 512


@dataclass
class KeysetPage:
    items: list
    next: str | None = None  # the page after this one in the order, if any
    previous: str | None = None  # the page before it, if any
    first: str = field(default="")  # the first page needs no cursor
    last: str = field(default_factory=lambda: encode(LAST, None))

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    @property
    def has_next(self) -> bool:
        return self.next is not None

    @property
    def has_previous(self) -> bool:
        return self.previous is not None


def _dump(value):
    if isinstance(value, dt.datetime):
        return {"t": value.astimezone(dt.UTC).isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"keyset values must be datetimes, dates, integers or strings, not {type(value).__name__}")
    return value


def _load(value):
    if isinstance(value, dict) and set(value) == {"t"} and isinstance(value["t"], str):
        parsed = dt.datetime.fromisoformat(value["t"])
        if parsed.tzinfo is None:
            raise ValueError("naive time")
        return parsed
    if isinstance(value, dict) and set(value) == {"d"} and isinstance(value["d"], str):
        return dt.date.fromisoformat(value["d"])
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("bad key value")
    if isinstance(value, int) and abs(value) > 2**63 - 1:
        raise ValueError("key out of range")
    return value


def encode(direction: str, key: tuple | None) -> str:
    doc = {"d": direction} if key is None else {"d": direction, "k": [_dump(v) for v in key]}
    raw = json.dumps(doc, separators=(",", ":"), ensure_ascii=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> tuple[str, tuple | None]:
    """(direction, key) of a cursor; a malformed cursor is a ValidationFailed on ``cursor``."""
    bad = ValidationFailed("分页游标无效，请从第一页重新翻页", "The page cursor is not valid; start again from the first page",
                           field="cursor")
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        doc = json.loads(raw)
        direction = doc["d"]
        if direction in (LAST, AFTER) and "k" not in doc:  # the last page, or the first one without a count
            return direction, None
        if direction not in (AFTER, BEFORE) or not isinstance(doc.get("k"), list) or len(doc["k"]) != 2:
            raise ValueError("bad cursor shape")
        return direction, tuple(_load(v) for v in doc["k"])
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError, AttributeError):
        raise bad from None


def _fields(order: tuple[str, str]) -> tuple[str, str, bool]:
    first, second = order
    descending = first.startswith("-")
    if descending != second.startswith("-"):
        raise ValueError("both keys of a keyset order run the same way")
    return first.lstrip("-"), second.lstrip("-"), descending


def _reversed(order: tuple[str, str]) -> tuple[str, str]:
    return tuple(f[1:] if f.startswith("-") else f"-{f}" for f in order)


def _beyond(order: tuple[str, str], key: tuple) -> Q:
    """Rows strictly after ``key`` in ``order``: for a descending order ``(a, b) < key``, written as
    ``a <= k1 AND NOT (a = k1 AND b >= k2)`` so the index range on ``a`` bounds the scan."""
    a, b, descending = _fields(order)
    k1, k2 = key
    if descending:
        return Q(**{f"{a}__lte": k1}) & ~Q(**{a: k1, f"{b}__gte": k2})
    return Q(**{f"{a}__gte": k1}) & ~Q(**{a: k1, f"{b}__lte": k2})


def key_of(obj, order: tuple[str, str]) -> tuple:
    a, b, _ = _fields(order)
    return getattr(obj, a), getattr(obj, b)


def paginate(qs: QuerySet, *, order: tuple[str, str], cursor: str | None, size: int) -> KeysetPage:
    """One page of ``qs`` in ``order`` starting at ``cursor`` (None or "" for the first page). Reads ``size + 1``
    rows through the index, whatever the page."""
    direction, key = decode(cursor) if cursor else (AFTER, None)
    if direction == AFTER:
        rows = list((qs.filter(_beyond(order, key)) if key else qs).order_by(*order)[:size + 1])
        more = len(rows) > size
        rows = rows[:size]
        page = KeysetPage(items=rows)
        if rows:
            page.next = encode(AFTER, key_of(rows[-1], order)) if more else None
            page.previous = encode(BEFORE, key_of(rows[0], order)) if key else None
        elif key:  # past the end: offer the way back
            page.previous = encode(BEFORE, key)
        return page
    back = _reversed(order)
    rows = list((qs.filter(_beyond(back, key)) if key else qs).order_by(*back)[:size + 1])
    more = len(rows) > size
    rows = list(reversed(rows[:size]))
    page = KeysetPage(items=rows)
    if rows:
        page.previous = encode(BEFORE, key_of(rows[0], order)) if more else None
        page.next = encode(AFTER, key_of(rows[-1], order)) if direction == BEFORE else None
    elif key:
        page.next = encode(AFTER, key)
    return page
