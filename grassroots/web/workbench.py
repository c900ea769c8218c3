"""The workbench (工作台): what waits for the user now, by post and urgency; their large buttons; the latest
notifications; their figures for the month beside last month's. Collected from every installed app's
``workbench.py`` (``core.workbench`` says what an app declares), the way the menu is collected from ``menu.py``.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from types import ModuleType

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from grassroots.core import clock, notifications
from grassroots.core.roles import Role
from grassroots.core.workbench import Action, Figure, Tally

NOTIFICATIONS_SHOWN = 5


@functools.cache
def _modules() -> tuple[ModuleType, ...]:
    found = []
    for app in settings.GRASSROOTS_APPS:
        try:
            found.append(importlib.import_module(f"{app}.workbench"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.workbench":
                raise
    return tuple(found)


def actions_for(scope) -> list[dict]:
    chosen: list[Action] = [a for m in _modules() for a in getattr(m, "ACTIONS", ()) if scope.has_role(*a.roles)]
    out = []
    for action in sorted(chosen, key=lambda a: (not a.primary, a.order, str(a.label))):
        try:
            out.append({"label": action.label, "url": reverse(action.url_name), "primary": action.primary})
        except NoReverseMatch:
            continue
    return out


def _role_order(scope) -> list[str]:
    """The user's posts in the order of the role list (a grid worker's part before a resident's)."""
    held = set(scope.roles)
    return [role for role in Role.values if role in held]


def posts_for(actor, scope, now: dt.datetime) -> list[dict]:
    """Each post's waiting work, most urgent first; a post with nothing to count is left out."""
    found: list[Tally] = []
    for module in _modules():
        if hasattr(module, "tallies"):
            found.extend(module.tallies(actor, scope, now))
    by_role: dict[str, list[Tally]] = {}
    for tally in found:
        by_role.setdefault(tally.role, []).append(tally)
    labels = dict(Role.choices)
    return [{"role": role, "label": labels[role], "tallies": sorted(by_role[role], key=lambda t: t.urgency)}
            for role in _role_order(scope) if role in by_role]


def figures_for(actor, scope, month: dt.date) -> list[Figure]:
    return [f for m in _modules() if hasattr(m, "figures") for f in m.figures(actor, scope, month)]


def workbench(actor, scope) -> dict:
    now = clock.now()
    return {
        "actions": actions_for(scope),
        "posts": posts_for(actor, scope, now),
        "figures": figures_for(actor, scope, clock.today()),
        "notifications": list(notifications.inbox(actor=actor)[:NOTIFICATIONS_SHOWN]),
    }
