"""Public notices (公示) about any subject, with objections and answers.

The subject is any object (a resolution, a micro-project, a party nominee …), named generically because the apps
that own subjects sit above this one. The owner is whoever publishes in whose name: a region (a community, or the
zone), an organisation (a cooperative), or another holder (a party organisation). Which kinds exist and who may
publish them is declared by the domain apps (``registry.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel


class Notice(BaseModel):
    kind = models.CharField(_("类型"), max_length=32, db_index=True)
    subject_type = models.ForeignKey("contenttypes.ContentType", verbose_name=_("对象类型"), on_delete=models.PROTECT,
                                     related_name="+")
    subject_id = models.PositiveBigIntegerField(_("对象编号"))
    subject = GenericForeignKey("subject_type", "subject_id")
    region = models.ForeignKey("territory.Region", verbose_name=_("发布区域"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="notices")
    organization = models.ForeignKey("people.Organization", verbose_name=_("发布组织"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="notices")
    owner_type = models.ForeignKey("contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    owner_id = models.PositiveBigIntegerField(null=True, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    owner_name = models.CharField(_("发布单位"), max_length=100)
    # The owner's party-organisation path when a party organisation publishes: its posts answer and count it by path.
    party_path = models.CharField(_("党组织路径"), max_length=255, blank=True, default="", db_index=True)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("公示内容"))
    starts_at = models.DateTimeField(_("公示开始"))
    ends_at = models.DateTimeField(_("公示截止"))
    working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="notices_notice_has_period"),
            models.CheckConstraint(condition=Q(region__isnull=False) | Q(organization__isnull=False)
                                   | Q(owner_type__isnull=False), name="notices_notice_has_owner"),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id", "kind"], name="notices_subject_idx")]

    def __str__(self) -> str:
        return self.title


class Objection(BaseModel):
    notice = models.ForeignKey(Notice, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="objections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("异议内容"))
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                                              name="notices_objection_answer_text")]

    def __str__(self) -> str:
        return self.text[:40]
