"""Handing a post's open tasks over (交接) when the post ends.

Apps that give tasks to posts (cases: assignments and dispatch queues; deliberation, projects …) register one
function each, typically in their ``AppConfig.ready()``::

    from grassroots.people import handover
    handover.register("cases", reassign_open_cases)

The function is called as ``fn(*, actor, post, successor) -> int`` inside ``post_end``'s transaction:

* with ``successor=None`` it must change nothing and return how many open tasks the post still holds
  (``post_end`` refuses to end a post with open tasks unless a successor is named);
* with a successor (a ``User``) it moves every open task of the post to the successor and returns how many it
  moved. It may raise ``ApplicationError``; the whole ``post_end`` then rolls back.
"""

from __future__ import annotations

from collections.abc import Callable

Handler = Callable[..., int]
_handlers: dict[str, Handler] = {}


def register(name: str, fn: Handler) -> None:
    """Register (or replace) the handler called ``name``."""
    _handlers[name] = fn


def unregister(name: str) -> None:
    _handlers.pop(name, None)


def handlers() -> dict[str, Handler]:
    return dict(_handlers)


def open_tasks(*, actor, post) -> dict[str, int]:
    """Open tasks per handler (only handlers with some)."""
    counts = {name: int(fn(actor=actor, post=post, successor=None) or 0) for name, fn in sorted(_handlers.items())}
    return {name: n for name, n in counts.items() if n}


def hand_over(*, actor, post, successor) -> dict[str, int]:
    """Move every open task to the successor; the count moved per handler (only handlers that moved some)."""
    moved = {name: int(fn(actor=actor, post=post, successor=successor) or 0) for name, fn in sorted(_handlers.items())}
    return {name: n for name, n in moved.items() if n}
