"""Clocks: extensions of the running deadline (requested by the responsible unit, decided by the tier above) and
suspensions (挂账) with their resumption by hand or by the sweep.

Time is added to an existing deadline in two places, both through ``core.workdays``: an approved extension counts
from the current deadline (a deadline at 24:00 belongs to the day that ends, so two working days added to the end of
Wednesday end on Friday), and resuming gives back the time left (working days for a working-day limit). Every other
move (dispatch, return, rework, reopen, escalation) starts a fresh limit from the moment of the move."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.core import workdays
from grassroots.core.errors import NotFound, ValidationFailed
from grassroots.core.transitions import compare_and_set

from .. import permissions, policy
from ..models import Assignment, Case, Extension, Suspension
from ..states import (
    DUE_FIELD,
    RUNNING_STAGE,
    AssignmentRole,
    AssignmentStatus,
    ExtensionStatus,
    Stage,
    TimeUnit,
)
from .common import (
    _active_assignments,
    _check_state,
    _conflict,
    _denied,
    _load,
    _move,
    _now,
    _record,
    _region_users,
    _require_text,
    _send,
    _still_breached,
    _unit_users,
)

# ---------------------------------------------------------------------------------------------------------------
# Extensions and suspensions


def case_request_extension(*, actor, case, amount: int, unit: str, reason: str) -> Extension:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "request_extension")
        assignments = _active_assignments(c)
        if not permissions.can_request_extension(actor, c, assignments):
            raise _denied("只有当前环节的责任单位可以申请延期", "Only the unit responsible for this stage may ask")
        reason = _require_text(reason, "reason", "请说明延期理由", "Give a reason")
        if unit not in TimeUnit.values:
            raise ValidationFailed("时限单位无效", "Unknown unit", field="unit")
        try:
            amount = int(amount)
        except (TypeError, ValueError):
            amount = 0
        if amount <= 0:
            raise ValidationFailed("延长时间必须大于零", "The extension must be positive", field="amount")
        stage = RUNNING_STAGE[c.status]
        current_due = getattr(c, DUE_FIELD[stage])
        try:
            with transaction.atomic():
                ext = Extension.objects.create(case=c, stage=stage, amount=amount, unit=unit, reason=reason,
                                               requested_by=actor, requested_at=_now(), previous_due=current_due)
        except IntegrityError:
            raise _conflict(c.status, "已有待审批的延期申请", "An extension request is already pending",
                            code="extension_pending")
        before = _move(c, "request_extension")
        _record(actor, "request_extension", c, before, {"extension": ext.pk, "stage": stage, "amount": amount,
                                                        "unit": unit, "reason": reason})
        _send(_region_users(c, permissions.APPROVER_ROLES[c.tier]), "request_extension", c, "延期申请待审批",
              reason, exclude=actor)
    return ext


def _load_extension(actor, extension) -> tuple[Extension, Case]:
    pk = getattr(extension, "pk", extension)
    ext = Extension.objects.filter(pk=pk).first()
    if ext is None:
        raise NotFound("延期申请不存在", "Extension request not found")
    c = _load(actor, ext.case_id)
    ext = Extension.objects.get(pk=pk)
    return ext, c


def case_approve_extension(*, actor, extension, note: str = "") -> Case:
    with transaction.atomic():
        ext, c = _load_extension(actor, extension)
        _check_state(c, "approve_extension")
        if not permissions.can_approve_extension(actor, c, ext):
            raise _denied("延期须由上一层级审批", "The tier above approves extensions")
        if ext.status != ExtensionStatus.PENDING:
            raise _conflict(c.status, "该申请已处理", "This request has already been decided", code="already_decided")
        if RUNNING_STAGE.get(c.status) != ext.stage:
            raise _conflict(c.status, "事件已进入其他环节，延期申请失效", "The case has moved on; the request lapsed",
                            code="extension_lapsed")
        now = _now()
        due_field = DUE_FIELD[ext.stage]
        current = getattr(c, due_field) or now
        new_due = policy.extended_due(current, ext.amount, ext.unit)
        compare_and_set(Extension, ext.pk, from_states=[ExtensionStatus.PENDING], to_state=ExtensionStatus.APPROVED,
                        decided_by=actor, decided_at=now, decision_note=(note or "").strip(), new_due=new_due,
                        updated_at=now)
        before = _move(c, "approve_extension", **{due_field: new_due, "next_due": new_due,
                                                  "extensions_approved": c.extensions_approved + 1})
        if ext.stage == Stage.ACKNOWLEDGE:
            Assignment.objects.filter(case=c, active=True, role=AssignmentRole.LEAD).update(acknowledge_due=new_due)
        _record(actor, "approve_extension", c, before, {"extension": ext.pk, "stage": ext.stage,
                                                        "previous_due": current.isoformat(),
                                                        "new_due": new_due.isoformat()})
        _send([ext.requested_by_id], "approve_extension", c, "延期申请已批准", exclude=actor)
    return c


def case_decline_extension(*, actor, extension, note: str) -> Case:
    with transaction.atomic():
        ext, c = _load_extension(actor, extension)
        _check_state(c, "decline_extension")
        if not permissions.can_decline_extension(actor, c, ext):
            raise _denied("延期须由上一层级审批", "The tier above decides on extensions")
        note = _require_text(note, "note", "请说明不批准的理由", "Give a reason")
        now = _now()
        compare_and_set(Extension, ext.pk, from_states=[ExtensionStatus.PENDING], to_state=ExtensionStatus.DECLINED,
                        decided_by=actor, decided_at=now, decision_note=note, updated_at=now)
        before = _move(c, "decline_extension")
        _record(actor, "decline_extension", c, before, {"extension": ext.pk, "note": note})
        _send([ext.requested_by_id], "decline_extension", c, "延期申请未批准", note, exclude=actor)
    return c


def _review_moment(review_at) -> dt.datetime:
    if isinstance(review_at, dt.datetime):
        return review_at if timezone.is_aware(review_at) else timezone.make_aware(review_at)
    if isinstance(review_at, dt.date):
        return timezone.make_aware(dt.datetime.combine(review_at, dt.time.min))
    raise ValidationFailed("请填写复核日期", "Give a review date", field="review_at")


def _time_left(c: Case, stage: str, due: dt.datetime, now: dt.datetime):
    """What a suspension keeps of a running deadline: seconds (an int) for a wall-clock limit; for a limit in
    working days whose deadline falls at 24:00, the working days left after today (``{"working_days": n}``), so
    resuming gives back working days and never a weekend or a holiday for one."""
    if due <= now:
        return 0
    _amount, unit = policy.limit(c.category, c.tier, stage, c.appeal_keys)
    if unit == TimeUnit.WORKING_DAYS and timezone.localtime(due).time() == dt.time.min:
        return {"working_days": workdays.working_days_between(now, due)}
    return int((due - now).total_seconds())


def _give_back(left, now: dt.datetime) -> dt.datetime:
    """The deadline on resuming (``_time_left``'s value; rows written before working days were kept are seconds)."""
    if isinstance(left, dict):
        return workdays.add_working_days(now, int(left["working_days"]))
    return now + dt.timedelta(seconds=int(left))


def case_suspend(*, actor, case, reason: str, review_at) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "suspend")
        if not permissions.can_suspend(actor, c):
            raise _denied("挂账须由街道干部批准", "A subdistrict officer approves suspensions")
        reason = _require_text(reason, "reason", "请说明挂账理由", "Give a reason")
        now = _now()
        review = _review_moment(review_at)
        if review <= now:
            raise ValidationFailed("复核日期须晚于今天", "The review date must be in the future", field="review_at")
        remaining = {}
        stage = RUNNING_STAGE[c.status]
        stage_due = getattr(c, DUE_FIELD[stage])
        if stage_due is not None:
            remaining[DUE_FIELD[stage]] = _time_left(c, stage, stage_due, now)
        for pk, due in c.assignments.filter(active=True, status=AssignmentStatus.DISPATCHED).values_list(
                "pk", "acknowledge_due"):
            if due is not None:
                remaining[f"assignment:{pk}"] = _time_left(c, Stage.ACKNOWLEDGE, due, now)
        Suspension.objects.create(case=c, from_status=c.status, reason=reason, approved_by=actor, suspended_at=now,
                                  review_at=review, remaining=remaining)
        before = _move(c, "suspend", suspended_from=c.status, suspended_at=now, resume_at=review, next_due=review)
        _record(actor, "suspend", c, before, {"reason": reason, "review_at": review.isoformat(),
                                              "remaining": remaining})
        orgs = list(c.assignments.filter(active=True).values_list("organization_id", flat=True))
        _send(set(_unit_users(orgs)) | set(_region_users(c, permissions.COMMUNITY_ROLES)), "suspend", c,
              "事件挂账", reason, exclude=actor)
    return c


