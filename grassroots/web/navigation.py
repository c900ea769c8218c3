"""The navigation menu, collected from every installed app's ``menu.ENTRIES`` (see ``core.menu``), grouped by task.

An entry shows when the actor holds one of its roles (or to everybody when it names none). Apps declare their
entries in their own ``menu.py``; this module reads them, so no app imports the page layer. Entries fall into task
sections (``SECTIONS``): an entry may name its section, otherwise it takes its app's (``APP_SECTIONS``); the
section holding the page one is on opens by itself, and a box above the menu filters entries by name.
"""

from __future__ import annotations

import functools
import importlib

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

from grassroots.core.menu import MenuEntry

SECTIONS = (
    ("cases", pgettext_lazy("menu section", "事件")),
    ("civic", pgettext_lazy("menu section", "议事与项目")),
    ("party", pgettext_lazy("menu section", "党建")),
    ("services", pgettext_lazy("menu section", "服务与物业")),
    ("village", pgettext_lazy("menu section", "乡村")),
    ("park", pgettext_lazy("menu section", "园区")),
    ("data", pgettext_lazy("menu section", "数据")),
    ("admin", pgettext_lazy("menu section", "管理")),
    ("other", pgettext_lazy("menu section", "其他")),
)
SECTION_LABELS = dict(SECTIONS)
APP_SECTIONS = {
    "cases": "cases",
    "deliberation": "civic", "projects": "civic", "notices": "civic", "rolls": "civic",
    "party": "party", "partylife": "party", "partydues": "party", "partydevelopment": "party",
    "partyhonours": "party",
    "lifecircle": "services", "property": "services",
    "cooperatives": "village", "village": "village",
    "park": "park", "keyprojects": "park",
    "metrics": "data", "grading": "data", "rectification": "data",
    "people": "admin", "territory": "admin", "core": "admin",
}


@functools.cache
def entries() -> tuple[tuple[MenuEntry, str], ...]:
    """Every installed app's menu entries with their section, in menu order."""
    found: list[tuple[MenuEntry, str]] = []
    for app in settings.GRASSROOTS_APPS:
        try:
            module = importlib.import_module(f"{app}.menu")
        except ModuleNotFoundError as exc:
            if exc.name == f"{app}.menu":
                continue
            raise
        default = APP_SECTIONS.get(app.rsplit(".", 1)[-1], "other")
        found.extend((entry, entry.section or default) for entry in module.ENTRIES)
    return tuple(sorted(found, key=lambda pair: (pair[0].order, str(pair[0].label))))


def menu_for(scope) -> list[dict]:
    """The entries the actor's posts allow, each with its URL and section."""
    items = []
    for entry, section in entries():
        if entry.roles and not scope.has_role(*entry.roles):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": entry.label, "url": url, "url_name": entry.url_name, "section": section})
    return items


def sections_for(items: list[dict], path: str) -> list[dict]:
    """The allowed entries grouped by section, in section order; the section of the current page (the entry whose
    URL is the longest prefix of ``path``) is marked open and its entry current."""
    current = max((item for item in items if path.startswith(item["url"]) and item["url"] != "/"),
                  key=lambda item: len(item["url"]), default=None)
    groups: dict[str, list[dict]] = {}
    for item in items:
        groups.setdefault(item["section"], []).append({**item, "current": item is current})
    return [{"key": key, "label": label, "items": groups[key],
             "open": current is not None and current["section"] == key}
            for key, label in SECTIONS if key in groups]
