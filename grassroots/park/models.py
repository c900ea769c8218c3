"""The enterprise park (docs/rules/park.md § Enterprise service): enterprises, projects and building sites entered
into enterprise grids with their party organisation status and the 同步 steps; the grids' party-building instructors
(党建指导员), their assignments within the policy limits and their visit log; the enterprise contact cards (企业联系卡)
by version; the industry-chain party committees and their joint meetings. Appeals are cases of the closed loop
(channel enterprise), read through the cases app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.crypto import EncryptedTextField
from grassroots.core.models import BaseModel

from .states import EntityKind, PartyStatus


class ChainCommittee(BaseModel):
    """An industry-chain party committee (产业链党委) of the park."""

    park = models.ForeignKey("territory.Region", verbose_name=_("所在园区"), on_delete=models.PROTECT, related_name="+")
    park_path = models.CharField(_("园区路径"), max_length=255, db_index=True)
    name = models.CharField(_("产业链党委"), max_length=80)
    chain = models.CharField(_("产业链"), max_length=40)
    secretary = models.CharField(_("书记"), max_length=40)

    class Meta:
        verbose_name = _("产业链党委")
        verbose_name_plural = _("产业链党委")
        ordering = ["park_path", "name"]
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="park_chain_unique")]

    def __str__(self) -> str:
        return self.name


class EnterpriseProfile(BaseModel):
    """An enterprise, project or building site of the park (its organisation) in an enterprise grid."""

    organization = models.OneToOneField("people.Organization", verbose_name=_("单位"), on_delete=models.PROTECT,
                                        related_name="park_profile")
    park = models.ForeignKey("territory.Region", verbose_name=_("所在园区"), on_delete=models.PROTECT, related_name="+")
    park_path = models.CharField(_("园区路径"), max_length=255, db_index=True)
    kind = models.CharField(_("类别"), max_length=12, choices=EntityKind.choices, default=EntityKind.ENTERPRISE)
    grid = models.ForeignKey("territory.Region", verbose_name=_("企业网格"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    is_key = models.BooleanField(_("重点企业"), default=False)
    party_status = models.CharField(_("党组织覆盖"), max_length=16, choices=PartyStatus.choices,
                                    default=PartyStatus.NONE)
    party_org_name = models.CharField(_("企业党组织"), max_length=80, blank=True)
    secretary_name = models.CharField(_("党组织书记"), max_length=40, blank=True)
    secretary_phone = EncryptedTextField(_("书记电话"), blank=True)
    commissioner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("服务专员"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="served_enterprises")
    contact_name = models.CharField(_("企业联系人"), max_length=40, blank=True)
    contact_phone = EncryptedTextField(_("联系人手机"), blank=True)
    chain = models.ForeignKey(ChainCommittee, verbose_name=_("产业链党委"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="members")
    registered_on = models.DateField(_("落户日期"))
    entered_on = models.DateField(_("纳入网格日期"), null=True, blank=True)
    late_alerted_on = models.DateField(_("逾期提醒日期"), null=True, blank=True)
    sync_org_on = models.DateField(_("同步筹建党组织"), null=True, blank=True)
    sync_activity_on = models.DateField(_("同步开展活动"), null=True, blank=True)
    sync_role_on = models.DateField(_("同步发挥作用"), null=True, blank=True)

    class Meta:
        verbose_name = _("园区企业")
        verbose_name_plural = _("园区企业")
        ordering = ["park_path", "organization__name"]
        indexes = [models.Index(fields=["grid", "is_key"], name="park_profile_grid_idx")]
        constraints = [models.CheckConstraint(condition=Q(entered_on__isnull=True) | Q(grid__isnull=False),
                                              name="park_entered_has_grid")]

    def __str__(self) -> str:
        return self.organization.name


class Instructor(BaseModel):
    """A party-building instructor (党建指导员), often a veteran party member, with an account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.PROTECT,
                                related_name="park_instructor")
    park = models.ForeignKey("territory.Region", verbose_name=_("所在园区"), on_delete=models.PROTECT, related_name="+")
    park_path = models.CharField(_("园区路径"), max_length=255, db_index=True)
    name = models.CharField(_("姓名"), max_length=40)
    phone = EncryptedTextField(_("手机"), blank=True)
    background = models.CharField(_("简介"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("党建指导员")
        verbose_name_plural = _("党建指导员")
        ordering = ["park_path", "name"]

    def __str__(self) -> str:
        return self.name


class GridAssignment(BaseModel):
    instructor = models.ForeignKey(Instructor, verbose_name=_("党建指导员"), on_delete=models.CASCADE,
                                   related_name="assignments")
    grid = models.ForeignKey("territory.Region", verbose_name=_("企业网格"), on_delete=models.PROTECT,
                             related_name="+")
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("任期届满"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("网格指导分工")
        verbose_name_plural = _("网格指导分工")
        ordering = ["-start"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="park_assignment_term"),
                       models.UniqueConstraint(fields=["instructor", "grid"], condition=Q(ended_on__isnull=True),
                                               name="park_assignment_once")]


class Visit(BaseModel):
    """One day on site: what the enterprise asked, what was done, the follow-up."""

    instructor = models.ForeignKey(Instructor, verbose_name=_("党建指导员"), on_delete=models.PROTECT,
                                   related_name="visits")
    profile = models.ForeignKey(EnterpriseProfile, verbose_name=_("企业"), on_delete=models.PROTECT,
                                related_name="visits")
    visited_on = models.DateField(_("走访日期"))
    asked = models.TextField(_("企业所提"))
    done = models.TextField(_("指导帮办"))
    follow_up = models.CharField(_("后续跟进"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["instructor", "visited_on"], name="park_visit_day_idx")]


class ContactCard(BaseModel):
    """企业联系卡, one row per printed version: who was on it (a snapshot) and the signed link its QR carries."""

    profile = models.ForeignKey(EnterpriseProfile, verbose_name=_("企业"), on_delete=models.CASCADE,
                                related_name="cards")
    version = models.PositiveIntegerField(_("版本"))
    people = models.JSONField(_("卡上人员"), default=dict)
    link = models.ForeignKey("links.SignedLink", verbose_name=_("二维码链接"), on_delete=models.PROTECT,
                             related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("制卡人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("企业联系卡")
        verbose_name_plural = _("企业联系卡")
        ordering = ["profile", "-version"]
        constraints = [models.UniqueConstraint(fields=["profile", "version"], name="park_card_version_once")]


class JointMeeting(BaseModel):
    """A chain committee's joint meeting (联席会议): it takes chain-wide appeals (cases named by id)."""

    committee = models.ForeignKey(ChainCommittee, verbose_name=_("产业链党委"), on_delete=models.PROTECT,
                                  related_name="meetings")
    held_on = models.DateField(_("会议日期"))
    topic = models.CharField(_("议题"), max_length=200)
    minutes = models.TextField(_("会议纪要"), blank=True)
    case_ids = models.JSONField(_("研究的诉求"), default=list)

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")
        ordering = ["-held_on", "-id"]
