"""Every verb × every role: allowed, refused for the role (NotPermitted), or out of scope (NotFound);
and every verb refused with Conflict (and the current state) when the case is in the wrong state."""

import datetime as dt

import pytest

from grassroots.cases import services
from grassroots.cases.models import Case
from grassroots.cases.states import Status
from grassroots.cases.tests.factories import make_case, make_evidence, report
from grassroots.core.errors import Conflict, NotFound, NotPermitted

pytestmark = pytest.mark.django_db

ROLES = ["grid_worker", "grid_worker3", "community_staff", "community_secretary", "other_staff",
         "subdistrict_officer", "department_handler", "department_handler2", "hotline_operator", "zone_leader",
         "party_instructor", "enterprise_contact", "resident", "admin", "auditor"]
# Who sees a grid-patrol case of grid G1 (community C1, subdistrict S1) at all.
REGION_VIEWERS = {"grid_worker", "community_staff", "community_secretary", "subdistrict_officer", "hotline_operator",
                  "zone_leader"}
UNITS = {"department_handler", "department_handler2"}  # lead 城市管理局, co-handler 住建局 once dispatched

COMMUNITY = {"community_staff", "community_secretary"}


def _rated_unsatisfied(w):
    case = make_case(w, Status.CLOSED, co_handlers=[w.dept_housing])
    services.case_rate(actor=w.grid_worker, case=case, resolved=False, satisfaction="unsatisfied")
    return case


def _with_extension(w):
    case = make_case(w, Status.IN_PROGRESS, co_handlers=[w.dept_housing])
    ext = services.case_request_extension(actor=w.department_handler, case=case, amount=2, unit="working_days",
                                          reason="材料采购")
    case.extension = ext
    return case


def _co_done(w):
    case = make_case(w, Status.IN_PROGRESS, co_handlers=[w.dept_housing])
    services.case_part_done(actor=w.department_handler2, case=case)
    return case


# verb → (set-up, kwargs(world, case, actor), roles allowed, dispatched?)
VERBS = {
    "accept": (lambda w: make_case(w, Status.REPORTED), lambda w, c, a: {}, COMMUNITY, False),
    "reject": (lambda w: make_case(w, Status.REPORTED), lambda w, c, a: {"reason": "不属实"}, COMMUNITY, False),
    "mark_duplicate": (lambda w: make_case(w, Status.REPORTED),
                       lambda w, c, a: {"original": report(w).case}, COMMUNITY, False),
    "resolve_on_site": (lambda w: make_case(w, Status.REPORTED), lambda w, c, a: {"note": "已清理"},
                        {"grid_worker"}, False),
    "dispatch": (lambda w: make_case(w, Status.ACCEPTED), lambda w, c, a: {"lead": w.dept_city}, COMMUNITY, False),
    "escalate": (lambda w: make_case(w, Status.ACCEPTED), lambda w, c, a: {"reason": "需街道协调"}, COMMUNITY,
                 False),
    "acknowledge": (lambda w: make_case(w, Status.DISPATCHED, co_handlers=[w.dept_housing]), lambda w, c, a: {},
                    UNITS, True),
    "return": (lambda w: make_case(w, Status.DISPATCHED, co_handlers=[w.dept_housing]),
               lambda w, c, a: {"reason": "不属于本单位职责"}, {"department_handler"}, True),
    "note": (lambda w: make_case(w, Status.IN_PROGRESS, co_handlers=[w.dept_housing]),
             lambda w, c, a: {"text": "已到现场查看"}, UNITS | COMMUNITY, True),
    "part_done": (lambda w: make_case(w, Status.IN_PROGRESS, co_handlers=[w.dept_housing]), lambda w, c, a: {},
                  {"department_handler2"}, True),
    "handle": (_co_done, lambda w, c, a: {"result": "已修复", "evidence": [make_evidence(a).pk] if a else []},
               {"department_handler"}, True),
    "verify_pass": (lambda w: make_case(w, Status.HANDLED, co_handlers=[w.dept_housing]), lambda w, c, a: {},
                    {"grid_worker"} | COMMUNITY, True),
    "verify_fail": (lambda w: make_case(w, Status.HANDLED, co_handlers=[w.dept_housing]),
                    lambda w, c, a: {"reason": "仍有积水"}, {"grid_worker"} | COMMUNITY, True),
    "rate": (lambda w: make_case(w, Status.CLOSED, co_handlers=[w.dept_housing]),
             lambda w, c, a: {"resolved": True, "satisfaction": "satisfied"}, {"grid_worker", "hotline_operator"},
             True),
    "reopen": (_rated_unsatisfied, lambda w, c, a: {"reason": "确未解决"}, COMMUNITY, True),
    "decline_reopen": (_rated_unsatisfied, lambda w, c, a: {"reason": "已按标准处置"}, COMMUNITY, True),
    "request_extension": (lambda w: make_case(w, Status.IN_PROGRESS, co_handlers=[w.dept_housing]),
                          lambda w, c, a: {"amount": 3, "unit": "working_days", "reason": "需采购材料"},
                          {"department_handler"}, True),
    "approve_extension": (_with_extension, lambda w, c, a: {}, {"subdistrict_officer"}, True),
    "suspend": (lambda w: make_case(w, Status.IN_PROGRESS, co_handlers=[w.dept_housing]),
                lambda w, c, a: {"reason": "待汛期结束", "review_at": dt.date(2099, 1, 1)}, {"subdistrict_officer"},
                True),
    "resume": (lambda w: make_case(w, Status.SUSPENDED, co_handlers=[w.dept_housing]), lambda w, c, a: {},
               {"subdistrict_officer"}, True),
    "supervise": (lambda w: make_case(w, Status.IN_PROGRESS, co_handlers=[w.dept_housing]),
                  lambda w, c, a: {"reason": "群众反映强烈"}, {"zone_leader", "subdistrict_officer"}, True),
}


