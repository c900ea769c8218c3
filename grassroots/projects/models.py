"""Micro-projects (微项目), community funds (社区基金) as append-only ledgers, red partners (红色合伙人), volunteers
and talents (志愿者、能人) with their service hours.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel

from .states import ProjectStatus

REVIEW_CRITERIA = [
    ("need_fit", _("需求契合")), ("locality", _("在地性")), ("participation", _("参与性")),
    ("feasibility", _("可行性")), ("innovation", _("创新性")), ("sustainability", _("可持续性")),
    ("budget", _("预算合理")),
]


class CommunityFund(BaseModel):
    """One fund per community (plus an optional zone fund). ``balance`` is updated in the same transaction as each
    ledger entry, by a conditional UPDATE that can never take it below zero."""

    region = models.OneToOneField("territory.Region", verbose_name=_("所属社区/区域"), on_delete=models.PROTECT,
                                  related_name="community_fund")
    name = models.CharField(_("名称"), max_length=100)
    custodian = models.CharField(_("托管机构"), max_length=100, blank=True, help_text=_("如 区慈善总会 专项基金账户"))
    balance = models.DecimalField(_("余额（元）"), max_digits=14, decimal_places=2, default=0)
    donations_total = models.DecimalField(_("累计募集（元）"), max_digits=14, decimal_places=2, default=0)
    disbursed_total = models.DecimalField(_("累计支出（元）"), max_digits=14, decimal_places=2, default=0)
    entry_count = models.PositiveIntegerField(_("台账笔数"), default=0)

    class Meta:
        verbose_name = _("社区基金")
        verbose_name_plural = _("社区基金")
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="fund_balance_not_negative")]

    def __str__(self) -> str:
        return self.name


class LedgerEntry(models.Model):
    """One line of a fund's ledger (台账记录). Append-only: corrections are compensating entries."""

    class Kind(models.TextChoices):
        DONATION = "donation", _("捐赠收入")
        DISBURSEMENT = "disbursement", _("项目支出")
        CORRECTION = "correction", _("冲正")

    class DonorKind(models.TextChoices):
        ORGANIZATION = "organization", _("单位")
        PERSON = "person", _("个人")
        NONE = "", _("—")

    fund = models.ForeignKey(CommunityFund, verbose_name=_("基金"), on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("金额（元，收入为正）"), max_digits=14, decimal_places=2)
    balance_after = models.DecimalField(_("记账后余额"), max_digits=14, decimal_places=2)
    receipt_no = models.CharField(_("票据/凭证号"), max_length=32)
    recorded_at = models.DateTimeField(_("记账时间"), db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记账人"), null=True,
                                    on_delete=models.PROTECT, related_name="+")
    donor_kind = models.CharField(_("捐赠方类型"), max_length=16, choices=DonorKind.choices, blank=True)
    donor_organization = models.ForeignKey("people.Organization", verbose_name=_("捐赠单位"), null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    donor_name = models.CharField(_("捐赠人"), max_length=64, blank=True)
    donor_anonymous = models.BooleanField(_("公开时匿名"), default=False)
    intended_use = models.CharField(_("指定用途"), max_length=200, blank=True)
    project = models.ForeignKey("projects.MicroProject", verbose_name=_("项目"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="ledger_entries")
    use_category = models.CharField(_("支出类别"), max_length=32, blank=True)
    purpose = models.CharField(_("摘要"), max_length=200)
    corrects = models.OneToOneField("self", verbose_name=_("冲正原记录"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="correction")

    class Meta:
        verbose_name = _("台账记录")
        verbose_name_plural = _("台账记录")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "receipt_no"], name="ledger_receipt_unique_per_fund"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="ledger_balance_after_not_negative"),
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
            models.CheckConstraint(condition=~Q(kind="donation") | Q(amount__gt=0), name="ledger_donation_positive"),
            models.CheckConstraint(condition=~Q(kind="disbursement") | (Q(amount__lt=0) & Q(project__isnull=False)),
                                   name="ledger_disbursement_negative_with_project"),
            models.CheckConstraint(condition=~Q(kind="correction") | Q(corrects__isnull=False),
                                   name="ledger_correction_references_entry"),
        ]
        indexes = [models.Index(fields=["fund", "-recorded_at", "-id"], name="ledger_fund_time_idx")]

    def __str__(self) -> str:
        return f"{self.receipt_no} {self.amount}"

    @property
    def public_donor(self) -> str:
        if self.kind != self.Kind.DONATION:
            return ""
        if self.donor_anonymous:
            return "爱心人士" if self.donor_kind == self.DonorKind.PERSON else "爱心单位"
        return self.donor_organization.name if self.donor_organization_id else self.donor_name


