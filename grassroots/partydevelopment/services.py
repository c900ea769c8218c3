"""Development writers: opening a case (step 1), recording each further step in order with its clock checked,
extending the probation, stopping a case. One transaction each, with an Event. The upper committee's approval
(step 17) adds the probationary membership dated from the branch vote through party's ``membership_add``; the
approval of 转正 (step 24) calls ``membership_promote``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.core import attachments, clock, events
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.transitions import compare_and_set
from grassroots.notices import services as notices
from grassroots.party import selectors as party_selectors
from grassroots.party import services as party_services
from grassroots.party.models import BRANCH_KINDS, Membership, MembershipStatus

from . import permissions, rules, states
from .models import DevelopmentCase, DevelopmentStep
from .states import LAST_STEP, STEPS, UPPER_STEPS, Stage

CANDIDATE_NOTICE = "party_candidate"
FULL_MEMBER_NOTICE = "party_full_member"
MIN_AGE = 18


def _refuse(zh: str, en: str, field: str = "done_on", code: str = "development_rule"):
    raise ValidationFailed(zh, en, field=field, code=code)


def _check_actor(actor, case_branch, number: int) -> None:
    if number in UPPER_STEPS:
        if not permissions.can_upper(actor, case_branch):
            raise NotPermitted("该步骤由上级党委办理", "This step is taken by the committee above the branch")
    elif not permissions.can_branch(actor, case_branch):
        raise NotPermitted("您无权办理该党支部的发展工作", "You may not handle this branch's member development")


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def case_open(*, actor, person, branch, applied_on: dt.date, done_by: str = "", note: str = "",
              upload=None) -> DevelopmentCase:
    """Step 1: the application is handed to the branch (18 or older; not already a member; one open case)."""
    if not permissions.can_branch(actor, branch):
        raise NotPermitted("您无权办理该党支部的发展工作", "You may not handle this branch's member development")
    if branch.kind not in BRANCH_KINDS or not branch.active:
        _refuse("入党申请应向党支部提出", "The application is made to a party branch", field="branch")
    if applied_on is None or applied_on > clock.today():
        _refuse("申请日期不能晚于今天", "The application date cannot be in the future")
    if person.birth_date is not None and _age_on(person.birth_date, applied_on) < MIN_AGE:
        _refuse("申请人申请时应年满18周岁", "The applicant must be 18 or older when applying", field="person")
    if Membership.objects.filter(person=person, active=True).exists():
        _refuse("该人员已是党员", "This person is already a party member", field="person")
    if DevelopmentCase.objects.filter(person=person, stage__in=states.OPEN_STAGES).exists():
        _refuse("该人员已有进行中的发展记录", "This person already has an open development case", field="person")
    prepared = attachments.prepare(upload) if upload is not None else None
    with attachments.removed_on_failure(), transaction.atomic():
        case = DevelopmentCase.objects.create(person=person, branch=branch, applied_on=applied_on, last_step=1,
                                              created_by=actor)
        document = attachments.store(actor=actor, prepared=prepared, obj=case) if prepared else None
        DevelopmentStep.objects.create(case=case, number=1, done_on=applied_on, done_by=done_by or person.name,
                                       recorded_by=actor, note=note[:500], document=document)
        events.record(actor, "development_case.open", case, to_state=Stage.APPLICANT,
                      payload={"person": person.pk, "branch": branch.pk, "applied_on": applied_on.isoformat()})
    return case


def _previous_date(case: DevelopmentCase) -> dt.date:
    return DevelopmentStep.objects.filter(case=case, number=case.last_step).values_list("done_on", flat=True).first()


def _check_step(case: DevelopmentCase, number: int, done_on: dt.date, data: dict) -> dict:
    """The step's own clock and check; returns what the case records with it."""
    fields: dict = {}
    if number == 2:
        deadline = rules.talk_deadline(case.applied_on)
        if done_on > deadline:
            _refuse(f"应在收到入党申请书后一个月内派人谈话（最迟 {deadline:%Y-%m-%d}）",
                    f"The talk is due within a month of the application (by {deadline:%Y-%m-%d})")
    elif number == 3:
        fields["activist_on"] = done_on
    elif number == 5:
        contacts = [c for c in data.get("contacts", []) if str(c).strip()]
        if not 1 <= len(contacts) <= 2:
            _refuse("应指定一至两名正式党员作培养联系人", "Name one or two full members as contacts", field="contacts")
    elif number == 7:
        earliest = rules.candidate_earliest(case.activist_on)
        if done_on < earliest:
            _refuse(f"经过一年以上培养教育考察后方可确定为发展对象（最早 {earliest:%Y-%m-%d}）",
                    f"An activist becomes a candidate after at least a year (from {earliest:%Y-%m-%d})")
    elif number == 9:
        sponsors = [c for c in data.get("sponsors", []) if str(c).strip()]
        if len(sponsors) != 2:
            _refuse("应确定两名正式党员作入党介绍人", "Name two full members as sponsors", field="sponsors")
    elif number == 11:
        days, hours = data.get("days") or 0, data.get("hours") or 0
        try:
            days, hours = int(days), int(hours)
        except (TypeError, ValueError):
            _refuse("培训天数和学时应为整数", "Training days and hours are whole numbers", field="days")
        if days < 0 or hours < 0:
            _refuse("培训天数和学时不能为负数", "Training days and hours cannot be negative", field="days")
        if not rules.training_enough(days, hours):
            _refuse("集中培训时间一般不少于3天（或不少于24个学时）",
                    "Training lasts at least three days (or 24 class hours)", field="days")
    elif number == 13:
        notices.require_cleared(case, CANDIDATE_NOTICE, what="上级党委预审")
    elif number in (15, 23):
        fields.update(_vote(case, done_on, data, promotion=number == 23))
    elif number == 17:
        normal, latest = rules.approval_deadlines(case.vote_on)
        if done_on > latest:
            _refuse(f"上级党委审批最长不超过六个月（最迟 {latest:%Y-%m-%d}）",
                    f"The approval is due within six months of the vote at most (by {latest:%Y-%m-%d})")
        if done_on > normal and not str(data.get("delay_reason", "")).strip():
            _refuse(f"超过三个月审批（{normal:%Y-%m-%d} 之后）须说明原因",
                    f"An approval later than three months after the vote (after {normal:%Y-%m-%d}) needs a reason",
                    field="delay_reason")
    elif number == 22:
        pass
    elif number == 24:
        notices.require_cleared(case, FULL_MEMBER_NOTICE, what="上级党委审批转正")
    return fields


