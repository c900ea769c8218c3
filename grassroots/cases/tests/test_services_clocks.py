"""Extensions, suspensions, rework, return, reopen window, whistle and escalation by hand."""

import datetime as dt

import pytest

from grassroots.cases import services
from grassroots.cases.models import Assignment, Case, Rating
from grassroots.cases.states import AssignmentStatus, ExtensionStatus, Status, Tier
from grassroots.cases.tests.factories import make_case, make_evidence, make_limit
from grassroots.core import clock, workdays
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.holiday_services import holiday_seed
from grassroots.core.models import Event

pytestmark = pytest.mark.django_db


def test_an_approved_extension_moves_the_handle_deadline_from_the_old_one(world, frozen_now):
    case = make_case(world, Status.IN_PROGRESS)
    old_due = case.handle_due
    ext = services.case_request_extension(actor=world.department_handler, case=case, amount=3, unit="working_days",
                                          reason="需采购配件")
    assert ext.status == ExtensionStatus.PENDING and ext.previous_due == old_due
    case = services.case_approve_extension(actor=world.subdistrict_officer, extension=ext, note="同意")
    assert case.handle_due == workdays.deadline(old_due, 3, "working_days") > old_due
    assert case.next_due == case.handle_due and case.extensions_approved == 1
    ext.refresh_from_db()
    assert ext.status == ExtensionStatus.APPROVED and ext.new_due == case.handle_due


def test_a_second_request_while_one_is_pending_is_a_conflict(world, frozen_now):
    case = make_case(world, Status.IN_PROGRESS)
    services.case_request_extension(actor=world.department_handler, case=case, amount=1, unit="working_days",
                                    reason="雨天")
    with pytest.raises(Conflict) as err:
        services.case_request_extension(actor=world.department_handler, case=case, amount=2, unit="working_days",
                                        reason="雨天")
    assert err.value.code == "extension_pending"


def test_a_declined_extension_leaves_the_deadline(world, frozen_now):
    case = make_case(world, Status.IN_PROGRESS)
    ext = services.case_request_extension(actor=world.department_handler, case=case, amount=1, unit="hours",
                                          reason="雨天")
    with pytest.raises(ValidationFailed):
        services.case_decline_extension(actor=world.subdistrict_officer, extension=ext, note="")
    services.case_decline_extension(actor=world.subdistrict_officer, extension=ext, note="理由不充分")
    assert Case.objects.get(pk=case.pk).handle_due == case.handle_due
    with pytest.raises(Conflict):
        services.case_approve_extension(actor=world.subdistrict_officer, extension=ext)


def test_the_community_tier_cannot_approve_its_own_extension(world, frozen_now):
    case = make_case(world, Status.IN_PROGRESS)
    ext = services.case_request_extension(actor=world.department_handler, case=case, amount=1, unit="working_days",
                                          reason="雨天")
    with pytest.raises(NotPermitted):
        services.case_approve_extension(actor=world.community_staff, extension=ext)


def test_suspension_pauses_the_clock_and_resume_gives_back_the_time_left(world, frozen_now):
    make_limit("handle", 72, "hours")  # wall clock: the time left comes back to the second
    case = make_case(world, Status.IN_PROGRESS)
    clock.freeze(frozen_now + dt.timedelta(hours=5))
    left = case.handle_due - clock.now()
    services.case_suspend(actor=world.subdistrict_officer, case=case, reason="等待拆迁协调",
                          review_at=dt.date(2027, 1, 4))
    clock.freeze(frozen_now + dt.timedelta(days=10))
    case = services.case_resume(actor=world.subdistrict_officer, case=case)
    assert case.status == Status.IN_PROGRESS
    assert case.handle_due == clock.now() + left and case.next_due == case.handle_due
    suspension = case.suspensions.get()
    assert suspension.resumed_at == clock.now() and suspension.resumed_by == world.subdistrict_officer


