"""The navigation menu. An entry shows when the actor holds one of its roles (or any role when roles is empty).

Apps add entries by appending to ``MENU`` in their ``apps.py`` ``ready()`` — keeps this module free of app imports.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    roles: frozenset[str] = frozenset()
    order: int = 100


MENU: list[MenuItem] = []


def register(label, url_name: str, roles=(), order: int = 100) -> None:
    MENU.append(MenuItem(label, url_name, frozenset(roles), order))


def menu_for(scope) -> list[dict]:
    items = []
    for item in sorted(MENU, key=lambda i: (i.order, str(i.label))):
        if item.roles and not scope.has_role(*item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "url_name": item.url_name})
    return items
