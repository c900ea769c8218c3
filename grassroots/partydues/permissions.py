"""Who may change dues data. The branch secretary or 党务工作者 (and the region's party staff) act for their
organisation and those under it; a reduction is approved by an officer of a committee above the branch (or the
region's party staff), never by the branch itself. ``actor=None`` is the system."""

from __future__ import annotations

from grassroots.party import permissions as party_permissions


def can_manage(actor, org) -> bool:
    return party_permissions.can_manage_org(actor, org)


def can_approve_reduction(actor, org) -> bool:
    return party_permissions.can_remind(actor, org)
