"""Lifecycles: topics (议题), meetings, motions, resolutions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TopicStatus(models.TextChoices):
    COLLECTED = "collected", _("已征集")
    ON_AGENDA = "on_agenda", _("已列入议程")
    DELIBERATED = "deliberated", _("已协商")
    RESOLVED = "resolved", _("已形成决议")
    IN_NOTICE = "in_notice", _("公示中")
    IN_PROGRESS = "in_progress", _("落实中")
    DONE = "done", _("已办结")
    DROPPED = "dropped", _("不予采纳")


T = TopicStatus
TOPIC_TRANSITIONS = {
    "put_on_agenda": ({T.COLLECTED}, T.ON_AGENDA),
    "deliberate": ({T.ON_AGENDA}, T.DELIBERATED),
    "resolve": ({T.ON_AGENDA, T.DELIBERATED}, T.RESOLVED),
    "publish_notice": ({T.RESOLVED}, T.IN_NOTICE),
    "start_follow_up": ({T.IN_NOTICE}, T.IN_PROGRESS),
    "finish": ({T.IN_PROGRESS}, T.DONE),
    "drop": ({T.COLLECTED, T.ON_AGENDA, T.DELIBERATED}, T.DROPPED),
}


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class MotionStatus(models.TextChoices):
    OPEN = "open", _("表决中")
    CLOSED = "closed", _("已结束")


class MotionResult(models.TextChoices):
    PENDING = "", _("—")
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")
    NO_QUORUM = "no_quorum", _("未达法定人数，表决无效")


class ResolutionStatus(models.TextChoices):
    IN_NOTICE = "in_notice", _("公示中")
    IN_PROGRESS = "in_progress", _("落实中")
    DONE = "done", _("已办结")


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("公示中")
    ENDED = "ended", _("公示期满")
