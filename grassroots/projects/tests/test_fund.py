"""The community fund: donations, disbursements only to approved projects, negative list, corrections, balance."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.core.errors import NotPermitted, ValidationFailed
from grassroots.projects import fund as fundsvc
from grassroots.projects.models import CommunityFund, LedgerEntry, LedgerMonthTotal, MicroProject

from .conftest import approved_in_progress, reviewed_project

pytestmark = pytest.mark.django_db


def stored(fund):
    fund.refresh_from_db()
    return fund.balance


def donate(w, amount, **kw):
    return fundsvc.donation_record(actor=w.community_staff, fund=w.fund, amount=amount,
                                   donor_kind=kw.pop("donor_kind", "person"), donor_name=kw.pop("donor_name", "王先生"), **kw)


def test_a_donation_raises_the_balance_and_gets_a_receipt_number(fund_world):
    w = fund_world
    entry = donate(w, "1000.50", anonymous=True)
    assert stored(w.fund) == Decimal("1000.50")
    assert entry.balance_after == Decimal("1000.50") and entry.receipt_no.startswith(w.c1.code)
    assert entry.public_donor == "爱心人士"


def test_a_disbursement_to_an_approved_project_lowers_the_balance(fund_world):
    w = fund_world
    donate(w, 8000)
    project = approved_in_progress(w, Decimal("5000"))
    fundsvc.disbursement_record(actor=w.community_staff, fund=w.fund, project=project, amount=2000, purpose="第一笔：购买涂料")
    assert stored(w.fund) == Decimal("6000")
    project.refresh_from_db()
    assert project.disbursed_total == Decimal("2000")


@pytest.mark.parametrize("case", ["overdraw", "negative_list", "not_approved", "over_approved", "bad_amount"])
def test_refused_disbursements_write_nothing(fund_world, case):
    w = fund_world
    donate(w, 1000)
    project = approved_in_progress(w, Decimal("5000")) if case != "not_approved" else reviewed_project(w)
    before = (LedgerEntry.objects.count(), stored(w.fund), LedgerMonthTotal.objects.count(),
              MicroProject.objects.get(pk=project.pk).disbursed_total)
    args = {"overdraw": (1500, "购买涂料"), "negative_list": (100, "给志愿者发放现金"), "not_approved": (100, "购买涂料"),
            "over_approved": (100, "购买涂料"), "bad_amount": ("-5", "购买涂料")}[case]
    if case == "over_approved":
        donate(w, 10000)
        before = (LedgerEntry.objects.count(), stored(w.fund), LedgerMonthTotal.objects.count(), Decimal(0))
        args = (6000, "购买涂料")
    with pytest.raises(ValidationFailed) as err:
        fundsvc.disbursement_record(actor=w.community_staff, fund=w.fund, project=project, amount=args[0], purpose=args[1])
    assert err.value.code in {"insufficient_balance", "prohibited_use", "project_not_approved", "over_approved", "invalid"}
    after = (LedgerEntry.objects.count(), stored(w.fund), LedgerMonthTotal.objects.count(),
             MicroProject.objects.get(pk=project.pk).disbursed_total)
    assert after == before


def test_corrections_are_compensating_entries_and_happen_once(fund_world):
    w = fund_world
    entry = donate(w, 300)
    correction = fundsvc.correction_record(actor=w.community_staff, entry=entry, reason="重复录入")
    assert correction.amount == Decimal("-300") and correction.corrects == entry
    assert stored(w.fund) == 0 and LedgerEntry.objects.filter(pk=entry.pk).exists()
    with pytest.raises(ValidationFailed):
        fundsvc.correction_record(actor=w.community_staff, entry=entry, reason="再次")
    assert fundsvc.reconcile(w.fund)["problems"] == []


def test_a_correction_that_would_overdraw_is_refused(fund_world):
    w = fund_world
    gift = donate(w, 1000)
    project = approved_in_progress(w, Decimal("1000"))
    fundsvc.disbursement_record(actor=w.community_staff, fund=w.fund, project=project, amount=900, purpose="购买涂料")
    with pytest.raises(ValidationFailed):
        fundsvc.correction_record(actor=w.community_staff, entry=gift, reason="捐赠退回")
    assert stored(w.fund) == Decimal("100")


def test_only_the_communitys_keepers_record_entries(fund_world):
    w = fund_world
    for actor in (w.other_staff, w.grid_worker, w.resident, w.department_handler):
        with pytest.raises(NotPermitted):
            fundsvc.donation_record(actor=actor, fund=w.fund, amount=1, donor_kind="person", donor_name="x")
    assert LedgerEntry.objects.count() == 0


operations = st.lists(st.tuples(st.sampled_from(["donate", "pay", "correct"]),
                                st.decimals(min_value=Decimal("0.01"), max_value=Decimal("3000"), places=2),
                                st.integers(min_value=0, max_value=50)), min_size=1, max_size=25)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_random_sequences_keep_balance_equal_to_the_sum_of_entries_and_never_negative(fund_world, ops):
    w = fund_world
    project = getattr(w, "hyp_project", None)
    if project is None:
        project = w.hyp_project = approved_in_progress(w, Decimal("999999"), title="长期项目")
    # each example starts from the empty ledger: its entries are rolled back (the ledger refuses deletes)
    with transaction.atomic():
        run_operations(w, project, ops)
        transaction.set_rollback(True)


def run_operations(w, project, ops):
    for op, amount, pick in ops:
        try:
            if op == "donate":
                donate(w, amount)
            elif op == "pay":
                fundsvc.disbursement_record(actor=w.community_staff, fund=w.fund, project=project, amount=amount,
                                            purpose="项目支出")
            else:
                entries = list(LedgerEntry.objects.filter(fund=w.fund, correction__isnull=True).exclude(kind="correction"))
                if entries:
                    fundsvc.correction_record(actor=w.community_staff, entry=entries[pick % len(entries)], reason="冲正")
        except ValidationFailed:
            pass
        report = fundsvc.reconcile(w.fund)
        assert report["problems"] == []
        assert report["balance"] >= 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_disbursements_never_overdraw(fund_world):
    """Eight payments of 300 from a balance of 1,000: exactly three succeed and the balance stays 100."""
    w = fund_world
    donate(w, 1000)
    project = approved_in_progress(w, Decimal("10000"))
    outcomes = []
    sqlite = connection.vendor == "sqlite"
    # PostgreSQL runs the eight payments truly at once (row locks decide). SQLite serialises writers (one IMMEDIATE
    # transaction at a time) and the in-memory test database is not shared with other threads, so there the
    # payments run one after another in this thread — the order the database would impose anyway.
    barrier = None if sqlite else threading.Barrier(8)

    def pay():
        try:
            if barrier is not None:
                barrier.wait()
            fundsvc.disbursement_record(actor=w.community_staff, fund=CommunityFund.objects.get(pk=w.fund.pk),
                                        project=MicroProject.objects.get(pk=project.pk), amount=300, purpose="并发支出")
            outcomes.append("paid")
        except ValidationFailed:
            outcomes.append("refused")
        finally:
            if not sqlite:
                connections.close_all()

    if sqlite:
        for _ in range(8):
            pay()
    else:
        threads = [threading.Thread(target=pay) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert outcomes.count("paid") == 3 and outcomes.count("refused") == 5
    assert stored(w.fund) == Decimal("100")
    assert fundsvc.reconcile(w.fund)["problems"] == []
