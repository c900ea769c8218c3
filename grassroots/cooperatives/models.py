"""Farmers' professional cooperatives (农民专业合作社法, rev. 2017): the cooperative and its charter, the member
register (a member is a farmer, another natural person or a unit), contributions (出资), member accounts (成员账户:
contribution, reserve share 公积金份额 and transactions booked by real name), quantified subsidies, and the year's
surplus distribution plan with its lines and payouts.

Money is ``Decimal`` to the fen. The arithmetic lives in ``distribution.py`` (no database); the services feed it
from these rows and store what it answers.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class QuantifiedBy(models.TextChoices):
    TRANSACTIONS = "transactions", _("按交易量（额）")
    CONTRIBUTIONS = "contributions", _("按出资额")
    BOTH = "both", _("按交易量与出资额各占一定比例")


class Cooperative(BaseModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("存续")
        DISSOLVED = "dissolved", _("已解散")

    organization = models.OneToOneField("people.Organization", verbose_name=_("组织"), on_delete=models.PROTECT,
                                        related_name="cooperative")
    region = models.ForeignKey("territory.Region", verbose_name=_("所在村（社区）"), on_delete=models.PROTECT,
                               related_name="cooperatives")
    leading_branch = models.ForeignKey("party.PartyOrg", verbose_name=_("领办党组织"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="cooperatives")
    founded_on = models.DateField(_("成立日期"))
    business = models.CharField(_("主营业务"), max_length=200, blank=True)
    greenhouses = models.PositiveIntegerField(_("大棚数"), default=0)
    cumulative_income = models.DecimalField(_("累计收入（元）"), default=Decimal("0"), **MONEY)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    roll = models.OneToOneField("rolls.Roll", verbose_name=_("成员名册"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="cooperative")

    class Meta:
        verbose_name = _("合作社")
        verbose_name_plural = _("合作社")
        ordering = ["organization__name", "id"]

    def __str__(self) -> str:
        return self.organization.name

    @property
    def name(self) -> str:
        return self.organization.name


class Charter(BaseModel):
    """One version of the charter's economic rules (章程); the newest adopted one is in force."""

    cooperative = models.ForeignKey(Cooperative, verbose_name=_("合作社"), on_delete=models.PROTECT,
                                    related_name="charters")
    adopted_on = models.DateField(_("通过日期"))
    resolution = models.CharField(_("通过决议"), max_length=200, blank=True)
    reserve_rate = models.DecimalField(_("公积金提取比例"), max_digits=5, decimal_places=4)
    refund_rate = models.DecimalField(_("按交易量返还比例"), max_digits=5, decimal_places=4,
                                      help_text=_("可分配盈余按交易量（额）返还的比例，不低于60%"))
    reserve_quantified_by = models.CharField(_("公积金量化方式"), max_length=16, choices=QuantifiedBy.choices,
                                             default=QuantifiedBy.TRANSACTIONS)
    reserve_by_transactions_share = models.DecimalField(
        _("按交易量量化的公积金比例"), max_digits=5, decimal_places=4, default=Decimal("1"),
        help_text=_("两者兼用时按交易量量化的部分，其余按出资额"))
    land_value_per_mu = models.DecimalField(_("土地经营权每亩作价（元）"), default=Decimal("8000"), **MONEY)
    share_value = models.DecimalField(_("每股金额（元）"), default=Decimal("1"), **MONEY)
    labour_valuation = models.CharField(_("劳务作价办法"), max_length=200, blank=True,
                                        default="全体成员评估作价，成员大会决议通过")
    extra_votes_rule = models.CharField(_("附加表决权办法"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("章程")
        verbose_name_plural = _("章程")
        ordering = ["cooperative", "-adopted_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(refund_rate__gte=Decimal("0.6")) & Q(refund_rate__lte=1),
                                   name="coop_charter_refund_at_least_60"),
            models.CheckConstraint(condition=Q(reserve_rate__gte=0) & Q(reserve_rate__lte=1),
                                   name="coop_charter_reserve_rate_share"),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative_id}@{self.adopted_on}"


class MemberKind(models.TextChoices):
    FARMER = "farmer", _("农民")
    CITIZEN = "citizen", _("其他自然人")
    UNIT = "unit", _("单位")


class CoopMember(BaseModel):
    """A member of a cooperative for a period: a person, or a unit (an organisation, e.g. the village collective)
    with the person who represents it at the assembly. Leaving closes the row; rejoining opens a new one."""

    Kind = MemberKind

    cooperative = models.ForeignKey(Cooperative, verbose_name=_("合作社"), on_delete=models.PROTECT,
                                    related_name="members")
    number = models.PositiveIntegerField(_("成员编号"))
    kind = models.CharField(_("成员类型"), max_length=16, choices=MemberKind.choices)
    person = models.ForeignKey("people.Person", verbose_name=_("成员（个人）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="coop_memberships")
    organization = models.ForeignKey("people.Organization", verbose_name=_("成员（单位）"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="coop_memberships")
    representative = models.ForeignKey("people.Person", verbose_name=_("单位代表"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("入社日期"))
    left_on = models.DateField(_("退社日期"), null=True, blank=True)
    leave_reason = models.CharField(_("退社原因"), max_length=200, blank=True)
    founder = models.BooleanField(_("设立人"), default=False)
    extra_votes = models.PositiveIntegerField(_("附加表决权"), default=0)
    roll_entry = models.ForeignKey("rolls.RollEntry", verbose_name=_("名册记录"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("合作社成员")
        verbose_name_plural = _("合作社成员")
        ordering = ["cooperative", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="coop_member_number_unique"),
            models.CheckConstraint(condition=(Q(kind="unit") & Q(organization__isnull=False) & Q(person__isnull=True))
                                   | (~Q(kind="unit") & Q(person__isnull=False) & Q(organization__isnull=True)),
                                   name="coop_member_person_or_unit"),
        ]
        indexes = [models.Index(fields=["cooperative", "left_on"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.organization_id:
            return self.organization.name
        return self.person.name if self.person_id else ""

    @property
    def active(self) -> bool:
        return self.left_on is None

    @property
    def code(self) -> str:
        return f"M{self.number}"


class ContributionKind(models.TextChoices):
    CASH = "cash", _("货币")
    LAND_RIGHT = "land_right", _("土地经营权")
    ASSET = "asset", _("实物资产")
    FOREST_RIGHT = "forest_right", _("林权")
    INTELLECTUAL = "intellectual", _("知识产权")
    OTHER_BY_CHARTER = "other_by_charter", _("章程规定的其他方式（劳务）")


class Contribution(BaseModel):
    """A member's contribution (出资). Land: 亩 × the charter's value per 亩. Assets and labour: the valued amount,
    who valued it and how, and the resolution that approved it. Shares issued = amount ÷ the charter's share value."""

    Kind = ContributionKind

    member = models.ForeignKey(CoopMember, verbose_name=_("成员"), on_delete=models.PROTECT,
                               related_name="contributions")
    kind = models.CharField(_("出资方式"), max_length=20, choices=ContributionKind.choices)
    amount = models.DecimalField(_("作价金额（元）"), **MONEY)
    mu = models.DecimalField(_("亩数"), max_digits=10, decimal_places=2, null=True, blank=True)
    value_per_mu = models.DecimalField(_("每亩作价（元）"), null=True, blank=True, **MONEY)
    description = models.CharField(_("出资内容"), max_length=200, blank=True)
    valued_by = models.CharField(_("评估作价人"), max_length=100, blank=True)
    valuation_method = models.CharField(_("作价方法"), max_length=200, blank=True)
    resolution = models.CharField(_("批准决议"), max_length=200, blank=True)
    contributed_on = models.DateField(_("出资日期"))
    shares = models.DecimalField(_("股份数"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("出资")
        verbose_name_plural = _("出资")
        ordering = ["member", "contributed_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="coop_contribution_positive")]


class Transaction(BaseModel):
    """A sale or purchase through the cooperative booked by real name. Member business and non-member business are
    kept apart (``member`` null = non-member business); only member transactions count for refunds."""

    cooperative = models.ForeignKey(Cooperative, verbose_name=_("合作社"), on_delete=models.PROTECT,
                                    related_name="transactions")
    member = models.ForeignKey(CoopMember, verbose_name=_("成员"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="transactions")
    real_name = models.CharField(_("实名"), max_length=150)
    occurred_on = models.DateField(_("交易日期"))
    product = models.CharField(_("产品"), max_length=100, blank=True)
    quantity = models.DecimalField(_("数量"), max_digits=14, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("交易额（元）"), **MONEY)

    class Meta:
        verbose_name = _("交易记录")
        verbose_name_plural = _("交易记录")
        ordering = ["cooperative", "-occurred_on", "-id"]
        indexes = [models.Index(fields=["cooperative", "occurred_on"]),
                   models.Index(fields=["member", "occurred_on"])]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="coop_transaction_positive")]


class Subsidy(BaseModel):
    """State subsidy (国家财政直接补助) or donation (他人捐赠) quantified to members as the charter says."""

    class Source(models.TextChoices):
        STATE = "state", _("国家财政直接补助")
        DONATION = "donation", _("他人捐赠")

    class Quantified(models.TextChoices):
        EQUALLY = "equally", _("平均量化")
        CONTRIBUTIONS = "contributions", _("按出资额量化")

    cooperative = models.ForeignKey(Cooperative, verbose_name=_("合作社"), on_delete=models.PROTECT,
                                    related_name="subsidies")
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, default=Source.STATE)
    name = models.CharField(_("名称"), max_length=150)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    received_on = models.DateField(_("到账日期"))
    quantified = models.CharField(_("量化方式"), max_length=16, choices=Quantified.choices,
                                  default=Quantified.EQUALLY)

    class Meta:
        verbose_name = _("补助与捐赠")
        verbose_name_plural = _("补助与捐赠")
        ordering = ["cooperative", "-received_on", "-id"]


class SubsidyShare(BaseModel):
    subsidy = models.ForeignKey(Subsidy, verbose_name=_("补助"), on_delete=models.PROTECT, related_name="shares")
    member = models.ForeignKey(CoopMember, verbose_name=_("成员"), on_delete=models.PROTECT,
                               related_name="subsidy_shares")
    amount = models.DecimalField(_("量化金额（元）"), **MONEY)

    class Meta:
        verbose_name = _("补助量化份额")
        verbose_name_plural = _("补助量化份额")
        constraints = [models.UniqueConstraint(fields=["subsidy", "member"], name="coop_subsidy_share_once")]


class ReserveShareEntry(BaseModel):
    """A movement of a member's reserve share (公积金份额): opening balance, the yearly quantification from a
    distribution plan, or an adjustment by resolution."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("期初")
        QUANTIFIED = "quantified", _("年度量化")
        ADJUSTMENT = "adjustment", _("调整")

    member = models.ForeignKey(CoopMember, verbose_name=_("成员"), on_delete=models.PROTECT,
                               related_name="reserve_entries")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    year = models.PositiveIntegerField(_("年度"))
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    plan = models.ForeignKey("cooperatives.Plan", verbose_name=_("分配方案"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="reserve_entries")

    class Meta:
        verbose_name = _("公积金份额记录")
        verbose_name_plural = _("公积金份额记录")
        ordering = ["member", "year", "id"]


class Plan(BaseModel):
    """The year's accounts and surplus distribution plan: trial (试算) → public notice → members' assembly →
    paid. The charter's figures are copied onto the plan at the trial so a later charter change does not move it."""

    class Status(models.TextChoices):
        TRIAL = "trial", _("试算")
        NOTICED = "noticed", _("公示中")
        APPROVED = "approved", _("成员大会已通过")
        REJECTED = "rejected", _("成员大会未通过")
        PAID = "paid", _("已分配")

    cooperative = models.ForeignKey(Cooperative, verbose_name=_("合作社"), on_delete=models.PROTECT,
                                    related_name="plans")
    year = models.PositiveIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.TRIAL)
    income = models.DecimalField(_("经营收入（元）"), default=Decimal("0"), **MONEY)
    surplus = models.DecimalField(_("当年盈余（元）"), **MONEY)
    loss_to_cover = models.DecimalField(_("弥补亏损（元）"), default=Decimal("0"), **MONEY)
    reserve_rate = models.DecimalField(_("公积金提取比例"), max_digits=5, decimal_places=4)
    refund_rate = models.DecimalField(_("按交易量返还比例"), max_digits=5, decimal_places=4)
    reserve_quantified_by = models.CharField(_("公积金量化方式"), max_length=16, choices=QuantifiedBy.choices)
    reserve_by_transactions_share = models.DecimalField(_("按交易量量化的公积金比例"), max_digits=5,
                                                        decimal_places=4, default=Decimal("1"))
    reserve = models.DecimalField(_("提取公积金（元）"), default=Decimal("0"), **MONEY)
    distributable = models.DecimalField(_("可分配盈余（元）"), default=Decimal("0"), **MONEY)
    refund_total = models.DecimalField(_("按交易量返还（元）"), default=Decimal("0"), **MONEY)
    by_basis_total = models.DecimalField(_("按出资等分配（元）"), default=Decimal("0"), **MONEY)
    computed_at = models.DateTimeField(_("试算时间"), null=True, blank=True)
    # The members' assembly (成员大会).
    assembly_on = models.DateField(_("成员大会日期"), null=True, blank=True)
    due_heads = models.PositiveIntegerField(_("应到成员"), default=0)
    due_votes = models.PositiveIntegerField(_("全体成员表决权"), default=0)
    present_heads = models.PositiveIntegerField(_("到会成员"), default=0)
    present_votes = models.PositiveIntegerField(_("到会表决权"), default=0)
    yes_votes = models.PositiveIntegerField(_("赞成表决权"), default=0)
    assembly_note = models.CharField(_("会议说明"), max_length=200, blank=True)
    paid_on = models.DateField(_("兑付日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("盈余分配方案")
        verbose_name_plural = _("盈余分配方案")
        ordering = ["cooperative", "-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "year"], condition=~Q(status="rejected"),
                                    name="coop_plan_one_live_per_year"),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.cooperative} {self.year}"


class PlanLine(BaseModel):
    """One member's part of a plan, with the figures it was worked from (the working a member sees)."""

    plan = models.ForeignKey(Plan, verbose_name=_("分配方案"), on_delete=models.CASCADE, related_name="lines")
    member = models.ForeignKey(CoopMember, verbose_name=_("成员"), on_delete=models.PROTECT,
                               related_name="plan_lines")
    contribution = models.DecimalField(_("出资额"), **MONEY)
    reserve_share = models.DecimalField(_("公积金份额（分配前）"), **MONEY)
    subsidy_share = models.DecimalField(_("量化补助份额"), **MONEY)
    basis = models.DecimalField(_("分配基数"), **MONEY)
    transactions = models.DecimalField(_("交易额"), **MONEY)
    refund = models.DecimalField(_("按交易量返还"), **MONEY)
    by_basis = models.DecimalField(_("按出资等分配"), **MONEY)
    cash = models.DecimalField(_("应分现金"), **MONEY)
    reserve_share_added = models.DecimalField(_("新增公积金份额"), **MONEY)
    paid_on = models.DateField(_("兑付日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("分配明细")
        verbose_name_plural = _("分配明细")
        ordering = ["plan", "member__number"]
        constraints = [models.UniqueConstraint(fields=["plan", "member"], name="coop_plan_line_once")]
