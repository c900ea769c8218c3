"""Key projects (重点项目调度, docs/rules/park.md § Key projects): the projects of a park or the zone with their key
lists by year and their "1+4" team, annual plans, investment reports by month or 旬, progress reports with photos and
key nodes. Year-to-date and since-start totals and the lights are computed by the selectors, never stored. The
problem ledger is the shared rectification ledger (items name the project as their subject)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel

from .states import Level, ListKind, Method, Phase, TrackClass

MONEY = {"max_digits": 14, "decimal_places": 2}


class LightRuleSet(BaseModel):
    """A light rule set as data: the evaluator (``method``) and its thresholds (``params``). The set in force is the
    policy setting ``keyprojects.rule_set`` (a code); the three of the reference ship as rows."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    method = models.CharField(_("亮灯方法"), max_length=12, choices=Method.choices)
    params = models.JSONField(_("阈值参数"), default=dict)
    description = models.TextField(_("规则说明"), blank=True)

    class Meta:
        verbose_name = _("亮灯规则")
        verbose_name_plural = _("亮灯规则")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class TaskForce(BaseModel):
    """The "1" of "1+4": one task force (专班) of a park or the zone that all its key projects answer to."""

    region = models.ForeignKey("territory.Region", verbose_name=_("所在区域"), on_delete=models.PROTECT,
                               related_name="+")
    region_path = models.CharField(_("区域路径"), max_length=255, db_index=True)
    name = models.CharField(_("专班名称"), max_length=80)
    leader = models.CharField(_("专班负责人"), max_length=40)

    class Meta:
        verbose_name = _("项目推进专班")
        verbose_name_plural = _("项目推进专班")
        ordering = ["region_path", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="keyprojects_taskforce_unique")]

    def __str__(self) -> str:
        return self.name


class Project(BaseModel):
    region = models.ForeignKey("territory.Region", verbose_name=_("所在区域"), on_delete=models.PROTECT,
                               related_name="+")
    region_path = models.CharField(_("区域路径"), max_length=255, db_index=True)
    name = models.CharField(_("项目名称"), max_length=120)
    level = models.CharField(_("项目级别"), max_length=12, choices=Level.choices)
    phase = models.CharField(_("阶段"), max_length=12, choices=Phase.choices, db_index=True)
    track_class = models.CharField(_("类别"), max_length=10, choices=TrackClass.choices, default=TrackClass.ASSESSED)
    industry = models.CharField(_("行业"), max_length=40)
    owner_unit = models.ForeignKey("people.Organization", verbose_name=_("业主单位"), on_delete=models.PROTECT,
                                   related_name="+")
    soe_led = models.BooleanField(_("国企主导"), default=False)
    total_investment_wan = models.DecimalField(_("总投资（万元）"), **MONEY)
    completed_before_wan = models.DecimalField(_("纳入调度前已完成投资（万元）"), default=0, **MONEY)
    patron_leader = models.CharField(_("包保领导"), max_length=40)
    # "1+4": the task force, and per project one office (部室), one commissioner (专员), one plan (推进方案).
    task_force = models.ForeignKey(TaskForce, verbose_name=_("推进专班"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="projects")
    office = models.ForeignKey("people.Organization", verbose_name=_("责任部室"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    commissioner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("项目专员"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="key_projects")
    plan_summary = models.TextField(_("推进方案"), blank=True)
    planned_start = models.DateField(_("计划开工"), null=True, blank=True)
    actual_start = models.DateField(_("实际开工"), null=True, blank=True)
    planned_end = models.DateField(_("计划竣工"), null=True, blank=True)
    actual_end = models.DateField(_("实际竣工"), null=True, blank=True)
    in_fai_stats = models.BooleanField(_("已入库纳统"), default=False)
    in_stats_date = models.DateField(_("入库日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("重点项目")
        verbose_name_plural = _("重点项目")
        ordering = ["region_path", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(total_investment_wan__gt=0), name="keyprojects_total_positive"),
            models.CheckConstraint(condition=Q(completed_before_wan__gte=0), name="keyprojects_before_nonneg"),
            models.CheckConstraint(condition=Q(in_fai_stats=False) | Q(in_stats_date__isnull=False),
                                   name="keyprojects_stats_has_date"),
        ]

    def __str__(self) -> str:
        return self.name


class Listing(BaseModel):
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="listings")
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("重点清单"), max_length=12, choices=ListKind.choices)

    class Meta:
        verbose_name = _("重点清单")
        verbose_name_plural = _("重点清单")
        ordering = ["-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["project", "year", "kind"], name="keyprojects_listing_once")]
        indexes = [models.Index(fields=["year", "kind"], name="keyprojects_listing_idx")]


class AnnualPlan(BaseModel):
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField(_("年度"))
    planned_wan = models.DecimalField(_("年度计划投资（万元）"), **MONEY)
    image_target = models.CharField(_("形象进度目标"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="keyprojects_plan_once"),
                       models.CheckConstraint(condition=Q(planned_wan__gte=0), name="keyprojects_plan_nonneg")]


class InvestmentReport(BaseModel):
    """One month's (``xun`` 0) or one 旬's (``xun`` 1–3) investment: planned, completed, funds in place. A month is
    reported whole or by 旬, never both (the service refuses the mix). ``ym`` = year × 100 + month, for ranges."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    xun = models.PositiveSmallIntegerField(_("旬"), default=0)
    ym = models.PositiveIntegerField(_("年月"))
    planned_wan = models.DecimalField(_("计划投资（万元）"), **MONEY)
    completed_wan = models.DecimalField(_("完成投资（万元）"), **MONEY)
    funds_in_place_wan = models.DecimalField(_("资金到位（万元）"), default=0, **MONEY)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("投资完成填报")
        verbose_name_plural = _("投资完成填报")
        ordering = ["-ym", "xun"]
        constraints = [
            models.UniqueConstraint(fields=["project", "ym", "xun"], name="keyprojects_report_once"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="keyprojects_report_month"),
            models.CheckConstraint(condition=Q(xun__lte=3), name="keyprojects_report_xun"),
            models.CheckConstraint(condition=Q(planned_wan__gte=0, completed_wan__gte=0, funds_in_place_wan__gte=0),
                                   name="keyprojects_report_nonneg"),
        ]
        indexes = [models.Index(fields=["project", "ym"], name="keyprojects_report_ym_idx"),
                   models.Index(fields=["ym"], name="keyprojects_report_period_idx")]


class ProgressReport(BaseModel):
    """形象进度: what was done in the month, in words, with photos (``core.attachments`` on this row)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="progress")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    text = models.TextField(_("形象进度"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("形象进度")
        verbose_name_plural = _("形象进度")
        ordering = ["-year", "-month", "-id"]
        constraints = [models.CheckConstraint(condition=Q(month__gte=1, month__lte=12),
                                              name="keyprojects_progress_month")]


class KeyNode(BaseModel):
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="nodes")
    name = models.CharField(_("关键节点"), max_length=120)
    due = models.DateField(_("完成时限"), db_index=True)
    responsible = models.CharField(_("责任单位/人"), max_length=80)
    arrangement = models.CharField(_("工作安排"), max_length=300, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_note = models.CharField(_("完成情况"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("关键节点")
        verbose_name_plural = _("关键节点")
        ordering = ["due", "id"]
