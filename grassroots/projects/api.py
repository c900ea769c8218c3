"""API: micro-projects (public summaries), each fund's public ledger (summary and entries), volunteer leaderboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from grassroots.core.pagination import PageNumberPagination

from . import selectors

router = Router(tags=["projects 微项目与社区基金"])


class ProjectOut(Schema):
    id: int
    title: str
    community_code: str
    community_name: str
    status: str
    status_label: str
    budget_total: Decimal
    approved_amount: Decimal
    disbursed_total: Decimal
    progress: int
    topic_id: int | None

    @staticmethod
    def resolve_community_code(obj):
        return obj.community.code

    @staticmethod
    def resolve_community_name(obj):
        return obj.community.name

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class ProjectDetailOut(ProjectOut):
    goals: str
    activities: str
    beneficiaries: str
    beneficiary_count: int


class MonthOut(Schema):
    month: dt.date
    income: Decimal
    spending: Decimal


class ProjectSpendOut(Schema):
    id: int
    title: str
    approved_amount: Decimal
    disbursed_total: Decimal


class FundSummaryOut(Schema):
    community_code: str
    name: str
    balance: Decimal
    donations_total: Decimal
    disbursed_total: Decimal
    entry_count: int
    months: list[MonthOut]
    by_donor_kind: dict[str, Decimal]
    by_project: list[ProjectSpendOut]


class EntryOut(Schema):
    id: int
    receipt_no: str
    kind: str
    amount: Decimal
    balance_after: Decimal
    recorded_at: dt.datetime
    donor: str
    purpose: str
    project_id: int | None


class EntryPageOut(Schema):
    count: int = Field(description="台账笔数 / entries in the ledger")
    items: list[EntryOut]
    next: str | None = Field(description="下一页（更早的记录）的游标 / cursor of the next, older page; null on the last page")
    previous: str | None = Field(description="上一页的游标 / cursor of the previous, newer page; null on the first page")


class CommunityHoursOut(Schema):
    community_code: str
    community_name: str
    hours: Decimal
    people: int


class IndividualOut(Schema):
    name: str
    community: str
    hours: Decimal
    talent: str


class LeaderboardOut(Schema):
    ranked: bool
    communities: list[CommunityHoursOut]
    individuals: list[IndividualOut]


@router.get("/projects", response=list[ProjectOut], operation_id="projects_project_list")
@paginate(PageNumberPagination, page_size=50)
def project_list(request, status: str = "", community: str = "", q: str = ""):
    return selectors.projects(actor=request.user, status=status, community_code=community, q=q)


@router.get("/projects/{project_id}", response=ProjectDetailOut, operation_id="projects_project_detail")
def project_detail(request, project_id: int):
    return selectors.project_detail(actor=request.user, pk=project_id)


@router.get("/funds/{community_code}", response=FundSummaryOut, operation_id="projects_fund_summary", auth=None)
def fund_summary(request, community_code: str):
    fund = selectors.fund_public(actor=request.user, community_code=community_code)
    s = selectors.fund_summary(actor=request.user, fund=fund)
    return {"community_code": fund.region.code, "name": fund.name, "balance": fund.balance,
            "donations_total": fund.donations_total, "disbursed_total": fund.disbursed_total,
            "entry_count": fund.entry_count, "months": s["months"], "by_donor_kind": s["by_donor"],
            "by_project": s["by_project"]}


@router.get("/funds/{community_code}/entries", response=EntryPageOut, operation_id="projects_fund_entries", auth=None)
def fund_entries(request, community_code: str,
                 cursor: str = Query("", max_length=512, description="上一答复的 next / previous；首页留空 / from the "
                                     "previous answer's next or previous; empty for the first page")):
    """The public ledger, newest first, 50 entries a page, paged by cursor (the last page costs what the first does)."""
    fund = selectors.fund_public(actor=request.user, community_code=community_code)
    p = selectors.ledger_page(actor=request.user, fund=fund, cursor=cursor, per_page=50)
    return {"count": fund.entry_count, "items": [selectors.public_entry(e) for e in p], "next": p.next,
            "previous": p.previous}


@router.get("/volunteers/leaderboard", response=LeaderboardOut, operation_id="projects_volunteer_leaderboard")
def volunteer_leaderboard(request, community: str = ""):
    board = selectors.leaderboard(actor=request.user, community_code=community)
    return {"ranked": board["ranked"], "individuals": board["individuals"],
            "communities": [{"community_code": c["community__code"], "community_name": c["community__name"],
                             "hours": c["hours"] or 0, "people": c["people"]} for c in board["communities"]]}
