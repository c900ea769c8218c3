"""Member development 发展党员 (中国共产党发展党员工作细则, 2014): the five stages, the 25 steps and the case's
transition table.

A case moves through the stages as its steps are recorded, one at a time and in order; it may be stopped at any
stage (not continued, with a reason). ``UPPER_STEPS`` are taken by the committee above the branch.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.transitions import Transition


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("申请入党")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    ADMISSION = "admission", _("预备党员的接收")
    PROBATION = "probation", _("预备党员的教育考察和转正")
    DONE = "done", _("已转正归档")
    STOPPED = "stopped", _("已终止")


@dataclass(frozen=True)
class Step:
    number: int
    stage: str
    label: str
    upper: bool = False


S = Stage
STEPS: dict[int, Step] = {s.number: s for s in [
    Step(1, S.APPLICANT, _("递交入党申请书")),
    Step(2, S.APPLICANT, _("党组织派人谈话")),
    Step(3, S.ACTIVIST, _("推荐和确定入党积极分子")),
    Step(4, S.ACTIVIST, _("上级党委备案（积极分子）"), upper=True),
    Step(5, S.ACTIVIST, _("指定培养联系人")),
    Step(6, S.ACTIVIST, _("培养教育考察")),
    Step(7, S.CANDIDATE, _("确定发展对象")),
    Step(8, S.CANDIDATE, _("上级党委备案（发展对象）"), upper=True),
    Step(9, S.CANDIDATE, _("确定入党介绍人")),
    Step(10, S.CANDIDATE, _("进行政治审查")),
    Step(11, S.CANDIDATE, _("开展集中培训")),
    Step(12, S.ADMISSION, _("支部委员会审查")),
    Step(13, S.ADMISSION, _("上级党委预审"), upper=True),
    Step(14, S.ADMISSION, _("填写入党志愿书")),
    Step(15, S.ADMISSION, _("支部大会讨论接收预备党员")),
    Step(16, S.ADMISSION, _("上级党委派人谈话"), upper=True),
    Step(17, S.ADMISSION, _("上级党委审批"), upper=True),
    Step(18, S.ADMISSION, _("再上一级党委组织部门备案"), upper=True),
    Step(19, S.PROBATION, _("编入党支部和党小组")),
    Step(20, S.PROBATION, _("入党宣誓")),
    Step(21, S.PROBATION, _("继续教育考察")),
    Step(22, S.PROBATION, _("提出转正申请")),
    Step(23, S.PROBATION, _("支部大会讨论转正")),
    Step(24, S.PROBATION, _("上级党委审批转正"), upper=True),
    Step(25, S.PROBATION, _("材料归档")),
]}
LAST_STEP = 25
UPPER_STEPS = frozenset(n for n, s in STEPS.items() if s.upper)
OPEN_STAGES = (S.APPLICANT, S.ACTIVIST, S.CANDIDATE, S.ADMISSION, S.PROBATION)

TRANSITIONS: dict[str, Transition] = {m.verb: m for m in [
    Transition("development_case.open", (), S.APPLICANT, "递交入党申请"),
    Transition("development_case.step", OPEN_STAGES, None, "记录发展步骤",
               alternatives=frozenset({S.ACTIVIST, S.CANDIDATE, S.ADMISSION, S.PROBATION, S.DONE})),
    Transition("development_case.extend", (S.PROBATION,), None, "延长预备期"),
    Transition("development_case.stop", OPEN_STAGES, S.STOPPED, "终止发展"),
]}


def move(verb: str) -> Transition:
    return TRANSITIONS[verb]


def stage_after(number: int) -> str:
    """The case's stage once step ``number`` is recorded (the last step closes the case)."""
    if number == LAST_STEP:
        return S.DONE
    return STEPS[number + 1].stage
