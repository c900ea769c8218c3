"""Micro-projects' part of the workbench (core.workbench): applications waiting for review in the staff's
communities. Each count is the length of the list it links to (the same selector, the same filters); one query."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.workbench import Tally

from . import selectors
from .states import ProjectStatus

WAITING = {ProjectStatus.SUBMITTED: pgettext_lazy("workbench", "待评审的项目申报"),
           ProjectStatus.UNDER_REVIEW: pgettext_lazy("workbench", "评审中的项目")}


def tallies(actor, scope, now: dt.datetime) -> list[Tally]:
    role = next((r for r in R.COMMUNITY if scope.has_role(r)), None)
    if role is None:
        return []
    communities = scope.paths_for(*R.COMMUNITY)
    rows = (selectors.projects(actor=actor).filter(status__in=list(WAITING))
            .filter(scope.region_q("community__path", roles=R.COMMUNITY))
            .values("status", "community__code", "community__name").annotate(n=Count("pk"))
            .order_by("status", "community__code"))
    out = []
    for row in rows:
        label = WAITING[row["status"]]
        out.append(Tally(key=f"projects.{row['status']}.{row['community__code']}",
                         label=label if len(communities) == 1 else f"{label} · {row['community__name']}",
                         count=row["n"], role=role, order=40,
                         url=f"{reverse('projects:projects')}?"
                             f"{urlencode({'status': row['status'], 'community': row['community__code']})}"))
    return out