def _vote(case, done_on: dt.date, data: dict, *, promotion: bool) -> dict:
    if promotion and done_on < case.probation_ends:
        _refuse(f"预备期满（{case.probation_ends:%Y-%m-%d}）后才能讨论转正",
                f"The probation ends on {case.probation_ends:%Y-%m-%d}; 转正 is discussed after that")
    due = len(party_selectors.voting_members(case.branch, done_on))
    try:
        present, yes = int(data.get("present")), int(data.get("yes"))
    except (TypeError, ValueError):
        _refuse("请填写到会有表决权人数和赞成票数", "Give the voting members present and the yes votes", field="present")
    if present < 0 or yes < 0 or present > due or yes > present:
        _refuse(f"到会人数应在 0–{due} 之间，赞成票不多于到会人数",
                f"Present must be between 0 and {due}, and yes votes no more than those present", field="present")
    outcome = rules.vote(due=due, present=present, yes=yes)
    if not outcome.quorum:
        _refuse(f"到会有表决权的正式党员须超过应到会人数（{due}）的半数",
                f"More than half of the {due} full members with a vote must be present", field="present")
    if not outcome.passed:
        _refuse(f"赞成人数须超过应到会有表决权的正式党员（{due}）的半数，未获通过",
                f"Yes votes must exceed half of the {due} full members who should attend: not passed", field="yes")
    data.update(due=due, present=present, yes=yes)
    if not promotion:
        return {"vote_on": done_on, "probation_ends": rules.probation_end(done_on)}
    return {}


def step_record(*, actor, case: DevelopmentCase, number: int, done_on: dt.date, done_by: str, note: str = "",
                data: dict | None = None, upload=None) -> DevelopmentStep:
    """Record step ``number`` (the next one) of ``case``; out of order, too early or too late is refused with the
    reason."""
    data = dict(data or {})
    _check_actor(actor, case.branch, number)
    if case.stage not in states.OPEN_STAGES:
        raise Conflict("该发展记录已结束", "This development case is closed", code="case_closed")
    if number != case.last_step + 1 or number not in STEPS:
        nxt = case.last_step + 1
        _refuse(f"步骤顺序不对：下一步应为第{nxt}步「{STEPS[nxt].label}」",
                f"Steps are taken in order: the next one is step {nxt}", field="number", code="out_of_order")
    if done_on is None or done_on > clock.today():
        _refuse("日期不能晚于今天", "The date cannot be in the future")
    previous = _previous_date(case)
    if previous and done_on < previous:
        _refuse(f"日期不能早于上一步（{previous:%Y-%m-%d}）", f"The date cannot precede the previous step ({previous})")
    if not (done_by or "").strip():
        _refuse("请填写经办人", "Say who did it", field="done_by")
    fields = _check_step(case, number, done_on, data)
    prepared = attachments.prepare(upload) if upload is not None else None
    target = states.stage_after(number)
    with attachments.removed_on_failure(), transaction.atomic():
        m = states.move("development_case.step")
        m.target_for(case.stage, target if target != case.stage else None)
        # Compare-and-set on the stage and the last step: two clerks recording the same step, one wins.
        moved = DevelopmentCase.objects.filter(pk=case.pk, stage=case.stage, last_step=number - 1).update(
            stage=target, last_step=number, **fields)
        if moved != 1:
            _conflict()
        document = attachments.store(actor=actor, prepared=prepared, obj=case) if prepared else None
        step = DevelopmentStep.objects.create(case=case, number=number, done_on=done_on, done_by=done_by.strip()[:200],
                                              recorded_by=actor, note=(note or "")[:500], document=document,
                                              data=_jsonable(data))
        case.refresh_from_db()
        if number == 17:
            membership = party_services.membership_add(
                actor=actor, person=case.person, org=case.branch, status=MembershipStatus.PROBATIONARY,
                admission_date=case.vote_on, start_date=case.vote_on)
            DevelopmentCase.objects.filter(pk=case.pk).update(membership=membership)
        elif number == 24:
            membership = Membership.objects.get(pk=case.membership_id)
            party_services.membership_promote(actor=actor, membership=membership,
                                              full_member_date=case.probation_ends)
        events.record(actor, m.verb, case, from_state=case.stage if number != LAST_STEP else "", to_state=target,
                      payload={"step": number, "done_on": done_on.isoformat(), "data": _jsonable(data)})
    case.refresh_from_db()
    return step


