"""Who acts next and by when (``permissions.next_steps``): one rule for the case page and the case API."""

from __future__ import annotations

import pytest
from django.utils import translation

from grassroots.cases import permissions, selectors, services
from grassroots.cases.states import Status, Tier
from grassroots.cases.tests.factories import make_case
from grassroots.core.roles import Role

pytestmark = pytest.mark.django_db


def _steps(world, case):
    detail = selectors.case_detail(actor=world.zone_leader, pk=case.pk)
    return permissions.next_steps(detail.case, detail.assignments, ratings=detail.ratings,
                                  extensions=detail.extensions)


def test_after_staff_accept_at_the_zone_tier_a_zone_level_dispatcher_dispatches_by_the_deadline(world, frozen_now):
    case = make_case(world, Status.ACCEPTED, tier=Tier.ZONE)
    [step] = _steps(world, case)
    assert step.verb == "dispatch" and set(step.roles) == {Role.HOTLINE_OPERATOR, Role.ZONE_LEADER}
    with translation.override("zh-hans"):
        assert step.due == case.dispatch_due and step.who == "区领导或热线坐席"
    with translation.override("en"):
        assert step.who == "District leader or Hotline operator" and step.label == "dispatch (or escalate)"


@pytest.mark.parametrize("status, verb, due_field", [
    (Status.REPORTED, "accept", "accept_due"),
    (Status.ACCEPTED, "dispatch", "dispatch_due"),
    (Status.HANDLED, "verify", "verify_due"),
])
def test_each_waiting_state_names_its_actor_and_deadline(world, frozen_now, status, verb, due_field):
    case = make_case(world, status)
    [step] = _steps(world, case)
    assert step.verb == verb and step.due == getattr(case, due_field) and step.due is not None and step.who


def test_units_are_named_while_dispatched_and_the_lead_waits_for_co_handlers(world, frozen_now):
    case = make_case(world, Status.DISPATCHED, co_handlers=[world.dept_housing])
    steps = _steps(world, case)
    assert [(s.verb, s.units) for s in steps] == [("acknowledge", ("城市管理局",)),
                                                    ("acknowledge", ("住房和城乡建设局",))]
    services.case_acknowledge(actor=world.department_handler, case=case)
    services.case_acknowledge(actor=world.department_handler2, case=case)
    case.refresh_from_db()
    part, handle = _steps(world, case)
    assert part.verb == "part_done" and part.units == ("住房和城乡建设局",)
    assert handle.verb == "handle" and handle.units == ("城市管理局",) and handle.waiting_for == ("住房和城乡建设局",)
    assert handle.due == case.handle_due


def test_a_closed_case_waits_for_a_callback_then_for_nobody(world, frozen_now):
    case = make_case(world, Status.CLOSED, channel="hotline", reporter_name="王先生", reporter_contact="13800000000")
    [step] = _steps(world, case)
    assert step.verb == "rate" and step.roles == (Role.HOTLINE_OPERATOR,)
    services.case_rate(actor=world.hotline_operator, case=case, resolved=True, satisfaction="satisfied")
    assert _steps(world, case) == []
    assert _steps(world, make_case(world, Status.CLOSED)) == []  # found on patrol: nobody to call back


def test_an_unsatisfied_rating_waits_for_community_staff_within_the_window(world, frozen_now):
    case = make_case(world, Status.CLOSED)
    services.case_rate(actor=world.grid_worker, case=case, resolved=False, satisfaction="unsatisfied")
    [step] = _steps(world, case)
    assert step.verb == "reopen" and step.due is not None and Role.COMMUNITY_STAFF in step.roles


def test_a_pending_extension_also_waits_for_the_tier_above(world, frozen_now):
    case = make_case(world, Status.IN_PROGRESS)
    services.case_request_extension(actor=world.department_handler, case=case, amount=1, unit="working_days",
                                    reason="雨天")
    verbs = [(s.verb, s.roles) for s in _steps(world, case)]
    assert verbs == [("handle", ()), ("approve_extension", (Role.SUBDISTRICT_OFFICER,))]


def test_the_case_api_gives_the_next_steps(world, frozen_now, api):
    case = make_case(world, Status.ACCEPTED, tier=Tier.ZONE)
    data = api(world.hotline_operator).get(f"/{case.pk}").json()
    [step] = data["next_steps"]
    assert step["verb"] == "dispatch" and set(step["roles"]) == {"hotline_operator", "zone_leader"}
    assert step["due"] is not None and step["who"] == "区领导或热线坐席"
