"""Rolls' part of the workbench (core.workbench): entries of the rolls the user keeps whose term runs out within
``rolls.term_ending_days`` (policy, 60 days) — representatives to re-elect or renew. One count statement, linking
to the list it counts (``rolls:terms_ending``, the same selector)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from grassroots.core.workbench import Tally

from . import selectors
from .permissions import KEEPERS, PARTY_KEEPERS


def tallies(actor, scope, now: dt.datetime) -> list[Tally]:
    role = next((r for r in (*KEEPERS, *PARTY_KEEPERS) if scope.has_role(r)), None)
    if role is None:
        return []
    from django.utils import timezone

    count = selectors.terms_ending(actor=actor, on=timezone.localdate(now)).count()
    return [Tally(key="rolls.terms_ending", label=pgettext_lazy("workbench", "任期即将届满"), count=count,
                  url=reverse("rolls:terms_ending"), role=role, order=45)]
