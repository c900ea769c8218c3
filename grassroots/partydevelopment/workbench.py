"""Development's part of the workbench: cases whose next step is due now (a talk to hold, an activist of a year,
a probation ended), and cases waiting on the committee above."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from grassroots.core import clock
from grassroots.core import roles as R
from grassroots.core.workbench import Tally
from grassroots.party.permissions import PARTY_STAFF_ROLES

from . import selectors


def tallies(actor, scope, now: dt.datetime) -> list[Tally]:
    role = next((r for r in (*R.PARTY_ORG_POSTS, *PARTY_STAFF_ROLES) if scope.has_role(r)), None)
    if role is None:
        return []
    url = reverse("partydevelopment:cases")
    return [
        Tally(key="partydevelopment.due", label=pgettext_lazy("workbench", "到期的发展步骤"),
              count=selectors.case_list(actor=actor, due=clock.today()).count(), url=f"{url}?due=1", role=role,
              order=63),
        Tally(key="partydevelopment.upper", label=pgettext_lazy("workbench", "待上级办理的发展步骤"),
              count=selectors.case_list(actor=actor, waiting="upper").count(), url=f"{url}?waiting=upper",
              role=role, order=64),
    ]
