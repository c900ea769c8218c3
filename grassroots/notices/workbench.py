"""Notices' part of the workbench (core.workbench), for the publisher side (``selectors.owned_q``: staff of the
notice's region, posts of its organisation, party posts on its party organisation or above it):

- notices whose period ends soon (``notices.ending_soon_days``, policy), linking to the notice list filtered the
  same way (``?mine=1&ending=1``);
- objections waiting for an answer, linking to their list (``notices:objections_waiting``): a subject's next step
  waits for every answer (``require_cleared``).

Two small count statements, whatever the number of notices, objections or posts.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from grassroots.core.workbench import Tally

from . import selectors
from .models import Notice, Objection


def _role(scope) -> str | None:
    for roles in (selectors.OWNER_REGION_ROLES, selectors.OWNER_PARTY_ROLES, selectors.OWNER_ORG_ROLES):
        held = next((r for r in roles if scope.has_role(r)), None)
        if held is not None:
            return held
    return None


def tallies(actor, scope, now: dt.datetime) -> list[Tally]:
    role = _role(scope)
    if role is None:
        return []
    owned = selectors.owned_q(actor)
    ending = Notice.objects.filter(owned).aggregate(n=Count("pk", filter=selectors.ending_soon_q(now)))["n"]
    waiting = Objection.objects.filter(answered_at__isnull=True).filter(
        Q(notice__in=Notice.objects.filter(owned).values("pk"))).count()
    return [
        Tally(key="notices.objections_waiting", label=pgettext_lazy("workbench", "待答复的异议"), count=waiting,
              url=reverse("notices:objections_waiting"), role=role, order=40),
        Tally(key="notices.ending_soon", label=pgettext_lazy("workbench", "即将期满的公示"), count=ending,
              url=f"{reverse('notices:notices')}?mine=1&ending=1", role=role, order=41),
    ]
