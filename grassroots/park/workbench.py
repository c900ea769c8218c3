"""The park on the workbench (core.workbench): for its keepers, enterprises past their grid-entry deadline; for a
service commissioner, their enterprises' appeals still open. Each count is the length of the list it links to."""

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
    return out
