"""Party-building brands (党建品牌): a brand of a party organisation with the 五有 (name, logo, 内涵, 载体, 成效),
its review by named reviewers and its rating (示范 / 培育) by the rating organisation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel

from .states import BrandStatus, Level, Sector


class Brand(BaseModel):
    org = models.ForeignKey("party.PartyOrg", verbose_name=_("党组织"), on_delete=models.PROTECT,
                            related_name="brands")
    org_path = models.CharField(_("党组织路径"), max_length=255, db_index=True)
    sector = models.CharField(_("领域"), max_length=12, choices=Sector.choices)
    name = models.CharField(_("品牌名称"), max_length=60)
    logo = models.ForeignKey("core.Attachment", verbose_name=_("品牌标识"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    connotation = models.TextField(_("品牌内涵"), blank=True)
    carriers = models.TextField(_("工作载体"), blank=True)
    results = models.TextField(_("工作成效"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=BrandStatus.choices, default=BrandStatus.DRAFT,
                              db_index=True)
    applied_on = models.DateField(_("申报日期"), null=True, blank=True)
    level = models.CharField(_("命名等级"), max_length=14, choices=Level.choices, blank=True)
    rated_by_org = models.ForeignKey("party.PartyOrg", verbose_name=_("命名单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    rated_by_body = models.CharField(_("命名机关（平台外）"), max_length=100, blank=True,
                                     help_text=_("如市委教育工委；由区党工委代为登记"))
    rated_year = models.PositiveSmallIntegerField(_("命名年度"), null=True, blank=True)
    rated_on = models.DateField(_("命名日期"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("党建品牌")
        verbose_name_plural = _("党建品牌")
        ordering = ["sector", "org_path", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], condition=~Q(status="revoked"),
                                    name="partybrands_one_live_name"),
            models.CheckConstraint(condition=~Q(status="rated") | ~Q(level=""), name="partybrands_rated_has_level"),
        ]

    def __str__(self) -> str:
        return self.name


class BrandReview(BaseModel):
    """A named reviewer of a brand under review, and their opinion once given (score 0–100 and the text)."""

    brand = models.ForeignKey(Brand, verbose_name=_("党建品牌"), on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评审人"), on_delete=models.PROTECT,
                                 related_name="+")
    score = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    opinion = models.TextField(_("评审意见"), blank=True)
    reviewed_at = models.DateTimeField(_("评审时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("品牌评审")
        verbose_name_plural = _("品牌评审")
        ordering = ["brand_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "reviewer"], name="partybrands_one_review_each"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=100),
                                   name="partybrands_score_range"),
        ]