def _conflict():
    raise Conflict("该发展记录已被他人更新，请刷新后重试", "The case was changed meanwhile; refresh and try again")


def _jsonable(data: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}


def case_extend(*, actor, case: DevelopmentCase, months: int, reason: str, on: dt.date | None = None):
    """Extend the probation by 6–12 months (the branch general meeting decides; once, a year at most in all)."""
    if not permissions.can_branch(actor, case.branch):
        raise NotPermitted("您无权办理该党支部的发展工作", "You may not handle this branch's member development")
    low, high = rules.EXTENSION_MONTHS
    if case.stage != Stage.PROBATION or case.membership_id is None or case.last_step >= 23:
        _refuse("只有预备期内、讨论转正之前可以延长预备期", "Only a running probation can be extended",
                field="months", code="not_on_probation")
    if case.extension_months:
        _refuse("预备期已延长过一次", "The probation has already been extended", field="months")
    try:
        months = int(months)
    except (TypeError, ValueError):
        months = 0
    if not low <= months <= high:
        _refuse("延长预备期应为6至12个月", "An extension is 6 to 12 months", field="months")
    if not (reason or "").strip():
        _refuse("请说明延长预备期的理由", "Give the reason", field="reason")
    on = on or clock.today()
    with transaction.atomic():
        m = states.move("development_case.extend")
        ends = rules.probation_end(case.vote_on, months)
        compare_and_set(DevelopmentCase, case.pk, from_states=m.sources, to_state=Stage.PROBATION, status_field="stage",
                        extension_months=months, probation_ends=ends)
        events.record(actor, m.verb, case, payload={"months": months, "reason": reason[:300],
                                                    "probation_ends": ends.isoformat(), "on": on.isoformat()})
    case.refresh_from_db()
    return case


def case_stop(*, actor, case: DevelopmentCase, reason: str):
    if not permissions.can_branch(actor, case.branch):
        raise NotPermitted("您无权办理该党支部的发展工作", "You may not handle this branch's member development")
    if not (reason or "").strip():
        _refuse("请说明终止原因", "Give the reason", field="reason")
    if case.membership_id:
        _refuse("已接收为预备党员，不能在此终止", "A probationary member's case is not stopped here", field="reason")
    with transaction.atomic():
        m = states.move("development_case.stop")
        compare_and_set(DevelopmentCase, case.pk, from_states=m.sources, to_state=m.target, status_field="stage",
                        stop_reason=reason.strip()[:300])
        events.record(actor, m.verb, case, from_state=case.stage, to_state=m.target, payload={"reason": reason})
    case.refresh_from_db()
    return case


def notice_publish(*, actor, case: DevelopmentCase, title: str = "", body: str = ""):
    """公示: the candidate (after the branch committee's review, step 12) or the probationary member due for 转正
    (after the branch vote, step 23). The next step waits until the period is over and every objection answered."""
    if case.last_step == 12:
        kind, default = CANDIDATE_NOTICE, f"发展对象公示：{case.person.name}"
    elif case.last_step == 23:
        kind, default = FULL_MEMBER_NOTICE, f"拟转正预备党员公示：{case.person.name}"
    else:
        _refuse("发展对象公示在支委会审查后，转正公示在支部大会讨论转正后",
                "Notices are published after step 12 (candidate) or step 23 (转正)", field="number",
                code="no_notice_now")
    body = body or f"{case.person.name}（{case.branch.name}），公示期间如有意见请提出。"
    return notices.notice_publish(actor=actor, kind=kind, subject=case, title=title or default, body=body)
