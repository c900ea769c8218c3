"""The park on the workbench (core.workbench): for its keepers, enterprises past their grid-entry deadline; for a
service commissioner, their enterprises' appeals waiting for an answer (reported), the overdue first. Each count is
the length of the list it links to."""

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
    out = []
    if selectors.parks(actor=actor).exists():
        qs = selectors.due_entries(actor=actor, today=clock.today())
        n = qs.count()
        role = next((r for r in (*R.STAFF, R.Role.PARTY_COMMITTEE_OFFICER) if scope.has_role(r)), "")
        out.append(Tally(key="park.entry_late", label=pgettext_lazy("workbench", "逾期未纳入网格的企业"), count=n,
                         overdue=n, url=f"{reverse('park:list')}?late=1", role=role, order=70))
    if scope.has_role(R.Role.SERVICE_COMMISSIONER):
        from grassroots.cases import selectors as cases

        waiting = cases.case_list(actor=actor, status="reported", channel="enterprise")
        out.append(Tally(key="park.appeals_to_answer", label=pgettext_lazy("workbench", "待答复的企业诉求"),
                         count=waiting.count(), overdue=waiting.filter(accept_due__lt=now).count(),
                         url=f"{reverse('cases:case_list')}?status=reported&channel=enterprise",
                         role=R.Role.SERVICE_COMMISSIONER, order=69))
    return out
