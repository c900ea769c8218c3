"""The only writers of notices: publish, object, answer; and ``require_cleared``, which domains call before the
next step of a subject (the period on the working-day clock is over and every objection is answered)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from grassroots.core import clock, events, notifications, workdays
from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed

from . import policy, registry
from .models import Notice, Objection


def subject_q(subject) -> dict:
    return {"subject_type": ContentType.objects.get_for_model(subject), "subject_id": subject.pk}


def _kind_for(kind: str, subject) -> registry.NoticeKind:
    declared = registry.get(kind)
    if declared is None:
        raise ValidationFailed(f"未登记的公示类型：{kind}", f"Unknown notice kind: {kind}", field="kind")
    model = f"{subject._meta.app_label}.{subject._meta.model_name}"
    if declared.model != model:
        raise ValidationFailed("公示类型与公示对象不符", "The notice kind does not fit its subject", field="kind")
    return declared


def can_publish(actor, kind: str, subject) -> bool:
    declared = registry.get(kind)
    return declared is not None and bool(declared.can_publish(actor, subject))


def can_answer(actor, notice: Notice) -> bool:
    subject = notice.subject
    return subject is not None and can_publish(actor, notice.kind, subject)


def notice_publish(*, actor, kind: str, subject, title: str, body: str, working_days: int | None = None) -> Notice:
    """Publish a notice of ``kind`` about ``subject``; who may is the kind's rule, in whose name its owner."""
    declared = _kind_for(kind, subject)
    if not declared.can_publish(actor, subject):
        raise NotPermitted(f"无权发布{declared.label}", f"You may not publish this notice ({declared.label_en or kind})")
    if not (title or "").strip() or not (body or "").strip():
        raise ValidationFailed("公示标题和内容不能为空", "Title and body are required", field="body")
    low, high = policy.value("notices.min_working_days"), policy.value("notices.max_working_days")
    days = policy.default_working_days() if working_days is None else working_days
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not low <= days <= high:
        raise ValidationFailed(f"公示期为{low}至{high}个工作日", f"The period is {low} to {high} working days",
                               field="working_days")
    owner = declared.owner(subject)
    start = clock.now()
    with transaction.atomic():
        notice = Notice.objects.create(
            kind=kind, **subject_q(subject), region=owner.region, organization=owner.organization,
            owner_type=ContentType.objects.get_for_model(owner.holder) if owner.holder is not None else None,
            owner_id=getattr(owner.holder, "pk", None), owner_name=owner.name[:100], party_path=owner.path()[:255],
            title=title.strip()[:100],
            body=body.strip(), starts_at=start, ends_at=workdays.deadline(start, days, "working_days"),
            working_days=days, published_by=actor)
        events.record(actor, "notice.publish", notice, payload={"kind": kind, "ends_at": notice.ends_at.isoformat(),
                                                                "subject": f"{declared.model}:{subject.pk}"})
    return notice


def latest_about(subject, kind: str | None = None) -> Notice | None:
    """The newest notice about ``subject`` (of ``kind``)."""
    qs = Notice.objects.filter(**subject_q(subject))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-starts_at", "-id").first()


def is_open(notice: Notice) -> bool:
    return clock.now() < notice.ends_at


def require_notice_cleared(notice: Notice | None, what: str = "下一步") -> None:
    """Refuse unless the notice exists, its period is over and every objection is answered."""
    if notice is None:
        raise ValidationFailed(f"尚未公示，不能进行{what}", "Not yet publicly noticed", code="no_notice")
    if is_open(notice):
        ends = timezone.localtime(notice.ends_at)
        raise ValidationFailed(f"公示期至 {ends:%Y-%m-%d %H:%M} 结束，期满后才能进行{what}",
                               f"The notice period ends at {ends:%Y-%m-%d %H:%M}", code="notice_open")
    pending = notice.objections.filter(answered_at__isnull=True).count()
    if pending:
        raise ValidationFailed(f"还有 {pending} 条异议未答复", f"{pending} objection(s) are not answered yet",
                               code="objections_pending")


def require_cleared(subject, kind: str | None = None, what: str = "下一步") -> Notice:
    """What a domain calls before the next step of ``subject``: its newest notice (of ``kind``) must be over, with
    every objection answered. Returns that notice."""
    notice = latest_about(subject, kind)
    require_notice_cleared(notice, what)
    return notice


def objection_submit(*, actor, notice: Notice, text: str) -> Objection:
    if not getattr(actor, "is_authenticated", False):
        raise NotPermitted("请登录后提出异议", "Sign in to object")
    if not (text or "").strip():
        raise ValidationFailed("请填写异议内容", "Describe the objection", field="text")
    if not is_open(notice):
        raise ValidationFailed("公示期已结束，不能再提出异议", "The notice period is over", code="notice_ended")
    with transaction.atomic():
        objection = Objection.objects.create(notice=notice, author=actor, text=text.strip())
        events.record(actor, "objection.submit", objection, payload={"notice": notice.pk})
        notifications.notify([notice.published_by_id], verb="notice.objection", title=f"公示「{notice.title}」收到异议",
                             body=text[:200], url=f"/notices/{notice.pk}/", obj=notice)
    return objection


def objection_answer(*, actor, objection: Objection, answer: str) -> Objection:
    notice = objection.notice
    if not can_answer(actor, notice):
        raise NotFound()
    if not (answer or "").strip():
        raise ValidationFailed("请填写答复", "Write the answer", field="answer")
    with transaction.atomic():
        if not Objection.objects.filter(pk=objection.pk, answered_at__isnull=True).update(
                answer=answer.strip(), answered_by=actor, answered_at=clock.now()):
            raise ValidationFailed("该异议已答复", "Already answered", code="state")
        events.record(actor, "objection.answer", objection, payload={"notice": notice.pk})
        if objection.author_id:
            notifications.notify([objection.author_id], verb="notice.objection_answer",
                                 title=f"您对「{notice.title}」的异议已答复", body=answer[:200],
                                 url=f"/notices/{notice.pk}/", obj=notice)
    objection.refresh_from_db()
    return objection
