"""The closed loop's vocabulary: statuses, tiers, channels, clock stages and the transition table.

``TRANSITIONS`` is the one place that says which verb moves a case from which states to which state; services
look their move up here and compare-and-set it (``core.transitions.compare_and_set``). Verbs that leave the status
unchanged (``note``, ``part_done``, ``rate``, extensions) list the states they are allowed in and ``to=None``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REPORTED = "reported", _("待受理")
    ACCEPTED = "accepted", _("已立案")
    DISPATCHED = "dispatched", _("已派遣")
    IN_PROGRESS = "in_progress", _("处置中")
    HANDLED = "handled", _("待核查")
    CLOSED = "closed", _("已结案")
    REJECTED = "rejected", _("不予立案")
    SUSPENDED = "suspended", _("挂账")


OPEN_STATUSES = (Status.REPORTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.HANDLED,
                 Status.SUSPENDED)
FINAL_STATUSES = (Status.CLOSED, Status.REJECTED)
STATUS_LABELS = {s.value: str(s.label) for s in Status}


class Tier(models.TextChoices):
    GRID = "grid", _("网格")
    COMMUNITY = "community", _("社区")
    SUBDISTRICT = "subdistrict", _("街道")
    ZONE = "zone", _("区级部门")


TIER_ORDER = [Tier.GRID, Tier.COMMUNITY, Tier.SUBDISTRICT, Tier.ZONE]


def next_tier(tier: str) -> str | None:
    i = TIER_ORDER.index(tier)
    return TIER_ORDER[i + 1] if i + 1 < len(TIER_ORDER) else None


def tier_rank(tier: str) -> int:
    return TIER_ORDER.index(tier)


class Channel(models.TextChoices):
    GRID_PATROL = "grid_patrol", _("网格巡查")
    RESIDENT = "resident", _("居民上报")
    HOTLINE = "hotline", _("热线")
    IMPORT_12345 = "import_12345", _("12345 工单")
    IMPORT_PROVINCIAL = "import_provincial", _("省级平台工单")
    ENTERPRISE = "enterprise", _("企业诉求")
    DELIBERATION = "deliberation", _("议事协商")
    INSPECTION = "inspection", _("督查检查")
    STAFF = "staff", _("工作人员代报")


IMPORT_CHANNELS = (Channel.IMPORT_12345, Channel.IMPORT_PROVINCIAL)


class Stage(models.TextChoices):
    ACCEPT = "accept", _("受理")
    DISPATCH = "dispatch", _("派遣")
    ACKNOWLEDGE = "acknowledge", _("报到")
    HANDLE = "handle", _("办理")
    VERIFY = "verify", _("核查")


class TimeUnit(models.TextChoices):
    MINUTES = "minutes", _("分钟")
    HOURS = "hours", _("小时")
    WORKING_DAYS = "working_days", _("工作日")


class CategoryKind(models.TextChoices):
    COMPONENT = "component", _("部件")
    EVENT = "event", _("事件")
    SOCIAL = "social", _("社会治理")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("协办")


class AssignmentStatus(models.TextChoices):
    DISPATCHED = "dispatched", _("待报到")
    ACKNOWLEDGED = "acknowledged", _("已报到")
    PART_DONE = "part_done", _("协办完成")
    HANDLED = "handled", _("已办结")
    RETURNED = "returned", _("已回退")
    ENDED = "ended", _("已结束")


OPEN_ASSIGNMENT_STATUSES = (AssignmentStatus.DISPATCHED, AssignmentStatus.ACKNOWLEDGED, AssignmentStatus.PART_DONE,
                            AssignmentStatus.HANDLED)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class RatingSource(models.TextChoices):
    REPORTER = "reporter", _("报告人评价")
    TRACKING_CODE = "tracking_code", _("查询码评价")
    CALLBACK = "callback", _("热线回访")


class ReopenDecision(models.TextChoices):
    NONE = "", _("未处理")
    CONFIRMED = "confirmed", _("已重启")
    DECLINED = "declined", _("不予重启")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    DECLINED = "declined", _("不批准")


class EmergencyService(models.TextChoices):
    NONE = "", _("无")
    POLICE = "110", _("110 报警")
    FIRE = "119", _("119 火警")
    AMBULANCE = "120", _("120 急救")


@dataclass(frozen=True)
class Move:
    verb: str
    from_states: tuple[str, ...]
    to_state: str | None  # None: status unchanged
    label: str


_A, _D, _I = Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS
_OPEN_ACTIVE = (Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.HANDLED)

# DESIGN "The closed loop", every row.
TRANSITIONS: dict[str, Move] = {m.verb: m for m in [
    Move("report", (), Status.REPORTED, "上报"),
    Move("accept", (Status.REPORTED,), Status.ACCEPTED, "受理"),
    Move("reject", (Status.REPORTED,), Status.REJECTED, "不予立案"),
    Move("mark_duplicate", (Status.REPORTED,), Status.REJECTED, "重复件"),
    Move("resolve_on_site", (Status.REPORTED,), Status.HANDLED, "现场处置"),
    Move("dispatch", (_A,), _D, "派遣"),
    Move("escalate", (_A, _D, _I), _A, "上报上级"),
    Move("acknowledge", (_D, _I), None, "报到"),  # the lead's acknowledgement moves dispatched → in_progress
    Move("return", (_D,), _A, "回退"),
    Move("note", (_I,), None, "办理记录"),
    Move("part_done", (_I,), None, "协办完成"),
    Move("handle", (_I,), Status.HANDLED, "办结"),
    Move("verify_pass", (Status.HANDLED,), Status.CLOSED, "核查通过"),
    Move("verify_fail", (Status.HANDLED,), _I, "核查不通过"),
    Move("rate", (Status.CLOSED,), None, "评价"),
    Move("reopen", (Status.CLOSED,), _I, "重启"),
    Move("decline_reopen", (Status.CLOSED,), None, "不予重启"),
    Move("request_extension", (Status.REPORTED, *_OPEN_ACTIVE), None, "申请延期"),
    Move("approve_extension", (Status.REPORTED, *_OPEN_ACTIVE), None, "批准延期"),
    Move("decline_extension", (Status.REPORTED, *_OPEN_ACTIVE), None, "不批准延期"),
    Move("suspend", (_A, _D, _I), Status.SUSPENDED, "挂账"),
    Move("resume", (Status.SUSPENDED,), None, "恢复"),  # back to the status before the suspension
    Move("supervise", (Status.REPORTED, *_OPEN_ACTIVE, Status.SUSPENDED), None, "督办"),
]}


def move(verb: str) -> Move:
    return TRANSITIONS[verb]


# Which deadline runs in which status (for next_due and for pausing clocks).
RUNNING_STAGE = {
    Status.REPORTED: Stage.ACCEPT,
    Status.ACCEPTED: Stage.DISPATCH,
    Status.DISPATCHED: Stage.ACKNOWLEDGE,
    Status.IN_PROGRESS: Stage.HANDLE,
    Status.HANDLED: Stage.VERIFY,
}
DUE_FIELD = {Stage.ACCEPT: "accept_due", Stage.DISPATCH: "dispatch_due", Stage.ACKNOWLEDGE: "acknowledge_due",
             Stage.HANDLE: "handle_due", Stage.VERIFY: "verify_due"}
