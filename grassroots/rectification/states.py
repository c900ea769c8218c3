"""The rectification ledger's vocabulary: an item's sources, its lifecycle and the transition table.

open → in rectification → submitted → closed (verified and closed, 销号); a verifier may send a submission back
(in rectification again) and reopen a closed item (reopened → in rectification). The sweep marks an item past its
deadline overdue; an overdue item is still rectified and submitted, or given a new deadline with a reason (extend),
which brings it back to in rectification. ``side`` says who makes the move: the owner (the owner organisation and
the responsible person), the supervisor (those above, never the owner), or the system (the sweep).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.transitions import Transition


class Source(models.TextChoices):
    INSPECTION = "inspection", _("督导检查")
    SELF_CHECK = "self_check", _("自查")
    MASS_OPINION = "mass_opinion", _("群众意见")
    AUDIT = "audit", _("审计")
    PROJECT_DISPATCH = "project_dispatch", _("项目调度")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    OPEN = "open", _("待整改")
    IN_RECTIFICATION = "in_rectification", _("整改中")
    SUBMITTED = "submitted", _("待验收")
    CLOSED = "closed", _("已销号")
    OVERDUE = "overdue", _("已逾期")
    REOPENED = "reopened", _("已重新打开")


S = Status
OWNER, SUPERVISOR, SYSTEM = "owner", "supervisor", "system"
TRANSITIONS: dict[str, Transition] = {m.verb: m for m in [
    Transition("create", (), S.OPEN, "登记"),
    Transition("start", (S.OPEN, S.REOPENED), S.IN_RECTIFICATION, "开始整改"),
    Transition("submit", (S.IN_RECTIFICATION, S.OVERDUE), S.SUBMITTED, "提交验收"),
    Transition("verify", (S.SUBMITTED,), S.CLOSED, "验收销号"),
    Transition("send_back", (S.SUBMITTED,), S.IN_RECTIFICATION, "退回整改"),
    Transition("reopen", (S.CLOSED,), S.REOPENED, "重新打开"),
    Transition("extend", (S.OPEN, S.IN_RECTIFICATION, S.OVERDUE, S.REOPENED), None, "延期",
               alternatives=frozenset({S.IN_RECTIFICATION})),
    Transition("mark_overdue", (S.OPEN, S.IN_RECTIFICATION, S.REOPENED), S.OVERDUE, "逾期"),
]}
SIDE = {"start": OWNER, "submit": OWNER, "verify": SUPERVISOR, "send_back": SUPERVISOR, "reopen": SUPERVISOR,
        "extend": SUPERVISOR, "mark_overdue": SYSTEM}
# Moves that need a written reason.
NEEDS_REASON = ("send_back", "reopen", "extend")
OPEN_STATUSES = (S.OPEN, S.IN_RECTIFICATION, S.SUBMITTED, S.OVERDUE, S.REOPENED)
STATUS_LABELS = {s.value: str(s.label) for s in Status}