def case_resume(*, actor, case, by_sweep: bool = False) -> Case:
    with transaction.atomic():
        c = _load(actor, case, system=by_sweep)
        _check_state(c, "resume")
        if by_sweep:
            _still_breached(c)
        if by_sweep:
            actor = None
        elif not permissions.can_resume(actor, c):
            raise _denied("恢复须由街道干部批准", "A subdistrict officer resumes suspended cases")
        suspension = c.suspensions.filter(resumed_at__isnull=True).first()
        now = _now()
        remaining = suspension.remaining if suspension else {}
        fields = {"suspended_from": "", "suspended_at": None, "resume_at": None}
        for name, left in remaining.items():
            if not name.startswith("assignment:"):
                fields[name] = _give_back(left, now)
        back = c.suspended_from
        running = DUE_FIELD.get(RUNNING_STAGE.get(back))
        fields["next_due"] = fields.get(running, getattr(c, running) if running else None)
        for name, left in remaining.items():
            if name.startswith("assignment:"):
                Assignment.objects.filter(pk=int(name.split(":")[1]), active=True).update(
                    acknowledge_due=_give_back(left, now), updated_at=now)
        if suspension:
            Suspension.objects.filter(pk=suspension.pk).update(resumed_at=now, resumed_by=actor, updated_at=now)
        before = _move(c, "resume", to_state=back, **fields)
        _record(actor, "resume", c, before, {"by": "sweep" if by_sweep else "hand", "remaining": remaining})
        orgs = list(c.assignments.filter(active=True).values_list("organization_id", flat=True))
        _send(set(_unit_users(orgs)) | set(_region_users(c, permissions.COMMUNITY_ROLES)), "resume", c,
              "挂账事件已恢复办理", exclude=actor)
    return c


