"""为群众办实事: practical-service projects of party organisations (not the members' 双报到 service records of
``party``), their milestones and the residents' anonymous ratings (once per verified phone or account)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel

from .states import ProjectStatus, Rating, Source


class ServiceProject(BaseModel):
    org = models.ForeignKey("party.PartyOrg", verbose_name=_("党组织"), on_delete=models.PROTECT,
                            related_name="service_projects")
    org_path = models.CharField(_("党组织路径"), max_length=255, db_index=True)
    title = models.CharField(_("实事名称"), max_length=120)
    description = models.TextField(_("内容"), blank=True)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    source_ref = models.CharField(_("来源编号"), max_length=40, blank=True,
                                  help_text=_("如事件编号、议题编号"))
    owner = models.CharField(_("责任人"), max_length=40)
    start = models.DateField(_("开始日期"))
    due = models.DateField(_("计划办结"))
    status = models.CharField(_("状态"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED,
                              db_index=True)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    progress_note = models.CharField(_("最新进展"), max_length=300, blank=True)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=300, blank=True)
    hearts = models.BooleanField(_("两个走进心里"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("为群众办实事项目")
        verbose_name_plural = _("为群众办实事项目")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(due__gte=models.F("start")), name="serviceprojects_due_after_start"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="serviceprojects_progress_range"),
            models.CheckConstraint(condition=~Q(status="done") | Q(done_on__isnull=False),
                                   name="serviceprojects_done_has_day"),
        ]
        indexes = [models.Index(fields=["status", "due"], name="serviceprojects_due_idx")]

    def __str__(self) -> str:
        return self.title


class ServiceMilestone(BaseModel):
    project = models.ForeignKey(ServiceProject, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="milestones")
    title = models.CharField(_("节点"), max_length=120)
    due_on = models.DateField(_("计划完成"))
    done_on = models.DateField(_("实际完成"), null=True, blank=True)

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project_id", "due_on", "id"]


class ServiceRating(BaseModel):
    """One resident's rating: anonymous — only a keyed blind index of the verified phone or of the account, so a
    second rating from the same phone or account is refused, and nobody can read who rated."""

    project = models.ForeignKey(ServiceProject, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="ratings")
    voter_key = models.CharField(_("评价人索引"), max_length=64)
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices)

    class Meta:
        verbose_name = _("群众评价")
        verbose_name_plural = _("群众评价")
        ordering = ["project_id", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "voter_key"], name="serviceprojects_rate_once")]
