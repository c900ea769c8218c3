"""Party organisational life's vocabulary: meeting rhythms and states, attendance, points, review grades, alerts,
terms and their transition tables (docs/rules/party-life.md).

A meeting: planned → noticed (the roll is fixed and those due are told) → held (sign-in and minutes) → archived
(locked; points for those present); a planned or noticed meeting may be cancelled. A manual points entry: pending →
approved | rejected. A term extension: proposed → approved | refused.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.transitions import Transition


class Rhythm(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")
    NONE = "none", _("不定期")


class Body(models.TextChoices):
    """Where a kind of meeting is held, and so where its rhythm applies."""
    BRANCH = "branch", _("党支部")
    COMMITTEE = "committee", _("支部委员会（正式党员七人以上的支部）")
    GROUP = "group", _("党小组")


class RollRule(models.TextChoices):
    MEMBERS = "members", _("全体党员（正式党员有表决权，预备党员列席无表决权）")
    INVITED = "invited", _("指定人员")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    NOTICED = "noticed", _("已通知")
    HELD = "held", _("已召开")
    ARCHIVED = "archived", _("已归档")
    CANCELLED = "cancelled", _("已取消")


class Presence(models.TextChoices):
    DUE = "due", _("应到")
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class Period(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


class PointsSource(models.TextChoices):
    MEETING = "meeting", _("参加组织生活")
    SERVICE = "service", _("志愿服务、报到服务时长")
    AWARD = "award", _("表彰奖励")
    MANUAL = "manual", _("人工登记")


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已审核")
    REJECTED = "rejected", _("未通过")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASIC = "basic", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


class AlertKind(models.TextChoices):
    RHYTHM = "rhythm", _("组织生活未按期开展")
    INACTIVE = "inactive", _("党员连续六个月未参加组织生活或未交党费")
    TERM = "term", _("届期提醒")
    ARREARS = "arrears", _("党员欠缴党费")


class ExtensionStatus(models.TextChoices):
    NONE = "", _("无")
    PROPOSED = "proposed", _("待批准")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


M = MeetingStatus
MEETING_TRANSITIONS: dict[str, Transition] = {t.verb: t for t in [
    Transition("plan", (), M.PLANNED, "计划"),
    Transition("notice", (M.PLANNED,), M.NOTICED, "发出通知"),
    Transition("hold", (M.NOTICED,), M.HELD, "记录召开"),
    Transition("archive", (M.HELD,), M.ARCHIVED, "归档"),
    Transition("cancel", (M.PLANNED, M.NOTICED), M.CANCELLED, "取消"),
]}
# States in which the sign-in may still change (before archiving).
SIGN_IN_STATES = (M.NOTICED, M.HELD)
MEETING_LABELS = {s.value: str(s.label) for s in MeetingStatus}
HELD_STATES = (M.HELD, M.ARCHIVED)

E = EntryStatus
ENTRY_TRANSITIONS: dict[str, Transition] = {t.verb: t for t in [
    Transition("approve", (E.PENDING,), E.APPROVED, "审核通过"),
    Transition("reject", (E.PENDING,), E.REJECTED, "不予通过"),
]}
ENTRY_LABELS = {s.value: str(s.label) for s in EntryStatus}


class Duty(models.TextChoices):
    """A seat on an organisation's committee (支部委员会 or 党委) for its term."""
    SECRETARY = "secretary", _("书记")
    DEPUTY = "deputy", _("副书记")
    ORGANISATION = "organisation", _("组织委员")
    PUBLICITY = "publicity", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    YOUTH = "youth", _("青年委员")
    MEMBER = "member", _("委员")
