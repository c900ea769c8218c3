"""A menu entry, as an app declares it, and core's own entries.

Each app lists its entries as ``ENTRIES`` in its own ``menu.py``; the page layer (``web.navigation``) collects them
from every installed app, the way ``config/api.py`` collects the apps' routers. An app never imports the page layer.
An entry shows when the actor holds one of its roles, or to everybody when ``roles`` is empty. Entries are grouped
into task sections (事件, 议事与项目, 党建 …: ``web.navigation.SECTIONS``); an entry names its section, or takes its
app's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from .roles import BUSINESS, Role


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    roles: tuple[str, ...] = ()
    order: int = 100
    section: str = ""  # a key of web.navigation.SECTIONS; empty: the app's section


ENTRIES = (
    MenuEntry(pgettext_lazy("menu", "审计日志"), "core:audit", (Role.AUDITOR,), 900),
    MenuEntry(pgettext_lazy("menu", "我的导出"), "core:export_list", (*BUSINESS, Role.AUDITOR), 950),
)
