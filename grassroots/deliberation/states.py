"""Deliberation's vocabulary: the lifecycles of topics, meetings, motions and resolutions with their transition
tables, and the choices of sources, ballots, votes, attendance and notices (the models import them from here).

Each table has the shape of ``cases/states.py``: ``Transition(verb, from_states, to_state, label)`` keyed by verb;
services look their move up here and compare-and-set it (``core.transitions.compare_and_set``). A verb that
creates the row lists no from-states.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.transitions import Transition


# --- topics --------------------------------------------------------------------------------------------------------
class TopicStatus(models.TextChoices):
    COLLECTED = "collected", _("已征集")
    ON_AGENDA = "on_agenda", _("已列入议程")
    DELIBERATED = "deliberated", _("已协商")
    RESOLVED = "resolved", _("已形成决议")
    IN_NOTICE = "in_notice", _("公示中")
    IN_PROGRESS = "in_progress", _("落实中")
    DONE = "done", _("已办结")
    DROPPED = "dropped", _("不予采纳")


class TopicSource(models.TextChoices):
    RESIDENT = "resident", _("居民提出")
    GRID_WORKER = "grid_worker", _("网格员收集")
    STAFF = "staff", _("社区提出")
    CASE = "case", _("来自事件")


T = TopicStatus
TOPIC_TRANSITIONS: dict[str, Transition] = {m.verb: m for m in [
    Transition("create", (), T.COLLECTED, "提出"),
    Transition("put_on_agenda", (T.COLLECTED,), T.ON_AGENDA, "列入议程"),
    Transition("deliberate", (T.ON_AGENDA,), T.DELIBERATED, "协商"),
    Transition("resolve", (T.ON_AGENDA, T.DELIBERATED), T.RESOLVED, "形成决议"),
    Transition("publish_notice", (T.RESOLVED,), T.IN_NOTICE, "公示"),
    Transition("start_follow_up", (T.IN_NOTICE,), T.IN_PROGRESS, "落实"),
    Transition("finish", (T.IN_PROGRESS,), T.DONE, "办结"),
    Transition("drop", (T.COLLECTED, T.ON_AGENDA, T.DELIBERATED), T.DROPPED, "不予采纳"),
]}


# --- meetings, sign-in ---------------------------------------------------------------------------------------------
class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


MEETING_TRANSITIONS: dict[str, Transition] = {m.verb: m for m in [
    Transition("create", (), MeetingStatus.PLANNED, "召集"),
    Transition("open", (MeetingStatus.PLANNED,), MeetingStatus.OPEN, "开始"),
    Transition("close", (MeetingStatus.OPEN,), MeetingStatus.CLOSED, "结束"),
]}


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("现场")
    ONLINE = "online", _("线上")


# --- motions and votes ---------------------------------------------------------------------------------------------
class MotionStatus(models.TextChoices):
    OPEN = "open", _("表决中")
    CLOSED = "closed", _("已结束")


class MotionResult(models.TextChoices):
    PENDING = "", _("—")
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")
    NO_QUORUM = "no_quorum", _("未达法定人数，表决无效")


MOTION_TRANSITIONS: dict[str, Transition] = {m.verb: m for m in [
    Transition("create", (), MotionStatus.OPEN, "提出表决"),
    Transition("close", (MotionStatus.OPEN,), MotionStatus.CLOSED, "结束表决"),
]}


class Ballot(models.TextChoices):
    SHOW_OF_HANDS = "show_of_hands", _("举手表决")
    SECRET = "secret", _("无记名投票")


class Choice(models.TextChoices):
    YES = "yes", _("赞成")
    NO = "no", _("反对")
    ABSTAIN = "abstain", _("弃权")


class Channel(models.TextChoices):
    ONLINE = "online", _("线上")
    PAPER = "paper", _("纸质（工作人员录入）")


# --- resolutions and notices ---------------------------------------------------------------------------------------
class ResolutionStatus(models.TextChoices):
    IN_NOTICE = "in_notice", _("公示中")
    IN_PROGRESS = "in_progress", _("落实中")
    DONE = "done", _("已办结")


RESOLUTION_TRANSITIONS: dict[str, Transition] = {m.verb: m for m in [
    Transition("create", (), ResolutionStatus.IN_NOTICE, "形成决议"),
    Transition("follow_up", (ResolutionStatus.IN_NOTICE,), ResolutionStatus.IN_PROGRESS, "安排落实"),
    Transition("progress", (ResolutionStatus.IN_PROGRESS,), None, "登记进展"),
    Transition("finish", (ResolutionStatus.IN_PROGRESS,), ResolutionStatus.DONE, "办结"),  # when progress reaches 100%
]}


class NoticeKind(models.TextChoices):
    RESOLUTION = "resolution", _("决议公示")
    PROJECT_APPROVAL = "project_approval", _("微项目立项公示")
    PROJECT_CLOSING = "project_closing", _("微项目结项公示")


TOPIC_LABELS = dict(TopicStatus.choices)
