"""Handling by the assigned units (acknowledge, return, notes, a co-handler's part, handled), verification, rating,
reopening, and the handover of a leaving handler's assignments."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from grassroots.core import attachments as core_attachments
from grassroots.core import events, notifications
from grassroots.core.errors import Conflict, NotFound, ValidationFailed
from grassroots.core.roles import Role
from grassroots.core.transitions import compare_and_set

from .. import permissions, policy
from ..models import Assignment, Case, Rating
from ..states import (
    ASSIGNMENT_TRANSITIONS,
    AssignmentRole,
    AssignmentStatus,
    Channel,
    ClosureKind,
    RatingSource,
    ReopenDecision,
    Satisfaction,
    Stage,
    Status,
    event_verb,
)
from .common import (
    ASSIGNMENT_LABELS,
    _active_assignments,
    _check_state,
    _conflict,
    _denied,
    _end_assignments,
    _lead,
    _load,
    _move,
    _now,
    _record,
    _region_users,
    _reporter_ids,
    _require_text,
    _send,
    _unit_users,
    attach,
    normalize_tracking_code,
    prepare_uploads,
)

# ---------------------------------------------------------------------------------------------------------------
# Handling


def _move_assignment(assignment, verb: str, **fields) -> None:
    """Compare-and-set the unit's own assignment along its row of ``ASSIGNMENT_TRANSITIONS``."""
    move = ASSIGNMENT_TRANSITIONS[verb]
    compare_and_set(Assignment, assignment.pk, from_states=move.sources, to_state=move.target,
                    labels=ASSIGNMENT_LABELS, **fields)


def case_acknowledge(*, actor, case) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "acknowledge")
        assignments = _active_assignments(c)
        if not permissions.can_acknowledge(actor, c, assignments):
            raise _denied("只有承办单位的办理人可以报到", "Only a handler of an assigned unit may acknowledge")
        mine = permissions.unit_of(actor, assignments)
        if not permissions.assignment_ready(mine, "acknowledge"):
            raise _conflict(c.status, "本单位已报到", "Your unit has already acknowledged", code="already_acknowledged")
        now = _now()
        _move_assignment(mine, "acknowledge", acknowledged_at=now, acknowledged_by=actor, handler=actor,
                         updated_at=now)
        if mine.role == AssignmentRole.LEAD:
            handle_due = policy.due(c.category, c.tier, Stage.HANDLE, now, c.appeal_keys)
            before = _move(c, "acknowledge", to_state=Status.IN_PROGRESS, acknowledged_at=now, handle_due=handle_due,
                           next_due=handle_due)
        else:
            before = _move(c, "acknowledge")
        _record(actor, "acknowledge", c, before, {"assignment": mine.pk, "role": mine.role,
                                                  "unit": mine.organization_id, "unit_name": mine.organization.name,
                                                  "on_time": bool(mine.acknowledge_due and now <= mine.acknowledge_due)})
        if mine.dispatched_by_id:
            _send([mine.dispatched_by_id], "acknowledge", c, f"{mine.organization.name}已报到", exclude=actor)
    return c


def case_return(*, actor, case, reason: str) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "return")
        assignments = _active_assignments(c)
        if not permissions.can_return(actor, c, assignments):
            raise _denied("只有主办单位可以回退", "Only the lead unit may return a case")
        reason = _require_text(reason, "reason", "请说明回退理由", "Give a reason")
        now = _now()
        dispatch_due = policy.due(c.category, c.tier, Stage.DISPATCH, now, c.appeal_keys)
        ended = _end_assignments(c, "returned", now, lead_status=AssignmentStatus.RETURNED)
        before = _move(c, "return", dispatch_due=dispatch_due, next_due=dispatch_due)
        lead = _lead(assignments)
        _record(actor, "return", c, before, {"reason": reason, "unit": lead.organization_id if lead else None})
        recipients = set(_region_users(c, permissions.DISPATCHER_ROLES[c.tier])) | set(_unit_users(ended))
        if lead and lead.dispatched_by_id:
            recipients.add(lead.dispatched_by_id)
        _send(recipients, "return", c, "主办单位回退，请重新派遣", reason, exclude=actor)
    return c