def test_suspending_a_dispatched_case_pauses_each_unit_acknowledgement(world, frozen_now):
    case = make_case(world, Status.DISPATCHED, co_handlers=[world.dept_housing])
    clock.freeze(frozen_now + dt.timedelta(minutes=30))
    services.case_suspend(actor=world.subdistrict_officer, case=case, reason="等待", review_at=dt.date(2026, 12, 1))
    clock.freeze(frozen_now + dt.timedelta(days=6))
    services.case_resume(actor=world.subdistrict_officer, case=case)
    dues = list(Assignment.objects.filter(case=case).values_list("acknowledge_due", flat=True))
    original = case.acknowledge_due
    assert all(d == clock.now() + (original - frozen_now - dt.timedelta(minutes=30)) for d in dues)
    assert Case.objects.get(pk=case.pk).status == Status.DISPATCHED


def test_the_review_date_must_be_in_the_future(world, frozen_now):
    case = make_case(world, Status.IN_PROGRESS)
    with pytest.raises(ValidationFailed):
        services.case_suspend(actor=world.subdistrict_officer, case=case, reason="x", review_at=dt.date(2026, 11, 1))


def test_verify_fail_counts_a_rework_and_restarts_the_handle_clock(world, frozen_now):
    case = make_case(world, Status.HANDLED)
    clock.freeze(frozen_now + dt.timedelta(days=1))
    case = services.case_verify_fail(actor=world.grid_worker, case=case, reason="仍有垃圾")
    assert case.status == Status.IN_PROGRESS and case.rework_count == 1
    assert case.handle_due > clock.now() and case.next_due == case.handle_due
    lead = Assignment.objects.get(case=case)
    assert lead.status == AssignmentStatus.ACKNOWLEDGED and lead.active


def test_return_sends_the_case_back_for_dispatch_with_a_fresh_deadline(world, frozen_now):
    case = make_case(world, Status.DISPATCHED, co_handlers=[world.dept_housing])
    clock.freeze(frozen_now + dt.timedelta(hours=1))
    case = services.case_return(actor=world.department_handler, case=case, reason="应由住建局主办")
    assert case.status == Status.ACCEPTED and case.dispatch_due > clock.now() and case.next_due == case.dispatch_due
    statuses = dict(Assignment.objects.filter(case=case).values_list("organization_id", "status"))
    assert statuses == {world.dept_city.pk: AssignmentStatus.RETURNED, world.dept_housing.pk: AssignmentStatus.ENDED}
    case = services.case_dispatch(actor=world.community_staff, case=case, lead=world.dept_housing)
    assert case.dispatch_round == 2


def test_reopen_within_seven_days_of_an_unsatisfied_rating_goes_back_to_the_same_lead(world, frozen_now):
    case = make_case(world, Status.CLOSED)
    services.case_rate(actor=world.grid_worker, case=case, resolved=False, satisfaction="unsatisfied")
    clock.freeze(frozen_now + dt.timedelta(days=6))
    case = services.case_reopen(actor=world.community_staff, case=case, reason="确未解决")
    assert case.status == Status.IN_PROGRESS and case.closed_at is None and case.rating_round == 2
    lead = Assignment.objects.get(case=case)
    assert lead.active and lead.organization == world.dept_city and lead.status == AssignmentStatus.ACKNOWLEDGED
    assert Rating.objects.get(case=case).reopen_decision == "confirmed"
    evidence = make_evidence(world.department_handler)
    services.case_handle(actor=world.department_handler, case=case, result="再次清理", evidence=[evidence.pk])
    services.case_verify_pass(actor=world.grid_worker, case=case)
    services.case_rate(actor=world.grid_worker, case=case, resolved=True, satisfaction="satisfied")
    assert list(Rating.objects.filter(case=case).values_list("round", flat=True).order_by("round")) == [1, 2]


def test_reopen_after_the_window_is_refused(world, frozen_now):
    case = make_case(world, Status.CLOSED)
    services.case_rate(actor=world.grid_worker, case=case, resolved=True, satisfaction="unsatisfied")
    clock.freeze(frozen_now + dt.timedelta(days=7, minutes=1))
    with pytest.raises(Conflict) as err:
        services.case_reopen(actor=world.community_staff, case=case)
    assert err.value.code == "reopen_window_passed"


def test_a_satisfied_rating_cannot_be_reopened_and_a_case_is_rated_once_per_round(world, frozen_now):
    case = make_case(world, Status.CLOSED)
    services.case_rate(actor=world.grid_worker, case=case, resolved=True, satisfaction="basically")
    with pytest.raises(Conflict) as err:
        services.case_reopen(actor=world.community_staff, case=case)
    assert err.value.code == "no_unsatisfied_rating"
    with pytest.raises(Conflict) as err:
        services.case_rate(actor=world.hotline_operator, case=case, resolved=True, satisfaction="satisfied")
    assert err.value.code == "already_rated"


