"""API of honours under ``/api/party/`` (first segment ``medal50``; operation ids ``party_…``): the same selectors and
services as the pages, the same scope (out of scope: 404)."""

import datetime as dt

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from grassroots.core.api_params import Year
from grassroots.core.pagination import PageNumberPagination, RowList

from . import rules, selectors, services

URL_PREFIX = "/party/"
router = Router(tags=["party honours 表彰"])


class Medal50Row(Schema):
    membership_id: int
    person_id: int
    name: str
    org_id: int
    org_name: str
    admission_date: dt.date
    full_member_date: dt.date
    standing_on_july_first: int = Field(description="到当年7月1日的党龄（整年）/ full years of standing on 1 July")
    award_id: int | None
    award_status: str | None = Field(description="null: 待确认 / not yet confirmed; confirmed, approved, issued")


class MedalAwardOut(Schema):
    id: int
    person_id: int
    name: str
    org_id: int
    year: int
    full_member_date: dt.date
    status: str
    remark: str
    confirmed_at: dt.datetime
    approved_at: dt.datetime | None
    issued_on: dt.date | None
    withdrawn_reason: str


def _award(a) -> dict:
    return {"id": a.pk, "person_id": a.person_id, "name": a.person.name, "org_id": a.org_id, "year": a.year,
            "full_member_date": a.full_member_date, "status": a.status, "remark": a.remark,
            "confirmed_at": a.confirmed_at, "approved_at": a.approved_at, "issued_on": a.issued_on,
            "withdrawn_reason": a.withdrawn_reason}


def _row_of(year: int):
    day = rules.cutoff_day(year)

    def row(m) -> dict:
        return {"membership_id": m.pk, "person_id": m.person_id, "name": m.person.name, "org_id": m.org_id,
                "org_name": m.org.name, "admission_date": m.admission_date, "full_member_date": m.full_member_date,
                "standing_on_july_first": rules.party_standing(m.full_member_date, day), "award_id": m.award_id,
                "award_status": m.award_status}

    return row


@router.get("/medal50", response=list[Medal50Row], operation_id="party_medal50")
@paginate(PageNumberPagination, page_size=200)
def medal50(request, year: Year, status: str = Query("", max_length=16,
                                                      description="pending, confirmed, approved or issued")):
    """The year's 光荣在党50年 list: living full members the caller sees whose standing from the full-member date
    reaches fifty full years by 1 July of ``year``, with the step their award has reached."""
    services._year(year)
    return RowList(selectors.medal_list(actor=request.auth, year=year, status=status), _row_of(year))


class MedalConfirmIn(Schema):
    membership: int
    year: int
    remark: str = Field("", max_length=300)


@router.post("/medal50/awards", response={201: MedalAwardOut}, operation_id="party_medal50_confirm")
def confirm(request, payload: MedalConfirmIn):
    membership = selectors.membership_for_medal(actor=request.auth, pk=payload.membership)
    award = services.medal_confirm(actor=request.auth, membership=membership, year=payload.year,
                                   remark=payload.remark)
    return Status(201, _award(award))


@router.get("/medal50/awards/{award_id}", response=MedalAwardOut, operation_id="party_medal50_award")
def award(request, award_id: int):
    return _award(selectors.award_detail(actor=request.auth, pk=award_id))


@router.post("/medal50/awards/{award_id}/approve", response=MedalAwardOut, operation_id="party_medal50_approve")
def approve(request, award_id: int):
    a = selectors.award_detail(actor=request.auth, pk=award_id)
    return _award(services.medal_approve(actor=request.auth, award=a))


class MedalIssueIn(Schema):
    on: dt.date | None = None


@router.post("/medal50/awards/{award_id}/issue", response=MedalAwardOut, operation_id="party_medal50_issue")
def issue(request, award_id: int, payload: MedalIssueIn):
    a = selectors.award_detail(actor=request.auth, pk=award_id)
    return _award(services.medal_issue(actor=request.auth, award=a, on=payload.on))


class MedalWithdrawIn(Schema):
    reason: str = Field(max_length=300)


@router.post("/medal50/awards/{award_id}/withdraw", response=MedalAwardOut, operation_id="party_medal50_withdraw")
def withdraw(request, award_id: int, payload: MedalWithdrawIn):
    a = selectors.award_detail(actor=request.auth, pk=award_id)
    return _award(services.medal_withdraw(actor=request.auth, award=a, reason=payload.reason))
