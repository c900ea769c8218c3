"""A member's 双报到 at their home community: the report-in, the community's service posts they claim, and the hours
of service they give."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction

from grassroots.core import clock, events
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.territory.models import Level

from .. import permissions
from ..models import Membership, ReportIn, ReportInStatus, ServicePost, ServicePostClaim, ServiceRecord
from ..states import move
from ._common import change_state, check_community


def report_in_create(*, actor, membership: Membership, community, grid=None, reported_on: dt.date | None = None,
                     employer=None) -> ReportIn:
    """双报到: an in-service member reports to the community where they live."""
    reported_on = reported_on or clock.today()
    check_community(community)
    person = membership.person
    if not membership.active:
        raise ValidationFailed("该组织关系已结束", "This membership has ended", field="membership")
    if not membership.in_service:
        raise ValidationFailed("只有在职党员需要到社区报到", "Only in-service members report in to a community",
                               field="membership")
    home = person.region
    if home is None:
        raise ValidationFailed(f"「{person.name}」没有登记居住网格，无法确认居住社区",
                               f"{person.name} has no registered home grid; the community of residence is unknown",
                               field="community")
    if not home.path.startswith(community.path):
        raise ValidationFailed(
            f"在职党员应到居住地社区报到：「{person.name}」住在「{home.name}」，不属于「{community.name}」",
            f"A member reports to the community where they live: {person.name} lives in {home.name}, "
            f"which is not in {community.name}", field="community", code="not_resident")
    if grid is None and home.level == Level.GRID:
        grid = home
    if grid is not None and (grid.level != Level.GRID or grid.parent_id != community.pk):
        raise ValidationFailed("下沉网格必须是该社区的网格", "The grid must be a grid of this community", field="grid")
    if reported_on > clock.today():
        raise ValidationFailed("报到日期不能晚于今天", "The report-in date cannot be in the future",
                               field="reported_on")
    if ReportIn.objects.filter(person=person, status=ReportInStatus.ACTIVE).exists():
        raise Conflict(f"「{person.name}」已在社区报到，请先结束原报到", f"{person.name} has already reported in",
                       code="already_reported_in")
    if not permissions.can_report_in(actor, membership, community):
        raise NotPermitted("您无权为该党员办理报到", "You may not record this member's report-in")
    employer = employer or membership.employer
    with transaction.atomic():
        create = move("report_in.create")
        report_in = ReportIn.objects.create(person=person, membership=membership, employer=employer,
                                            community=community, grid=grid, reported_on=reported_on,
                                            status=create.target)
        events.record(actor, create.verb, report_in, to_state=create.target, payload={
            "person": person.pk, "community": community.pk, "grid": grid.pk if grid else None,
            "employer": employer.pk if employer else None})
    return report_in


def report_in_end(*, actor, report_in: ReportIn, on: dt.date | None = None) -> ReportIn:
    on = on or clock.today()
    if on < report_in.reported_on:
        raise ValidationFailed("结束日期不能早于报到日期", "The end date cannot precede the report-in", field="on")
    if not permissions.can_manage_report_in(actor, report_in):
        raise NotPermitted("您无权结束该报到", "You may not end this report-in")
    with transaction.atomic():
        end = change_state(ReportIn, report_in.pk, "report_in.end", ended_on=on)
        ServicePostClaim.objects.filter(report_in=report_in, active=True).update(active=False, released_on=on)
        events.record(actor, end.verb, report_in, from_state=end.sources[0], to_state=end.target,
                      payload={"on": on.isoformat()})
    report_in.refresh_from_db()
    return report_in


def service_post_create(*, actor, community, name: str, description: str = "", capacity: int = 1) -> ServicePost:
    check_community(community)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("岗位名称不能为空", "The post name is required", field="name")
    if capacity is None or int(capacity) < 1:
        raise ValidationFailed("名额至少为 1", "Capacity must be at least 1", field="capacity")
    if ServicePost.objects.filter(community=community, name=name).exists():
        raise ValidationFailed(f"「{name}」岗位已存在", f"The post {name} already exists", field="name")
    if not permissions.can_manage_region(actor, community):
        raise NotPermitted("您无权管理该社区的服务岗位", "You may not manage this community's service posts")
    with transaction.atomic():
        post = ServicePost.objects.create(community=community, name=name, description=description.strip(),
                                          capacity=int(capacity))
        events.record(actor, "service_post.create", post, payload={"community": community.pk, "name": name,
                                                                   "capacity": post.capacity})
    return post


def service_post_claim(*, actor, report_in: ReportIn, post: ServicePost, on: dt.date | None = None
                       ) -> ServicePostClaim:
    """A reported-in member claims one of the community's posts (认岗), up to the post's capacity."""
    on = on or clock.today()
    if report_in.status not in move("service_post.claim").sources:
        raise ValidationFailed("报到已结束，不能认领岗位", "The report-in has ended", field="report_in")
    if post.community_id != report_in.community_id:
        raise ValidationFailed("只能认领报到社区的岗位", "Claim a post of the community reported to", field="post")
    if not post.active:
        raise ValidationFailed("该岗位已停用", "This post is no longer open", field="post")
    if not permissions.can_manage_report_in(actor, report_in):
        raise NotPermitted("您无权为该党员认领岗位", "You may not claim posts for this member")
    with transaction.atomic():
        # Lock the post (PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers) before counting.
        locked = ServicePost.objects.select_for_update().get(pk=post.pk)
        if ServicePostClaim.objects.filter(post=locked, report_in=report_in, active=True).exists():
            raise Conflict("已认领该岗位", "This post is already claimed by the member", code="already_claimed")
        taken = ServicePostClaim.objects.filter(post=locked, active=True).count()
        if taken >= locked.capacity:
            raise Conflict(f"「{locked.name}」名额已满（{locked.capacity} 人）",
                           f"{locked.name} is full ({locked.capacity} places)", code="post_full")
        claim = ServicePostClaim.objects.create(post=locked, report_in=report_in, claimed_on=on)
        events.record(actor, "service_post.claim", claim, payload={"post": post.pk, "report_in": report_in.pk})
    return claim


def service_record_add(*, actor, report_in: ReportIn, hours, date: dt.date, description: str,
                       post: ServicePost | None = None) -> ServiceRecord:
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed("服务时长应为数字", "Hours must be a number", field="hours")
    if hours <= 0 or hours > 24:
        raise ValidationFailed("服务时长应在 0 到 24 小时之间", "Hours must be between 0 and 24", field="hours")
    if date is None or date > clock.today() or date < report_in.reported_on:
        raise ValidationFailed("服务日期应在报到之后、今天之前", "The date must lie between the report-in and today",
                               field="date")
    description = (description or "").strip()
    if not description:
        raise ValidationFailed("请填写服务内容", "Describe the service", field="description")
    if post is not None and post.community_id != report_in.community_id:
        raise ValidationFailed("岗位不属于报到社区", "The post belongs to another community", field="post")
    if not permissions.can_record_service(actor, report_in):
        raise NotPermitted("您无权登记服务时长", "You may not record service hours here")
    with transaction.atomic():
        record = ServiceRecord.objects.create(person_id=report_in.person_id, report_in=report_in, post=post,
                                              date=date, hours=hours, description=description[:300],
                                              recorded_by=actor if getattr(actor, "is_authenticated", False)
                                              else None)
        events.record(actor, "service_record.add", record, payload={"report_in": report_in.pk,
                                                                    "hours": str(hours)})
    return record
