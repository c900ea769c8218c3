"""The closed loop's vocabulary: statuses, tiers, channels, clock stages and the transition table.

``TRANSITIONS`` is the one place that says which verb moves a case from which states to which state: verb →
``Transition(verb, sources, target, label, alternatives)``. The services look their move up here and compare-and-set
it (``core.transitions.compare_and_set``) and write the event ``case.<verb>`` (``event_verb``); the demo's history
walks the same rows. Verbs that leave the status
unchanged (``note``, ``part_done``, ``rate``, extensions) list the states they are allowed in and ``target=None``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.transitions import Transition


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


class AppealType(models.TextChoices):
    """An enterprise appeal's type (有呼必应, docs/rules/cases.md § Enterprise appeals); a time-limit key."""

    CONSULT = "consult", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")


# The time-limit key of the urgent flag, looked up before the appeal's type.
URGENT = "urgent"
APPEAL_LIMIT_KEYS = (*AppealType.values, URGENT)


class Topic(models.TextChoices):
    POLICY = "policy", _("政策")
    APPROVAL = "approval", _("审批")
    FACTORS = "factors", _("要素")
    ENFORCEMENT = "enforcement", _("执法")
    CHAIN = "chain", _("产业链")


class ClosureKind(models.TextChoices):
    """How an enterprise appeal was closed; all three are closed. 解决率 still comes from the enterprise's rating."""

    RESOLVED = "resolved", _("已解决")
    EXPLAINED = "explained", _("已解释说明")
    PLANNED = "planned", _("纳入计划解决")


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


def _t(verb: str, sources, target: str | None, label: str, alternatives=()) -> Transition:
    return Transition(verb, frozenset(sources), target, label, frozenset(alternatives))


_A, _D, _I = Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS
_OPEN_ACTIVE = (Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.HANDLED)

# docs/glossary.md § The case lifecycle, every row. Intake ("report") has no source: it creates the case.
TRANSITIONS: dict[str, Transition] = {t.verb: t for t in [
    _t("report", (), Status.REPORTED, "上报"),
    _t("accept", (Status.REPORTED,), Status.ACCEPTED, "受理"),
    _t("reject", (Status.REPORTED,), Status.REJECTED, "不予立案"),
    _t("mark_duplicate", (Status.REPORTED,), Status.REJECTED, "重复件"),
    _t("resolve_on_site", (Status.REPORTED,), Status.HANDLED, "现场处置"),
    _t("dispatch", (_A,), _D, "派遣"),
    _t("escalate", (_A, _D, _I), _A, "上报上级"),
    _t("acknowledge", (_D, _I), None, "报到", (_I,)),  # the lead's acknowledgement moves dispatched → in_progress
    _t("return", (_D,), _A, "回退"),
    # A co-handler that has acknowledged works its part while the lead has not yet acknowledged (dispatched).
    _t("note", (_D, _I), None, "办理记录"),
    _t("part_done", (_D, _I), None, "协办完成"),
    _t("handle", (_I,), Status.HANDLED, "办结"),
    _t("verify_pass", (Status.HANDLED,), Status.CLOSED, "核查通过"),
    _t("verify_fail", (Status.HANDLED,), _I, "核查不通过", (_A,)),  # resolved on site: nobody to rework → dispatch
    _t("rate", (Status.CLOSED,), None, "评价"),
    _t("reopen", (Status.CLOSED,), _I, "重启", (_A,)),  # no lead unit of the last round → dispatch
    # 二次派单: after an unsatisfied rating, a new round for a unit the dispatcher chooses, dispatched at once in
    # the same transaction (reopen keeps the same lead).
    _t("redispatch", (Status.CLOSED,), _A, "二次派单"),
    # 答复办结: the enterprise's commissioner (or community staff) answers an appeal and closes it at once.
    _t("answer", (Status.REPORTED, Status.ACCEPTED), Status.CLOSED, "答复办结"),
    _t("decline_reopen", (Status.CLOSED,), None, "不予重启"),
    _t("request_extension", (Status.REPORTED, *_OPEN_ACTIVE), None, "申请延期"),
    _t("approve_extension", (Status.REPORTED, *_OPEN_ACTIVE), None, "批准延期"),
    _t("decline_extension", (Status.REPORTED, *_OPEN_ACTIVE), None, "不批准延期"),
    _t("suspend", (_A, _D, _I), Status.SUSPENDED, "挂账"),
    _t("resume", (Status.SUSPENDED,), None, "恢复", (_A, _D, _I)),  # back to the status before the suspension
    _t("supervise", (Status.REPORTED, *_OPEN_ACTIVE, Status.SUSPENDED), None, "督办"),
]}


def event_verb(verb: str) -> str:
    """The audit verb a move of the table writes: ``case.<verb>`` (the ``entity.verb`` convention)."""
    return f"case.{verb}"


def table_verb(verb: str) -> str:
    """The transition verb of an audit row, whichever spelling it carries (``case.accept``, or ``accept`` on rows
    written before the convention; ``core.events.verbs`` gives both for a filter)."""
    return verb.removeprefix("case.")


# A unit's own assignment moves with its handler's verbs (same shape). The case's moves end, return or reopen
# assignments as a whole (``services``: ended, returned, acknowledged again).
ASSIGNMENT_TRANSITIONS: dict[str, Transition] = {t.verb: t for t in [
    _t("acknowledge", (AssignmentStatus.DISPATCHED,), AssignmentStatus.ACKNOWLEDGED, "报到"),
    _t("part_done", (AssignmentStatus.ACKNOWLEDGED,), AssignmentStatus.PART_DONE, "协办完成"),
    _t("handle", (AssignmentStatus.ACKNOWLEDGED,), AssignmentStatus.HANDLED, "办结"),
]}


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


def status_label(value: str) -> str:
    """A status's label in the reader's language (``STATUS_LABELS`` stays Chinese, for the Chinese error messages)."""
    return str(Status(value).label) if value in Status.values else value
