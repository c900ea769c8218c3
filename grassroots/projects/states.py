"""Micro-project lifecycle: application → review → approval notice → implementation → acceptance → closing notice.

``TRANSITIONS`` has the shape of ``cases/states.py``: ``Transition(verb, from_states, to_state, label)`` keyed by verb;
the services look their move up here and compare-and-set it (``core.transitions.compare_and_set``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.transitions import Transition


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已申报")
    UNDER_REVIEW = "under_review", _("评审中")
    APPROVAL_NOTICE = "approval_notice", _("立项公示中")
    IN_PROGRESS = "in_progress", _("实施中")
    ACCEPTED = "accepted", _("已验收")
    CLOSING_NOTICE = "closing_notice", _("结项公示中")
    CLOSED = "closed", _("已结项")
    REJECTED = "rejected", _("未立项")
    WITHDRAWN = "withdrawn", _("已撤回")


S = ProjectStatus
TRANSITIONS: dict[str, Transition] = {m.verb: m for m in [
    Transition("create", (), S.DRAFT, "保存草稿"),
    Transition("submit", (S.DRAFT,), S.SUBMITTED, "提交申报"),
    Transition("start_review", (S.SUBMITTED,), S.UNDER_REVIEW, "进入评审"),
    Transition("approve", (S.UNDER_REVIEW,), S.APPROVAL_NOTICE, "批准立项"),
    Transition("reject", (S.SUBMITTED, S.UNDER_REVIEW), S.REJECTED, "不予立项"),
    Transition("start", (S.APPROVAL_NOTICE,), S.IN_PROGRESS, "开始实施"),
    Transition("accept", (S.IN_PROGRESS,), S.ACCEPTED, "验收"),
    Transition("publish_closing", (S.ACCEPTED,), S.CLOSING_NOTICE, "结项公示"),
    Transition("close", (S.CLOSING_NOTICE,), S.CLOSED, "结项"),
    Transition("withdraw", (S.DRAFT, S.SUBMITTED), S.WITHDRAWN, "撤回"),
]}
LABELS = dict(ProjectStatus.choices)
# fund payments go to approved projects being carried out (fund.disbursement_record)
PAYABLE = (S.IN_PROGRESS,)
