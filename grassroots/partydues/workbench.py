"""Dues' part of the workbench (core.workbench): bills in arrears, this month's bills to record, reductions to
approve. Each count is the length of the list it links to (the same selector and filters)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import pgettext_lazy

from grassroots.core import clock
from grassroots.core import roles as R
from grassroots.core.workbench import Action, Tally
from grassroots.party.permissions import PARTY_STAFF_ROLES

from . import selectors
from .states import BillStatus

ROLES = (*R.PARTY_ORG_POSTS, *PARTY_STAFF_ROLES)
# The member's own dues (and the calculator), from the account's home.
ACTIONS = (
    Action(pgettext_lazy("workbench", "我的党费"), "partydues:mine", (R.Role.RESIDENT,), 6),
)


def role_of(scope) -> str | None:
    return next((r for r in ROLES if scope.has_role(r)), None)


def tallies(actor, scope, now: dt.datetime) -> list[Tally]:
    role = role_of(scope)
    if role is None:
        return []
    month = clock.today().replace(day=1)
    counts = selectors.bill_list(actor=actor, status=BillStatus.OPEN).order_by().aggregate(
        arrears=Count("pk", filter=Q(month__lt=month)), current=Count("pk", filter=Q(month=month)))
    bills = reverse("partydues:bills")
    return [
        Tally(key="partydues.arrears", label=pgettext_lazy("workbench", "欠缴党费"), count=counts["arrears"],
              overdue=counts["arrears"], url=f"{bills}?{urlencode({'status': 'open', 'arrears': '1'})}", role=role,
              order=60),
        Tally(key="partydues.to_record", label=pgettext_lazy("workbench", "本月待登记党费"), count=counts["current"],
              url=f"{bills}?{urlencode({'status': 'open', 'month': month.isoformat()})}", role=role, order=61),
        Tally(key="partydues.reductions", label=pgettext_lazy("workbench", "待审批的党费减免"),
              count=selectors.reductions_to_approve(actor=actor).count(),
              url=f"{reverse('partydues:reductions')}?approvable=1", role=role, order=62),
    ]
