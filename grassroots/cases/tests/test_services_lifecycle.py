import pytest

from grassroots.cases import services
from grassroots.cases.models import Assignment, Case
from grassroots.cases.states import AssignmentStatus, Status
from grassroots.cases.tests.factories import make_case, make_evidence
from grassroots.core.models import Event

pytestmark = pytest.mark.django_db


def test_a_case_walks_the_whole_loop_with_an_event_per_move(world, frozen_now):
    case = make_case(world, status=Status.CLOSED, co_handlers=[world.dept_housing])
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closed_at is not None
    verbs = list(Event.objects.filter(object_type="cases.case", object_id=str(case.pk)).values_list("verb", flat=True))
    assert verbs == ["case.report", "case.accept", "case.dispatch", "case.acknowledge", "case.acknowledge",
                     "case.part_done", "case.handle", "case.verify_pass"]
    assert not Assignment.objects.filter(case=case, active=True).exists()


def test_lead_acknowledgement_moves_the_case_to_in_progress_and_starts_the_handle_clock(world, frozen_now):
    case = make_case(world, status=Status.DISPATCHED)
    assert case.handle_due is None
    case = services.case_acknowledge(actor=world.department_handler, case=case)
    assert case.status == Status.IN_PROGRESS
    assert case.handle_due > frozen_now and case.next_due == case.handle_due
    lead = Assignment.objects.get(case=case)
    assert lead.status == AssignmentStatus.ACKNOWLEDGED and lead.acknowledged_at == frozen_now


def test_handle_waits_for_every_co_handler(world, frozen_now):
    from grassroots.core.errors import Conflict

    case = make_case(world, status=Status.IN_PROGRESS, co_handlers=[world.dept_housing])
    evidence = make_evidence(world.department_handler)
    with pytest.raises(Conflict) as err:
        services.case_handle(actor=world.department_handler, case=case, result="完成", evidence=[evidence.pk])
    assert err.value.code == "co_handlers_pending"
    services.case_part_done(actor=world.department_handler2, case=case)
    case = services.case_handle(actor=world.department_handler, case=case, result="完成", evidence=[evidence.pk])
    assert Case.objects.get(pk=case.pk).status == Status.HANDLED
