"""Honours on the workbench (core.workbench): this year's 光荣在党50年 list — members waiting for their branch's
confirmation (for those who confirm) and confirmed awards waiting for approval (for those above). One aggregate
query; each count is the length of the list it links to."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.workbench import Tally
from grassroots.party.permissions import PARTY_STAFF_ROLES

from . import selectors

ACTIONS = ()


def tallies(actor, scope, now: dt.datetime) -> list[Tally]:
    acting = [r for r in (R.Role.PARTY_BRANCH_SECRETARY, R.Role.PARTY_AFFAIRS_WORKER, *PARTY_STAFF_ROLES)
              if scope.has_role(r)]
    above = [r for r in (R.Role.PARTY_COMMITTEE_OFFICER, *PARTY_STAFF_ROLES) if scope.has_role(r)]
    if not acting and not above:
        return []
    year = now.year
    counts = selectors.medal_counts(actor=actor, year=year)
    url = reverse("partyhonours:medal50")
    out = []
    if acting:
        out.append(Tally(key="partyhonours.medal_to_confirm", label=pgettext_lazy("workbench", "纪念章待确认"),
                         count=counts["pending"], url=f"{url}?year={year}&status=pending", role=acting[0], order=48))
    if above:
        out.append(Tally(key="partyhonours.medal_to_approve", label=pgettext_lazy("workbench", "纪念章待审批"),
                         count=counts["confirmed"], url=f"{url}?year={year}&status=confirmed", role=above[0],
                         order=49))
    if above:
        out.append(Tally(key="partyhonours.nominations_to_review", label=pgettext_lazy("workbench", "待审核的两优一先推荐"),
                         count=selectors.to_review(actor=actor).count(),
                         url=f"{reverse('partyhonours:campaigns')}?waiting=review", role=above[0], order=47))
    return out
