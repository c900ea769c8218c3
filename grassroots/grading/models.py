"""Assessment schemes (考核方案), their indicator trees and grade bands, the targets assessed, assessors' entries.

A scheme is for one year and one target type (a key of ``grading.targets``: an organisation, a person, a party
organisation …). Its indicators form a tree (groups cap the sum of their children); bonus and deduction items sit
beside the standard ones, each kind summed and capped by the scheme's limit. Grade bands are rows of the scheme
(policy, edited with the scheme, never constants). An assessment is one target in one scheme; its score, grade and
rank are computed by ``grading.scoring`` from the entries and written only by the services.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel

from .states import IndicatorKind, Method, SchemeStatus

SCORE = {"max_digits": 8, "decimal_places": 2}


class Scheme(BaseModel):
    name = models.CharField(_("方案名称"), max_length=120)
    year = models.PositiveSmallIntegerField(_("年度"))
    target_type = models.CharField(_("考核对象类型"), max_length=32)
    region = models.ForeignKey("territory.Region", verbose_name=_("组织考核的区域"), on_delete=models.PROTECT,
                               related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    bonus_limit = models.DecimalField(_("加分上限"), null=True, blank=True, **SCORE)
    deduction_limit = models.DecimalField(_("扣分上限"), null=True, blank=True, **SCORE)
    veto_grade = models.ForeignKey("GradeBand", verbose_name=_("否决时最高等次"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "target_type", "name"], name="grading_scheme_unique_name"),
            models.CheckConstraint(condition=Q(bonus_limit__isnull=True) | Q(bonus_limit__gte=0),
                                   name="grading_scheme_bonus_limit_non_negative"),
            models.CheckConstraint(condition=Q(deduction_limit__isnull=True) | Q(deduction_limit__gte=0),
                                   name="grading_scheme_deduction_limit_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class Indicator(BaseModel):
    scheme = models.ForeignKey(Scheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey("self", verbose_name=_("上级指标"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    code = models.CharField(_("编号"), max_length=16)
    name = models.CharField(_("指标"), max_length=200)
    kind = models.CharField(_("类别"), max_length=16, choices=IndicatorKind.choices, default=IndicatorKind.STANDARD)
    method = models.CharField(_("评分方式"), max_length=16, choices=Method.choices)
    max_score = models.DecimalField(_("分值"), **SCORE)
    unit_score = models.DecimalField(_("每项分值"), default=0, **SCORE,
                                     help_text=_("计数类：每发生一次的加（扣）分"))
    guidance = models.TextField(_("评分标准"), blank=True)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme", "order", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="grading_indicator_unique_code"),
            models.CheckConstraint(condition=Q(max_score__gte=0), name="grading_indicator_max_non_negative"),
            models.CheckConstraint(condition=Q(unit_score__gte=0), name="grading_indicator_unit_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class GradeBand(BaseModel):
    """A grade (优秀, 良好, 一般, 较差 …): a total of at least ``min_score`` reaches it (the highest band reached)."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="bands")
    code = models.CharField(_("代码"), max_length=32)
    name = models.CharField(_("等次"), max_length=32)
    min_score = models.DecimalField(_("最低分"), **SCORE)

    class Meta:
        verbose_name = _("评价等次")
        verbose_name_plural = _("评价等次")
        ordering = ["scheme", "-min_score"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="grading_band_unique_code"),
            models.UniqueConstraint(fields=["scheme", "min_score"], name="grading_band_unique_min"),
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(BaseModel):
    """One target in one scheme, with its computed result."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="assessments")
    target_ct = models.ForeignKey(ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField(_("对象编号"))
    target_label = models.CharField(_("考核对象"), max_length=200)
    base_score = models.DecimalField(_("基本得分"), default=0, **SCORE)
    bonus_score = models.DecimalField(_("加分"), default=0, **SCORE)
    deduction_score = models.DecimalField(_("扣分"), default=0, **SCORE)
    total_score = models.DecimalField(_("总分"), default=0, **SCORE)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    grade = models.ForeignKey(GradeBand, verbose_name=_("等次"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核对象")
        verbose_name_plural = _("考核对象")
        ordering = ["scheme", "rank", "target_label", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "target_ct", "target_id"],
                                               name="grading_assessment_one_per_target")]
        indexes = [models.Index(fields=["target_ct", "target_id"], name="grading_assessment_target_idx")]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.target_label}"


class Entry(BaseModel):
    """One assessor's value for one indicator of one assessment (entered again: the value is replaced)."""

    assessment = models.ForeignKey(Assessment, verbose_name=_("考核对象"), on_delete=models.CASCADE,
                                   related_name="entries")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="entries")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评分人"), on_delete=models.PROTECT,
                                 related_name="+")
    value = models.DecimalField(_("评分值"), max_digits=10, decimal_places=2)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("评分记录")
        verbose_name_plural = _("评分记录")
        ordering = ["assessment", "indicator__order", "indicator__code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator", "assessor"], name="grading_entry_one_per_assessor"),
            models.CheckConstraint(condition=Q(value__gte=0), name="grading_entry_value_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}={self.value}"
