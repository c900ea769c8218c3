"""Dues API under ``/api/party/dues/...`` (``URL_PREFIX``: beside the party register's routes; the first path
segment ``dues`` belongs to this app). Reads go through selectors (out of scope is 404), writes through services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from grassroots.core.api_params import Limit, Offset, Year
from grassroots.core.errors import ValidationFailed
from grassroots.party import selectors as party_selectors

from . import rules, selectors, services
from .states import BillStatus, ReductionStatus

URL_PREFIX = "/party/"
router = Router(tags=["party dues 党费"])

CATEGORY_CODES = "salaried, annual_salary, self_employed, postgraduate, retired, farmer, student, unemployed, " \
                 "relief, low_income"


class QuoteOut(Schema):
    category: str
    rate: str | None = None
    amount: str


class CategoryOut(Schema):
    code: str
    name: str
    basis: str
    brackets: list[dict]
    flat_amount: str | None = None
    flat_min: str | None = None
    flat_max: str | None = None


class BillOut(Schema):
    id: int
    person_id: int
    name: str
    org_id: int
    org_name: str
    month: str
    category: str
    base: str | None = None
    rate: str | None = None
    amount: str
    status: str
    paid_amount: str | None = None
    paid_on: dt.date | None = None
    receipt_no: str = ""


class BillPage(Schema):
    count: int
    items: list[BillOut]


class PayIn(Schema):
    receipt_no: str
    paid_on: dt.date | None = None
    amount: str | None = None


class IssueIn(Schema):
    org_id: int
    month: dt.date


class IssueOut(Schema):
    issued: int


class BaseIn(Schema):
    member_id: int
    category: str
    base: str | None = None
    flat_amount: str | None = None
    valid_from: dt.date
    note: str = ""


class BaseOut(Schema):
    id: int
    person_id: int
    category: str
    base: str | None = None
    flat_amount: str | None = None
    valid_from: dt.date


class ReductionIn(Schema):
    member_id: int
    month_from: dt.date
    month_to: dt.date
    amount: str
    reason: str


class ReductionOut(Schema):
    id: int
    person_id: int
    name: str
    org_id: int
    month_from: dt.date
    month_to: dt.date
    amount: str
    reason: str
    status: str


class SummaryOut(Schema):
    org_id: int
    org_name: str
    members: int
    bills: int
    due: str
    paid: str
    open: str
    open_bills: int
    waived: int


def _money(value) -> str:
    return str(Decimal(value or 0).quantize(rules.FEN))


def _s(value) -> str | None:
    return None if value is None else str(value)


def _bill_out(b) -> dict:
    return {"id": b.pk, "person_id": b.person_id, "name": b.person.name, "org_id": b.org_id, "org_name": b.org.name,
            "month": b.month.strftime("%Y-%m"), "category": b.category.code, "base": _s(b.base), "rate": _s(b.rate),
            "amount": str(b.amount), "status": b.status, "paid_amount": _s(b.paid_amount), "paid_on": b.paid_on,
            "receipt_no": b.receipt_no}


def _reduction_out(r) -> dict:
    return {"id": r.pk, "person_id": r.person_id, "name": r.person.name, "org_id": r.org_id,
            "month_from": r.month_from, "month_to": r.month_to, "amount": str(r.amount), "reason": r.reason,
            "status": r.status}


def _window(offset: int, limit: int) -> tuple[int, int]:
    return offset, offset + limit


@router.get("/dues/quote", response=QuoteOut, operation_id="party_dues_quote",
            summary="党费计算器 / dues calculator",
            description=(
                "What a member of `category` pays a month on `base` (yuan, at most two decimals). "
                f"Categories: {CATEGORY_CODES}. The bracket's rate applies to the whole base, not marginally "
                "(salaried 3000.00 → 15.00, 3000.01 → 30.00). `rate` and `amount` are decimal strings, the amount "
                "with two decimals; `rate` is null for the categories that pay a flat amount (farmers, students, "
                "the unemployed, those on relief or 低保), for which `base` may be left out. An unknown category or "
                "a base that is not a non-negative amount is a 400 naming the field."))
def dues_quote(request: HttpRequest, category: str = "", base: str = ""):
    if not category.strip():
        raise ValidationFailed("请填写党费类别", "The category is required", field="category")
    q = services.quote(category_code=category, base=base)
    return {"category": q.category, "rate": _s(q.rate), "amount": str(q.amount)}


@router.get("/dues/categories", response=list[CategoryOut], operation_id="party_dues_categories")
def dues_categories(request: HttpRequest):
    """The dues categories (policy rows) with their brackets or flat amounts."""
    return [{"code": c.code, "name": c.name, "basis": c.basis, "brackets": c.brackets,
             "flat_amount": _s(c.flat_amount), "flat_min": _s(c.flat_min), "flat_max": _s(c.flat_max)}
            for c in selectors.categories()]


@router.get("/dues/bills", response=BillPage, operation_id="party_dues_bill_list")
def dues_bill_list(request: HttpRequest, org_id: int | None = None, month: dt.date | None = None, status: str = "",
                   q: str = "", offset: Offset = 0, limit: Limit = 50):
    """Bills of the organisations the caller acts for (and the caller's own); ``status`` open, paid or waived."""
    if status and status not in BillStatus.values:
        raise ValidationFailed("状态应为 open、paid 或 waived", "status must be open, paid or waived", field="status")
    org = party_selectors.org_detail(actor=request.auth, pk=org_id) if org_id else None
    qs = selectors.bill_list(actor=request.auth, org=org, month=month.replace(day=1) if month else None,
                             status=status, q=q)
    start, end = _window(offset, limit)
    return {"count": qs.count(), "items": [_bill_out(b) for b in qs[start:end]]}


@router.get("/dues/bills/{int:bill_id}", response=BillOut, operation_id="party_dues_bill_detail")
def dues_bill_detail(request: HttpRequest, bill_id: int):
    return _bill_out(selectors.bill_detail(actor=request.auth, pk=bill_id))


@router.post("/dues/bills/{int:bill_id}/pay", response=BillOut, operation_id="party_dues_bill_pay")
def dues_bill_pay(request: HttpRequest, bill_id: int, payload: PayIn):
    """The branch records a payment with its receipt number."""
    bill = selectors.bill_detail(actor=request.auth, pk=bill_id)
    services.bill_pay(actor=request.auth, bill=bill, receipt_no=payload.receipt_no, paid_on=payload.paid_on,
                      amount=payload.amount)
    return _bill_out(selectors.bill_detail(actor=request.auth, pk=bill_id))


@router.post("/dues/bills/issue", response={201: IssueOut}, operation_id="party_dues_bills_issue")
def dues_bills_issue(request: HttpRequest, payload: IssueIn):
    """Issue a month's bills to the members of an organisation and those under it."""
    org = party_selectors.org_detail(actor=request.auth, pk=payload.org_id)
    return Status(201, {"issued": services.bills_issue(actor=request.auth, org=org, month=payload.month)})


@router.get("/dues/mine", response=list[BillOut], operation_id="party_dues_mine")
def dues_mine(request: HttpRequest):
    """The caller's own bills, newest first."""
    return [_bill_out(b) for b in selectors.my_bills(actor=request.auth)[:120]]


@router.post("/dues/bases", response={201: BaseOut}, operation_id="party_dues_base_set")
def dues_base_set(request: HttpRequest, payload: BaseIn):
    """Set a member's category and base from a month on (history is kept)."""
    member = party_selectors.member_detail(actor=request.auth, pk=payload.member_id)
    category = services.category_for_code(payload.category)
    row = services.base_set(actor=request.auth, person=member.person, category=category, base=payload.base,
                            flat_amount=payload.flat_amount, valid_from=payload.valid_from, note=payload.note)
    return Status(201, {"id": row.pk, "person_id": row.person_id, "category": category.code, "base": _s(row.base),
                        "flat_amount": _s(row.flat_amount), "valid_from": row.valid_from})


@router.get("/dues/reductions", response=list[ReductionOut], operation_id="party_dues_reduction_list")
def dues_reduction_list(request: HttpRequest, status: str = "", offset: Offset = 0, limit: Limit = 50):
    if status and status not in ReductionStatus.values:
        raise ValidationFailed("状态无效", "Unknown status", field="status")
    qs = selectors.reduction_list(actor=request.auth, status=status)
    start, end = _window(offset, limit)
    return [_reduction_out(r) for r in qs[start:end]]


@router.post("/dues/reductions", response={201: ReductionOut}, operation_id="party_dues_reduction_propose")
def dues_reduction_propose(request: HttpRequest, payload: ReductionIn):
    """The branch proposes a reduction for hardship (the upper committee approves)."""
    member = party_selectors.member_detail(actor=request.auth, pk=payload.member_id)
    row = services.reduction_propose(actor=request.auth, person=member.person, month_from=payload.month_from,
                                     month_to=payload.month_to, amount=payload.amount, reason=payload.reason)
    return Status(201, _reduction_out(selectors.reduction_detail(actor=request.auth, pk=row.pk)))


@router.post("/dues/reductions/{int:reduction_id}/{decision}", response=ReductionOut,
             operation_id="party_dues_reduction_decide")
def dues_reduction_decide(request: HttpRequest, reduction_id: int, decision: str):
    """``approve`` or ``reject`` (the committee above the branch)."""
    if decision not in ("approve", "reject"):
        raise ValidationFailed("应为 approve 或 reject", "Use approve or reject", field="decision")
    row = selectors.reduction_detail(actor=request.auth, pk=reduction_id)
    services.reduction_decide(actor=request.auth, reduction=row, approve=decision == "approve")
    return _reduction_out(selectors.reduction_detail(actor=request.auth, pk=reduction_id))


@router.get("/dues/summary", response=list[SummaryOut], operation_id="party_dues_summary")
def dues_summary(request: HttpRequest, year: Year, org_id: int | None = None):
    """Yearly summary per organisation: members billed, due, paid, open, waived."""
    org = party_selectors.org_detail(actor=request.auth, pk=org_id) if org_id else None
    return [{"org_id": r["org_id"], "org_name": r["org__name"], "members": r["members"], "bills": r["bills"],
             "due": _money(r["due"]), "paid": _money(r["paid"]), "open": _money(r["open"]),
             "open_bills": r["open_bills"], "waived": r["waived"]}
            for r in selectors.yearly_summary(actor=request.auth, year=year, org=org)]
