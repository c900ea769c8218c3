"""API: topics (list, detail, raise, support), meetings, motion results (counts only), resolutions, public notices
with objections (stored by ``grassroots.notices``; these operations keep their paths)."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from grassroots.core.pagination import PageNumberPagination
from grassroots.notices import services as notices

from . import selectors, services

router = Router(tags=["deliberation 议事协商"])


class TopicOut(Schema):
    id: int
    title: str
    description: str
    status: str
    status_label: str
    community_code: str
    community_name: str
    scope_code: str
    source: str
    support_count: int
    created_at: dt.datetime

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_community_code(obj):
        return obj.community.code

    @staticmethod
    def resolve_community_name(obj):
        return obj.community.name

    @staticmethod
    def resolve_scope_code(obj):
        return obj.scope_region.code


class TopicIn(Schema):
    scope_code: str
    title: str
    description: str


class MeetingOut(Schema):
    id: int
    title: str
    kind: str
    kind_name: str
    community_code: str
    scheduled_at: dt.datetime
    location: str
    status: str
    due_count: int | None
    present: int

    @staticmethod
    def resolve_kind(obj):
        return obj.kind.code

    @staticmethod
    def resolve_kind_name(obj):
        return obj.kind.name

    @staticmethod
    def resolve_community_code(obj):
        return obj.community.code


class MotionResultOut(Schema):
    id: int
    text: str
    ballot: str
    status: str
    result: str
    yes: int | None
    no: int | None
    abstain: int | None
    cast: int
    present_at_close: int
    due: int | None
    meeting_id: int
    meeting_title: str


class ResolutionOut(Schema):
    id: int
    text: str
    status: str
    progress: int
    due_date: dt.date
    meeting_id: int
    meeting_title: str
    topic_id: int | None
    follow_up_project_id: int | None

    @staticmethod
    def resolve_meeting_title(obj):
        return obj.meeting.title

    @staticmethod
    def resolve_follow_up_project_id(obj):
        return getattr(obj, "follow_up_project_id", None)  # annotated by a registered follow-up (follow_up.py)


class ObjectionOut(Schema):
    id: int
    text: str
    answer: str
    answered_at: dt.datetime | None
    created_at: dt.datetime


class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    community_code: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    objection_count: int

    @staticmethod
    def resolve_community_code(obj):
        return obj.region.code if obj.region_id else ""


class NoticeDetailOut(NoticeOut):
    objections: list[ObjectionOut]

    @staticmethod
    def resolve_objections(obj):
        return obj.objection_rows


class ObjectionIn(Schema):
    text: str


@router.get("/topics", response=list[TopicOut], operation_id="deliberation_topic_list")
@paginate(PageNumberPagination, page_size=50)
def topic_list(request, status: str = "", community: str = "", scope: str = "", q: str = ""):
    return selectors.topics(actor=request.user, status=status, community_code=community, scope_code=scope, q=q)


@router.get("/topics/{topic_id}", response=TopicOut, operation_id="deliberation_topic_detail")
def topic_detail(request, topic_id: int):
    return selectors.topic_detail(actor=request.user, pk=topic_id)


@router.post("/topics", response={201: TopicOut}, operation_id="deliberation_topic_create")
def topic_create(request, payload: TopicIn):
    region = selectors.region_by_code(actor=request.user, code=payload.scope_code)
    topic = services.topic_create(actor=request.user, scope_region=region, title=payload.title,
                                  description=payload.description)
    return Status(201, selectors.topic_detail(actor=request.user, pk=topic.pk))


@router.post("/topics/{topic_id}/support", response=TopicOut, operation_id="deliberation_topic_support")
def topic_support(request, topic_id: int):
    topic = selectors.topic_detail(actor=request.user, pk=topic_id)
    services.topic_support(actor=request.user, topic=topic)
    return selectors.topic_detail(actor=request.user, pk=topic_id)


@router.get("/meetings", response=list[MeetingOut], operation_id="deliberation_meeting_list")
@paginate(PageNumberPagination, page_size=50)
def meeting_list(request, status: str = "", kind: str = "", q: str = ""):
    return selectors.meetings(actor=request.user, status=status, kind=kind, q=q)


@router.get("/meetings/{meeting_id}", response=MeetingOut, operation_id="deliberation_meeting_detail")
def meeting_detail(request, meeting_id: int):
    return selectors.meeting_detail(actor=request.user, pk=meeting_id)


@router.get("/motions/{motion_id}/results", response=MotionResultOut, operation_id="deliberation_motion_results")
def motion_results(request, motion_id: int):
    motion = selectors.motion_public(actor=request.user, pk=motion_id)
    return selectors.motion_results(actor=request.user, motion=motion)


@router.get("/resolutions", response=list[ResolutionOut], operation_id="deliberation_resolution_list")
@paginate(PageNumberPagination, page_size=50)
def resolution_list(request, community: str = "", status: str = ""):
    return selectors.resolutions(actor=request.user, community_code=community, status=status)


@router.get("/resolutions/{resolution_id}", response=ResolutionOut, operation_id="deliberation_resolution_detail")
def resolution_detail(request, resolution_id: int):
    return selectors.resolution_detail(actor=request.user, pk=resolution_id)


@router.get("/notices", response=list[NoticeOut], operation_id="deliberation_notice_list", auth=None)
@paginate(PageNumberPagination, page_size=50)
def notice_list(request, community: str = "", kind: str = "", q: str = ""):
    return selectors.notices(actor=request.user, community_code=community, kind=kind, q=q)


@router.get("/notices/{notice_id}", response=NoticeDetailOut, operation_id="deliberation_notice_detail", auth=None)
def notice_detail(request, notice_id: int):
    notice = selectors.notice_detail(actor=request.user, pk=notice_id)
    notice.objection_rows = selectors.notice_objections(actor=request.user, notice=notice)
    return notice


@router.post("/notices/{notice_id}/objections", response={201: ObjectionOut},
             operation_id="deliberation_objection_submit")
def objection_submit(request, notice_id: int, payload: ObjectionIn):
    notice = selectors.notice_detail(actor=request.user, pk=notice_id)
    return Status(201, notices.objection_submit(actor=request.user, notice=notice, text=payload.text))
