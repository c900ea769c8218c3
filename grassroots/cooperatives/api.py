"""API: cooperatives, members and their accounts, transactions, the year's plan from the trial to the payout, and
the trial from the file shape of ``grassroots coop_trial`` (the same function)."""

import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from grassroots.core.errors import ValidationFailed
from grassroots.core.pagination import PageNumberPagination

from . import selectors, services
from . import trial as T
from .distribution import DistributionError

router = Router(tags=["cooperatives 合作社"])


class CooperativeOut(Schema):
    id: int
    name: str
    region_code: str
    leading_branch: str | None
    founded_on: dt.date
    greenhouses: int
    cumulative_income: Decimal
    status: str

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code

    @staticmethod
    def resolve_leading_branch(obj):
        return obj.leading_branch.name if obj.leading_branch_id else None


class MemberOut(Schema):
    id: int
    number: int
    code: str
    kind: str
    name: str
    joined_on: dt.date
    left_on: dt.date | None
    extra_votes: int

    @staticmethod
    def resolve_name(obj):
        return obj.display_name


class AccountOut(Schema):
    member: MemberOut
    contribution: Decimal
    shares: Decimal
    reserve_share: Decimal
    subsidy_share: Decimal
    transactions: Decimal


class LineOut(Schema):
    member_id: int
    member_code: str
    contribution: Decimal
    reserve_share: Decimal
    subsidy_share: Decimal
    basis: Decimal
    transactions: Decimal
    refund: Decimal
    by_basis: Decimal
    cash: Decimal
    reserve_share_added: Decimal
    paid_on: dt.date | None

    @staticmethod
    def resolve_member_code(obj):
        return obj.member.code


class PlanOut(Schema):
    id: int
    cooperative_id: int
    year: int
    status: str
    surplus: Decimal
    loss_to_cover: Decimal
    reserve: Decimal
    distributable: Decimal
    refund_total: Decimal
    by_basis_total: Decimal
    assembly_on: dt.date | None
    due_heads: int
    due_votes: int
    present_heads: int
    yes_votes: int
    paid_on: dt.date | None


class PlanDetailOut(PlanOut):
    lines: list[LineOut]


class TrialIn(Schema):
    year: int
    surplus: Decimal
    loss_to_cover: Decimal = Decimal("0")
    income: Decimal = Decimal("0")


class DecideIn(Schema):
    held_on: dt.date | None = None
    present: list[int] = []
    yes: list[int] = []
    note: str = ""


class ActionIn(Schema):
    working_days: int | None = None
    paid_on: dt.date | None = None


class TransactionIn(Schema):
    amount: Decimal
    occurred_on: dt.date | None = None
    member_id: int | None = None
    real_name: str = ""
    product: str = ""


class TransactionOut(Schema):
    id: int
    member_id: int | None
    real_name: str
    occurred_on: dt.date
    product: str
    amount: Decimal


class CoopFilters(Schema):
    q: str = ""


@router.post("/trial", response=dict, operation_id="cooperative_trial")
def trial(request):
    """The trial of a distribution from the ``coop_trial`` file shape (the request body); every error with its
    path in the file."""
    try:
        return T.loads(request.body.decode("utf-8", errors="replace")).run().as_json()
    except T.TrialInvalid as exc:
        raise ValidationFailed("试算数据有误", "The trial data has errors", field="body",
                               details={"errors": [{"path": e.path, "zh": e.zh, "en": e.en} for e in exc.errors]}
                               ) from None
    except DistributionError as exc:
        raise ValidationFailed(exc.zh, exc.en, field="body") from None


@router.get("/", response=list[CooperativeOut], operation_id="cooperative_list")
@paginate(PageNumberPagination, page_size=50)
def coop_list(request, filters: Query[CoopFilters]):
    return selectors.cooperatives(actor=request.user, q=filters.q.strip()[:100])


@router.get("/{coop_id}", response=CooperativeOut, operation_id="cooperative_detail")
def coop_detail(request, coop_id: int):
    return selectors.cooperative(actor=request.user, pk=coop_id)


@router.get("/{coop_id}/members", response=list[MemberOut], operation_id="cooperative_member_list")
@paginate(PageNumberPagination, page_size=100)
def member_list(request, coop_id: int):
    coop = selectors.cooperative(actor=request.user, pk=coop_id)
    return selectors.members(actor=request.user, coop=coop)


@router.get("/members/{member_id}/account", response=AccountOut, operation_id="cooperative_member_account")
def member_account(request, member_id: int):
    member = selectors.member(actor=request.user, pk=member_id)
    return {"member": member, **selectors.account(member)}


@router.post("/{coop_id}/transactions", response={201: TransactionOut}, operation_id="cooperative_transaction_create")
def transaction_create(request, coop_id: int, payload: TransactionIn):
    coop = selectors.cooperative(actor=request.user, pk=coop_id)
    member = selectors.member(actor=request.user, pk=payload.member_id) if payload.member_id else None
    if member is not None and member.cooperative_id != coop.pk:
        raise ValidationFailed("不是本社成员", "Not a member of this cooperative", field="member_id")
    return Status(201, services.transaction_record(
        actor=request.user, coop=coop, member=member, amount=payload.amount, occurred_on=payload.occurred_on,
        real_name=payload.real_name, product=payload.product))


@router.get("/{coop_id}/plans", response=list[PlanOut], operation_id="cooperative_plan_list")
def plan_list(request, coop_id: int):
    coop = selectors.cooperative(actor=request.user, pk=coop_id)
    return list(selectors.plans(actor=request.user, coop=coop)[:100])


@router.post("/{coop_id}/plans", response={201: PlanDetailOut}, operation_id="cooperative_plan_trial")
def plan_trial(request, coop_id: int, payload: TrialIn):
    coop = selectors.cooperative(actor=request.user, pk=coop_id)
    plan = services.plan_trial(actor=request.user, coop=coop, year=payload.year, surplus=payload.surplus,
                               loss_to_cover=payload.loss_to_cover, income=payload.income)
    return Status(201, _plan_detail(request, plan))


def _plan_detail(request, plan):
    plan.lines_list = list(selectors.plan_lines(actor=request.user, plan=plan))
    out = PlanOut.from_orm(plan).dict()
    out["lines"] = plan.lines_list
    return out


@router.get("/plans/{plan_id}", response=PlanDetailOut, operation_id="cooperative_plan_detail")
def plan_detail(request, plan_id: int):
    return _plan_detail(request, selectors.plan(actor=request.user, pk=plan_id))


@router.post("/plans/{plan_id}/decide", response=PlanOut, operation_id="cooperative_plan_decide")
def plan_decide(request, plan_id: int, payload: DecideIn):
    plan = selectors.plan(actor=request.user, pk=plan_id)
    return services.plan_decide(actor=request.user, plan=plan, held_on=payload.held_on, present=payload.present,
                                yes=payload.yes, note=payload.note)


@router.post("/plans/{plan_id}/{verb}", response=PlanOut, operation_id="cooperative_plan_move")
def plan_move(request, plan_id: int, verb: str, payload: ActionIn):
    plan = selectors.plan(actor=request.user, pk=plan_id)
    if verb == "publish":
        return services.plan_publish(actor=request.user, plan=plan, working_days=payload.working_days)
    if verb == "pay":
        return services.plan_pay(actor=request.user, plan=plan, paid_on=payload.paid_on)
    raise ValidationFailed("未知操作", "Unknown action", field="verb")