def call(verb, actor, case, kwargs):
    if verb in ("approve_extension",):
        return services.case_approve_extension(actor=actor, extension=case.extension, **kwargs)
    return getattr(services, f"case_{verb}")(actor=actor, case=case, **kwargs)


def expected(verb, role):
    _, _, allowed, dispatched = VERBS[verb]
    if role in allowed:
        return "ok"
    if role in REGION_VIEWERS or (dispatched and role in UNITS):
        return "not_permitted"
    return "not_found"


@pytest.mark.parametrize("verb", sorted(VERBS))
@pytest.mark.parametrize("role", ROLES)
def test_each_verb_is_allowed_refused_or_out_of_scope_per_role(world, frozen_now, verb, role):
    setup, kwargs, _, _ = VERBS[verb]
    case = setup(world)
    actor = getattr(world, role)
    before = Case.objects.get(pk=case.pk)
    outcome = expected(verb, role)
    if outcome == "ok":
        call(verb, actor, case, kwargs(world, case, actor))
        return
    error = NotPermitted if outcome == "not_permitted" else NotFound
    with pytest.raises(error):
        call(verb, actor, case, kwargs(world, case, actor))
    after = Case.objects.get(pk=case.pk)
    assert (after.status, after.tier, after.updated_at) == (before.status, before.tier, before.updated_at)


WRONG_STATE = {verb: Status.CLOSED for verb in VERBS if verb not in ("rate", "reopen", "decline_reopen",
                                                                      "approve_extension")}
WRONG_STATE.update({"rate": Status.IN_PROGRESS, "reopen": Status.IN_PROGRESS, "decline_reopen": Status.HANDLED})


@pytest.mark.parametrize("verb", sorted(WRONG_STATE))
def test_each_verb_in_the_wrong_state_is_a_conflict_naming_the_current_state(world, frozen_now, verb):
    _, kwargs, allowed, _ = VERBS[verb]
    state = WRONG_STATE[verb]
    case = make_case(world, state, co_handlers=[world.dept_housing])
    actor = getattr(world, sorted(allowed)[0])
    with pytest.raises(Conflict) as err:
        call(verb, actor, case, kwargs(world, case, actor))
    assert err.value.details["current_state"] == state
    assert err.value.status == 409


def test_a_lapsed_extension_request_cannot_be_approved(world, frozen_now):
    case = _with_extension(world)
    services.case_part_done(actor=world.department_handler2, case=case)
    evidence = make_evidence(world.department_handler)
    services.case_handle(actor=world.department_handler, case=case, result="完成", evidence=[evidence.pk])
    with pytest.raises(Conflict) as err:
        services.case_approve_extension(actor=world.subdistrict_officer, extension=case.extension)
    assert err.value.code == "extension_lapsed"


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_the_case_page_offers_each_verb_to_exactly_the_roles_its_service_allows(world, frozen_now, verb):
    """The page's actions come from the same rules as the services (``permissions.can_<verb>``): every role that
    sees the case is offered the verb if and only if the service above lets it act."""
    from grassroots.cases import selectors
    from grassroots.cases.views import available_actions

    setup, _, allowed, _ = VERBS[verb]
    case = setup(world)
    for role in ROLES:
        if expected(verb, role) == "not_found":
            continue
        actor = getattr(world, role)
        offered = available_actions(actor, selectors.case_detail(actor=actor, pk=case.pk))
        assert (verb in offered) == (role in allowed), (verb, role, offered)
