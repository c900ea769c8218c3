"""Honours: the 光荣在党50年 medal awards (docs/rules/honours.md). Who is due is read from the party register
(``party.Membership``, ``people.Person.deceased_on``), never stored; an award row exists from the branch's
confirmation on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel

from .states import MedalStatus


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
