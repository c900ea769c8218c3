"""Member development 发展党员: one case per applicant and branch, with each of the 25 steps recorded once (its date,
who did it, who recorded it, its document, and what the step's check needs: training time, the vote's counts).
The clocks are computed from the steps' dates; the case keeps the dates they start from for lists and alerts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel

from .states import Stage


class DevelopmentCase(BaseModel):
    person = models.ForeignKey("people.Person", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey("party.PartyOrg", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices, default=Stage.APPLICANT, db_index=True)
    last_step = models.PositiveSmallIntegerField(_("已完成步骤"), default=0)
    applied_on = models.DateField(_("申请日期"))
    activist_on = models.DateField(_("确定为积极分子日期"), null=True, blank=True)
    vote_on = models.DateField(_("支部大会通过日期"), null=True, blank=True)
    probation_ends = models.DateField(_("预备期满"), null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField(_("延长预备期（月）"), default=0)
    membership = models.ForeignKey("party.Membership", verbose_name=_("党籍"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    stop_reason = models.CharField(_("终止原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("发展党员")
        verbose_name_plural = _("发展党员")
        ordering = ["branch", "-applied_on", "-id"]
        indexes = [models.Index(fields=["branch", "stage"], name="partydev_branch_stage_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.branch_id}"

    @property
    def next_step(self) -> int | None:
        from .states import LAST_STEP, OPEN_STAGES

        return self.last_step + 1 if self.stage in OPEN_STAGES and self.last_step < LAST_STEP else None


class DevelopmentStep(BaseModel):
    case = models.ForeignKey(DevelopmentCase, verbose_name=_("发展党员"), on_delete=models.CASCADE,
                             related_name="steps")
    number = models.PositiveSmallIntegerField(_("步骤"))
    done_on = models.DateField(_("日期"))
    done_by = models.CharField(_("经办人"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("说明"), max_length=500, blank=True)
    document = models.ForeignKey("core.Attachment", verbose_name=_("材料"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("发展步骤")
        verbose_name_plural = _("发展步骤")
        ordering = ["case", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="partydev_step_once")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.number}"