def case_note(*, actor, case, text: str) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "note")
        assignments = _active_assignments(c)
        if not permissions.can_note(actor, c, assignments):
            raise _denied("只有承办单位或派遣人员可以记录", "Only assigned units or the dispatcher may add notes")
        text = _require_text(text, "text", "请填写办理记录", "Write the note")
        before = _move(c, "note")
        mine = permissions.unit_of(actor, assignments)
        _record(actor, "note", c, before, {"text": text, "unit": mine.organization_id if mine else None})
        lead = _lead(assignments)
        if lead and (mine is None or mine.pk != lead.pk):
            _send(_unit_users([lead.organization_id]), "note", c, "新的办理记录", text[:200], exclude=actor)
    return c


def case_part_done(*, actor, case, note: str = "") -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "part_done")
        assignments = _active_assignments(c)
        if not permissions.can_part_done(actor, c, assignments):
            raise _denied("只有协办单位可以提交协办完成", "Only a co-handler may report its part done")
        mine = permissions.unit_of(actor, assignments, role=AssignmentRole.CO)
        if not permissions.assignment_ready(mine, "part_done"):
            zh = "请先报到" if mine.status == AssignmentStatus.DISPATCHED else "本单位已提交协办完成"
            raise _conflict(c.status, zh, "Acknowledge first" if mine.status == AssignmentStatus.DISPATCHED
                            else "Your part is already done", code="assignment_state")
        now = _now()
        _move_assignment(mine, "part_done", part_done_at=now, updated_at=now)
        before = _move(c, "part_done")
        _record(actor, "part_done", c, before, {"assignment": mine.pk, "unit": mine.organization_id,
                                                "unit_name": mine.organization.name, "note": (note or "").strip()})
        lead = _lead(assignments)
        if lead:
            _send(_unit_users([lead.organization_id]), "part_done", c, f"{mine.organization.name}协办完成",
                  exclude=actor)
    return c


def _closure_kind(c: Case, closure_kind: str) -> str:
    """An enterprise appeal closes resolved, explained or planned (default resolved); other cases carry none."""
    if c.channel != Channel.ENTERPRISE:
        return ""
    closure_kind = closure_kind or ClosureKind.RESOLVED
    if closure_kind not in ClosureKind.values:
        raise ValidationFailed("请选择办结方式", "Choose how the appeal was closed", field="closure_kind")
    return closure_kind


def case_handle(*, actor, case, result: str, evidence=(), uploads=(), closure_kind: str = "") -> Case:
    """``evidence``: ids of attachments already stored; ``uploads``: files (photos or documents: the field asks
    for 照片/材料), stored in this transaction and only if the case is reported handled. ``closure_kind``: how an
    enterprise appeal is closed (resolved, explained, planned)."""
    prepared = prepare_uploads(uploads, field="evidence", photos_only=False, already=len(set(evidence or ())))
    with core_attachments.removed_on_failure(), transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "handle")
        assignments = _active_assignments(c)
        if not permissions.can_handle(actor, c, assignments):
            raise _denied("只有主办单位可以办结", "Only the lead unit may report the case handled")
        lead = permissions.unit_of(actor, assignments, role=AssignmentRole.LEAD)
        result = _require_text(result, "result", "请填写办理结果", "Describe the result")
        closure_kind = _closure_kind(c, closure_kind)
        pending = [a for a in assignments if a.role == AssignmentRole.CO and a.status != AssignmentStatus.PART_DONE]
        if pending:
            names = "、".join(a.organization.name for a in pending)
            raise Conflict(f"协办单位尚未完成：{names}", "Co-handlers have not finished their parts",
                           code="co_handlers_pending",
                           details={"current_state": c.status, "pending": [a.organization_id for a in pending]})
        if not evidence and not prepared:
            raise ValidationFailed("请上传处置后的照片或材料", "Attach evidence of the result", field="evidence",
                                   code="evidence_required")
        now = _now()
        attached = attach(actor=actor, case=c, attachment_ids=evidence, prepared=prepared)
        verify_due = policy.due(c.category, c.tier, Stage.VERIFY, now, c.appeal_keys)
        before = _move(c, "handle", handled_at=now, first_handled_at=c.first_handled_at or now,
                       verify_due=verify_due, next_due=verify_due, closure_kind=closure_kind)
        Assignment.objects.filter(pk=lead.pk).update(status=AssignmentStatus.HANDLED, handled_at=now, updated_at=now)
        _record(actor, "handle", c, before, {"result": result, "evidence": attached, "unit": lead.organization_id,
                                             "closure_kind": closure_kind,
                                             "on_time": bool(c.handle_due and now <= c.handle_due),
                                             "rework": c.rework_count})
        recipients = set(_region_users(c, permissions.COMMUNITY_ROLES))
        if c.channel == Channel.GRID_PATROL:
            recipients |= set(_reporter_ids(c))
        else:  # the grid's worker verifies reports that did not come from patrol
            recipients |= set(_region_users(c, (Role.GRID_WORKER,)))
        _send(recipients, "handle", c, "已办结，待核查", exclude=actor)
    return c


