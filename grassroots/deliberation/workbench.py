"""Deliberation's part of the workbench (core.workbench): topics waiting to be put on an agenda in the staff's
communities, and meetings being prepared. Each count is the length of the list it links to (the same selector
with the same filters); one query each, whatever the number of posts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.workbench import Action, Tally

from . import selectors
from .states import MeetingStatus, TopicStatus

ACTIONS = (
    Action(pgettext_lazy("workbench", "议题"), "deliberation:topics", R.COMMUNITY, 5),
)


def tallies(actor, scope, now: dt.datetime) -> list[Tally]:
    role = next((r for r in (*R.COMMUNITY, R.Role.SUBDISTRICT_OFFICER, R.Role.ZONE_LEADER) if scope.has_role(r)), None)
    if role is None:
        return []
    out = []
    if role in R.COMMUNITY:
        communities = scope.paths_for(*R.COMMUNITY)
        rows = (selectors.topics(actor=actor, status=TopicStatus.COLLECTED).filter(
            scope.region_q("community__path", roles=R.COMMUNITY))
            .values("community__code", "community__name").annotate(n=Count("pk")).order_by("community__code"))
        single = len(communities) == 1
        for row in rows:
            label = pgettext_lazy("workbench", "待列入议程的议题")
            out.append(Tally(key=f"deliberation.topics_collected.{row['community__code']}",
                             label=label if single else f"{label} · {row['community__name']}", count=row["n"],
                             url=f"{reverse('deliberation:topics')}?"
                                 f"{urlencode({'status': TopicStatus.COLLECTED, 'community': row['community__code']})}",
                             role=role, order=30))
    planned = selectors.meetings(actor=actor, status=MeetingStatus.PLANNED).count()
    out.append(Tally(key="deliberation.meetings_planned", label=pgettext_lazy("workbench", "筹备中的会议"),
                     count=planned, url=f"{reverse('deliberation:meetings')}?{urlencode({'status': MeetingStatus.PLANNED})}",
                     role=role, order=31))
    return out
