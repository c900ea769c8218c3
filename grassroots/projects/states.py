"""Micro-project lifecycle: application → review → approval notice → implementation → acceptance → closing notice."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
TRANSITIONS = {
    "submit": ({S.DRAFT}, S.SUBMITTED),
    "start_review": ({S.SUBMITTED}, S.UNDER_REVIEW),
    "approve": ({S.UNDER_REVIEW}, S.APPROVAL_NOTICE),
    "reject": ({S.SUBMITTED, S.UNDER_REVIEW}, S.REJECTED),
    "start": ({S.APPROVAL_NOTICE}, S.IN_PROGRESS),
    "accept": ({S.IN_PROGRESS}, S.ACCEPTED),
    "publish_closing": ({S.ACCEPTED}, S.CLOSING_NOTICE),
    "close": ({S.CLOSING_NOTICE}, S.CLOSED),
    "withdraw": ({S.DRAFT, S.SUBMITTED}, S.WITHDRAWN),
}
LABELS = dict(ProjectStatus.choices)