def test_declining_a_reopen_keeps_the_case_closed_and_records_why(world, frozen_now):
    case = make_case(world, Status.CLOSED)
    services.case_rate(actor=world.grid_worker, case=case, resolved=False, satisfaction="unsatisfied")
    case = services.case_decline_reopen(actor=world.community_staff, case=case, reason="已按标准处置到位")
    assert case.status == Status.CLOSED
    rating = Rating.objects.get(case=case)
    assert rating.reopen_decision == "declined" and rating.reopen_reason == "已按标准处置到位"
    with pytest.raises(Conflict):
        services.case_reopen(actor=world.community_staff, case=case)


def test_hotline_callback_is_recorded_as_a_callback(world, frozen_now):
    case = make_case(world, Status.CLOSED)
    rating = services.case_rate(actor=world.hotline_operator, case=case, resolved=True, satisfaction="satisfied")
    assert rating.source == "callback"


def test_a_resident_rates_by_tracking_code_without_an_account(world, frozen_now):
    case = make_case(world, Status.CLOSED, channel="resident", reporter=None, anonymous=True)
    with pytest.raises(Exception):  # noqa: B017 - a wrong code is NotFound
        services.case_rate(actor=None, tracking_code="ABCDEFGHJK23", resolved=True, satisfaction="satisfied")
    rating = services.case_rate(actor=None, tracking_code=case.tracking_code.lower(), resolved=True,
                                satisfaction="satisfied")
    assert rating.source == "tracking_code" and rating.rated_by is None


def test_escalation_by_hand_ends_open_assignments_and_starts_the_next_tiers_clock(world, frozen_now):
    case = make_case(world, Status.IN_PROGRESS)
    case = services.case_escalate(actor=world.community_staff, case=case, reason="需街道协调多部门")
    assert case.status == Status.ACCEPTED and case.tier == Tier.SUBDISTRICT and not case.supervision
    assert not Assignment.objects.filter(case=case, active=True).exists()
    assert case.next_due == case.dispatch_due > frozen_now
    with pytest.raises(NotPermitted):
        services.case_escalate(actor=world.community_staff, case=case, reason="again")


def test_a_whistle_calls_zone_departments_with_a_thirty_minute_acknowledgement(world, frozen_now):
    case = make_case(world, Status.ACCEPTED, tier=Tier.SUBDISTRICT)
    case = services.case_escalate(actor=world.subdistrict_officer, case=case, reason="吹哨：占道施工",
                                  whistle=True, lead=world.dept_city, co_handlers=[world.dept_housing])
    assert case.tier == Tier.ZONE and case.status == Status.DISPATCHED
    assignments = list(Assignment.objects.filter(case=case))
    assert {a.acknowledge_due for a in assignments} == {frozen_now + dt.timedelta(minutes=30)}
    assert all(a.whistle and a.tier == Tier.ZONE for a in assignments)
    verbs = list(Event.objects.filter(object_type="cases.case", object_id=str(case.pk)).values_list("verb",
                                                                                                   flat=True))
    assert verbs[-2:] == ["case.escalate", "case.dispatch"]


def test_only_a_subdistrict_officer_blows_the_whistle_and_names_a_department(world, frozen_now):
    case = make_case(world, Status.ACCEPTED, tier=Tier.SUBDISTRICT)
    with pytest.raises(ValidationFailed):
        services.case_escalate(actor=world.subdistrict_officer, case=case, whistle=True)
    other = make_case(world, Status.ACCEPTED)
    with pytest.raises(NotPermitted):
        services.case_escalate(actor=world.community_staff, case=other, whistle=True, lead=world.dept_city)


def test_the_zone_tier_cannot_escalate_further(world, frozen_now):
    case = make_case(world, Status.ACCEPTED, tier=Tier.ZONE)
    with pytest.raises(ValidationFailed) as err:
        services.case_escalate(actor=world.zone_leader, case=case, reason="x")
    assert err.value.code == "top_tier"


