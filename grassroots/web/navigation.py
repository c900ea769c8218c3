"""The navigation menu, collected from every installed app's ``menu.ENTRIES`` (see ``core.menu``).

An entry shows when the actor holds one of its roles (or to everybody when it names none). Apps declare their
entries in their own ``menu.py``; this module reads them, so no app imports the page layer.
"""

from __future__ import annotations

import functools
import importlib

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from grassroots.core.menu import MenuEntry


@functools.cache
def entries() -> tuple[MenuEntry, ...]:
    """Every installed app's menu entries, in menu order."""
    found: list[MenuEntry] = []
    for app in settings.GRASSROOTS_APPS:
        try:
            module = importlib.import_module(f"{app}.menu")
        except ModuleNotFoundError as exc:
            if exc.name == f"{app}.menu":
                continue
            raise
        found.extend(module.ENTRIES)
    return tuple(sorted(found, key=lambda e: (e.order, str(e.label))))


def menu_for(scope) -> list[dict]:
    items = []
    for entry in entries():
        if entry.roles and not scope.has_role(*entry.roles):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": entry.label, "url": url, "url_name": entry.url_name})
    return items
