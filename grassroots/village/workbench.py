"""The village's part of the workbench (core.workbench): rents falling due within the policy's days and overdue
rents, for the village's staff. Each count is the length of the list it links to (the same selector and filter);
two count queries."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R

from . import selectors

ROLES = R.STAFF


def tallies(actor, scope, now: dt.datetime) -> list:
    from grassroots.core.workbench import Tally

    role = next((r for r in ROLES if scope.has_role(r)), None)
    if role is None:
        return []
    today = now.date()
    out = []
    soon = selectors.payments(actor=actor, due="soon", today=today).count()
    if soon:
        out.append(Tally(key="village.rents_soon", label=pgettext_lazy("workbench", "即将到期的租金"), count=soon,
                         role=role, due_soon=soon, order=63, url=f"{reverse('village:rents')}?due=soon"))
    overdue = selectors.payments(actor=actor, due="overdue", today=today).count()
    if overdue:
        out.append(Tally(key="village.rents_overdue", label=pgettext_lazy("workbench", "逾期未收的租金"),
                         count=overdue, role=role, overdue=overdue, order=64,
                         url=f"{reverse('village:rents')}?due=overdue"))
    return out