# ---------------------------------------------------------------------------------------------------------------
# Verification, rating, reopen


def case_verify_pass(*, actor, case, note: str = "") -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "verify_pass")
        if not permissions.can_verify_pass(actor, c):
            raise _denied("只有上报网格员或社区工作人员可以核查", "Only the reporting grid worker or community staff may verify")
        now = _now()
        ended = _end_assignments(c, "closed", now, lead_status=AssignmentStatus.HANDLED)
        before = _move(c, "verify_pass", verified_at=now, closed_at=now, next_due=None)
        _record(actor, "verify_pass", c, before, {"note": (note or "").strip()})
        _send(_reporter_ids(c), "verify_pass", c, "已结案，请评价", exclude=actor)
        _send(_unit_users(ended), "verify_pass", c, "核查通过，已结案", exclude=actor)
    return c


def case_verify_fail(*, actor, case, reason: str) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "verify_fail")
        if not permissions.can_verify_fail(actor, c):
            raise _denied("只有上报网格员或社区工作人员可以核查", "Only the reporting grid worker or community staff may verify")
        reason = _require_text(reason, "reason", "请说明核查不通过的理由", "Give a reason")
        now = _now()
        assignments = _active_assignments(c)
        lead = _lead(assignments)
        if lead is None:
            # resolved on site: nobody was dispatched — it goes back to the community for dispatch
            dispatch_due = policy.due(c.category, c.tier, Stage.DISPATCH, now, c.appeal_keys)
            before = _move(c, "verify_fail", to_state=Status.ACCEPTED, verified_at=now,
                           rework_count=c.rework_count + 1, dispatch_due=dispatch_due, next_due=dispatch_due)
        else:
            handle_due = policy.due(c.category, c.tier, Stage.HANDLE, now, c.appeal_keys)
            before = _move(c, "verify_fail", verified_at=now, rework_count=c.rework_count + 1,
                           handle_due=handle_due, next_due=handle_due)
            Assignment.objects.filter(pk=lead.pk).update(status=AssignmentStatus.ACKNOWLEDGED, handled_at=None,
                                                         updated_at=now)
        _record(actor, "verify_fail", c, before, {"reason": reason, "rework_count": c.rework_count})
        _send(_unit_users([lead.organization_id]) if lead else _region_users(c, permissions.COMMUNITY_ROLES),
              "verify_fail", c, "核查不通过，请返工", reason, exclude=actor)
    return c


