"""Kinds of notice, declared by the apps that own their subjects (notices sits below them and imports none).

Each domain app registers its kinds in ``AppConfig.ready()``: deliberation the resolution notice, projects the
micro-project's approval and closing notices; party, cooperatives and the park will add theirs (a nominee, a
membership candidate, a distribution plan). A kind says which model its subject is, who may publish (and answer
objections), in whose name the notice stands (its owner), and where the subject's own page is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Owner:
    """In whose name a notice stands: a region (community, zone), an organisation, or another holder. A holder that
    is a party organisation gives its path (``party_path``; else the holder's own ``path`` is taken), so that the
    posts of that organisation and of the committees above it answer and count the notice by path."""

    name: str
    region: Any = None
    organization: Any = None
    holder: Any = None
    party_path: str = ""

    def path(self) -> str:
        if self.party_path:
            return self.party_path
        return str(getattr(self.holder, "path", "") or "") if self.holder is not None else ""


@dataclass(frozen=True)
class NoticeKind:
    code: str                                           # stored on the notice, e.g. "resolution"
    label: str                                          # 决议公示
    model: str                                          # the subject's model, "deliberation.resolution"
    can_publish: Callable[[Any, Any], bool]             # (actor, subject) → may publish, and answer objections
    owner: Callable[[Any], Owner]                       # subject → the owner
    subject_url: Callable[[Any], str] = field(default=lambda subject: "")
    label_en: str = ""


_kinds: dict[str, NoticeKind] = {}


def register(kind: NoticeKind) -> None:
    _kinds[kind.code] = kind


def get(code: str) -> NoticeKind | None:
    return _kinds.get(code)


def registered() -> list[NoticeKind]:
    return list(_kinds.values())


def _in_language(kind: NoticeKind) -> str:
    """The kind's label in the page's language: English where the page is English and the kind gives one."""
    from django.utils.translation import get_language

    english = (get_language() or "").startswith("en")
    return kind.label_en if english and kind.label_en else kind.label


def choices() -> list[tuple[str, str]]:
    return [(k.code, _in_language(k)) for k in _kinds.values()]


def label(code: str) -> str:
    kind = _kinds.get(code)
    return _in_language(kind) if kind else code
