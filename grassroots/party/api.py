"""Party API: organisation tree, list and detail; members; member and unit report-ins; liaisons.

Every operation reads through selectors (out of scope is 404) and writes through services.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from grassroots.core import clock
from grassroots.core.api_params import Limit, Offset
from grassroots.core.errors import ValidationFailed

from . import selectors, services
from .models import MembershipStatus

router = Router(tags=["party"])
MAX_LIMIT = 200


class OrgOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    parent_id: int | None = None
    path: str
    region_code: str | None = None
    region_name: str | None = None
    organization_id: int | None = None
    organization_name: str | None = None
    member_count: int = 0
    full_count: int = 0
    flagged: bool = False


class OrgDetailOut(OrgOut):
    secretary_name: str | None = None
    founded_on: dt.date | None = None
    term_end: dt.date | None = None
    linked_organizations: list[str] = []
    children: list[OrgOut] = []


class OrgPage(Schema):
    count: int
    items: list[OrgOut]


class TreeNode(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    member_count: int
    full_count: int
    flagged: bool
    region: str = ""
    children: list[TreeNode] = []


TreeNode.model_rebuild()


class MemberOut(Schema):
    id: int
    person_id: int
    name: str
    org_id: int
    org_name: str
    status: str
    admission_date: dt.date
    full_member_date: dt.date | None = None
    party_age_years: int | None = None
    in_service: bool
    employer_name: str | None = None
    active: bool
    start_date: dt.date
    end_date: dt.date | None = None


class MemberPage(Schema):
    count: int
    items: list[MemberOut]


class ReportInOut(Schema):
    id: int
    person_id: int
    name: str
    employer_name: str | None = None
    community_code: str
    community_name: str
    grid_code: str | None = None
    reported_on: dt.date
    status: str
    ended_on: dt.date | None = None
    claim_count: int = 0
    hours_total: float = 0


class ReportInPage(Schema):
    count: int
    items: list[ReportInOut]


class ReportInIn(Schema):
    membership_id: int
    community_code: str
    grid_code: str | None = None
    reported_on: dt.date | None = None


class OrgReportInOut(Schema):
    id: int
    party_org_id: int | None = None
    party_org_name: str | None = None
    organization_id: int | None = None
    organization_name: str | None = None
    community_code: str
    community_name: str
    reported_on: dt.date
    status: str
    needs: list[str]
    pledges: list[str]


class OrgReportInPage(Schema):
    count: int
    items: list[OrgReportInOut]


class LiaisonOut(Schema):
    id: int
    kind: str
    kind_label: str
    contact_name: str
    organization_name: str | None = None
    target_name: str
    region_code: str | None = None
    compound_code: str | None = None
    start_date: dt.date
    end_date: dt.date | None = None


class LiaisonPage(Schema):
    count: int
    items: list[LiaisonOut]


def _window(offset: int, limit: int) -> tuple[int, int]:
    offset = max(0, offset)
    return offset, offset + max(1, min(limit, MAX_LIMIT))


def _org_out(org) -> dict:
    return {"id": org.pk, "code": org.code, "name": org.name, "kind": org.kind,
            "kind_label": str(org.get_kind_display()), "parent_id": org.parent_id, "path": org.path,
            "region_code": org.region.code if org.region_id else None,
            "region_name": org.region.name if org.region_id else None, "organization_id": org.organization_id,
            "organization_name": org.organization.name if org.organization_id else None,
            "member_count": getattr(org, "member_count", 0), "full_count": getattr(org, "full_count", 0),
            "flagged": selectors.is_flagged(org)}


def _member_out(m, today) -> dict:
    return {"id": m.pk, "person_id": m.person_id, "name": m.person.name, "org_id": m.org_id, "org_name": m.org.name,
            "status": m.status, "admission_date": m.admission_date, "full_member_date": m.full_member_date,
            "party_age_years": m.party_age_years(on=today), "in_service": m.in_service,
            "employer_name": m.employer.name if m.employer_id else None, "active": m.active,
            "start_date": m.start_date, "end_date": m.end_date}


def _report_in_out(r) -> dict:
    return {"id": r.pk, "person_id": r.person_id, "name": r.person.name,
            "employer_name": r.employer.name if r.employer_id else None, "community_code": r.community.code,
            "community_name": r.community.name, "grid_code": r.grid.code if r.grid_id else None,
            "reported_on": r.reported_on, "status": r.status, "ended_on": r.ended_on,
            "claim_count": getattr(r, "claim_count", 0) or 0, "hours_total": float(getattr(r, "hours_total", 0) or 0)}


def _org_report_in_out(r) -> dict:
    return {"id": r.pk, "party_org_id": r.party_org_id, "party_org_name": r.party_org.name if r.party_org_id else None,
            "organization_id": r.organization_id,
            "organization_name": r.organization.name if r.organization_id else None,
            "community_code": r.community.code, "community_name": r.community.name, "reported_on": r.reported_on,
            "status": r.status, "needs": list(r.needs or []), "pledges": list(r.pledges or [])}


def _liaison_out(row) -> dict:
    target = row.target
    return {"id": row.pk, "kind": row.kind, "kind_label": str(row.get_kind_display()),
            "contact_name": row.contact_name, "organization_name": row.organization.name if row.organization_id
            else None, "target_name": target.name if target else "",
            "region_code": row.region.code if row.region_id else None,
            "compound_code": row.compound.code if row.compound_id else None, "start_date": row.start_date,
            "end_date": row.end_date}


# ----------------------------------------------------------------------------------------------- organisations

@router.get("/orgs/tree", response=list[TreeNode], operation_id="party_org_tree")
def org_tree(request: HttpRequest):
    """Visible party organisations as a tree, with subtree member counts and the <3-full-members flag."""
    return selectors.org_tree(actor=request.auth)


@router.get("/orgs", response=OrgPage, operation_id="party_org_list")
def org_list(request: HttpRequest, kind: str = "", q: str = "", flagged: bool | None = None, offset: Offset = 0,
             limit: Limit = 50):
    qs = selectors.org_list(actor=request.auth, kind=kind, q=q, flagged=flagged)
    start, end = _window(offset, limit)
    return {"count": qs.count(), "items": [_org_out(o) for o in qs[start:end]]}


@router.get("/orgs/{int:org_id}", response=OrgDetailOut, operation_id="party_org_detail")
def org_detail(request: HttpRequest, org_id: int):
    org = selectors.org_detail(actor=request.auth, pk=org_id)
    body = _org_out(org)
    body.update(secretary_name=org.secretary.name if org.secretary_id else None, founded_on=org.founded_on,
                term_end=org.term_end, linked_organizations=[o.name for o in org.linked_organizations.all()],
                children=[_org_out(c) for c in selectors.org_children(actor=request.auth, org=org)])
    return body


# ----------------------------------------------------------------------------------------------- members

@router.get("/members", response=MemberPage, operation_id="party_member_list")
def member_list(request: HttpRequest, org_id: int | None = None, q: str = "", status: str = "",
                in_service: bool | None = None, flagged: bool | None = None, offset: Offset = 0, limit: Limit = 50):
    org = selectors.org_detail(actor=request.auth, pk=org_id) if org_id else None
    if status and status not in MembershipStatus.values:
        raise ValidationFailed("党员状态应为 probationary 或 full", "status must be probationary or full",
                               field="status")
    qs = selectors.member_list(actor=request.auth, org=org, q=q, status=status, in_service=in_service,
                               flagged=flagged)
    start, end = _window(offset, limit)
    today = clock.today()
    return {"count": qs.count(), "items": [_member_out(m, today) for m in qs[start:end]]}


@router.get("/members/{int:member_id}", response=MemberOut, operation_id="party_member_detail")
def member_detail(request: HttpRequest, member_id: int):
    return _member_out(selectors.member_detail(actor=request.auth, pk=member_id), clock.today())


# ----------------------------------------------------------------------------------------------- report-ins

@router.get("/report-ins", response=ReportInPage, operation_id="party_report_in_list")
def report_in_list(request: HttpRequest, community_code: str | None = None, q: str = "", status: str = "",
                   offset: Offset = 0, limit: Limit = 50):
    community = selectors.community_by_code(actor=request.auth, code=community_code) if community_code else None
    qs = selectors.report_in_list(actor=request.auth, community=community, q=q, status=status)
    start, end = _window(offset, limit)
    return {"count": qs.count(), "items": [_report_in_out(r) for r in qs[start:end]]}


@router.post("/report-ins", response={201: ReportInOut}, operation_id="party_report_in_create")
def report_in_create(request: HttpRequest, payload: ReportInIn):
    """双报到: an in-service member (themselves, or community staff for them) reports to their home community."""
    membership = selectors.member_detail(actor=request.auth, pk=payload.membership_id)
    community = _community_any(request.auth, payload.community_code)
    grid = _grid_in(community, payload.grid_code) if payload.grid_code else None
    row = services.report_in_create(actor=request.auth, membership=membership, community=community, grid=grid,
                                    reported_on=payload.reported_on)
    return Status(201, _report_in_out(selectors.report_in_detail(actor=request.auth, pk=row.pk)))


def _community_any(actor, code: str):
    """A member reports to the community they live in, which may lie outside any post of theirs."""
    community = selectors.report_in_community(actor=actor, code=code)
    if community is None:
        raise ValidationFailed("社区编码不存在", "Unknown community code", field="community_code")
    return community


def _grid_in(community, code: str):
    grid = selectors.grid_of_community(community=community, code=code)
    if grid is None:
        raise ValidationFailed("下沉网格必须是该社区的网格", "The grid must be a grid of this community",
                               field="grid_code")
    return grid


@router.get("/org-report-ins", response=OrgReportInPage, operation_id="party_org_report_in_list")
def org_report_in_list(request: HttpRequest, community_code: str | None = None, q: str = "", status: str = "",
                       offset: Offset = 0, limit: Limit = 50):
    community = selectors.community_by_code(actor=request.auth, code=community_code) if community_code else None
    qs = selectors.org_report_in_list(actor=request.auth, community=community, q=q, status=status)
    start, end = _window(offset, limit)
    return {"count": qs.count(), "items": [_org_report_in_out(r) for r in qs[start:end]]}


@router.get("/org-report-ins/{int:row_id}", response=OrgReportInOut, operation_id="party_org_report_in_detail")
def org_report_in_detail(request: HttpRequest, row_id: int):
    return _org_report_in_out(selectors.org_report_in_detail(actor=request.auth, pk=row_id))


# ----------------------------------------------------------------------------------------------- liaisons

@router.get("/liaisons", response=LiaisonPage, operation_id="party_liaison_list")
def liaison_list(request: HttpRequest, kind: str = "", current: bool | None = True, q: str = "", offset: Offset = 0,
                 limit: Limit = 50):
    qs = selectors.liaison_list(actor=request.auth, kind=kind, current=current, q=q)
    start, end = _window(offset, limit)
    return {"count": qs.count(), "items": [_liaison_out(r) for r in qs[start:end]]}


# ----------------------------------------------------------------------------------------------- transfers

class TransferOut(Schema):
    id: int
    kind: str
    status: str
    person_id: int
    name: str
    from_org_id: int | None = None
    to_org_id: int | None = None
    outside_org: str = ""
    letter_no: str
    issued_on: dt.date
    valid_until: dt.date
    received_on: dt.date | None = None
    expired: bool = False


class TransferIn(Schema):
    member_id: int
    to_org_id: int | None = None
    outside_org: str = ""
    on: dt.date | None = None
    note: str = ""


def _transfer_out(t) -> dict:
    return {"id": t.pk, "kind": t.kind, "status": t.status, "person_id": t.person_id, "name": t.person.name,
            "from_org_id": t.from_org_id, "to_org_id": t.to_org_id, "outside_org": t.outside_org,
            "letter_no": t.letter_no, "issued_on": t.issued_on, "valid_until": t.valid_until,
            "received_on": t.received_on, "expired": t.expired(clock.today())}


@router.get("/transfers", response=list[TransferOut], operation_id="party_transfer_list")
def transfer_list(request: HttpRequest, status: str = "", kind: str = "", to_receive: bool = False,
                  offset: Offset = 0, limit: Limit = 50):
    """组织关系转接 sent from or received into the caller's organisations (a member's own)."""
    qs = selectors.transfer_list(actor=request.auth, status=status, kind=kind, to_receive=to_receive)
    start, end = _window(offset, limit)
    return [_transfer_out(t) for t in qs[start:end]]


@router.get("/transfers/{int:transfer_id}", response=TransferOut, operation_id="party_transfer_detail")
def transfer_detail(request: HttpRequest, transfer_id: int):
    return _transfer_out(selectors.transfer_detail(actor=request.auth, pk=transfer_id))


@router.post("/transfers", response={201: TransferOut}, operation_id="party_transfer_issue")
def transfer_issue(request: HttpRequest, payload: TransferIn):
    """Issue a transfer: to an organisation on the platform (``to_org_id``; received by it) or out of the platform
    (``outside_org``; an introduction letter valid three months)."""
    membership = selectors.member_detail(actor=request.auth, pk=payload.member_id)
    to_org = selectors.receiving_orgs(actor=request.auth).filter(pk=payload.to_org_id).first() \
        if payload.to_org_id else None
    if payload.to_org_id and to_org is None:
        raise ValidationFailed("接收党组织不存在", "No such receiving organisation", field="to_org_id")
    row = services.transfer_issue(actor=request.auth, membership=membership, to_org=to_org,
                                  outside_org=payload.outside_org, on=payload.on, note=payload.note)
    return Status(201, _transfer_out(selectors.transfer_detail(actor=request.auth, pk=row.pk)))


@router.post("/transfers/{int:transfer_id}/receive", response=TransferOut, operation_id="party_transfer_receive")
def transfer_receive(request: HttpRequest, transfer_id: int):
    """The receiving side takes the member in (refused once the letter has expired)."""
    row = selectors.transfer_detail(actor=request.auth, pk=transfer_id)
    services.transfer_receive(actor=request.auth, transfer=row)
    return _transfer_out(selectors.transfer_detail(actor=request.auth, pk=transfer_id))


class TransferInIn(Schema):
    id_number: str
    to_org_id: int
    outside_org: str
    letter_no: str
    letter_issued_on: dt.date
    status: str
    admission_date: dt.date
    full_member_date: dt.date | None = None


@router.post("/transfers/in", response={201: TransferOut}, operation_id="party_transfer_in")
def transfer_in(request: HttpRequest, payload: TransferInIn):
    """A member coming from outside the platform, on an introduction letter still valid (three months)."""
    person = selectors.person_by_id_number(actor=request.auth, id_number=payload.id_number)
    to_org = selectors.org_detail(actor=request.auth, pk=payload.to_org_id)
    row = services.transfer_in(actor=request.auth, person=person, to_org=to_org, outside_org=payload.outside_org,
                               letter_no=payload.letter_no, letter_issued_on=payload.letter_issued_on,
                               status=payload.status, admission_date=payload.admission_date,
                               full_member_date=payload.full_member_date)
    return Status(201, _transfer_out(selectors.transfer_detail(actor=request.auth, pk=row.pk)))
