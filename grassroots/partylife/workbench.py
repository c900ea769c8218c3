"""Organisational life on the workbench (core.workbench): meetings to prepare (planned, noticed or held, not yet
archived) of the organisations the actor acts for; organisations behind their rhythm and terms due, from the open
alerts the actor sees. One aggregate query each; each count is the length of the list it links to."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.workbench import Tally

from . import permissions, selectors
from .models import Alert, Meeting
from .states import AlertKind

ACTIONS = ()


def tallies(actor, scope, now: dt.datetime) -> list[Tally]:
    party_roles = [r for r in R.PARTY_ORG_POSTS if scope.has_role(r)]
    staff_roles = [r for r in permissions.party_permissions.PARTY_STAFF_ROLES if scope.has_role(r)]
    if not party_roles and not staff_roles:
        return []
    role = (party_roles or staff_roles)[0]
    out = []
    acting = [r for r in permissions.ACTING_ROLES if scope.has_role(r)]
    if acting:
        n = Meeting.objects.filter(selectors.to_prepare_q(actor)).count()
        out.append(Tally(key="partylife.to_prepare", label=pgettext_lazy("workbench", "待办会议"), count=n,
                         url=reverse("partylife:meetings") + "?open=1", role=acting[0], order=40))
    counts = (Alert.objects.filter(permissions.org_path_q(actor, "org_path"), acknowledged_at__isnull=True)
              .aggregate(rhythm=Count("pk", filter=Q(kind=AlertKind.RHYTHM)),
                         terms=Count("pk", filter=Q(kind=AlertKind.TERM))))
    out.append(Tally(key="partylife.behind_rhythm", label=pgettext_lazy("workbench", "组织生活未按期开展"),
                     count=counts["rhythm"], overdue=counts["rhythm"], url=reverse("partylife:alerts") + "?kind=rhythm",
                     role=role, order=41))
    out.append(Tally(key="partylife.terms_due", label=pgettext_lazy("workbench", "换届提醒"), count=counts["terms"],
                     due_soon=counts["terms"], url=reverse("partylife:alerts") + "?kind=term", role=role, order=42))
    return out
