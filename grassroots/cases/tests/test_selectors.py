import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.cases import selectors, services
from grassroots.cases.api import _case_row, _detail_row
from grassroots.cases.states import Channel, Status, Tier
from grassroots.cases.tests.factories import make_case, make_category, report
from grassroots.core import clock
from grassroots.core.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def ids(qs):
    return {c.pk for c in qs}


def test_a_department_sees_only_cases_dispatched_to_it_also_after_they_move_on(world, frozen_now):
    mine = make_case(world, Status.IN_PROGRESS)
    not_mine = make_case(world, Status.ACCEPTED)
    assert ids(selectors.case_list(actor=world.department_handler)) == {mine.pk}
    assert ids(selectors.case_list(actor=world.department_handler2)) == set()
    with pytest.raises(NotFound):
        selectors.case_get(actor=world.department_handler, pk=not_mine.pk)
    services.case_escalate(actor=world.community_staff, case=mine, reason="需街道协调")
    assert ids(selectors.case_list(actor=world.department_handler)) == {mine.pk}  # past assignment


def test_grid_workers_see_their_grids_and_community_staff_their_community(world, frozen_now):
    in_g1 = make_case(world)
    in_g2 = report(world, channel=Channel.STAFF, grid_index=1).case
    in_g4 = report(world, channel=Channel.HOTLINE, grid_index=3).case
    assert ids(selectors.case_list(actor=world.grid_worker)) == {in_g1.pk}
    assert ids(selectors.case_list(actor=world.community_staff)) == {in_g1.pk, in_g2.pk}
    assert ids(selectors.case_list(actor=world.subdistrict_officer)) == {in_g1.pk, in_g2.pk}
    assert ids(selectors.case_list(actor=world.zone_leader)) == {in_g1.pk, in_g2.pk, in_g4.pk}
    assert ids(selectors.case_list(actor=world.other_staff)) == {in_g4.pk}
    for system in (world.admin, world.auditor):
        assert ids(selectors.case_list(actor=system)) == set()


def test_residents_see_their_own_reports_and_others_only_through_the_public_view(world, frozen_now):
    own = report(world, channel=Channel.RESIDENT, reporter=world.resident, reporter_contact="13900001111").case
    others = report(world, channel=Channel.RESIDENT, reporter=world.resident3, title="别人的原话").case
    assert ids(selectors.case_list(actor=world.resident)) == {own.pk}
    with pytest.raises(NotFound):
        selectors.case_get(actor=world.resident, pk=others.pk)
    public = selectors.public_case_get(actor=world.resident, pk=others.pk)
    assert "title" not in public and "description" not in public and "reporter_contact" not in public
    assert "别人的原话" not in str(public)
    rows = list(selectors.public_case_list(actor=None))
    assert {r["id"] for r in rows} == {own.pk, others.pk}
    assert all(set(r) == set(selectors.PUBLIC_FIELDS) for r in rows)


def test_private_and_rejected_cases_are_not_public(world, frozen_now):
    private = report(world, privacy_requested=True).case
    rejected = make_case(world, Status.REJECTED)
    for case in (private, rejected):
        with pytest.raises(NotFound):
            selectors.public_case_get(actor=None, pk=case.pk)


def test_an_enterprise_contact_sees_its_enterprises_appeals_only(world, frozen_now):
    appeal = report(world, channel="enterprise", reporter=world.enterprise_contact, region=world.e1).case
    make_case(world)
    assert ids(selectors.case_list(actor=world.enterprise_contact)) == {appeal.pk}
    assert appeal.pk in ids(selectors.case_list(actor=world.party_instructor))


def test_list_filters(world, frozen_now):
    a = make_case(world, Status.ACCEPTED)
    b = make_case(world, Status.REPORTED, channel=Channel.STAFF, grid_index=1)
    clock.freeze(frozen_now + dt.timedelta(days=2))
    late = make_case(world, Status.REPORTED)
    staff = world.community_staff
    assert ids(selectors.case_list(actor=staff, status="accepted")) == {a.pk}
    assert ids(selectors.case_list(actor=staff, channel="staff")) == {b.pk}
    assert ids(selectors.case_list(actor=staff, overdue=True)) == {a.pk, b.pk}
    assert ids(selectors.case_list(actor=staff, region=world.g2.pk)) == {b.pk}
    assert ids(selectors.case_list(actor=staff, q=late.reference)) == {late.pk}
    assert ids(selectors.case_list(actor=staff, date_from=dt.date(2026, 11, 26))) == {late.pk}
    assert ids(selectors.case_list(actor=staff, tier="community", category=a.category.code)) == {a.pk}


def test_inbox_queues_per_role_overdue_first(world, frozen_now):
    first = make_case(world, Status.REPORTED)
    clock.freeze(frozen_now + dt.timedelta(hours=1))
    second = make_case(world, Status.REPORTED)
    accepted = make_case(world, Status.ACCEPTED)
    dispatched = make_case(world, Status.DISPATCHED)
    clock.freeze(frozen_now + dt.timedelta(hours=2, minutes=30))
    queue = list(selectors.inbox(actor=world.community_staff, queue="to_accept"))
    assert [c.pk for c in queue] == [first.pk, second.pk]
    assert selectors.time_left(queue[0]) < dt.timedelta(0) < selectors.time_left(queue[1])
    assert ids(selectors.inbox(actor=world.community_staff, queue="to_dispatch")) == {accepted.pk}
    assert ids(selectors.inbox(actor=world.subdistrict_officer, queue="to_dispatch")) == set()
    assert ids(selectors.inbox(actor=world.department_handler, queue="to_acknowledge")) == {dispatched.pk}
    assert ids(selectors.inbox(actor=world.department_handler2, queue="to_acknowledge")) == set()
    counts = selectors.inbox_counts(actor=world.community_staff)
    assert counts["to_accept"] == 2 and counts["to_dispatch"] == 1
    with pytest.raises(ValidationFailed):
        list(selectors.inbox(actor=world.community_staff, queue="nonsense"))


