import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from grassroots.cases import services
from grassroots.cases.models import Assignment, Case
from grassroots.cases.states import AssignmentStatus, Status, Tier
from grassroots.cases.sweep import run_sweep
from grassroots.cases.tests.factories import make_case
from grassroots.core import clock, workdays
from grassroots.core.models import Event, Notification

pytestmark = pytest.mark.django_db


def test_a_breached_dispatch_deadline_escalates_to_the_next_tier_flagged_for_supervision(world, frozen_now):
    case = make_case(world, Status.ACCEPTED)
    assert case.tier == Tier.COMMUNITY
    result = run_sweep(case.dispatch_due + dt.timedelta(minutes=1))
    assert (result.breached, result.escalated) == (1, 1)
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.tier == Tier.SUBDISTRICT
    assert case.supervision and case.escalation_count == 1 and case.reached_above_community
    assert case.next_due > case.escalated_at
    event = Event.objects.filter(object_type="cases.case", object_id=str(case.pk), verb="case.escalate").get()
    assert event.payload["by"] == "sweep" and event.payload["breached_stage"] == "dispatch"
    assert Notification.objects.filter(recipient=world.subdistrict_officer, object_id=str(case.pk)).exists()


def test_a_second_sweep_at_the_same_moment_changes_nothing(world, frozen_now):
    cases = [make_case(world, Status.ACCEPTED), make_case(world, Status.REPORTED),
             make_case(world, Status.DISPATCHED)]
    at = frozen_now + dt.timedelta(days=3)
    first = run_sweep(at)
    assert first.breached == 3
    events_after_first = Event.objects.count()
    snapshot = list(Case.objects.order_by("pk").values_list("status", "tier", "next_due", "updated_at"))
    second = run_sweep(at)
    assert second.breached == 0 and (second.escalated, second.flagged, second.resumed) == (0, 0, 0)
    assert Event.objects.count() == events_after_first
    assert list(Case.objects.order_by("pk").values_list("status", "tier", "next_due", "updated_at")) == snapshot
    assert len(cases) == 3


def test_a_breached_acknowledgement_ends_the_open_assignments(world, frozen_now):
    case = make_case(world, Status.DISPATCHED, co_handlers=[world.dept_housing])
    run_sweep(case.acknowledge_due + dt.timedelta(seconds=1))
    case.refresh_from_db()
    assert case.tier == Tier.SUBDISTRICT and case.status == Status.ACCEPTED
    assert not Assignment.objects.filter(case=case, active=True).exists()
    assert set(Assignment.objects.filter(case=case).values_list("status", flat=True)) == {AssignmentStatus.ENDED}
    assert Notification.objects.filter(recipient=world.department_handler, verb="case.escalate").exists()


def test_a_breached_accept_deadline_is_flagged_without_changing_state_and_not_again(world, frozen_now):
    case = make_case(world, Status.REPORTED)
    result = run_sweep(case.accept_due + dt.timedelta(minutes=5))
    assert result.flagged == 1
    case.refresh_from_db()
    assert case.status == Status.REPORTED and case.supervision and case.next_due is None
    assert Notification.objects.filter(recipient=world.community_staff, verb="case.supervise").exists()
    assert run_sweep(case.accept_due + dt.timedelta(days=1)).breached == 0


def test_a_case_at_the_zone_tier_is_flagged_not_escalated(world, frozen_now):
    case = make_case(world, Status.ACCEPTED, tier=Tier.ZONE)
    result = run_sweep(case.dispatch_due + dt.timedelta(minutes=1))
    assert (result.escalated, result.flagged) == (0, 1)
    case.refresh_from_db()
    assert case.tier == Tier.ZONE and case.supervision
    assert Notification.objects.filter(recipient=world.zone_leader, verb="case.supervise").exists()


