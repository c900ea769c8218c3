"""Honours: the 光荣在党50年 medal awards (docs/rules/honours.md). Who is due is read from the party register
(``party.Membership``, ``people.Person.deceased_on``), never stored; an award row exists from the branch's
confirmation on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel

from .states import CampaignStatus, HonourTitle, MedalStatus, NominationStatus


class MedalAward(BaseModel):
    person = models.ForeignKey("people.Person", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey("party.Membership", verbose_name=_("组织关系"), on_delete=models.PROTECT,
                                   related_name="+")
    org = models.ForeignKey("party.PartyOrg", verbose_name=_("确认党组织"), on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(_("党组织路径"), max_length=255, db_index=True)
    year = models.PositiveSmallIntegerField(_("颁发年度"))
    full_member_date = models.DateField(_("转正日期"))
    status = models.CharField(_("状态"), max_length=12, choices=MedalStatus.choices, default=MedalStatus.CONFIRMED)
    remark = models.CharField(_("支部意见"), max_length=300, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("颁发人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("颁发时间"), null=True, blank=True)
    issued_on = models.DateField(_("颁发日期"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("光荣在党50年纪念章")
        verbose_name_plural = _("光荣在党50年纪念章")
        ordering = ["-year", "org_path", "id"]
        constraints = [
            # One medal in a lifetime: a withdrawn award leaves room for a corrected one.
            models.UniqueConstraint(fields=["person"], condition=~Q(status=MedalStatus.WITHDRAWN),
                                    name="partyhonours_medal_once"),
            models.CheckConstraint(condition=Q(status__in=[c for c, _ in MedalStatus.choices]),
                                   name="partyhonours_medal_status_valid"),
            models.CheckConstraint(condition=~Q(status=MedalStatus.ISSUED) | Q(issued_on__isnull=False),
                                   name="partyhonours_medal_issued_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.year}"


class Campaign(BaseModel):
    """A 两优一先 campaign of a year, run by a party committee (the awarding organisation) with quotas handed down
    its tree; nominations come up until ``nominate_until``."""

    org = models.ForeignKey("party.PartyOrg", verbose_name=_("表彰党组织"), on_delete=models.PROTECT,
                            related_name="+")
    org_path = models.CharField(_("党组织路径"), max_length=255, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=100)
    nominate_until = models.DateField(_("推荐截止"))
    status = models.CharField(_("状态"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("两优一先评选")
        verbose_name_plural = _("两优一先评选")
        ordering = ["-year", "org_path", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "year", "name"], name="partyhonours_campaign_unique")]

    def __str__(self) -> str:
        return self.name


class Quota(BaseModel):
    """How many an organisation may put forward for a title; the quotas an organisation hands down never add up
    to more than its own."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("评选"), on_delete=models.CASCADE, related_name="quotas")
    org = models.ForeignKey("party.PartyOrg", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(_("党组织路径"), max_length=255)
    title = models.CharField(_("表彰类别"), max_length=20, choices=HonourTitle.choices)
    quota = models.PositiveSmallIntegerField(_("名额"))

    class Meta:
        verbose_name = _("推荐名额")
        verbose_name_plural = _("推荐名额")
        ordering = ["campaign_id", "org_path", "title"]
        constraints = [models.UniqueConstraint(fields=["campaign", "org", "title"], name="partyhonours_one_quota")]


class Nomination(BaseModel):
    campaign = models.ForeignKey(Campaign, verbose_name=_("评选"), on_delete=models.PROTECT,
                                 related_name="nominations")
    title = models.CharField(_("表彰类别"), max_length=20, choices=HonourTitle.choices)
    org = models.ForeignKey("party.PartyOrg", verbose_name=_("推荐党组织"), on_delete=models.PROTECT,
                            related_name="+")
    org_path = models.CharField(_("党组织路径"), max_length=255, db_index=True)
    person = models.ForeignKey("people.Person", verbose_name=_("推荐对象"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    nominee_org = models.ForeignKey("party.PartyOrg", verbose_name=_("推荐组织"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField(_("推荐理由"))
    checks = models.JSONField(_("条件核验"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=NominationStatus.choices,
                              default=NominationStatus.NOMINATED, db_index=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("推荐人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("两优一先推荐")
        verbose_name_plural = _("两优一先推荐")
        ordering = ["campaign_id", "title", "org_path", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=False, nominee_org__isnull=True)
                                   | Q(person__isnull=True, nominee_org__isnull=False),
                                   name="partyhonours_nominee_one_kind"),
            models.UniqueConstraint(fields=["campaign", "title", "person"], name="partyhonours_person_once",
                                    condition=Q(person__isnull=False) & ~Q(status__in=["rejected", "withdrawn"])),
            models.UniqueConstraint(fields=["campaign", "title", "nominee_org"], name="partyhonours_org_once",
                                    condition=Q(nominee_org__isnull=False) & ~Q(status__in=["rejected", "withdrawn"])),
        ]

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.person or self.nominee_org}"


class Honour(BaseModel):
    """An honour awarded to a person or an organisation, kept as history (shown on their pages)."""

    title = models.CharField(_("荣誉"), max_length=20, choices=HonourTitle.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    person = models.ForeignKey("people.Person", verbose_name=_("获得者"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("party.PartyOrg", verbose_name=_("获得组织"), null=True, blank=True,
                            on_delete=models.PROTECT, related_name="+")
    awarded_by = models.ForeignKey("party.PartyOrg", verbose_name=_("表彰党组织"), on_delete=models.PROTECT,
                                   related_name="+")
    awarded_on = models.DateField(_("表彰日期"))
    nomination = models.OneToOneField(Nomination, verbose_name=_("推荐"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="honour")

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["-awarded_on", "-id"]