def test_a_zone_dispatcher_dispatches_at_the_zone_tier(world, frozen_now):
    case = make_case(world, Status.ACCEPTED, tier=Tier.ZONE)
    with pytest.raises(NotPermitted):
        services.case_dispatch(actor=world.community_staff, case=case, lead=world.dept_city)
    case = services.case_dispatch(actor=world.hotline_operator, case=case, lead=world.dept_city)
    assert case.status == Status.DISPATCHED


def test_handle_needs_evidence(world, frozen_now):
    case = make_case(world, Status.IN_PROGRESS)
    with pytest.raises(ValidationFailed) as err:
        services.case_handle(actor=world.department_handler, case=case, result="完成", evidence=[])
    assert err.value.field == "evidence"
    someone_elses = make_evidence(world.grid_worker)
    with pytest.raises(ValidationFailed):
        services.case_handle(actor=world.department_handler, case=case, result="完成", evidence=[someone_elses.pk])


def test_resolve_on_site_needs_a_category_that_allows_it_and_is_verified_by_staff(world, frozen_now):
    from grassroots.cases.tests.factories import make_category

    strict = make_category(on_site_allowed=False)
    case = make_case(world, Status.REPORTED, category=strict)
    with pytest.raises(NotPermitted):
        services.case_resolve_on_site(actor=world.grid_worker, case=case)
    case = make_case(world, Status.REPORTED)
    case = services.case_resolve_on_site(actor=world.grid_worker, case=case, note="已清理")
    assert case.status == Status.HANDLED and case.resolved_on_site and case.verify_due > frozen_now
    with pytest.raises(NotPermitted):
        services.case_verify_pass(actor=world.grid_worker, case=case)
    assert services.case_verify_pass(actor=world.community_staff, case=case).status == Status.CLOSED


def test_co_handler_acknowledges_its_own_assignment_without_moving_the_case(world, frozen_now):
    case = make_case(world, Status.DISPATCHED, co_handlers=[world.dept_housing])
    case = services.case_acknowledge(actor=world.department_handler2, case=case)
    assert case.status == Status.DISPATCHED
    with pytest.raises(Conflict) as err:
        services.case_acknowledge(actor=world.department_handler2, case=case)
    assert err.value.code == "already_acknowledged"
    assert services.case_acknowledge(actor=world.department_handler, case=case).status == Status.IN_PROGRESS


# Time added to an existing deadline: a deadline at 24:00 belongs to the day that ends (frozen_now is Wednesday
# 2026-11-25 09:00; the built-in handle limit of 5 working days ends at the end of Wednesday 2 December).

def _bj(*args):
    from zoneinfo import ZoneInfo

    return dt.datetime(*args, tzinfo=ZoneInfo("Asia/Shanghai"))


def _approve(world, case, amount, unit="working_days"):
    ext = services.case_request_extension(actor=world.department_handler, case=case, amount=amount, unit=unit,
                                          reason="需采购配件")
    return services.case_approve_extension(actor=world.subdistrict_officer, extension=ext)


def test_two_working_days_added_to_a_deadline_at_the_end_of_wednesday_end_on_friday(world, frozen_now):
    case = make_case(world, Status.IN_PROGRESS)
    assert case.handle_due == _bj(2026, 12, 3, 0, 0)  # the end of Wednesday 2 December
    case = _approve(world, case, 2)
    assert case.handle_due == case.next_due == _bj(2026, 12, 5, 0, 0)  # the end of Friday 4 December


def test_a_working_day_added_to_a_friday_deadline_ends_on_monday(world, frozen_now):
    make_limit("handle", 2, "working_days")  # Wednesday 25 November + 2 → the end of Friday 27 November
    case = make_case(world, Status.IN_PROGRESS)
    assert case.handle_due == _bj(2026, 11, 28, 0, 0)
    case = _approve(world, case, 1)
    assert case.handle_due == _bj(2026, 12, 1, 0, 0)  # the end of Monday 30 November


def test_an_extension_counts_an_adjusted_working_saturday_from_the_holiday_table(world):
    holiday_seed(actor=None, years=[2026])  # Saturday 10 October 2026 is a working day (调休)
    make_limit("handle", 1, "working_days")
    clock.freeze(_bj(2026, 10, 8, 9, 0))  # Thursday, the first working day after 国庆
    case = make_case(world, Status.IN_PROGRESS)
    assert case.handle_due == _bj(2026, 10, 10, 0, 0)  # the end of Friday 9 October
    case = _approve(world, case, 1)
    assert case.handle_due == _bj(2026, 10, 11, 0, 0)  # the end of the adjusted Saturday


