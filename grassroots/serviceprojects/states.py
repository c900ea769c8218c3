"""为群众办实事 projects' vocabulary: where a project came from, its lifecycle and the rating scale
(docs/rules/honours.md § 为群众办实事).

planned → in_progress → done; planned or in progress may be cancelled with a reason. 办结率 = done / (all but
cancelled)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.transitions import Transition


class Source(models.TextChoices):
    GRID_VISIT = "grid_visit", _("网格走访")
    PLEDGE = "pledge", _("双报到认领")
    CASE = "case", _("群众诉求事件")
    TOPIC = "topic", _("议事议题")
    OTHER = "other", _("其他")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已办结")
    CANCELLED = "cancelled", _("已取消")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


P = ProjectStatus
TRANSITIONS: dict[str, Transition] = {t.verb: t for t in [
    Transition("service_project.start", (P.PLANNED,), P.IN_PROGRESS, "开始推进"),
    Transition("service_project.finish", (P.PLANNED, P.IN_PROGRESS), P.DONE, "办结"),
    Transition("service_project.cancel", (P.PLANNED, P.IN_PROGRESS), P.CANCELLED, "取消"),
]}
LABELS = dict(ProjectStatus.choices)