def case_rate(*, actor, case=None, tracking_code: str = "", resolved: bool, satisfaction: str,
              comment: str = "") -> Rating:
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed("请选择满意度", "Choose a satisfaction level", field="satisfaction")
    with transaction.atomic():
        if tracking_code:
            code = normalize_tracking_code(tracking_code)
            c = Case.objects.select_for_update(of=("self",)).select_related("category").filter(
                tracking_code=code).first()
            if c is None or (case is not None and getattr(case, "pk", case) != c.pk):
                raise NotFound("查询码无效", "Unknown tracking code")
            source = RatingSource.TRACKING_CODE
        else:
            c = _load(actor, case)
            if not permissions.can_rate(actor, c):
                raise _denied("只有报告人或热线回访人员可以评价", "Only the reporter or a hotline callback may rate")
            source = RatingSource.CALLBACK if permissions.is_callback(actor, c) else RatingSource.REPORTER
        _check_state(c, "rate")
        now = _now()
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    case=c, round=c.rating_round, resolved=bool(resolved), satisfaction=satisfaction,
                    comment=(comment or "").strip(), source=source,
                    rated_by=actor if getattr(actor, "is_authenticated", False) else None, rated_at=now)
        except IntegrityError:
            raise _conflict(c.status, "本轮已评价，不能重复评价", "This case has already been rated",
                            code="already_rated")
        before = _move(c, "rate")
        _record(actor, "rate", c, before, {"resolved": bool(resolved), "satisfaction": satisfaction,
                                           "source": source, "round": c.rating_round})
        if permissions.is_unsatisfied(rating):
            _send(_region_users(c, permissions.COMMUNITY_ROLES), "rate", c, "收到不满意评价，请确认是否重启",
                  exclude=actor)
    return rating


def _open_unsatisfied_rating(c: Case) -> Rating:
    rating = c.ratings.filter(round=c.rating_round).first()
    if rating is None or not permissions.is_unsatisfied(rating):
        raise _conflict(c.status, "没有待处理的不满意评价", "There is no unsatisfied rating to act on",
                        code="no_unsatisfied_rating")
    if rating.reopen_decision:
        raise _conflict(c.status, "该评价已处理", "This rating has already been dealt with", code="already_decided")
    window = dt.timedelta(days=int(policy.setting("reopen_window_days")))
    if _now() > rating.rated_at + window:
        raise _conflict(c.status, f"已超过 {window.days} 天的重启期限", f"The {window.days}-day reopen window has passed",
                        code="reopen_window_passed")
    return rating


def _decide(rating: Rating, decision: str, actor, reason: str) -> None:
    updated = Rating.objects.filter(pk=rating.pk, reopen_decision="").update(
        reopen_decision=decision, reopen_decided_by=actor, reopen_decided_at=_now(), reopen_reason=reason,
        updated_at=_now())
    if not updated:
        raise Conflict("该评价已被他人处理", "Someone else has dealt with this rating", code="already_decided",
                       details={"current_state": Status.CLOSED})


def case_reopen(*, actor, case, reason: str = "") -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "reopen")
        if not permissions.can_reopen(actor, c):
            raise _denied("只有社区工作人员可以确认重启", "Only community staff may reopen")
        rating = _open_unsatisfied_rating(c)
        _decide(rating, ReopenDecision.CONFIRMED, actor, (reason or "").strip())
        now = _now()
        lead = c.assignments.filter(role=AssignmentRole.LEAD, round=c.dispatch_round).first() \
            if c.dispatch_round else None
        common = dict(closed_at=None, rating_round=c.rating_round + 1, reopen_count=c.reopen_count + 1)
        if lead is None:
            dispatch_due = policy.due(c.category, c.tier, Stage.DISPATCH, now, c.appeal_keys)
            before = _move(c, "reopen", to_state=Status.ACCEPTED, dispatch_due=dispatch_due, next_due=dispatch_due,
                           **common)
        else:
            handle_due = policy.due(c.category, c.tier, Stage.HANDLE, now, c.appeal_keys)
            before = _move(c, "reopen", handle_due=handle_due, next_due=handle_due, **common)
            Assignment.objects.filter(pk=lead.pk).update(active=True, ended_at=None, end_reason="",
                                                         status=AssignmentStatus.ACKNOWLEDGED, handled_at=None,
                                                         updated_at=now)
        _record(actor, "reopen", c, before, {"reason": (reason or "").strip(), "rating": rating.pk})
        _send(_unit_users([lead.organization_id]) if lead else [], "reopen", c, "群众不满意，事件已重启", reason,
              exclude=actor)
        _send(_reporter_ids(c), "reopen", c, "您的不满意评价已受理，事件重新办理")
    return c


