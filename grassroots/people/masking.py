"""Masked display of personal numbers: ``3705**********1234``, ``138****5678``.

Pages, the API and exports show these unless the actor may unmask (see ``permissions.can_unmask``); an unmasked
view goes through ``services.person_reveal`` and is an audit event.
"""

from __future__ import annotations


def mask_id(value: str | None) -> str:
    """Keep the first four and last four characters of an 18-character ID (fewer for shorter documents)."""
    if not value:
        return ""
    n = len(value)
    if n >= 12:
        head, tail = 4, 4
    elif n >= 6:
        head, tail = 1, 3
    else:
        head, tail = 0, 1
    return value[:head] + "*" * (n - head - tail) + value[n - tail:]


def mask_phone(value: str | None) -> str:
    """``138****5678`` for mobile numbers; landlines keep the area code part and the last four digits."""
    if not value:
        return ""
    n = len(value)
    if n == 11 and value.isdigit():
        return value[:3] + "****" + value[7:]
    if n > 4:
        head = min(3, n - 4)
        return value[:head] + "*" * (n - head - 4) + value[n - 4:]
    return "*" * n
