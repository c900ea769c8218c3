import datetime as dt
from decimal import Decimal

import pytest

from grassroots.core import clock
from grassroots.core.errors import NotPermitted, ValidationFailed
from grassroots.partydues import selectors, services
from grassroots.partydues.models import DuesBill, DuesCategory
from grassroots.partydues.states import BillStatus, ReductionStatus
from tests.support.party import add_members


@pytest.fixture
def dues(party, frozen_now):
    members = add_members(party.g1, 3)
    salaried = DuesCategory.objects.get(code="salaried")
    farmer = DuesCategory.objects.get(code="farmer")
    services.base_set(actor=None, person=members[0].person, category=salaried, base="3000.01",
                      valid_from=dt.date(2026, 1, 1))
    services.base_set(actor=None, person=members[1].person, category=farmer, flat_amount="0.50",
                      valid_from=dt.date(2026, 1, 1))
    return members


def test_last_paid_months(dues, party):
    a, b, c = (m.person_id for m in dues)
    assert selectors.last_paid_months([a, b, c]) == {a: None, b: None, c: None}
    for month in (dt.date(2026, 3, 1), dt.date(2026, 4, 1)):
        services.bills_issue(actor=None, org=party.c1, month=month)
    bills = {(x.person_id, x.month): x for x in DuesBill.objects.all()}
    services.bill_pay(actor=None, bill=bills[(a, dt.date(2026, 3, 1))], receipt_no="R1")
    services.bill_pay(actor=None, bill=bills[(a, dt.date(2026, 4, 1))], receipt_no="R2")
    services.bill_pay(actor=None, bill=bills[(b, dt.date(2026, 3, 1))], receipt_no="R3")
    assert selectors.last_paid_months([a, b, c]) == {a: dt.date(2026, 4, 1), b: dt.date(2026, 3, 1), c: None}


def test_bills_use_the_base_of_the_month_and_skip_members_without_one(dues, party):
    a = dues[0].person
    services.base_set(actor=None, person=a, category=DuesCategory.objects.get(code="salaried"), base="12000",
                      valid_from=dt.date(2026, 6, 15))
    assert services.bills_issue(actor=None, org=party.g1, month=dt.date(2026, 5, 1)) == 2
    assert services.bills_issue(actor=None, org=party.g1, month=dt.date(2026, 5, 1)) == 0  # kept, not doubled
    services.bills_issue(actor=None, org=party.g1, month=dt.date(2026, 6, 1))
    amounts = dict(DuesBill.objects.filter(person=a).values_list("month", "amount"))
    assert amounts == {dt.date(2026, 5, 1): Decimal("30.00"), dt.date(2026, 6, 1): Decimal("240.00")}
    farmer_bill = DuesBill.objects.get(person=dues[1].person, month=dt.date(2026, 5, 1))
    assert farmer_bill.amount == Decimal("0.50") and farmer_bill.rate is None


def test_no_bills_for_future_months(dues, party):
    with pytest.raises(ValidationFailed):
        services.bills_issue(actor=None, org=party.g1, month=services.add_months(clock.today(), 1))


def test_payment_needs_a_unique_receipt_and_the_full_amount(dues, party):
    services.bills_issue(actor=None, org=party.g1, month=dt.date(2026, 3, 1))
    services.bills_issue(actor=None, org=party.g1, month=dt.date(2026, 4, 1))
    b1, b2 = DuesBill.objects.filter(person=dues[0].person).order_by("month")
    with pytest.raises(ValidationFailed):
        services.bill_pay(actor=None, bill=b1, receipt_no="")
    with pytest.raises(ValidationFailed):
        services.bill_pay(actor=None, bill=b1, receipt_no="R1", amount="29.99")
    services.bill_pay(actor=None, bill=b1, receipt_no="R1", amount="35.00")  # paying more is allowed
    with pytest.raises(ValidationFailed) as e:
        services.bill_pay(actor=None, bill=b2, receipt_no="R1")
    assert e.value.field == "receipt_no"
    from grassroots.core.errors import Conflict

    with pytest.raises(Conflict):
        services.bill_pay(actor=None, bill=b1, receipt_no="R9")


def test_reduction_proposed_by_branch_approved_above(dues, party, world):
    from tests.support.world import make_user


    services.bills_issue(actor=None, org=party.g1, month=dt.date(2026, 3, 1))
    r = services.reduction_propose(actor=None, person=dues[0].person, month_from=dt.date(2026, 3, 1),
                                   month_to=dt.date(2026, 5, 31), amount="0", reason="大病")
    assert r.status == ReductionStatus.PROPOSED
    stranger = make_user("nobody")
    with pytest.raises(NotPermitted):
        services.reduction_decide(actor=stranger, reduction=r, approve=True)
    services.reduction_decide(actor=world.community_staff, reduction=r, approve=True)
    bill = DuesBill.objects.get(person=dues[0].person, month=dt.date(2026, 3, 1))
    assert bill.status == BillStatus.WAIVED and bill.amount == 0
    services.bills_issue(actor=None, org=party.g1, month=dt.date(2026, 4, 1))
    assert DuesBill.objects.get(person=dues[0].person, month=dt.date(2026, 4, 1)).status == BillStatus.WAIVED


def test_bills_written_meanwhile_by_someone_else_refuse_the_whole_issue(dues, party, monkeypatch):
    from django.db import IntegrityError

    from grassroots.core import bulk
    from grassroots.core.errors import Conflict
    from grassroots.core.models import Event

    def clash(model, objs, **kw):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(bulk, "insert_many", clash)
    before = Event.objects.filter(verb="dues_bill.issue").count()
    with pytest.raises(Conflict):
        services.bills_issue(actor=None, org=party.g1, month=dt.date(2026, 5, 1))
    assert not DuesBill.objects.exists()
    assert Event.objects.filter(verb="dues_bill.issue").count() == before


def test_bills_carry_their_creation_time(dues, party):
    services.bills_issue(actor=None, org=party.g1, month=dt.date(2026, 5, 1))
    assert not DuesBill.objects.filter(created_at__isnull=True).exists()
