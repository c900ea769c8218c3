"""Public notices (公示): a period on the working-day clock, an objection channel, answers. The next step of what is
noticed may start only when the period has ended and every objection has been answered."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from grassroots.core import clock, events, notifications, workdays
from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed
from grassroots.core.scope import scope_for

from .models import Objection, PublicNotice
from .permissions import STAFF_ROLES

DEFAULT_WORKING_DAYS = 5


def subject_of(obj) -> dict:
    """The generic subject fields naming ``obj`` (an object of any app, e.g. a micro-project)."""
    return {"subject_type": events.object_type_of(obj), "subject_id": obj.pk}


def notice_publish(*, actor, kind: str, community, title: str, body: str, working_days: int = DEFAULT_WORKING_DAYS,
                   resolution=None, subject=None) -> PublicNotice:
    """Publish a notice about a resolution of ours, or about ``subject`` (an object of an app above us)."""
    if not scope_for(actor).covers_path(community.path, *STAFF_ROLES):
        raise NotPermitted("只有社区工作人员可以发布公示", "Only community staff publish notices")
    if not title.strip() or not body.strip():
        raise ValidationFailed("公示标题和内容不能为空", "Title and body are required", field="body")
    if not 1 <= int(working_days) <= 30:
        raise ValidationFailed("公示期为1至30个工作日", "The period is 1 to 30 working days", field="working_days")
    start = clock.now()
    with transaction.atomic():
        notice = PublicNotice.objects.create(
            kind=kind, community=community, title=title.strip(), body=body.strip(), starts_at=start,
            ends_at=workdays.deadline(start, int(working_days), "working_days"), working_days=working_days,
            resolution=resolution, published_by=actor, **(subject_of(subject) if subject is not None else {}))
        events.record(actor, "notice.publish", notice, payload={"kind": kind, "ends_at": notice.ends_at.isoformat()})
    return notice


def latest_about(subject, kind: str) -> PublicNotice | None:
    """The newest notice of ``kind`` about ``subject`` (what ``require_cleared`` checks before its next step)."""
    return PublicNotice.objects.filter(kind=kind, **subject_of(subject)).order_by("-starts_at", "-id").first()


def is_open(notice: PublicNotice) -> bool:
    return clock.now() < notice.ends_at


def require_cleared(notice: PublicNotice | None, what: str = "下一步") -> None:
    """Refuse unless the notice period is over and every objection is answered."""
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


def objection_submit(*, actor, notice: PublicNotice, text: str) -> Objection:
    if not getattr(actor, "is_authenticated", False):
        raise NotPermitted("请登录后提出异议", "Sign in to object")
    if not text.strip():
        raise ValidationFailed("请填写异议内容", "Describe the objection", field="text")
    if not is_open(notice):
        raise ValidationFailed("公示期已结束，不能再提出异议", "The notice period is over", code="notice_ended")
    with transaction.atomic():
        objection = Objection.objects.create(notice=notice, author=actor, text=text.strip())
        events.record(actor, "objection.submit", objection, payload={"notice": notice.pk})
        notifications.notify([notice.published_by], verb="notice.objection", title=f"公示「{notice.title}」收到异议",
                             body=text[:200], obj=notice)
    return objection


def objection_answer(*, actor, objection: Objection, answer: str) -> Objection:
    notice = objection.notice
    if not scope_for(actor).covers_path(notice.community.path, *STAFF_ROLES):
        raise NotFound()
    if not answer.strip():
        raise ValidationFailed("请填写答复", "Write the answer", field="answer")
    with transaction.atomic():
        if not Objection.objects.filter(pk=objection.pk, answered_at__isnull=True).update(
                answer=answer.strip(), answered_by=actor, answered_at=clock.now()):
            raise ValidationFailed("该异议已答复", "Already answered")
        events.record(actor, "objection.answer", objection, payload={"notice": notice.pk})
        if objection.author_id:
            notifications.notify([objection.author_id], verb="notice.objection_answer",
                                 title=f"您对「{notice.title}」的异议已答复", body=answer[:200], obj=notice)
    objection.refresh_from_db()
    return objection
