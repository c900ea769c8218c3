"""Brands on the workbench (core.workbench): brands waiting for a rating step (for the organisations above) and
brands waiting for the user's own review opinion. Each count is the length of the list it links to."""

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
    roles = [r for r in (R.Role.PARTY_COMMITTEE_OFFICER, *PARTY_STAFF_ROLES, *R.PARTY_ORG_POSTS) if scope.has_role(r)]
    if not roles:
        return []
    url = reverse("partybrands:list")
    out = []
    above = [r for r in (R.Role.PARTY_COMMITTEE_OFFICER, *PARTY_STAFF_ROLES) if scope.has_role(r)]
    if above:
        out.append(Tally(key="partybrands.to_rate", label=pgettext_lazy("workbench", "待评审命名的党建品牌"),
                         count=selectors.to_rate(actor=actor).count(), url=f"{url}?waiting=rate", role=above[0],
                         order=50))
    out.append(Tally(key="partybrands.to_review", label=pgettext_lazy("workbench", "待我评审的党建品牌"),
                     count=selectors.to_review(actor=actor).count(), url=f"{url}?waiting=review", role=roles[0],
                     order=51))
    return out
