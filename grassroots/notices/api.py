"""API: public notices (公示) — the list and one notice with its objections and answers, the public list of open
notices (no account needed), submitting an objection (signed in) and answering one (who may publish the kind).

Notices are public; ``mine=true`` narrows the list to the notices the caller's posts answer for (their region, their
organisation, or their party organisation and those under it).
"""

import datetime as dt

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from grassroots.core.pagination import PageNumberPagination

from . import registry, selectors, services

router = Router(tags=["notices 公示"])


class PublicNoticeOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    owner_name: str
    region_code: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    working_days: int
    open: bool
    objection_count: int

    @staticmethod
    def resolve_kind_label(obj):
        return str(registry.label(obj.kind))

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code if obj.region_id else None

    @staticmethod
    def resolve_open(obj):
        return services.is_open(obj)

    @staticmethod
    def resolve_objection_count(obj):
        return int(getattr(obj, "objection_count", 0) or 0)


class NoticeObjectionOut(Schema):
    id: int
    notice_id: int
    text: str
    created_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None


class PublicNoticeDetailOut(PublicNoticeOut):
    objections: list[NoticeObjectionOut]
    can_answer: bool

    @staticmethod
    def resolve_objections(obj):
        return obj.objection_rows

    @staticmethod
    def resolve_can_answer(obj):
        return obj.answerable


class NoticeFilters(Schema):
    kind: str = ""
    region: str = ""
    q: str = ""
    open: bool = False
    mine: bool = False


class PublicNoticeFilters(Schema):
    kind: str = ""
    region: str = ""
    q: str = ""


class NoticeObjectionIn(Schema):
    text: str


class NoticeAnswerIn(Schema):
    answer: str


def _detail(request, notice):
    notice.objection_rows = selectors.notice_objections(actor=request.user, notice=notice)
    notice.answerable = services.can_answer(request.user, notice)
    return notice


@router.get("/notices", response=list[PublicNoticeOut], operation_id="notices_list")
@paginate(PageNumberPagination, page_size=50)
def notice_list(request, filters: Query[NoticeFilters]):
    return selectors.notices(actor=request.user, region_code=filters.region[:40], kind=filters.kind[:32],
                             q=filters.q.strip()[:100], open_only=filters.open, mine=filters.mine)


@router.get("/public", response=list[PublicNoticeOut], auth=None, operation_id="notices_public_open")
@paginate(PageNumberPagination, page_size=50)
def public_open(request, filters: Query[PublicNoticeFilters]):
    """Notices whose period is running, for anyone (the public board)."""
    return selectors.notices(actor=None, region_code=filters.region[:40], kind=filters.kind[:32],
                             q=filters.q.strip()[:100], open_only=True)


@router.get("/notices/{notice_id}", response=PublicNoticeDetailOut, operation_id="notices_detail")
def notice_detail(request, notice_id: int):
    return _detail(request, selectors.notice_detail(actor=request.user, pk=notice_id))


@router.post("/notices/{notice_id}/objections", response={201: NoticeObjectionOut}, operation_id="notices_objection_submit")
def objection_submit(request, notice_id: int, payload: NoticeObjectionIn):
    notice = selectors.notice_detail(actor=request.user, pk=notice_id)
    return Status(201, services.objection_submit(actor=request.user, notice=notice, text=payload.text[:4000]))


@router.post("/objections/{objection_id}/answer", response=NoticeObjectionOut, operation_id="notices_objection_answer")
def objection_answer(request, objection_id: int, payload: NoticeAnswerIn):
    objection = selectors.objection_to_answer(actor=request.user, pk=objection_id)
    return services.objection_answer(actor=request.user, objection=objection, answer=payload.answer[:4000])
