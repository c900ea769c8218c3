"""Key projects on the workbench (core.workbench): projects whose last month's investment report is missing (for
their commissioners and the park's staff) and projects with key nodes due within seven days or overdue. Each count
is the length of the list it links to."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from grassroots.core import clock
from grassroots.core import roles as R
from grassroots.core.workbench import Tally

from . import selectors

ACTIONS = ()


def tallies(actor, scope, now: dt.datetime) -> list[Tally]:
    roles = [r for r in R.STAFF if scope.has_role(r)]
    commissioner = selectors.Project.objects.filter(commissioner_id=actor.pk).exists() if not roles else False
    if not roles and not commissioner:
        return []
    role = roles[0] if roles else (sorted(scope.roles)[0] if scope.roles else "")
    today = clock.today()
    base = reverse("keyprojects:list")
    unreported = selectors.unreported(actor=actor, today=today)
    nodes = selectors.projects_with_nodes_due(actor=actor, today=today)
    return [
        Tally(key="keyprojects.unreported", label=pgettext_lazy("workbench", "上月投资未填报的重点项目"),
              count=unreported.count(), overdue=unreported.count() if today > selectors.report_due(
                  *selectors._previous(today.year, today.month)) else 0, url=f"{base}?unreported=1", role=role,
              order=72),
        Tally(key="keyprojects.nodes_due", label=pgettext_lazy("workbench", "7日内到期或逾期的关键节点"),
              count=nodes.count(), overdue=selectors.projects_with_nodes_due(actor=actor, today=today,
                                                                             days=-1).count(),
              url=f"{base}?nodes_due=1", role=role, order=73),
    ]
