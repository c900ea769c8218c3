"""为群众办实事 writers: each is one transaction with an Event; moves compare-and-set along
``states.TRANSITIONS``. Ratings are written by the public page after the rater was verified (an account's
session, or a one-time code to a phone) and keep only a keyed blind index of who rated (docs/rules/honours.md)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from grassroots.core import clock, crypto, events
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.transitions import compare_and_set

from . import permissions
from .models import ServiceMilestone, ServiceProject, ServiceRating
from .states import LABELS, TRANSITIONS, ProjectStatus, Rating, Source

OPEN = (ProjectStatus.PLANNED, ProjectStatus.IN_PROGRESS)


def _text(value, field: str, zh: str, en: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(zh, en, field=field)
    if len(value) > max_length:
        raise ValidationFailed(f"不能超过 {max_length} 字", f"At most {max_length} characters", field=field)
    return value


def _keep(actor, org) -> None:
    if not permissions.can_keep(actor, org):
        raise NotPermitted("只有本组织的书记、党务工作者或区域党建工作人员可以办理",
                           "Only the organisation's secretary or party affairs worker, or the region's party staff, "
                           "may do this")


def _date(value, field: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise ValidationFailed("日期无效", "Invalid date", field=field)
    return value


def _move(actor, project: ServiceProject, verb: str, **fields) -> None:
    move = TRANSITIONS[verb]
    compare_and_set(ServiceProject, project.pk, from_states=move.sources, to_state=move.target, labels=LABELS,
                    updated_at=clock.now(), **fields)
    events.record(actor, verb, project, from_state=project.status, to_state=move.target,
                  payload={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in fields.items()
                           if isinstance(v, (str, int, dt.date))})


def project_create(*, actor, org, title: str, source: str, owner: str, start: dt.date, due: dt.date,
                   description: str = "", source_ref: str = "", hearts: bool = False) -> ServiceProject:
    _keep(actor, org)
    title = _text(title, "title", "请填写实事名称", "The title is required", 120)
    if source not in Source.values:
        raise ValidationFailed("请选择来源", "Choose where the project came from", field="source")
    owner = _text(owner, "owner", "请填写责任人", "Name the person responsible", 40)
    start, due = _date(start, "start"), _date(due, "due")
    if due < start:
        raise ValidationFailed("计划办结日期不能早于开始日期", "The due day cannot precede the start", field="due")
    with transaction.atomic():
        project = ServiceProject.objects.create(
            org=org, org_path=org.path, title=title, description=_text(description, "description", "", "", 3000, False),
            source=source, source_ref=_text(source_ref, "source_ref", "", "", 40, False), owner=owner, start=start,
            due=due, hearts=bool(hearts), created_by=actor if getattr(actor, "is_authenticated", False) else None)
        events.record(actor, "service_project.create", project, to_state=project.status,
                      payload={"org": org.pk, "source": source, "due": due.isoformat()})
    return project


def project_progress(*, actor, project: ServiceProject, progress, note: str = "") -> ServiceProject:
    """The progress (0–99 %; 100 % is the finish) with a note; a planned project starts with its first progress."""
    _keep(actor, project.org)
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        raise ValidationFailed("进度须为 0–99 的整数", "Progress is a whole number from 0 to 99", field="progress") from None
    if not 0 <= progress <= 99:
        raise ValidationFailed("进度须为 0–99 的整数；办结请用“办结”", "Progress is 0 to 99; use finish when done",
                               field="progress")
    note = _text(note, "note", "", "", 300, False)
    with transaction.atomic():
        if project.status == ProjectStatus.PLANNED:
            _move(actor, project, "service_project.start")
            project.status = ProjectStatus.IN_PROGRESS
        updated = ServiceProject.objects.filter(pk=project.pk, status=ProjectStatus.IN_PROGRESS).update(
            progress=progress, progress_note=note, updated_at=clock.now())
        if not updated:
            raise Conflict("该项目已办结或取消", "The project is finished or cancelled", code="state_conflict",
                           details={"current_state": project.status})
        events.record(actor, "service_project.progress", project, payload={"progress": progress, "note": note})
    project.refresh_from_db()
    return project


def milestone_add(*, actor, project: ServiceProject, title: str, due_on: dt.date) -> ServiceMilestone:
    _keep(actor, project.org)
    if project.status not in OPEN:
        raise Conflict("已办结或取消的项目不能再加节点", "A finished or cancelled project takes no milestones",
                       code="state_conflict", details={"current_state": project.status})
    title = _text(title, "title", "请填写节点", "The milestone is required", 120)
    due_on = _date(due_on, "due_on")
    with transaction.atomic():
        row = ServiceMilestone.objects.create(project=project, title=title, due_on=due_on)
        events.record(actor, "service_milestone.create", row, payload={"project": project.pk})
    return row


def milestone_done(*, actor, milestone: ServiceMilestone, done_on: dt.date | None = None) -> ServiceMilestone:
    _keep(actor, milestone.project.org)
    done_on = done_on or clock.today()
    if done_on > clock.today():
        raise ValidationFailed("完成日期不能晚于今天", "The day done cannot be in the future", field="done_on")
    with transaction.atomic():
        if not ServiceMilestone.objects.filter(pk=milestone.pk, done_on__isnull=True).update(
                done_on=done_on, updated_at=clock.now()):
            raise Conflict("该节点已完成", "This milestone is already done", code="state_conflict")
        events.record(actor, "service_milestone.done", milestone, payload={"done_on": done_on.isoformat()})
    milestone.refresh_from_db()
    return milestone


def project_finish(*, actor, project: ServiceProject, result: str, done_on: dt.date | None = None
                   ) -> ServiceProject:
    """办结 with the result; every milestone must be done first."""
    _keep(actor, project.org)
    result = _text(result, "result", "请填写办理结果", "Record the result", 3000)
    done_on = done_on or clock.today()
    if done_on > clock.today() or done_on < project.start:
        raise ValidationFailed("办结日期须在开始之后、不晚于今天", "The day done lies between the start and today",
                               field="done_on")
    pending = project.milestones.filter(done_on__isnull=True).count()
    if pending:
        raise ValidationFailed(f"还有 {pending} 个节点未完成", f"{pending} milestones are not done", field="result",
                               code="milestones_pending")
    with transaction.atomic():
        _move(actor, project, "service_project.finish", done_on=done_on, result=result, progress=100)
    project.refresh_from_db()
    return project


def project_cancel(*, actor, project: ServiceProject, reason: str) -> ServiceProject:
    _keep(actor, project.org)
    reason = _text(reason, "reason", "请填写取消原因", "Give the reason", 300)
    with transaction.atomic():
        _move(actor, project, "service_project.cancel", cancel_reason=reason)
    project.refresh_from_db()
    return project


def voter_key_for_account(user) -> str:
    return crypto.blind_index(f"account:{user.pk}", purpose="service_rating")


def voter_key_for_phone(phone_index: str) -> str:
    return crypto.blind_index(f"phone:{phone_index}", purpose="service_rating")


def rating_submit(*, project: ServiceProject, rating: str, voter_key: str) -> ServiceRating:
    """One rating per verified phone or account and project; only while the project runs or once it is done."""
    if rating not in Rating.values:
        raise ValidationFailed("请选择满意、基本满意或不满意", "Choose satisfied, basically satisfied or unsatisfied",
                               field="rating")
    if project.status not in (ProjectStatus.IN_PROGRESS, ProjectStatus.DONE):
        raise Conflict("该项目暂不接受评价", "This project does not take ratings now", code="state_conflict",
                       details={"current_state": project.status})
    try:
        with transaction.atomic():
            row = ServiceRating.objects.create(project=project, voter_key=voter_key, rating=rating)
            events.record(None, "service_project.rate", project, payload={"rating": rating})
    except IntegrityError:
        raise ValidationFailed("您已评价过该项目，每个手机号或账号只能评价一次",
                               "You have already rated this project: once per phone or account", field="rating",
                               code="already_rated") from None
    return row
