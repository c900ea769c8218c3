"""Cooperatives' part of the workbench (core.workbench): the year's plans waiting at a step for the cooperative's
accountant and board — trials to publish, notices running (those ending within three days as due soon), assembly
results to record, payouts to record. Each count is the length of the plan list it links to (the same selector and
status); one aggregate query and one for the notices ending."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.workbench import Tally

from . import selectors
from .models import Plan

ROLES = (R.Role.COOPERATIVE_ACCOUNTANT, R.Role.COOPERATIVE_BOARD_MEMBER)
WAITING = {Plan.Status.TRIAL: pgettext_lazy("workbench", "试算待公示的分配方案"),
           Plan.Status.NOTICED: pgettext_lazy("workbench", "公示中待成员大会表决的分配方案"),
           Plan.Status.APPROVED: pgettext_lazy("workbench", "待记录兑付的分配方案")}
ENDING_DAYS = 3


def tallies(actor, scope, now: dt.datetime) -> list[Tally]:
    role = next((r for r in ROLES if scope.has_role(r)), None)
    if role is None:
        return []
    rows = dict(selectors.plans(actor=actor).filter(status__in=list(WAITING)).values_list("status")
                .annotate(n=Count("pk")).order_by())
    if not rows:
        return []
    ending = 0
    if rows.get(Plan.Status.NOTICED):
        ending = selectors.notices_ending(actor=actor, until=now + dt.timedelta(days=ENDING_DAYS), now=now)
    out = []
    for order, (status, label) in enumerate(WAITING.items()):
        if rows.get(status):
            out.append(Tally(key=f"cooperatives.plans_{status}", label=label, count=rows[status], role=role,
                             order=60 + order, due_soon=ending if status == Plan.Status.NOTICED else 0,
                             url=f"{reverse('cooperatives:plans')}?{urlencode({'status': status})}"))
    return out
