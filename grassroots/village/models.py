"""The village collective economy (村集体经济): the collective of a village with its booked entries (from which the
income and distribution statement is computed), its contracts (leases of land and buildings) with their payment
schedules, the published disclosures per period (村务公开), and its own members (农村集体经济组织法) with their member
shares (成员股), certified per household.

Money is ``Decimal`` to the fen. Totals are never stored: the services compute them from the entries.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class Collective(BaseModel):
    """The collective economic organisation of a village (e.g. 田庄村股份经济合作社)."""

    region = models.OneToOneField("territory.Region", verbose_name=_("村"), on_delete=models.PROTECT,
                                  related_name="collective")
    organization = models.OneToOneField("people.Organization", verbose_name=_("集体经济组织"),
                                        on_delete=models.PROTECT, related_name="village_collective")
    retained_rate = models.DecimalField(_("集体留存比例"), max_digits=5, decimal_places=4, default=Decimal("0.30"),
                                        help_text=_("作为单位成员从合作社所得收益中集体提取公积公益金的比例"))
    collective_share_rate = models.DecimalField(_("集体股比例"), max_digits=5, decimal_places=4,
                                                default=Decimal("0"))
    villagers = models.PositiveIntegerField(_("村民人数（测算口径）"), default=0)

    class Meta:
        verbose_name = _("村集体经济组织")
        verbose_name_plural = _("村集体经济组织")
        ordering = ["region__path", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(retained_rate__gte=0) & Q(retained_rate__lte=1),
                                   name="village_retained_rate_share"),
            models.CheckConstraint(condition=Q(collective_share_rate__gte=0) & Q(collective_share_rate__lte=1),
                                   name="village_collective_share_rate_share"),
        ]

    def __str__(self) -> str:
        return self.organization.name

    @property
    def name(self) -> str:
        return self.organization.name


class Category(models.TextChoices):
    """The lines of the 收益分配统计表."""

    OPERATING = "operating", _("经营收入")
    CONTRACTING = "contracting", _("发包及上交收入")
    INVESTMENT = "investment", _("投资收益")
    SUBSIDY = "subsidy", _("补助收入")
    OTHER_INCOME = "other_income", _("其他收入")
    OPERATING_COST = "operating_cost", _("经营支出")
    ADMIN_COST = "admin_cost", _("管理费用")
    OTHER_COST = "other_cost", _("其他支出")
    RESERVE = "reserve", _("提取公积公益金")
    WELFARE = "welfare", _("应付福利费")
    MEMBER_DISTRIBUTION = "member_distribution", _("成员分配")
    OTHER_DISTRIBUTION = "other_distribution", _("其他")


INCOME = (Category.OPERATING, Category.CONTRACTING, Category.INVESTMENT, Category.SUBSIDY, Category.OTHER_INCOME)
COSTS = (Category.OPERATING_COST, Category.ADMIN_COST, Category.OTHER_COST)
DISTRIBUTION = (Category.RESERVE, Category.WELFARE, Category.MEMBER_DISTRIBUTION, Category.OTHER_DISTRIBUTION)
OPERATING_INCOME = (Category.OPERATING, Category.CONTRACTING, Category.INVESTMENT)


class Entry(BaseModel):
    """One booked entry of the collective's books, on one line of the statement."""

    collective = models.ForeignKey(Collective, verbose_name=_("村集体经济组织"), on_delete=models.PROTECT,
                                   related_name="entries")
    booked_on = models.DateField(_("记账日期"))
    category = models.CharField(_("科目"), max_length=24, choices=Category.choices)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    note = models.CharField(_("摘要"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("收支记账")
        verbose_name_plural = _("收支记账")
        ordering = ["collective", "booked_on", "id"]
        indexes = [models.Index(fields=["collective", "booked_on"])]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="village_entry_amount_positive")]


