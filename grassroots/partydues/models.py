"""Party dues 党费: the categories (policy rows: rate brackets on a base, or a flat amount), each member's category
and base with history, monthly bills, payments recorded by the branch, and reductions approved above.

Bills are keyed by person and month (the first day of the month); a bill copies the category, base, rate and
amount it was computed with, so a later change of base never rewrites history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel

from .states import Basis, BillStatus, ReductionStatus


class DuesCategory(BaseModel):
    """A member category (policy row). ``brackets`` is a list of ``{"upto": "3000.00" | null, "rate": "0.005"}``
    in ascending order, applied to the whole base; a flat category has no brackets and pays ``flat_amount``
    (which the branch may set within ``flat_min``–``flat_max``)."""

    code = models.SlugField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    basis = models.CharField(_("计算基数"), max_length=16, choices=Basis.choices)
    brackets = models.JSONField(_("比例档次"), default=list, blank=True)
    flat_amount = models.DecimalField(_("定额（元/月）"), max_digits=8, decimal_places=2, null=True, blank=True)
    flat_min = models.DecimalField(_("定额下限"), max_digits=8, decimal_places=2, null=True, blank=True)
    flat_max = models.DecimalField(_("定额上限"), max_digits=8, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("党费类别")
        verbose_name_plural = _("党费类别")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_flat(self) -> bool:
        return not self.brackets


class DuesBase(BaseModel):
    """A member's category and base from ``valid_from`` (the first of a month) on; the latest row not after a month
    is the one that month's bill uses."""

    person = models.ForeignKey("people.Person", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(DuesCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="+")
    base = models.DecimalField(_("基数（元/月）"), max_digits=12, decimal_places=2, null=True, blank=True)
    flat_amount = models.DecimalField(_("支部核定定额"), max_digits=8, decimal_places=2, null=True, blank=True)
    valid_from = models.DateField(_("起始月份"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核定人"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("党费基数")
        verbose_name_plural = _("党费基数")
        ordering = ["person", "-valid_from", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "valid_from"], name="partydues_base_month_uniq")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.valid_from:%Y-%m}"


class DuesBill(BaseModel):
    person = models.ForeignKey("people.Person", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("party.PartyOrg", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"))
    category = models.ForeignKey(DuesCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="+")
    base = models.DecimalField(_("基数"), max_digits=12, decimal_places=2, null=True, blank=True)
    rate = models.DecimalField(_("比例"), max_digits=6, decimal_places=4, null=True, blank=True)
    amount = models.DecimalField(_("应交金额"), max_digits=10, decimal_places=2)
    status = models.CharField(_("状态"), max_length=16, choices=BillStatus.choices, default=BillStatus.OPEN,
                              db_index=True)
    paid_amount = models.DecimalField(_("实交金额"), max_digits=10, decimal_places=2, null=True, blank=True)
    paid_on = models.DateField(_("交纳日期"), null=True, blank=True)
    receipt_no = models.CharField(_("收据号"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("党费账单")
        verbose_name_plural = _("党费账单")
        ordering = ["-month", "org", "person"]
        constraints = [models.UniqueConstraint(fields=["person", "month"], name="partydues_bill_month_uniq"),
                       models.UniqueConstraint(fields=["org", "receipt_no"], condition=~Q(receipt_no=""),
                                               name="partydues_receipt_uniq")]
        indexes = [models.Index(fields=["org", "month"], name="partydues_bill_org_idx"),
                   models.Index(fields=["person", "status", "month"], name="partydues_bill_person_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month:%Y-%m} {self.amount}"


class DuesReduction(BaseModel):
    """Hardship: the branch proposes paying less (or nothing) for some months; the upper committee approves."""

    person = models.ForeignKey("people.Person", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("party.PartyOrg", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+")
    month_from = models.DateField(_("起始月份"))
    month_to = models.DateField(_("截止月份"))
    amount = models.DecimalField(_("减免后每月金额"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("理由"), max_length=300)
    status = models.CharField(_("状态"), max_length=16, choices=ReductionStatus.choices,
                              default=ReductionStatus.PROPOSED, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("党费减免")
        verbose_name_plural = _("党费减免")
        ordering = ["-month_from", "-id"]
        constraints = [models.CheckConstraint(condition=Q(month_to__gte=models.F("month_from")),
                                              name="partydues_reduction_months")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month_from:%Y-%m}–{self.month_to:%Y-%m}"
