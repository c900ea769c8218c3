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


def test_a_co_handler_equal_to_the_lead_is_refused_with_a_reason(world, frozen_now):
    from grassroots.core.errors import ValidationFailed

    case = make_case(world, status=Status.ACCEPTED)
    with pytest.raises(ValidationFailed) as err:
        services.case_dispatch(actor=world.community_staff, case=case, lead=world.dept_city,
                               co_handlers=[world.dept_housing, world.dept_city])
    assert err.value.code == "co_handler_is_lead" and err.value.field == "co_handlers"
    assert "城市管理局" in err.value.zh
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED and not Assignment.objects.filter(case=case).exists()


def test_a_co_handler_that_acknowledged_works_its_part_before_the_lead_acknowledges(world, frozen_now):
    case = make_case(world, status=Status.DISPATCHED, co_handlers=[world.dept_housing])
    services.case_acknowledge(actor=world.department_handler2, case=case)
    services.case_note(actor=world.department_handler2, case=case, text="已到现场勘查")
    services.case_part_done(actor=world.department_handler2, case=case, note="管线已排查")
    assert Case.objects.get(pk=case.pk).status == Status.DISPATCHED  # the lead has not acknowledged yet
    co = Assignment.objects.get(case=case, organization=world.dept_housing)
    assert co.status == AssignmentStatus.PART_DONE
    services.case_acknowledge(actor=world.department_handler, case=case)
    evidence = make_evidence(world.department_handler)
    case = services.case_handle(actor=world.department_handler, case=case, result="完成", evidence=[evidence.pk])
    assert case.status == Status.HANDLED


def test_a_unit_that_has_not_acknowledged_cannot_work_the_case_yet(world, frozen_now):
    from grassroots.core.errors import Conflict, NotPermitted

    case = make_case(world, status=Status.DISPATCHED, co_handlers=[world.dept_housing])
    with pytest.raises(NotPermitted):
        services.case_note(actor=world.department_handler2, case=case, text="先记一笔")
    with pytest.raises(NotPermitted):
        services.case_note(actor=world.department_handler, case=case, text="主办未报到")
    with pytest.raises(Conflict) as err:
        services.case_part_done(actor=world.department_handler2, case=case)
    assert err.value.code == "assignment_state"
    services.case_note(actor=world.community_staff, case=case, text="已电话催促报到")  # the dispatcher may note
