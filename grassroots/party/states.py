"""The party register's vocabulary: the status choices of memberships and report-ins, and their transition table.

``TRANSITIONS`` is the one place that says which verb moves a membership, a member's report-in or a unit's
report-in from which states to which state; services look their move up here and compare-and-set it
(``core.transitions.compare_and_set``). Verbs are the audit verbs (``entity.verb``). A verb that creates a row lists
no states to move from; a verb that leaves the state unchanged lists the states it is allowed in and ``to=None``.
A membership's end (a transfer) moves its ``active`` flag, not its status: that move names the field it sets.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.transitions import Transition


class MembershipStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")


class MembershipEndReason(models.TextChoices):
    TRANSFER = "transfer", _("组织关系转出")
    DECEASED = "deceased", _("去世")
    OTHER = "other", _("其他")


class ReportInStatus(models.TextChoices):
    """A member's 双报到 and a unit's report-in share these."""

    ACTIVE = "active", _("报到中")
    ENDED = "ended", _("已结束")


class TransferState(models.TextChoices):
    ISSUED = "issued", _("待接收")
    RECEIVED = "received", _("已接收")
    CANCELLED = "cancelled", _("已撤回")


_P, _F = MembershipStatus.PROBATIONARY, MembershipStatus.FULL
_ISSUED, _RECEIVED, _CANCELLED = TransferState.ISSUED, TransferState.RECEIVED, TransferState.CANCELLED
_ACTIVE, _ENDED = ReportInStatus.ACTIVE, ReportInStatus.ENDED

TRANSITIONS: dict[str, Transition] = {m.verb: m for m in [
    # Memberships: added as probationary or full (the status is given), 转正, and ended by a transfer (the new row
    # starts with the same status).
    Transition("membership.add", (), None, "编入党员"),
    Transition("membership.promote", (_P,), _F, "转正"),
    Transition("membership.transfer", (True,), False, "组织关系转接", field="active"),
    # Ended on death (the person's date of death is recorded with it) or on leaving the party for another reason.
    Transition("membership.end", (True,), False, "终止党籍", field="active"),
    # 组织关系转接: issued by the sending side (inside the platform, or out of it with a letter valid three months),
    # received by the other side within the letter's validity, or withdrawn before; a transfer in from outside is
    # received when it is recorded.
    Transition("transfer.issue", (), _ISSUED, "开具组织关系介绍信"),
    Transition("transfer.receive", (_ISSUED,), _RECEIVED, "接收组织关系"),
    Transition("transfer.cancel", (_ISSUED,), _CANCELLED, "撤回组织关系转接"),
    Transition("transfer.in", (), _RECEIVED, "接收平台外转入"),
    # A member's report-in at their home community; posts are claimed while it runs.
    Transition("report_in.create", (), _ACTIVE, "到社区报到"),
    Transition("service_post.claim", (_ACTIVE,), None, "认领岗位"),
    Transition("report_in.end", (_ACTIVE,), _ENDED, "结束报到"),
    # A unit's report-in, with its needs and pledges lists.
    Transition("org_report_in.create", (), _ACTIVE, "单位到社区报到"),
    Transition("org_report_in.update", (_ACTIVE,), None, "修改需求与资源清单"),
    Transition("org_report_in.end", (_ACTIVE,), _ENDED, "结束单位报到"),
]}


def move(verb: str) -> Transition:
    return TRANSITIONS[verb]


# What a conflict message calls the state a row is in, by the entity of the verb (lazy: the active language).
STATUS_LABELS = {"membership": dict(MembershipStatus.choices), "transfer": dict(TransferState.choices),
                 "report_in": dict(ReportInStatus.choices),
                 "org_report_in": dict(ReportInStatus.choices)}


def labels(verb: str) -> dict | None:
    """Status labels for ``verb``'s conflict message (none for a move of the ``active`` flag)."""
    m = move(verb)
    return STATUS_LABELS.get(verb.split(".", 1)[0]) if m.field == "status" else None
