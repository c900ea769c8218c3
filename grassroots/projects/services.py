"""The only writers of micro-projects, partners and volunteer records (the fund ledger is in ``fund.py``).

Lifecycle (states.py): draft → submitted → under_review → approval_notice (立项公示) → in_progress → accepted (验收)
→ closing_notice (结项公示, spending against budget) → closed; or rejected / withdrawn.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from grassroots.core import clock, events, notifications
from grassroots.core.attachments import attachment_create
from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed
from grassroots.core.scope import scope_for
from grassroots.core.transitions import compare_and_set
from grassroots.notices import services as notices

from .fund import money
from .models import (
    REVIEW_CRITERIA,
    BudgetLine,
    Contribution,
    MicroProject,
    Milestone,
    Partner,
    Review,
    ServiceHours,
    Volunteer,
)
from .permissions import APPROVER_ROLES, REVIEWER_ROLES, is_staff_for, lives_in
from .states import LABELS, TRANSITIONS, ProjectStatus

MIN_REVIEWS = 3
PASS_SCORE = Decimal("60")


def _move(actor, project: MicroProject, verb: str, **fields) -> MicroProject:
    move = TRANSITIONS[verb]
    before, to_state = project.status, move.target
    compare_and_set(MicroProject, project.pk, from_states=move.sources, to_state=to_state, labels=LABELS, **fields)
    events.record(actor, f"project.{verb}", project, from_state=before, to_state=to_state)
    project.refresh_from_db()
    notifications.notify([project.applicant_id], verb=f"project.{verb}",
                         title=f"微项目「{project.title}」{LABELS[to_state]}", obj=project)
    return project


def _staff(actor, project) -> None:
    scope = scope_for(actor)
    if not scope.covers_path(project.community.path):
        if project.applicant_id == getattr(actor, "pk", None):
            raise NotPermitted("此操作由社区工作人员办理", "Community staff do this")
        raise NotFound()
    if not is_staff_for(actor, project.community):
        raise NotPermitted("此操作由社区工作人员办理", "Community staff do this")


def project_create(*, actor, community, title: str, background: str, goals: str, activities: str,
                   beneficiaries: str, beneficiary_count: int = 0, budget_lines=(), topic=None,
                   applicant_organization=None) -> MicroProject:
    if not (lives_in(actor, community) or is_staff_for(actor, community)):
        raise NotPermitted("只能在本人居住的社区申报微项目", "Apply in the community where you live")
    missing = [n for n, v in (("title", title), ("background", background), ("goals", goals),
                              ("activities", activities), ("beneficiaries", beneficiaries)) if not (v or "").strip()]
    if missing:
        raise ValidationFailed("请填写完整：项目名称、背景、目标、活动和受益对象", "All of title, background, goals, "
                               "activities and beneficiaries are required", field=missing[0])
    lines = [(item.strip(), (category or "").strip(), money(amount, "budget")) for item, category, amount in budget_lines]
    if not lines or any(not item for item, _, _ in lines):
        raise ValidationFailed("请至少填写一条预算明细", "Give at least one budget line", field="budget")
    with transaction.atomic():
        project = MicroProject.objects.create(
            community=community, title=title.strip(), background=background.strip(), goals=goals.strip(),
            activities=activities.strip(), beneficiaries=beneficiaries.strip(), beneficiary_count=beneficiary_count,
            applicant=actor, applicant_organization=applicant_organization, topic=topic,
            budget_total=sum((a for _, _, a in lines), Decimal(0)))
        BudgetLine.objects.bulk_create([BudgetLine(project=project, item=i, category=c, amount=a) for i, c, a in lines])
        events.record(actor, "project.create", project, to_state=TRANSITIONS["create"].target,
                      payload={"budget_total": str(project.budget_total)})
    return project


def project_submit(*, actor, project: MicroProject) -> MicroProject:
    if project.applicant_id != actor.pk and not is_staff_for(actor, project.community):
        raise NotFound()
    with transaction.atomic():
        return _move(actor, project, "submit", submitted_at=clock.now())


def project_withdraw(*, actor, project: MicroProject) -> MicroProject:
    if project.applicant_id != actor.pk:
        raise NotFound()
    with transaction.atomic():
        return _move(actor, project, "withdraw")


def project_start_review(*, actor, project: MicroProject) -> MicroProject:
    _staff(actor, project)
    with transaction.atomic():
        return _move(actor, project, "start_review")


def review_submit(*, actor, project: MicroProject, scores: dict, comment: str = "") -> Review:
    scope = scope_for(actor)
    if not scope.covers_path(project.community.path, *REVIEWER_ROLES):
        raise NotFound() if not scope.covers_path(project.community.path) else NotPermitted(
            "只有指定的评审人可以评分", "Only reviewers score projects")
    if project.status != ProjectStatus.UNDER_REVIEW:
        raise ValidationFailed("项目不在评审阶段", "The project is not under review", code="state")
    if project.applicant_id == actor.pk:
        raise NotPermitted("申报人不能评审自己的项目", "Applicants do not review their own project")
    clean = {}
    for key, label in REVIEW_CRITERIA:
        try:
            value = int(scores.get(key))
        except (TypeError, ValueError):
            raise ValidationFailed(f"请为「{label}」打分（0–10）", f"Score '{key}' from 0 to 10", field=key)
        if not 0 <= value <= 10:
            raise ValidationFailed(f"「{label}」的分数须在0到10之间", f"'{key}' must be 0–10", field=key)
        clean[key] = value
    total = (Decimal(sum(clean.values())) * Decimal(100) / Decimal(10 * len(REVIEW_CRITERIA))).quantize(Decimal("0.01"))
    with transaction.atomic():
        if Review.objects.filter(project=project, reviewer=actor).exists():
            raise ValidationFailed("您已评审过该项目", "You already reviewed this project")
        review = Review.objects.create(project=project, reviewer=actor, scores=clean, total=total, comment=comment)
        events.record(actor, "project.review", project, payload={"total": str(total)})
    return review


def project_approve(*, actor, project: MicroProject, approved_amount, note: str = "",
                    notice_days: int | None = None) -> MicroProject:
    _staff(actor, project)
    if not scope_for(actor).covers_path(project.community.path, *APPROVER_ROLES):
        raise NotPermitted("立项由社区书记或街道审批", "The community secretary or subdistrict approves")
    amount = money(approved_amount, "approved_amount")
    if amount > project.budget_total:
        raise ValidationFailed("批准金额不能超过预算", "The approved amount exceeds the budget", field="approved_amount")
    reviews = list(project.reviews.values_list("total", flat=True))
    if len(reviews) < MIN_REVIEWS:
        raise ValidationFailed(f"至少需要 {MIN_REVIEWS} 位评审人评分（现有 {len(reviews)} 位）",
                               f"At least {MIN_REVIEWS} reviews are needed", code="reviews_missing")
    average = sum(reviews) / len(reviews)
    if average < PASS_SCORE:
        raise ValidationFailed(f"评审平均分 {average:.1f} 低于 {PASS_SCORE}，不能立项",
                               f"Average score {average:.1f} is below {PASS_SCORE}", code="score_too_low")
    with transaction.atomic():
        project = _move(actor, project, "approve", approved_amount=amount, decision_note=note, approved_at=clock.now())
        notices.notice_publish(
            actor=actor, kind="project_approval", subject=project,
            title=f"微项目立项公示：{project.title}", working_days=notice_days,
            body=(f"项目名称：{project.title}\n申报人：{project.applicant}\n预算：{project.budget_total} 元\n"
                  f"拟资助：{amount} 元\n评审平均分：{average:.1f}\n项目目标：{project.goals}"))
    return project


def project_reject(*, actor, project: MicroProject, note: str) -> MicroProject:
    _staff(actor, project)
    if not note.strip():
        raise ValidationFailed("请填写不予立项的理由", "Give the reason", field="note")
    with transaction.atomic():
        return _move(actor, project, "reject", decision_note=note)


def project_start(*, actor, project: MicroProject) -> MicroProject:
    _staff(actor, project)
    notices.require_cleared(project, "project_approval", "项目实施")
    with transaction.atomic():
        return _move(actor, project, "start")


def milestone_add(*, actor, project: MicroProject, title: str, happened_on, progress: int, photo=None) -> Milestone:
    """Record progress on a project in progress, with an optional photo (stored as the milestone's attachment)."""
    _staff(actor, project)
    if project.status != ProjectStatus.IN_PROGRESS:
        raise ValidationFailed("只有实施中的项目可以登记进展", "Only projects in progress", code="state")
    if not 0 <= int(progress) <= 100 or int(progress) < project.progress:
        raise ValidationFailed("进度须在0–100之间且不低于当前进度", "Progress must be 0–100 and not decrease",
                               field="progress")
    with transaction.atomic():
        milestone = Milestone.objects.create(project=project, title=title.strip(), happened_on=happened_on,
                                             progress=progress, recorded_by=actor)
        MicroProject.objects.filter(pk=project.pk).update(progress=progress)
        events.record(actor, "project.milestone", project, payload={"progress": progress, "title": title})
        if photo:
            attachment_create(actor=actor, upload=photo, obj=milestone)
    project.refresh_from_db()
    return milestone


def project_accept(*, actor, project: MicroProject, note: str) -> MicroProject:
    _staff(actor, project)
    if not note.strip():
        raise ValidationFailed("请填写验收意见", "Write the acceptance note", field="note")
    with transaction.atomic():
        return _move(actor, project, "accept", acceptance_note=note, accepted_at=clock.now(), progress=100)


def project_publish_closing(*, actor, project: MicroProject, notice_days: int | None = None) -> MicroProject:
    _staff(actor, project)
    with transaction.atomic():
        project = _move(actor, project, "publish_closing")
        payments = "\n".join(f"{e.recorded_at:%Y-%m-%d} {e.receipt_no} {-e.amount} 元 {e.purpose}"
                             for e in project.ledger_entries.filter(kind="disbursement").order_by("recorded_at"))
        notices.notice_publish(
            actor=actor, kind="project_closing", subject=project,
            title=f"微项目结项公示：{project.title}", working_days=notice_days,
            body=(f"项目名称：{project.title}\n预算：{project.budget_total} 元；批准资助：{project.approved_amount} 元；"
                  f"实际支出：{project.disbursed_total} 元；结余：{project.approved_amount - project.disbursed_total} 元\n"
                  f"验收意见：{project.acceptance_note}\n支出明细：\n{payments or '无'}"))
    return project


def project_close(*, actor, project: MicroProject) -> MicroProject:
    _staff(actor, project)
    notices.require_cleared(project, "project_closing", "结项")
    with transaction.atomic():
        return _move(actor, project, "close", closed_at=clock.now())


def project_follow_resolution(*, actor, project: MicroProject, resolution) -> MicroProject:
    """Link the project as the one that carries ``resolution`` out. Called by deliberation's
    ``resolution_follow_up`` (through ``follow_up.py``) inside its transaction, which checks the actor and the
    notice and records the event (``resolution.follow_up`` with the project). A project carries one resolution."""
    if project.community_id != resolution.meeting.community_id:
        raise ValidationFailed("项目不属于本社区", "The project belongs to another community", field="project")
    free = Q(resolution__isnull=True) | Q(resolution_id=resolution.pk)
    if not MicroProject.objects.filter(free, pk=project.pk).update(resolution_id=resolution.pk):
        raise ValidationFailed("该微项目已用于落实另一项决议", "The project already carries out another resolution",
                               field="project", code="project_taken")
    project.resolution_id = resolution.pk
    return project


# --- partners, volunteers -----------------------------------------------------------------------------------------
def partner_sign(*, actor, organization, community, agreement_no: str, signed_on, commitments: str, ends_on=None) -> Partner:
    if not is_staff_for(actor, community):
        raise NotPermitted("由社区工作人员登记", "Community staff record partners")
    if not commitments.strip() or not agreement_no.strip():
        raise ValidationFailed("请填写协议编号和承诺内容", "Agreement number and commitments are required", field="commitments")
    with transaction.atomic():
        if Partner.objects.filter(organization=organization, community=community).exists():
            raise ValidationFailed("该单位已是本社区的红色合伙人", "Already a partner of this community")
        partner = Partner.objects.create(organization=organization, community=community, agreement_no=agreement_no,
                                         signed_on=signed_on, ends_on=ends_on, commitments=commitments)
        events.record(actor, "partner.sign", partner, payload={"organization": organization.name})
    return partner


def contribution_record(*, actor, partner: Partner, kind: str, value, description: str, given_on) -> Contribution:
    """In-kind and service contributions are recorded here; money goes through the fund as a donation."""
    if not is_staff_for(actor, partner.community):
        raise NotFound()
    value = money(value, "value")
    with transaction.atomic():
        entry = None
        if kind == Contribution.Kind.MONEY:
            from .fund import donation_record
            from .models import CommunityFund

            fund = CommunityFund.objects.filter(region=partner.community).first()
            if fund is None:
                raise ValidationFailed("本社区尚未设立社区基金，资金捐赠无法入账", "The community has no fund")
            entry = donation_record(actor=actor, fund=fund, amount=value, donor_kind="organization",
                                    donor_organization=partner.organization, intended_use=description)
        contribution = Contribution.objects.create(partner=partner, kind=kind, value=value, description=description,
                                                   given_on=given_on, ledger_entry=entry)
        events.record(actor, "partner.contribution", contribution, payload={"kind": kind, "value": str(value)})
    return contribution


def volunteer_register(*, actor, person, community, skills=(), is_talent: bool = False, talent_title: str = "") -> Volunteer:
    if not is_staff_for(actor, community) and getattr(getattr(actor, "person", None), "pk", None) != person.pk:
        raise NotPermitted("本人或社区工作人员可以登记志愿者", "Register yourself, or ask community staff")
    with transaction.atomic():
        volunteer, created = Volunteer.objects.get_or_create(
            person=person, defaults={"community": community, "skills": list(skills), "is_talent": is_talent,
                                     "talent_title": talent_title})
        if not created:
            raise ValidationFailed("已登记为志愿者", "Already registered")
        events.record(actor, "volunteer.register", volunteer, payload={"talent": is_talent})
    return volunteer


def service_hours_record(*, actor, volunteer: Volunteer, activity: str, served_on, hours, project=None) -> ServiceHours:
    """Verified hours; an in-service party member's hours also count toward their report-in record (双报到)."""
    from django.db.models import F

    if not is_staff_for(actor, volunteer.community):
        raise NotFound()
    hours = Decimal(str(hours))
    if not Decimal("0") < hours <= Decimal("24"):
        raise ValidationFailed("服务时长须在0到24小时之间", "Hours must be between 0 and 24", field="hours")
    with transaction.atomic():
        record = ServiceHours.objects.create(volunteer=volunteer, activity=activity, served_on=served_on, hours=hours,
                                             project=project, verified_by=actor)
        Volunteer.objects.filter(pk=volunteer.pk).update(hours_total=F("hours_total") + hours)
        report_in = _active_report_in(volunteer.person)
        if report_in is not None:
            from grassroots.party.services import service_record_add

            party_record = service_record_add(actor=actor, report_in=report_in, hours=hours, date=served_on,
                                              description=f"志愿服务：{activity}")
            ServiceHours.objects.filter(pk=record.pk).update(party_service_record=party_record)
        events.record(actor, "volunteer.hours", record, payload={"hours": str(hours)})
    return record


def _active_report_in(person):
    from grassroots.party.models import ReportIn

    return ReportIn.objects.filter(person=person, status="active").first()
