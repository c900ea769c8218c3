"""The party register's part of the workbench: transfers waiting to be received by the actor's organisations."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from grassroots.core import roles as R
from grassroots.core.workbench import Tally

from . import selectors
from .permissions import PARTY_STAFF_ROLES


def tallies(actor, scope, now: dt.datetime) -> list[Tally]:
    role = next((r for r in (*R.PARTY_ORG_POSTS, *PARTY_STAFF_ROLES) if scope.has_role(r)), None)
    if role is None:
        return []
    return [Tally(key="party.transfers_to_receive", label=pgettext_lazy("workbench", "待接收的组织关系"),
                  count=selectors.transfer_list(actor=actor, to_receive=True).count(),
                  url=f"{reverse('party:transfer_list')}?to_receive=1", role=role, order=65)]
