"""Panels of the member's and the organisation's pages that the apps above party fill (honours, brands …):
party shows what they register and imports none of them (docs/architecture.md § Layers, 3).

An app registers in ``AppConfig.ready()`` a function ``(actor, membership) -> Panel | None`` (member pages) or
``(actor, org) -> Panel | None`` (organisation pages), reading through its own selectors with the actor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    title: str
    rows: list[str] = field(default_factory=list)
    empty: str = ""
    url: str = ""  # a page with more, when there is one


_member: list[Callable] = []
_org: list[Callable] = []


def register_member_panel(fn: Callable) -> None:
    if fn not in _member:
        _member.append(fn)


def register_org_panel(fn: Callable) -> None:
    if fn not in _org:
        _org.append(fn)


def member_panels(actor, membership) -> list[Panel]:
    return [p for p in (fn(actor, membership) for fn in _member) if p is not None]


def org_panels(actor, org) -> list[Panel]:
    return [p for p in (fn(actor, org) for fn in _org) if p is not None]
