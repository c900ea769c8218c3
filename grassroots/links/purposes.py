"""What a signed link may open: a registry of purposes the domain apps fill.

Links sit below the domains, so they do not know a rectification notice or an enterprise's contact card. An app
registers each purpose in ``AppConfig.ready()``: the model of its target, the view that shows what the link allows
(``view(request, link, target)``, called only after the link was verified, with the link's own target), and who may
issue and revoke links of this purpose for a target (``can_issue(actor, target)``, the app's own rule and scope).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Purpose:
    key: str
    model: str                                     # "app_label.ModelName"
    view: Callable                                 # (request, link, target) → response
    can_issue: Callable[[object, object], bool]    # (actor, target) → bool
    label_zh: str
    label_en: str
    days: int = 365                                # default validity


_purposes: dict[str, Purpose] = {}


def register(purpose: Purpose) -> None:
    _purposes[purpose.key] = purpose


def get(key: str) -> Purpose | None:
    return _purposes.get(key)
