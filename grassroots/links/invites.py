"""The signed link printed on an account invitation slip (``people.slips``): it opens the invitation page while the
invitation is open (not used, not replaced, not expired), and nothing else — the one-time code is never in the
link, only on the paper. Issued and revoked by whoever may invite the person."""

from __future__ import annotations

import math

from django.http import Http404
from django.shortcuts import redirect

from grassroots.core import clock
from grassroots.people import permissions as people_permissions
from grassroots.people import slips

from . import purposes, services

PURPOSE = "people.invite"


def can_issue(actor, invite) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and people_permissions.can_invite(
        actor, invite.person)


def invite_view(request, link, invite):
    if invite.used_at is not None or invite.revoked_at is not None or invite.expires_at <= clock.now():
        raise Http404
    return redirect("signup_invite")


def signed_url(actor, invite) -> str:
    days = max(1, math.ceil((invite.expires_at - clock.now()).total_seconds() / 86400))
    link = services.link_issue(actor=actor, purpose=PURPOSE, target=invite, days=days)
    return services.path_of(link)


def register() -> None:
    purposes.register(purposes.Purpose(PURPOSE, "people.AccountInvite", invite_view, can_issue, "账号开通邀请",
                                       "Account invitation", days=30))
    slips.install(signed_url)
