"""Grading's vocabulary: a scheme's lifecycle with its transition table, indicator kinds and scoring methods.

A scheme is drafted (its indicators and grade bands may change), opened (assessors enter scores; the structure is
frozen so that every entry is scored against the same tree) and closed (results are final). A closed scheme may be
reopened to correct an entry. The table has the shape of ``cases/states.py``; services compare-and-set its moves.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.transitions import Transition


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("草拟")
    OPEN = "open", _("评分中")
    CLOSED = "closed", _("已结束")


S = SchemeStatus
SCHEME_TRANSITIONS: dict[str, Transition] = {m.verb: m for m in [
    Transition("create", (), S.DRAFT, "创建"),
    Transition("open", (S.DRAFT,), S.OPEN, "开始评分"),
    Transition("close", (S.OPEN,), S.CLOSED, "结束评分"),
    Transition("reopen", (S.CLOSED,), S.OPEN, "重新开放"),
]}
STATUS_LABELS = {s.value: str(s.label) for s in SchemeStatus}


class IndicatorKind(models.TextChoices):
    STANDARD = "standard", _("基本指标")
    BONUS = "bonus", _("加分项")
    DEDUCTION = "deduction", _("扣分项")


class Method(models.TextChoices):
    GROUP = "group", _("指标组")            # a node whose score is the sum of its children, capped at its maximum
    CHECKED = "checked", _("对照检查")      # 1 = met (full score), 0 = not met; several assessors: the share met
    COUNT = "count", _("计数")              # a number of times × the points per unit, capped at the maximum
    SURVEY = "survey", _("测评")            # a rate 0–100 (满意率, 好评率): that share of the maximum
    VETO = "veto", _("一票否决")            # 1 = the veto applies: no points, the grade is capped


# The values an entry of each method may take (inclusive bounds; None: no upper bound).
VALUE_BOUNDS = {
    Method.CHECKED: (0, 1),
    Method.COUNT: (0, None),
    Method.SURVEY: (0, 100),
    Method.VETO: (0, 1),
}
WHOLE_NUMBER_METHODS = (Method.CHECKED, Method.COUNT, Method.VETO)