class Contract(BaseModel):
    """A lease (发包/租赁) of the collective's land or buildings."""

    class ObjectKind(models.TextChoices):
        LAND = "land", _("土地")
        BUILDING = "building", _("房屋")
        OTHER = "other", _("其他资产")

    collective = models.ForeignKey(Collective, verbose_name=_("村集体经济组织"), on_delete=models.PROTECT,
                                   related_name="contracts")
    counterparty = models.CharField(_("承包（承租）方"), max_length=100)
    object_kind = models.CharField(_("标的类型"), max_length=16, choices=ObjectKind.choices)
    object = models.CharField(_("标的"), max_length=200)
    area = models.DecimalField(_("面积"), max_digits=12, decimal_places=2, null=True, blank=True)
    area_unit = models.CharField(_("面积单位"), max_length=8, blank=True, default="亩")
    annual_rent = models.DecimalField(_("年租金（元）"), **MONEY)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("终止日期"))

    class Meta:
        verbose_name = _("合同")
        verbose_name_plural = _("合同")
        ordering = ["collective", "starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.counterparty} · {self.object}"


class Payment(BaseModel):
    """One due payment of a contract's schedule."""

    contract = models.ForeignKey(Contract, verbose_name=_("合同"), on_delete=models.PROTECT, related_name="payments")
    due_on = models.DateField(_("应付日期"))
    amount = models.DecimalField(_("应付金额（元）"), **MONEY)
    paid_on = models.DateField(_("实付日期"), null=True, blank=True)
    reminded_on = models.DateField(_("提醒日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("应收租金")
        verbose_name_plural = _("应收租金")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on", "paid_on"])]


class Disclosure(BaseModel):
    """A published, locked snapshot of the collective's finances for a period (村务公开)."""

    collective = models.ForeignKey(Collective, verbose_name=_("村集体经济组织"), on_delete=models.PROTECT,
                                   related_name="disclosures")
    period = models.CharField(_("公开期间"), max_length=16)
    starts_on = models.DateField(_("期间起"))
    ends_on = models.DateField(_("期间止"))
    snapshot = models.JSONField(_("公开内容"), default=dict)
    published_at = models.DateTimeField(_("公开时间"))

    class Meta:
        verbose_name = _("村务公开")
        verbose_name_plural = _("村务公开")
        ordering = ["collective", "-starts_on", "id"]
        constraints = [models.UniqueConstraint(fields=["collective", "period"], name="village_disclosure_once")]


class VillageMember(BaseModel):
    """A member of the collective economic organisation, confirmed by the members' assembly; exit closes the row
    (the history stays), a new confirmation opens a new row."""

    collective = models.ForeignKey(Collective, verbose_name=_("村集体经济组织"), on_delete=models.PROTECT,
                                   related_name="members")
    person = models.ForeignKey("people.Person", verbose_name=_("成员"), on_delete=models.PROTECT,
                               related_name="village_memberships")
    household = models.ForeignKey("people.Household", verbose_name=_("户"), on_delete=models.PROTECT,
                                  related_name="village_memberships")
    confirmed_on = models.DateField(_("确认日期"))
    basis = models.CharField(_("确认依据"), max_length=200)
    resolution = models.CharField(_("成员大会决议"), max_length=200)
    shares = models.PositiveIntegerField(_("成员股"), default=1)
    exited_on = models.DateField(_("退出日期"), null=True, blank=True)
    exit_reason = models.CharField(_("退出原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("集体经济组织成员")
        verbose_name_plural = _("集体经济组织成员")
        ordering = ["collective", "household_id", "id"]
        constraints = [models.UniqueConstraint(fields=["collective", "person"], condition=Q(exited_on__isnull=True),
                                               name="village_member_once_active")]


class Alliance(BaseModel):
    """A cooperative alliance (联合社 / 联盟) or a 村企联建 link between collectives, cooperatives and firms."""

    class Kind(models.TextChoices):
        UNION = "union", _("联合社")
        LEAGUE = "league", _("联盟")
        VILLAGE_ENTERPRISE = "village_enterprise", _("村企联建")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    collectives = models.ManyToManyField(Collective, verbose_name=_("村集体经济组织"), related_name="alliances")
    organizations = models.ManyToManyField("people.Organization", verbose_name=_("合作社与企业"),
                                           related_name="village_alliances", blank=True)
    formed_on = models.DateField(_("成立日期"))
    purpose = models.CharField(_("合作内容"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("联合与联建")
        verbose_name_plural = _("联合与联建")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