def case_decline_reopen(*, actor, case, reason: str) -> Case:
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "decline_reopen")
        if not permissions.can_decline_reopen(actor, c):
            raise _denied("只有社区工作人员可以处理重启", "Only community staff may decide on reopening")
        reason = _require_text(reason, "reason", "请说明不予重启的理由", "Give a reason")
        rating = _open_unsatisfied_rating(c)
        _decide(rating, ReopenDecision.DECLINED, actor, reason)
        before = _move(c, "decline_reopen")
        _record(actor, "decline_reopen", c, before, {"reason": reason, "rating": rating.pk})
        _send(_reporter_ids(c), "decline_reopen", c, "不予重启", reason)
    return c


# ---------------------------------------------------------------------------------------------------------------
# Handover (交接)


def handover_assignments(*, actor, post, successor) -> int:
    """Open assignments personally held by the post's user at the post's organisation move to the successor."""
    if not post.organization_id:
        return 0
    qs = Assignment.objects.filter(active=True, organization_id=post.organization_id, handler_id=post.user_id)
    if successor is None:
        return qs.count()
    rows = list(qs.values_list("pk", "case_id"))
    if not rows:
        return 0
    now = _now()
    qs.update(handler=successor, updated_at=now)
    for pk, case_id in rows:
        events.record(actor, event_verb("handover"), object_type="cases.case", object_id=case_id,
                      payload={"assignment": pk, "from_user": post.user_id, "to_user": successor.pk})
    notifications.notify([successor.pk], verb="case.handover", title=f"已接手 {len(rows)} 件办理任务", body="", url="/cases/")
    return len(rows)


# ---------------------------------------------------------------------------------------------------------------
# 有呼必应: the commissioner's answer, the second dispatch


def case_answer(*, actor, case, result: str, closure_kind: str = "") -> Case:
    """答复办结: the enterprise's service commissioner (or the community's staff) answers an enterprise appeal —
    a question, an explanation, a plan — and closes it at once (reported or accepted). The enterprise then rates
    it; an unsatisfied rating may be dispatched again (``case_redispatch``)."""
    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "answer")
        if not permissions.can_answer(actor, c):
            raise _denied("只有企业的服务专员或社区工作人员可以答复企业诉求",
                          "Only the enterprise's service commissioner or community staff may answer an appeal")
        result = _require_text(result, "result", "请填写答复内容", "Write the answer")
        closure_kind = _closure_kind(c, closure_kind)
        now = _now()
        accepted = {} if c.accepted_at else {"accepted_at": now}
        before = _move(c, "answer", handled_at=now, first_handled_at=c.first_handled_at or now, closed_at=now,
                       next_due=None, closure_kind=closure_kind, **accepted)
        _record(actor, "answer", c, before, {"result": result, "closure_kind": closure_kind,
                                             "on_time": bool(not c.handle_due or now <= c.handle_due)})
        _send(_reporter_ids(c), "answer", c, "您的诉求已答复，请评价", result, exclude=actor)
    return c


def case_redispatch(*, actor, case, lead, co_handlers=(), reason: str = "", instructions: str = "") -> Case:
    """二次派单: after the enterprise's unsatisfied rating (within the reopen window), the dispatcher sends the
    appeal to a unit it chooses for a new round — unlike ``reopen``, which gives it back to the same lead."""
    from .dispatch import _dispatch

    with transaction.atomic():
        c = _load(actor, case)
        _check_state(c, "redispatch")
        if not permissions.can_redispatch(actor, c):
            raise _denied("只有企业的服务专员或社区工作人员可以二次派单",
                          "Only the enterprise's service commissioner or community staff may dispatch again")
        reason = _require_text(reason, "reason", "请说明二次派单的理由", "Give the reason")
        rating = _open_unsatisfied_rating(c)
        _decide(rating, ReopenDecision.CONFIRMED, actor, reason)
        now = _now()
        _end_assignments(c, "redispatched", now, lead_status=AssignmentStatus.ENDED)
        before = _move(c, "redispatch", closed_at=None, closure_kind="",
                       rating_round=c.rating_round + 1, reopen_count=c.reopen_count + 1)
        _record(actor, "redispatch", c, before, {"reason": reason, "rating": rating.pk})
        _dispatch(actor, c, lead, co_handlers, whistle=False, instructions=instructions)
        _send(_reporter_ids(c), "redispatch", c, "您的不满意评价已受理，诉求已二次派单", reason)
    return c
