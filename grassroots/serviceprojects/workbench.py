"""为群众办实事 on the workbench (core.workbench): open projects due within seven days or past their day, for those
who keep or oversee them. The count is the length of the list it links to."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from grassroots.core import clock
from grassroots.core import roles as R
from grassroots.core.workbench import Tally
from grassroots.party.permissions import PARTY_STAFF_ROLES

from . import selectors

ACTIONS = ()


def tallies(actor, scope, now: dt.datetime) -> list[Tally]:
    roles = [r for r in (*R.PARTY_ORG_POSTS, *PARTY_STAFF_ROLES) if scope.has_role(r)]
    if not roles:
        return []
    today = clock.today()
    qs = selectors.due_soon(actor=actor, today=today)
    return [Tally(key="serviceprojects.due", label=pgettext_lazy("workbench", "7日内到期的办实事项目"),
                  count=qs.count(), overdue=qs.filter(due__lt=today).count(),
                  url=f"{reverse('serviceprojects:list')}?due=1", role=roles[0], order=52)]