class LedgerMonthTotal(models.Model):
    """Rollup kept in the same transaction as each entry: the public page reads this, not a million entries."""

    fund = models.ForeignKey(CommunityFund, on_delete=models.CASCADE, related_name="month_totals")
    month = models.DateField(_("月份"))
    kind = models.CharField(max_length=16, choices=LedgerEntry.Kind.choices)
    donor_kind = models.CharField(max_length=16, blank=True)
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("台账月度汇总")
        verbose_name_plural = _("台账月度汇总")
        constraints = [models.UniqueConstraint(fields=["fund", "month", "kind", "donor_kind"],
                                               name="ledger_month_total_unique")]

    def __str__(self) -> str:
        return f"{self.fund_id}:{self.month:%Y-%m}:{self.kind}"


class ProhibitedUse(BaseModel):
    """The negative list checked on every disbursement (e.g. private costs, government duties, staff pay)."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    keywords = models.JSONField(_("关键词"), default=list, help_text=_("摘要中出现任一关键词即拒绝"))
    source = models.CharField(_("依据"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("负面清单")
        verbose_name_plural = _("负面清单")

    def __str__(self) -> str:
        return self.name


class MicroProject(BaseModel):
    community = models.ForeignKey("territory.Region", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="micro_projects")
    title = models.CharField(_("项目名称"), max_length=100)
    background = models.TextField(_("项目背景"))
    goals = models.TextField(_("项目目标"))
    activities = models.TextField(_("主要活动"))
    beneficiaries = models.CharField(_("受益对象"), max_length=200)
    beneficiary_count = models.PositiveIntegerField(_("受益人数"), default=0)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申报人"), on_delete=models.PROTECT,
                                  related_name="micro_projects")
    applicant_organization = models.ForeignKey("people.Organization", verbose_name=_("申报单位"), null=True,
                                               blank=True, on_delete=models.PROTECT, related_name="+")
    topic = models.ForeignKey("deliberation.Topic", verbose_name=_("来源议题"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="micro_projects")
    # the resolution this project carries out (the resolution does not know its project: the relation is ours)
    resolution = models.ForeignKey("deliberation.Resolution", verbose_name=_("决议"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT,
                              db_index=True)
    budget_total = models.DecimalField(_("预算合计（元）"), max_digits=12, decimal_places=2, default=0)
    approved_amount = models.DecimalField(_("批准资助（元）"), max_digits=12, decimal_places=2, default=0)
    disbursed_total = models.DecimalField(_("已拨付（元）"), max_digits=12, decimal_places=2, default=0)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    decision_note = models.TextField(_("审批意见"), blank=True)
    acceptance_note = models.TextField(_("验收意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结项时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("微项目")
        verbose_name_plural = _("微项目")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ProjectStatus.values), name="project_status_valid"),
            models.CheckConstraint(condition=Q(disbursed_total__lte=F("approved_amount")),
                                   name="project_disbursed_within_approved"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="project_progress_max_100"),
        ]

    def __str__(self) -> str:
        return self.title


class BudgetLine(BaseModel):
    project = models.ForeignKey(MicroProject, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="budget_lines")
    item = models.CharField(_("支出项目"), max_length=100)
    category = models.CharField(_("类别"), max_length=32, blank=True)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("预算明细")
        verbose_name_plural = _("预算明细")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_positive")]


class Review(BaseModel):
    """A named reviewer's scores (0–10 each) on the seven criteria."""

    project = models.ForeignKey(MicroProject, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评审人"), on_delete=models.PROTECT,
                                 related_name="+")
    scores = models.JSONField(_("评分"))
    total = models.DecimalField(_("总分（满分100）"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("评审意见"), blank=True)

    class Meta:
        verbose_name = _("评审")
        verbose_name_plural = _("评审")
        constraints = [models.UniqueConstraint(fields=["project", "reviewer"], name="review_once_per_reviewer")]


class Milestone(BaseModel):
    project = models.ForeignKey(MicroProject, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="milestones")
    title = models.CharField(_("进展"), max_length=200)
    happened_on = models.DateField(_("日期"))
    progress = models.PositiveSmallIntegerField(_("进度（%）"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("项目进展")
        verbose_name_plural = _("项目进展")
        ordering = ["happened_on", "id"]


class Partner(BaseModel):
    """红色合伙人: an organisation that signs an agreement to take part in community governance."""

    organization = models.ForeignKey("people.Organization", verbose_name=_("单位"), on_delete=models.PROTECT,
                                     related_name="partnerships")
    community = models.ForeignKey("territory.Region", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="partners")
    agreement_no = models.CharField(_("协议编号"), max_length=32)
    signed_on = models.DateField(_("签约日期"))
    ends_on = models.DateField(_("到期日期"), null=True, blank=True)
    commitments = models.TextField(_("承诺内容"))

    class Meta:
        verbose_name = _("红色合伙人")
        verbose_name_plural = _("红色合伙人")
        constraints = [models.UniqueConstraint(fields=["organization", "community"], name="partner_once_per_community")]

    def __str__(self) -> str:
        return str(self.organization)


class Contribution(BaseModel):
    class Kind(models.TextChoices):
        MONEY = "money", _("资金")
        IN_KIND = "in_kind", _("物资")
        SERVICE = "service", _("服务")

    partner = models.ForeignKey(Partner, verbose_name=_("合伙人"), on_delete=models.PROTECT, related_name="contributions")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    value = models.DecimalField(_("折合金额（元）"), max_digits=12, decimal_places=2)
    description = models.CharField(_("内容"), max_length=200)
    given_on = models.DateField(_("日期"))
    ledger_entry = models.OneToOneField(LedgerEntry, verbose_name=_("入账记录"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="contribution")

    class Meta:
        verbose_name = _("合伙人贡献")
        verbose_name_plural = _("合伙人贡献")


class Volunteer(BaseModel):
    """A registered volunteer; 能人 (community talents) are volunteers with a talent title."""

    person = models.OneToOneField("people.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                                  related_name="volunteer")
    community = models.ForeignKey("territory.Region", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="volunteers")
    skills = models.JSONField(_("特长"), default=list)
    is_talent = models.BooleanField(_("社区能人"), default=False)
    talent_title = models.CharField(_("能人称号/特长说明"), max_length=100, blank=True)
    hours_total = models.DecimalField(_("累计服务时长"), max_digits=8, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")

    def __str__(self) -> str:
        return str(self.person)


class ServiceHours(BaseModel):
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="hours")
    activity = models.CharField(_("活动"), max_length=200)
    project = models.ForeignKey(MicroProject, verbose_name=_("项目"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="service_hours")
    served_on = models.DateField(_("服务日期"))
    hours = models.DecimalField(_("时长（小时）"), max_digits=5, decimal_places=1)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核实人"), on_delete=models.PROTECT,
                                    related_name="+")
    party_service_record = models.OneToOneField("party.ServiceRecord", verbose_name=_("计入双报到记录"), null=True,
                                                blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("服务时长")
        verbose_name_plural = _("服务时长")
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="hours_in_a_day")]