def test_an_extension_in_hours_adds_wall_clock_hours_to_the_deadline(world, frozen_now):
    case = make_case(world, Status.IN_PROGRESS)
    case = _approve(world, case, 4, unit="hours")
    assert case.handle_due == _bj(2026, 12, 3, 4, 0)


def test_resuming_a_working_day_deadline_gives_back_working_days_and_no_weekend(world, frozen_now):
    case = make_case(world, Status.IN_PROGRESS)  # due at the end of Wednesday 2 December
    clock.freeze(_bj(2026, 11, 27, 10, 0))  # Friday: Monday, Tuesday and Wednesday are left
    services.case_suspend(actor=world.subdistrict_officer, case=case, reason="等待拆迁协调",
                          review_at=dt.date(2027, 1, 4))
    assert case.suspensions.get().remaining == {"handle_due": {"working_days": 3}}
    clock.freeze(_bj(2026, 12, 7, 10, 0))  # resumed on a Monday
    case = services.case_resume(actor=world.subdistrict_officer, case=case)
    assert case.handle_due == case.next_due == _bj(2026, 12, 11, 0, 0)  # Tuesday–Thursday, not Saturday's end


def test_resuming_over_an_adjusted_working_day_counts_it(world):
    holiday_seed(actor=None, years=[2026])
    clock.freeze(_bj(2026, 9, 29, 9, 0))  # Tuesday before 国庆: 30 Sep, 8, 9, 10 (调休) and 12 October
    case = make_case(world, Status.IN_PROGRESS)
    assert case.handle_due == _bj(2026, 10, 13, 0, 0)
    clock.freeze(_bj(2026, 9, 29, 15, 0))
    services.case_suspend(actor=world.subdistrict_officer, case=case, reason="等待", review_at=dt.date(2026, 12, 1))
    assert case.suspensions.get().remaining == {"handle_due": {"working_days": 5}}
    clock.freeze(_bj(2026, 10, 9, 9, 0))  # resumed on Friday 9 October: Saturday 10 October counts, Sunday does not
    case = services.case_resume(actor=world.subdistrict_officer, case=case)
    assert case.handle_due == _bj(2026, 10, 16, 0, 0)  # Sat 10, Mon 12 … Thu 15


def test_an_overdue_case_resumes_overdue(world, frozen_now):
    case = make_case(world, Status.IN_PROGRESS)
    clock.freeze(_bj(2026, 12, 4, 10, 0))  # two days past its deadline
    services.case_suspend(actor=world.subdistrict_officer, case=case, reason="等待", review_at=dt.date(2027, 1, 4))
    clock.freeze(_bj(2026, 12, 14, 10, 0))
    case = services.case_resume(actor=world.subdistrict_officer, case=case)
    assert case.handle_due == clock.now()


def test_reopening_starts_a_fresh_handle_limit_over_an_adjusted_working_day(world):
    holiday_seed(actor=None, years=[2026])
    make_limit("handle", 1, "working_days")
    clock.freeze(_bj(2026, 10, 8, 9, 0))
    case = make_case(world, Status.CLOSED)
    services.case_rate(actor=world.grid_worker, case=case, resolved=False, satisfaction="unsatisfied")
    clock.freeze(_bj(2026, 10, 9, 16, 0))  # Friday afternoon
    case = services.case_reopen(actor=world.community_staff, case=case, reason="确未解决")
    assert case.handle_due == _bj(2026, 10, 11, 0, 0)  # the next working day is the adjusted Saturday


def test_a_return_starts_a_fresh_dispatch_limit_after_the_weekend(world, frozen_now):
    make_limit("dispatch", 1, "working_days")
    case = make_case(world, Status.DISPATCHED)
    clock.freeze(_bj(2026, 11, 27, 15, 0))  # Friday
    case = services.case_return(actor=world.department_handler, case=case, reason="应由住建局主办")
    assert case.dispatch_due == case.next_due == _bj(2026, 12, 1, 0, 0)  # the end of Monday
