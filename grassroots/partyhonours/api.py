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


# --- 两优一先 -------------------------------------------------------------------------------------------------------
class HonourCampaignOut(Schema):
    id: int
    org_id: int
    org_name: str
    year: int
    name: str
    nominate_until: dt.date
    status: str
    quotas: list[dict]

    @staticmethod
    def resolve_org_name(obj):
        return obj.org.name

    @staticmethod
    def resolve_quotas(obj):
        return [{"org_id": q.org_id, "title": q.title, "quota": q.quota} for q in obj.visible_quotas]


class HonourCampaignIn(Schema):
    org_id: int
    year: int
    name: str = Field(max_length=100)
    nominate_until: dt.date
    quotas: dict[str, int]


class HonourQuotaIn(Schema):
    org_id: int
    title: str
    quota: int


class HonourNominationOut(Schema):
    id: int
    campaign_id: int
    title: str
    org_id: int
    person_id: int | None
    person_name: str | None
    nominee_org_id: int | None
    reasons: str
    checks: dict
    status: str
    review_note: str

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name if obj.person_id else None


class HonourNominationIn(Schema):
    title: str
    org_id: int
    reasons: str = Field(max_length=3000)
    person_id: int | None = None
    nominee_org_id: int | None = None


class HonourReviewIn(Schema):
    approve: bool
    note: str = Field("", max_length=300)


class HonourReasonIn(Schema):
    reason: str = Field(max_length=300)


class HonourOut(Schema):
    id: int
    title: str
    year: int
    person_id: int | None
    org_id: int | None
    awarded_by_id: int
    awarded_on: dt.date


def _campaign(request, pk: int):
    campaign = selectors.campaign_detail(actor=request.auth, pk=pk)
    campaign.visible_quotas = list(selectors.quotas(actor=request.auth, campaign=campaign))
    return campaign


@router.get("/honours/campaigns", response=list[HonourCampaignOut], operation_id="party_honour_campaigns")
def campaign_list(request, year: Year | None = None):
    rows = selectors.campaigns(actor=request.auth)
    if year:
        rows = rows.filter(year=year)
    out = list(rows[:200])
    for c in out:
        c.visible_quotas = list(selectors.quotas(actor=request.auth, campaign=c))
    return out


@router.get("/honours/campaigns/{campaign_id}", response=HonourCampaignOut, operation_id="party_honour_campaign")
def campaign_detail(request, campaign_id: int):
    return _campaign(request, campaign_id)


@router.post("/honours/campaigns", response={201: HonourCampaignOut}, operation_id="party_honour_campaign_create")
def campaign_create(request, payload: HonourCampaignIn):
    org = selectors.campaign_org(actor=request.auth, pk=payload.org_id)
    campaign = services.campaign_create(actor=request.auth, org=org, year=payload.year, name=payload.name,
                                        nominate_until=payload.nominate_until, quotas=payload.quotas)
    return Status(201, _campaign(request, campaign.pk))


@router.post("/honours/campaigns/{campaign_id}/quotas", response=HonourCampaignOut,
             operation_id="party_honour_quota_set")
def quota_set(request, campaign_id: int, payload: HonourQuotaIn):
    campaign = selectors.campaign_detail(actor=request.auth, pk=campaign_id)
    org = selectors.hand_down_org(actor=request.auth, campaign=campaign, pk=payload.org_id)
    services.quota_set(actor=request.auth, campaign=campaign, org=org, title=payload.title, quota=payload.quota)
    return _campaign(request, campaign_id)


@router.get("/honours/campaigns/{campaign_id}/nominations", response=list[HonourNominationOut],
            operation_id="party_honour_nominations")
@paginate(PageNumberPagination, page_size=100)
def nomination_list(request, campaign_id: int, status: str = ""):
    campaign = selectors.campaign_detail(actor=request.auth, pk=campaign_id)
    return selectors.nominations(actor=request.auth, campaign=campaign, status=status[:10])


@router.post("/honours/campaigns/{campaign_id}/nominations", response={201: HonourNominationOut},
             operation_id="party_honour_nominate")
def nominate(request, campaign_id: int, payload: HonourNominationIn):
    from grassroots.party import selectors as party_selectors

    campaign = selectors.campaign_detail(actor=request.auth, pk=campaign_id)
    org = party_selectors.org_detail(actor=request.auth, pk=payload.org_id)
    person = (selectors.nominable_person(actor=request.auth, campaign=campaign, pk=payload.person_id)
              if payload.person_id else None)
    nominee = party_selectors.org_detail(actor=request.auth, pk=payload.nominee_org_id) \
        if payload.nominee_org_id else None
    row = services.nomination_create(actor=request.auth, campaign=campaign, title=payload.title, org=org,
                                     reasons=payload.reasons, person=person, nominee_org=nominee)
    return Status(201, row)


@router.post("/honours/nominations/{nomination_id}/review", response=HonourNominationOut,
             operation_id="party_honour_review")
def review(request, nomination_id: int, payload: HonourReviewIn):
    row = selectors.nomination_detail(actor=request.auth, pk=nomination_id)
    return services.nomination_review(actor=request.auth, nomination=row, approve=payload.approve, note=payload.note)


@router.post("/honours/nominations/{nomination_id}/notice", response=HonourNominationOut,
             operation_id="party_honour_notice")
def notice(request, nomination_id: int):
    """Publish the nominee's public notice (公示); objections go through ``/api/notices``."""
    row = selectors.nomination_detail(actor=request.auth, pk=nomination_id)
    return services.nomination_notice(actor=request.auth, nomination=row)


@router.post("/honours/nominations/{nomination_id}/award", response={201: HonourOut},
             operation_id="party_honour_award")
def award_honour(request, nomination_id: int):
    """The award, once the notice period is over with every objection answered."""
    row = selectors.nomination_detail(actor=request.auth, pk=nomination_id)
    return Status(201, services.nomination_award(actor=request.auth, nomination=row))


@router.post("/honours/nominations/{nomination_id}/withdraw", response=HonourNominationOut,
             operation_id="party_honour_withdraw")
def withdraw_nomination(request, nomination_id: int, payload: HonourReasonIn):
    row = selectors.nomination_detail(actor=request.auth, pk=nomination_id)
    return services.nomination_withdraw(actor=request.auth, nomination=row, reason=payload.reason)
