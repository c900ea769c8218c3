"""有呼必应 in the closed loop: time limits keyed by the appeal's type and urgency, the commissioner's answer with a
closure kind, the enterprise's rating, the second dispatch to a unit the dispatcher chooses, and who may do what."""

import datetime as dt

import pytest

from grassroots.cases import policy, services
from grassroots.cases.models import Assignment, TimeLimit
from grassroots.cases.states import Channel, Stage, Status, TimeUnit
from grassroots.core.errors import Conflict, NotFound, ValidationFailed
from tests.support.world import scope_test

from .factories import make_evidence, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner(world):
    from tests.support.world import make_user

    return make_user("sc_e1", role="service_commissioner", region=world.e1)


def appeal(world, **kw):
    kw.setdefault("appeal_type", "help")
    return report(world, channel=Channel.ENTERPRISE, enterprise=world.enterprise, region=world.e1, **kw).case


@pytest.mark.parametrize(("kw", "stage", "expected"), [
    ({"appeal_type": "consult"}, Stage.HANDLE, (1, TimeUnit.HOURS)),         # a question within the hour
    ({"appeal_type": "consult"}, Stage.ACCEPT, (1, TimeUnit.HOURS)),
    ({"appeal_type": "help", "urgent": True}, Stage.ACKNOWLEDGE, (2, TimeUnit.HOURS)),  # urgent: acknowledged in 2 h
    ({"appeal_type": "complaint"}, Stage.HANDLE, (2, TimeUnit.WORKING_DAYS)),  # investigation: two working days
    ({"appeal_type": "report", "urgent": True}, Stage.HANDLE, (2, TimeUnit.WORKING_DAYS)),  # urgent keys first
    ({"appeal_type": "help"}, Stage.HANDLE, (5, TimeUnit.WORKING_DAYS)),       # no appeal row: the general limit
])
def test_time_limits_per_appeal_type(world, frozen_now, kw, stage, expected):
    case = appeal(world, **kw)
    assert policy.limit(case.category, case.tier, stage, case.appeal_keys) == expected


def test_an_appeal_row_overrides_the_built_in_and_other_channels_ignore_it(world, frozen_now):
    TimeLimit.objects.create(stage=Stage.HANDLE, appeal_type="consult", amount=30, unit=TimeUnit.MINUTES)
    policy.invalidate()
    case = appeal(world, appeal_type="consult")
    assert case.accept_due == frozen_now + dt.timedelta(hours=1)
    assert policy.limit(case.category, case.tier, Stage.HANDLE, case.appeal_keys) == (30, TimeUnit.MINUTES)
    patrol = report(world).case
    assert patrol.appeal_type == "" and patrol.appeal_keys == ()


def test_bad_appeal_fields_are_refused(world, frozen_now):
    with pytest.raises(ValidationFailed) as exc:
        appeal(world, appeal_type="gossip")
    assert exc.value.field == "appeal_type"
    with pytest.raises(ValidationFailed) as exc:
        appeal(world, topics=["weather"])
    assert exc.value.field == "topics"
    assert appeal(world, appeal_type="").appeal_type == "help"  # no type given: 求助


def test_the_commissioner_answers_the_enterprise_rates_and_an_unsatisfied_rating_goes_to_another_unit(
        world, frozen_now, commissioner):
    case = appeal(world, appeal_type="consult", title="研发费用加计扣除怎么申报")
    with pytest.raises(ValidationFailed):
        services.case_answer(actor=commissioner, case=case, result="", closure_kind="explained")
    case = services.case_answer(actor=commissioner, case=case, result="已电话讲解并发送申报指南",
                                closure_kind="explained")
    assert (case.status, case.closure_kind) == (Status.CLOSED, "explained")
    services.case_rate(actor=world.enterprise_contact, case=case, resolved=False, satisfaction="unsatisfied")
    case = services.case_redispatch(actor=commissioner, case=case, lead=world.dept_housing, reason="企业仍不清楚")
    assert case.status == Status.DISPATCHED and case.rating_round == 2 and case.closure_kind == ""
    lead = Assignment.objects.get(case=case, active=True, role="lead")
    assert lead.organization == world.dept_housing  # a unit the dispatcher chose, not the last lead
    with pytest.raises(Conflict):  # the rating has been dealt with; the case is not closed
        services.case_redispatch(actor=commissioner, case=case, lead=world.dept_city, reason="x")


def test_a_dispatched_appeal_is_closed_planned_and_the_rating_still_decides(world, frozen_now):
    from tests.support.world import make_user

    staff = make_user("park_staff_c", role="community_staff", region=world.p1)
    case = services.case_accept(actor=staff, case=appeal(world))
    case = services.case_dispatch(actor=staff, case=case, lead=world.dept_city)
    case = services.case_acknowledge(actor=world.department_handler, case=case)
    with pytest.raises(ValidationFailed):
        services.case_handle(actor=world.department_handler, case=case, result="x",
                             evidence=[make_evidence(world.department_handler).pk], closure_kind="forgotten")
    case = services.case_handle(actor=world.department_handler, case=case, result="明年纳入改造计划",
                                evidence=[make_evidence(world.department_handler).pk], closure_kind="planned")
    assert case.closure_kind == "planned"


def test_who_may_answer(world, frozen_now, commissioner):
    from tests.support.world import make_user

    stranger = make_user("sc_other", role="service_commissioner", region=world.g1)
    case = appeal(world)
    with pytest.raises(NotFound):  # out of scope: missing
        services.case_answer(actor=stranger, case=case, result="x")
    patrol = report(world).case
    with pytest.raises(Exception) as exc:
        services.case_answer(actor=world.community_staff, case=patrol, result="x")
    assert exc.type.__name__ in ("NotPermitted", "Conflict")
    from grassroots.cases.models import Case
    from grassroots.cases.selectors import visible_q

    assert Case.objects.filter(visible_q(commissioner)).count() == 1  # the appeal, not the patrol report


@scope_test("cases_answer", "cases_redispatch")
def test_the_api_answers_and_dispatches_again_in_scope_only(world, frozen_now, commissioner, api):
    case = appeal(world, appeal_type="consult")
    stranger = api(world.other_staff)
    assert stranger.post(f"/{case.pk}/answer", {"result": "x"}).status_code == 404
    r = api(commissioner).post(f"/{case.pk}/answer", {"result": "已答复", "closure_kind": "explained"})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    services.case_rate(actor=world.enterprise_contact, case=case, resolved=False, satisfaction="unsatisfied")
    assert stranger.post(f"/{case.pk}/redispatch", {"lead": world.dept_city.pk, "reason": "x"}).status_code == 404
    r = api(commissioner).post(f"/{case.pk}/redispatch", {"lead": world.dept_city.pk, "reason": "仍未解决"})
    assert r.status_code == 200 and r.json()["status"] == "dispatched"
    detail = api(commissioner).get(f"/{case.pk}").json()
    assert detail["appeal_type"] == "consult" and detail["closure_kind"] == ""
