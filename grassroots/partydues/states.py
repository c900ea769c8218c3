"""Dues vocabulary: how a category's base is taken, a monthly bill's lifecycle, a reduction's lifecycle and the
transition table.

A bill is issued (open), then paid when the branch records the payment with its receipt number, or waived when an
approved reduction takes it to nothing. A reduction is proposed by the branch and approved or rejected by the
upper committee.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.transitions import Transition


class Basis(models.TextChoices):
    PAY = "pay", _("税后月工资收入")
    PENSION = "pension", _("离退休费")
    NONE = "none", _("无（定额）")


class BillStatus(models.TextChoices):
    OPEN = "open", _("未交")
    PAID = "paid", _("已交")
    WAIVED = "waived", _("免交")


class ReductionStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


B, RS = BillStatus, ReductionStatus
TRANSITIONS: dict[str, Transition] = {m.verb: m for m in [
    Transition("dues_base.set", (), None, "核定党费基数"),
    Transition("dues_bill.issue", (), B.OPEN, "生成党费账单"),
    Transition("dues_bill.pay", (B.OPEN,), B.PAID, "登记交纳"),
    Transition("dues_bill.waive", (B.OPEN,), B.WAIVED, "免交"),
    Transition("dues_reduction.propose", (), RS.PROPOSED, "提出减免"),
    Transition("dues_reduction.approve", (RS.PROPOSED,), RS.APPROVED, "批准减免"),
    Transition("dues_reduction.reject", (RS.PROPOSED,), RS.REJECTED, "不予批准"),
]}


def move(verb: str) -> Transition:
    return TRANSITIONS[verb]


STATUS_LABELS = {"dues_bill": dict(BillStatus.choices), "dues_reduction": dict(ReductionStatus.choices)}


def labels(verb: str) -> dict | None:
    return STATUS_LABELS.get(verb.split(".", 1)[0])