def test_inbox_handle_verify_callback_reopen_and_extension_queues(world, frozen_now):
    handling = make_case(world, Status.IN_PROGRESS, co_handlers=[world.dept_housing])
    handled = make_case(world, Status.HANDLED)
    closed = make_case(world, Status.CLOSED, channel="hotline", reporter_name="王先生", reporter_contact="13800000000")
    make_case(world, Status.CLOSED)  # found on patrol: nobody to call back
    rated = make_case(world, Status.CLOSED)
    services.case_rate(actor=world.grid_worker, case=rated, resolved=False, satisfaction="unsatisfied")
    services.case_request_extension(actor=world.department_handler, case=handling, amount=1, unit="working_days",
                                    reason="雨天")
    assert ids(selectors.inbox(actor=world.department_handler, queue="to_handle")) == {handling.pk}
    assert ids(selectors.inbox(actor=world.department_handler2, queue="to_handle")) == {handling.pk}
    assert ids(selectors.inbox(actor=world.grid_worker, queue="to_verify")) == {handled.pk}
    assert ids(selectors.inbox(actor=world.community_staff, queue="to_verify")) == {handled.pk}
    assert ids(selectors.inbox(actor=world.hotline_operator, queue="to_callback")) == {closed.pk}
    assert ids(selectors.inbox(actor=world.community_staff, queue="to_reopen")) == {rated.pk}
    assert ids(selectors.inbox(actor=world.subdistrict_officer, queue="to_approve_extension")) == {handling.pk}
    assert ids(selectors.inbox(actor=world.community_staff, queue="to_approve_extension")) == set()


def _count(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_the_case_list_takes_the_same_number_of_queries_for_2_and_20_rows(world, frozen_now):
    category = make_category()
    for _ in range(2):
        make_case(world, Status.ACCEPTED, category=category)
    small = _count(lambda: [_case_row(c) for c in selectors.case_list(actor=world.community_staff)])
    for _ in range(18):
        make_case(world, Status.ACCEPTED, category=category)
    assert len(selectors.case_list(actor=world.community_staff)) == 20
    large = _count(lambda: [_case_row(c) for c in selectors.case_list(actor=world.community_staff)])
    assert small == large


def test_case_detail_with_its_timeline_takes_a_constant_number_of_queries(world, frozen_now):
    short = make_case(world, Status.ACCEPTED)
    long = make_case(world, Status.CLOSED, co_handlers=[world.dept_housing])
    staff = world.community_staff
    a = _count(lambda: _detail_row(staff, selectors.case_detail(actor=staff, pk=short.pk)))
    b = _count(lambda: _detail_row(staff, selectors.case_detail(actor=staff, pk=long.pk)))
    assert a == b
    detail = selectors.case_detail(actor=staff, pk=long.pk)
    assert [e["verb"] for e in detail.timeline][:3] == ["report", "accept", "dispatch"]
    assert detail.lead is None and len(detail.assignments) == 2


def test_the_timeline_of_an_out_of_scope_case_is_not_found(world, frozen_now):
    case = make_case(world)
    with pytest.raises(NotFound):
        selectors.case_timeline(actor=world.other_staff, case=case.pk)
    assert [e.verb for e in selectors.case_timeline(actor=world.community_staff, case=case.pk)] == ["case.report"]


def test_the_tracking_code_shows_the_reporters_case_without_personal_data(world, frozen_now):
    case = report(world, channel=Channel.RESIDENT, reporter=world.resident, reporter_contact="13900001111").case
    seen = selectors.tracking_lookup(code=case.tracking_code.lower())
    assert seen["id"] == case.pk and "13900001111" not in str(seen) and not seen["can_rate"]
    with pytest.raises(NotFound):
        selectors.tracking_lookup(code="ZZZZZZZZZZZZ")


def test_zone_tier_dispatch_queue_is_for_zone_dispatchers(world, frozen_now):
    case = make_case(world, Status.ACCEPTED, tier=Tier.ZONE)
    assert ids(selectors.inbox(actor=world.hotline_operator, queue="to_dispatch")) == {case.pk}
    assert ids(selectors.inbox(actor=world.community_staff, queue="to_dispatch")) == set()


def test_the_callback_queue_holds_closed_cases_with_someone_to_call_back(world, frozen_now):
    hotline = make_case(world, Status.CLOSED, channel="hotline", reporter_name="王先生", reporter_contact="13800000000")
    named = make_case(world, Status.CLOSED, channel="resident", reporter=world.resident)
    anonymous = make_case(world, Status.CLOSED, channel="resident", reporter=world.resident, anonymous=True)
    patrol = make_case(world, Status.CLOSED)
    queue = ids(selectors.inbox(actor=world.hotline_operator, queue="to_callback"))
    assert queue == {hotline.pk, named.pk}
    assert anonymous.pk not in queue and patrol.pk not in queue
    services.case_rate(actor=world.hotline_operator, case=hotline, resolved=True, satisfaction="satisfied")
    assert ids(selectors.inbox(actor=world.hotline_operator, queue="to_callback")) == {named.pk}
    assert selectors.inbox_counts(actor=world.hotline_operator)["to_callback"] == 1
