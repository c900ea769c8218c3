"""Rectification ledgers (整改台账): items found by an inspection, a self-check, the masses or an audit, each owned
by an organisation with a responsible person and a deadline, rectified with measures and evidence and closed (销号)
by someone who is not the owner. Long-term items carry milestones.

An item may name the case it came from by id (``case_id``): an inspection recorded as a case raises items here,
and the ledger keeps the number without importing the cases app (see docs/rules/rectification.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel

from .states import Source, Status


class Item(BaseModel):
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("问题描述"), blank=True)
    requirement = models.TextField(_("整改要求"), blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    owner = models.ForeignKey("people.Organization", verbose_name=_("责任单位"), on_delete=models.PROTECT,
                              related_name="+")
    region = models.ForeignKey("territory.Region", verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    responsible = models.ForeignKey("people.Person", verbose_name=_("责任人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField(_("发现日期"))
    deadline = models.DateField(_("整改时限"))
    measures = models.TextField(_("整改措施"), blank=True)
    long_term = models.BooleanField(_("长期整改"), default=False)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    case_id = models.PositiveBigIntegerField(_("关联事件编号"), null=True, blank=True)
    # What the item is about in a domain, named without importing the domain (``app.model`` and the row's id): a
    # key project's problem ledger is its items with ``subject_type = "keyprojects.project"``.
    subject_type = models.CharField(_("关联对象类型"), max_length=40, blank=True)
    subject_id = models.PositiveBigIntegerField(_("关联对象编号"), null=True, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("验收人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("逾期时间"), null=True, blank=True)
    last_reason = models.CharField(_("最近说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["owner", "raised_on"], name="rectification_owner_idx"),
                   models.Index(fields=["status", "deadline"], name="rectification_due_idx"),
                   models.Index(fields=["subject_type", "subject_id"], name="rectification_subject_idx")]
        constraints = [models.CheckConstraint(condition=Q(deadline__gte=models.F("raised_on")),
                                              name="rectification_deadline_after_raised")]

    def __str__(self) -> str:
        return self.title


class Milestone(BaseModel):
    item = models.ForeignKey(Item, verbose_name=_("整改事项"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    due_on = models.DateField(_("计划完成"))
    done_on = models.DateField(_("实际完成"), null=True, blank=True)

    class Meta:
        verbose_name = _("整改节点")
        verbose_name_plural = _("整改节点")
        ordering = ["item", "due_on", "id"]

    def __str__(self) -> str:
        return self.title