def test_the_sweep_resumes_a_suspended_case_at_its_review_date(world, frozen_now):
    case = make_case(world, Status.IN_PROGRESS)
    left = case.handle_due - frozen_now
    clock.freeze(frozen_now + dt.timedelta(hours=2))
    services.case_suspend(actor=world.subdistrict_officer, case=case, reason="等待汛期结束",
                          review_at=dt.date(2026, 12, 10))
    case.refresh_from_db()
    assert case.status == Status.SUSPENDED and case.next_due == case.resume_at
    review = case.resume_at
    assert run_sweep(review - dt.timedelta(minutes=1)).breached == 0
    result = run_sweep(review)
    assert result.resumed == 1
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.resume_at is None
    # five working days were left (Thursday 26 November to Wednesday 2 December); the review moment, 10 December
    # 00:00, is the end of Wednesday 9 December: they run Thursday 10 to Wednesday 16 December
    assert left > dt.timedelta(days=7)
    assert case.handle_due == workdays.add_working_days(review, 5) == review + dt.timedelta(days=7)
    assert case.next_due == case.handle_due


def test_nothing_to_do_is_a_single_indexed_query(world, frozen_now, django_assert_max_num_queries):
    make_case(world, Status.IN_PROGRESS)
    with django_assert_max_num_queries(1):
        assert run_sweep(frozen_now + dt.timedelta(minutes=1)).breached == 0


def test_the_sweep_command_runs_as_of_a_given_time_and_prints_its_result(world, frozen_now):
    case = make_case(world, Status.ACCEPTED)
    out = StringIO()
    local = dt.datetime.fromtimestamp(case.dispatch_due.timestamp() + 3600, tz=frozen_now.tzinfo)
    call_command("sweep", "--at", local.strftime("%Y-%m-%d %H:%M"), stdout=out)
    assert json.loads(out.getvalue())["escalated"] == 1
    assert Case.objects.get(pk=case.pk).tier == Tier.SUBDISTRICT


def test_the_celery_task_calls_the_same_sweep(world, frozen_now):
    from grassroots.cases.tasks import sweep

    case = make_case(world, Status.ACCEPTED)
    clock.freeze(case.dispatch_due + dt.timedelta(minutes=1))
    assert sweep()["escalated"] == 1
    assert Case.objects.get(pk=case.pk).supervision


def test_the_sweep_skips_a_case_someone_moved_before_it_got_there(world, frozen_now):
    case = make_case(world, Status.ACCEPTED)
    clock.freeze(case.dispatch_due + dt.timedelta(minutes=1))
    services.case_dispatch(actor=world.community_staff, case=case, lead=world.dept_city)
    result = run_sweep()
    assert result.breached == 0
    assert Case.objects.get(pk=case.pk).status == Status.DISPATCHED


def test_the_sweeps_escalation_of_one_case_refuses_a_case_that_is_not_breached(world, frozen_now):
    from grassroots.core.errors import Conflict

    case = make_case(world, Status.ACCEPTED)
    with pytest.raises(Conflict) as err:
        services.case_escalate(actor=None, case=case, by_sweep=True)
    assert err.value.code == "not_breached"
    clock.freeze(case.dispatch_due)
    escalated = services.case_escalate(actor=None, case=case, by_sweep=True)
    assert escalated.tier == Tier.SUBDISTRICT and escalated.supervision
    assert services.sweep_escalate_many([case.pk]) == []  # already dealt with
    with pytest.raises(Conflict):
        services.sweep_flag(case=case)


def test_bulk_escalation_writes_one_event_and_the_notifications_per_case(world, frozen_now):
    cases = [make_case(world, Status.DISPATCHED) for _ in range(3)]
    at = max(c.acknowledge_due for c in cases)
    before = Notification.objects.filter(verb="case.escalate").count()
    result = run_sweep(at)
    assert result.escalated == 3 and result.skipped == 0
    for case in cases:
        assert Event.objects.filter(object_type="cases.case", object_id=str(case.pk), verb="case.escalate").count() == 1
        assert Notification.objects.filter(object_id=str(case.pk), recipient=world.department_handler,
                                           verb="case.escalate").exists()
    assert Notification.objects.filter(verb="case.escalate").count() - before == 6  # subdistrict officer + unit


def test_the_sweep_lag_is_the_age_of_the_oldest_deadline_still_waiting(world, frozen_now):
    from grassroots.cases.sweep import lag_seconds

    case = make_case(world, Status.ACCEPTED)
    assert lag_seconds() == 0.0
    at = case.dispatch_due + dt.timedelta(minutes=5)
    assert lag_seconds(at) == 300.0
    run_sweep(at)
    assert lag_seconds(at) == 0.0
