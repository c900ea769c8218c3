"""Who records development steps: the branch (its secretary or 党务工作者, and the region's party staff) records
the branch's steps; the committee above the branch records the upper steps (备案, 预审, 谈话, 审批). ``actor=None`` is
the system."""

from __future__ import annotations

from grassroots.party import permissions as party_permissions


def can_branch(actor, branch) -> bool:
    return party_permissions.can_manage_org(actor, branch)


def can_upper(actor, branch) -> bool:
    return party_permissions.can_remind(actor, branch)
