"""Dues writers: a member's category and base, the monthly bills, the branch's payment records and the reductions
the upper committee approves. Each is one transaction with an Event; bill and reduction moves compare-and-set
along ``states.TRANSITIONS``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction

from grassroots.core import bulk, clock, events
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.scope import PATH_END
from grassroots.core.transitions import compare_and_set
from grassroots.party.models import Membership

from . import permissions, rules, states
from .models import DuesBase, DuesBill, DuesCategory, DuesReduction
from .states import BillStatus, ReductionStatus

# Back-payment of missed months is allowed for at most six months (中组发〔2008〕3号).
MAX_BACK_MONTHS = 6


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    y, m = divmod(month.year * 12 + month.month - 1 + n, 12)
    return dt.date(y, m + 1, 1)


def _deny():
    raise NotPermitted("您无权管理该党组织的党费", "You may not manage this organisation's dues")


def _move(model, pk, verb: str, **fields):
    m = states.move(verb)
    compare_and_set(model, pk, from_states=m.sources, to_state=m.target, labels=states.labels(verb), **fields)
    return m


def _membership(person_id: int) -> Membership:
    membership = Membership.objects.filter(person_id=person_id, active=True).select_related("org").first()
    if membership is None:
        raise ValidationFailed("该人员没有当前的党组织关系", "This person has no active membership", field="person")
    return membership


def base_set(*, actor, person, category: DuesCategory, base=None, flat_amount=None, valid_from: dt.date,
             note: str = "") -> DuesBase:
    """Set a member's category and base from ``valid_from``'s month on (history kept: a new row per change)."""
    membership = _membership(person.pk)
    if not permissions.can_manage(actor, membership.org):
        _deny()
    if not category.active:
        raise ValidationFailed("该党费类别已停用", "This dues category is no longer used", field="category")
    if category.is_flat:
        base = None
        flat_amount = rules.parse_amount(flat_amount, field="flat_amount") if flat_amount not in (None, "") else None
        rules.check_flat(category, flat_amount)
    else:
        base = rules.parse_amount(base, field="base")
        flat_amount = None
    valid_from = first_of_month(valid_from)
    with transaction.atomic():
        row, _ = DuesBase.objects.update_or_create(person=person, valid_from=valid_from, defaults={
            "category": category, "base": base, "flat_amount": flat_amount, "set_by": actor, "note": note[:200]})
        events.record(actor, "dues_base.set", row, payload={
            "person": person.pk, "category": category.code, "base": str(base) if base is not None else None,
            "flat_amount": str(flat_amount) if flat_amount is not None else None,
            "valid_from": valid_from.isoformat()})
    return row


def _reductions(person_ids, month) -> dict[int, Decimal]:
    rows = DuesReduction.objects.filter(person_id__in=person_ids, status=ReductionStatus.APPROVED,
                                        month_from__lte=month, month_to__gte=month).values_list("person_id", "amount")
    out: dict[int, Decimal] = {}
    for pid, amount in rows:
        out[pid] = min(amount, out.get(pid, amount))
    return out


def bills_issue(*, actor, org, month: dt.date) -> int:
    """Issue the month's bill to every active member of ``org`` and the organisations under it who has a base and
    was admitted by then (预备党员 pay from the branch vote, their admission date). A member's existing bill for
    the month is kept. Returns the number of new bills."""
    if not permissions.can_manage(actor, org):
        _deny()
    month = first_of_month(month)
    if month > first_of_month(clock.today()):
        raise ValidationFailed("不能提前生成以后月份的账单", "Bills for future months cannot be issued", field="month")
    end = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    in_tree = Membership.objects.filter(active=True, org__path__gte=org.path, org__path__lt=org.path + PATH_END,
                                        admission_date__lt=end)
    members = list(in_tree.values_list("person_id", "org_id"))
    if not members:
        return 0
    person_ids = in_tree.values("person_id")  # a subquery: no list of tens of thousands of ids in the SQL
    done = set(DuesBill.objects.filter(person_id__in=person_ids, month=month).values_list("person_id", flat=True))
    bases: dict[int, tuple] = {}
    categories = {c.pk: c for c in DuesCategory.objects.all()}
    # Plain tuples, not model instances: the latest row of each person wins.
    for person_id, category_id, base, flat in (
            DuesBase.objects.filter(person_id__in=person_ids, valid_from__lte=month)
            .order_by("person_id", "valid_from", "pk").values_list("person_id", "category_id", "base", "flat_amount")
            .iterator(chunk_size=5000)):
        bases[person_id] = (category_id, base, flat)
    reduced = _reductions(person_ids, month)
    bills, stamp = [], clock.now()
    for person_id, org_id in members:
        if person_id in done or person_id not in bases:
            continue
        category_id, base, flat = bases[person_id]
        quote = rules.monthly_amount(categories[category_id], base, flat)
        amount = min(quote.amount, reduced[person_id]) if person_id in reduced else quote.amount
        bills.append(DuesBill(person_id=person_id, org_id=org_id, month=month, category_id=category_id,
                              base=base, rate=quote.rate, amount=amount, created_at=stamp, updated_at=stamp,
                              status=BillStatus.WAIVED if amount == 0 else BillStatus.OPEN))
    try:
        with transaction.atomic():
            # COPY on PostgreSQL. Bills already there were left out above; one written meanwhile by a concurrent
            # issue for an overlapping tree breaks the unique (person, month) and the whole issue is refused.
            bulk.insert_many(DuesBill, bills)
            events.record(actor, "dues_bill.issue", org, to_state=BillStatus.OPEN, payload={
                "month": month.isoformat(), "bills": len(bills)})
    except IntegrityError:
        raise Conflict("同时有其他人在生成本月账单，请稍后重试",
                       "Bills for this month are being issued by someone else at the same time; try again",
                       code="state_conflict") from None
    return len(bills)


def bill_pay(*, actor, bill: DuesBill, receipt_no: str, paid_on: dt.date | None = None,
             amount=None) -> DuesBill:
    """The branch records a payment with its receipt number. Paying more is allowed, less is not (a reduction is
    approved instead); a month is paid at most six months late only with the branch's approval of back-payment,
    which recording it here is."""
    if not permissions.can_manage(actor, bill.org):
        _deny()
    receipt_no = (receipt_no or "").strip()
    if not receipt_no:
        raise ValidationFailed("请填写收据号", "The receipt number is required", field="receipt_no")
    paid_on = paid_on or clock.today()
    if paid_on > clock.today():
        raise ValidationFailed("交纳日期不能晚于今天", "The payment date cannot be in the future", field="paid_on")
    if paid_on < bill.month:
        raise ValidationFailed("不能预交以后月份的党费", "Dues cannot be paid in advance", field="paid_on")
    paid = bill.amount if amount in (None, "") else rules.parse_amount(amount, field="amount")
    if paid < bill.amount:
        raise ValidationFailed(f"实交金额不能少于应交金额 {bill.amount} 元",
                               f"The amount paid cannot be less than the {bill.amount} due", field="amount")
    if DuesBill.objects.filter(org_id=bill.org_id, receipt_no=receipt_no).exclude(pk=bill.pk).exists():
        raise ValidationFailed("该收据号已使用", "This receipt number is already used", field="receipt_no")
    with transaction.atomic():
        m = _move(DuesBill, bill.pk, "dues_bill.pay", paid_amount=paid, paid_on=paid_on, receipt_no=receipt_no[:40],
                  recorded_by=actor)
        events.record(actor, m.verb, bill, from_state=BillStatus.OPEN, to_state=m.target,
                      payload={"receipt_no": receipt_no, "amount": str(paid), "paid_on": paid_on.isoformat()})
    bill.refresh_from_db()
    return bill


def reduction_propose(*, actor, person, month_from: dt.date, month_to: dt.date, amount, reason: str) -> DuesReduction:
    membership = _membership(person.pk)
    if not permissions.can_manage(actor, membership.org):
        _deny()
    month_from, month_to = first_of_month(month_from), first_of_month(month_to)
    if month_to < month_from:
        raise ValidationFailed("截止月份不能早于起始月份", "The last month cannot precede the first", field="month_to")
    amount = rules.parse_amount(amount, field="amount")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请说明困难情况", "Give the reason (the hardship)", field="reason")
    with transaction.atomic():
        row = DuesReduction.objects.create(person=person, org=membership.org, month_from=month_from,
                                           month_to=month_to, amount=amount, reason=reason[:300], proposed_by=actor)
        events.record(actor, "dues_reduction.propose", row, to_state=ReductionStatus.PROPOSED,
                      payload={"amount": str(amount), "from": month_from.isoformat(), "to": month_to.isoformat()})
    return row


def reduction_decide(*, actor, reduction: DuesReduction, approve: bool) -> DuesReduction:
    """The upper committee approves (open bills of the months are reduced; to nothing: waived) or rejects."""
    if not permissions.can_approve_reduction(actor, reduction.org):
        raise NotPermitted("减免由上级党委审批", "A reduction is approved by the committee above the branch")
    verb = "dues_reduction.approve" if approve else "dues_reduction.reject"
    with transaction.atomic():
        m = _move(DuesReduction, reduction.pk, verb, decided_by=actor, decided_at=clock.now())
        if approve:
            open_bills = DuesBill.objects.filter(person_id=reduction.person_id, status=BillStatus.OPEN,
                                                 month__gte=reduction.month_from, month__lte=reduction.month_to,
                                                 amount__gt=reduction.amount)
            if reduction.amount == 0:
                open_bills.update(amount=Decimal("0.00"), status=BillStatus.WAIVED)
            else:
                open_bills.update(amount=reduction.amount)
        events.record(actor, m.verb, reduction, from_state=ReductionStatus.PROPOSED, to_state=m.target)
    reduction.refresh_from_db()
    return reduction


def category_for_code(code: str) -> DuesCategory:
    category = DuesCategory.objects.filter(code=(code or "").strip(), active=True).first()
    if category is None:
        raise ValidationFailed("未知的党费类别", "Unknown dues category", field="category")
    return category


def quote(*, category_code: str, base) -> rules.Quote:
    """The calculator: what a member of the category pays a month on ``base`` (ignored for flat categories)."""
    category = category_for_code(category_code)
    if category.is_flat:
        return rules.monthly_amount(category, None)
    return rules.monthly_amount(category, rules.parse_amount(base))

