import pytest

from grassroots.core.errors import NotFound
from grassroots.projects import fund as fundsvc
from grassroots.projects import selectors

pytestmark = pytest.mark.django_db


def test_public_entries_show_anonymous_donors_as_caring_people_or_units(fund_world):
    w = fund_world
    a = fundsvc.donation_record(actor=w.community_staff, fund=w.fund, amount="10", donor_kind="person",
                                donor_name="孙匿名", anonymous=True)
    b = fundsvc.donation_record(actor=w.community_staff, fund=w.fund, amount="20", donor_kind="organization",
                                donor_organization=w.enterprise, anonymous=True)
    c = fundsvc.donation_record(actor=w.community_staff, fund=w.fund, amount="30", donor_kind="person",
                                donor_name="周公开")
    assert [selectors.public_entry(e)["donor"] for e in (a, b, c)] == ["爱心人士", "爱心单位", "周公开"]


def test_ledger_page_counts_from_the_stored_entry_count(fund_world, django_assert_num_queries):
    w = fund_world
    for i in range(5):
        fundsvc.donation_record(actor=w.community_staff, fund=w.fund, amount="10", donor_kind="person",
                                donor_name=f"人{i}")
    w.fund.refresh_from_db()
    with django_assert_num_queries(1):  # the page's rows only: no COUNT(*), no OFFSET
        page = selectors.ledger_page(actor=None, fund=w.fund, per_page=2)
        assert len(list(page)) == 2 and page.next and page.previous is None
    donors = [e.donor_name for e in page]
    while page.next:
        page = selectors.ledger_page(actor=None, fund=w.fund, cursor=page.next, per_page=2)
        donors += [e.donor_name for e in page]
    assert donors == [f"人{i}" for i in reversed(range(5))]
    last = selectors.ledger_page(actor=None, fund=w.fund, cursor=page.last, per_page=2)
    assert [e.donor_name for e in last] == ["人1", "人0"]


def test_staff_ledger_and_reconciliation_are_scoped(fund_world):
    w = fund_world
    assert selectors.fund_for_staff(actor=w.community_staff, pk=w.fund.pk) == w.fund
    for actor in (w.other_staff, w.resident, w.department_handler):
        with pytest.raises(NotFound):
            selectors.fund_for_staff(actor=actor, pk=w.fund.pk)
    with pytest.raises(NotFound):
        selectors.reconcile_report(actor=w.grid_worker, fund=w.fund)
    assert selectors.fund_public(actor=None, community_code=w.c1.code) == w.fund
