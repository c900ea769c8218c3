"""What keeps an organisation from being dissolved (撤销).

``organization_dissolve`` refuses while anything still works through the organisation: its own current posts and
active sub-organisations (checked in ``services``), and whatever other apps register here, typically in their
``AppConfig.ready()``::

    from grassroots.people import dissolution
    dissolution.register("party_orgs", "在用的党组织", "active party organisations", count_active_party_orgs)

The function is called as ``fn(organization, on) -> int`` inside ``organization_dissolve``'s transaction and
returns how many active rows of its kind still point at the organisation on day ``on``; it must change nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

Counter = Callable[..., int]


@dataclass(frozen=True)
class Blocker:
    name: str
    zh: str
    en: str
    count: int


_counters: dict[str, tuple[str, str, Counter]] = {}


def register(name: str, zh: str, en: str, fn: Counter) -> None:
    """Register (or replace) the counter called ``name``; ``zh``/``en`` name what it counts."""
    _counters[name] = (zh, en, fn)


def unregister(name: str) -> None:
    _counters.pop(name, None)


def blockers(organization, on: dt.date) -> list[Blocker]:
    """The registered counters with something still active, in name order."""
    found = []
    for name, (zh, en, fn) in sorted(_counters.items()):
        n = int(fn(organization, on) or 0)
        if n:
            found.append(Blocker(name, zh, en, n))
    return found
