"""The demo's case history follows the transition table: states, events and deadlines agree."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from grassroots.cases import policy
from grassroots.cases.models import Assignment, Case, Rating
from grassroots.cases.states import DUE_FIELD, RUNNING_STAGE, TRANSITIONS, Channel, Stage, Status, table_verb
from grassroots.core.events import verbs
from grassroots.core.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_cases(django_db_setup, django_db_blocker):
    """The small core zone plus the cases' history, built once for the module and rolled back afterwards."""
    from django.db import transaction

    from grassroots.cases import demo
    from grassroots.demo import generator

    with django_db_blocker.unblock(), transaction.atomic():
        ctx = generator.build(size="small", seed=11, with_extensions=False)
        demo.build(ctx)
        yield ctx
        transaction.set_rollback(True)
    policy.invalidate()  # the policy rows were rolled back: no cached copy may outlive them


def test_every_demo_case_is_in_the_state_its_last_event_moved_it_to(demo_cases):
    cases = dict(Case.objects.values_list("pk", "status"))
    assert len(cases) == demo_cases.stats["cases"] == 500
    timeline = defaultdict(list)
    for object_id, at, verb, from_state, to_state in Event.objects.filter(object_type="cases.case").order_by(
            "id").values_list("object_id", "at", "verb", "from_state", "to_state"):
        timeline[int(object_id)].append((at, verb, from_state, to_state))
    assert set(timeline) == set(cases)
    for pk, status in cases.items():
        events = timeline[pk]
        assert all(e[1].startswith("case.") for e in events), pk  # the entity.verb convention, as the services
        assert events[0][1] in verbs("case.report") and events[-1][3] == status, (pk, events)
        assert [e[0] for e in events] == sorted(e[0] for e in events), pk  # written in time order
        for (_, _, _, before), (_, verb, from_state, to_state) in zip(events, events[1:], strict=False):
            move = TRANSITIONS[table_verb(verb)]
            assert from_state == before and from_state in move.sources, (pk, verb, from_state)
            assert to_state == move.target_for(from_state, to_state), (pk, verb)


def test_demo_deadlines_come_from_the_policy(demo_cases):
    for case in Case.objects.select_related("category"):
        assert case.accept_due == policy.due(case.category, case.category.default_tier, Stage.ACCEPT,
                                             case.reported_at)
        running = RUNNING_STAGE.get(case.status)
        if running and not case.supervision:
            assert case.next_due == getattr(case, DUE_FIELD[running])
        if case.status in (Status.CLOSED, Status.REJECTED):
            assert case.next_due is None


def test_demo_history_has_a_realistic_mix(demo_cases):
    channels = Counter(Case.objects.values_list("channel", flat=True))
    assert channels[Channel.GRID_PATROL] > channels[Channel.HOTLINE] > 0 and channels[Channel.RESIDENT] > 0
    statuses = Counter(Case.objects.values_list("status", flat=True))
    assert statuses[Status.CLOSED] > 300 and statuses[Status.REJECTED] > 0
    assert Case.objects.filter(resolved_on_site=True).exists() and Case.objects.filter(rework_count__gt=0).exists()
    assert Case.objects.filter(supervision=True).exists()
    assert Rating.objects.filter(satisfaction="unsatisfied").exists() and Rating.objects.count() > 50
    assert Assignment.objects.filter(role="co").exists()
    assert not Case.objects.filter(channel=Channel.ENTERPRISE, is_public=True).exists()
    open_cases = Case.objects.exclude(status__in=[Status.CLOSED, Status.REJECTED])
    assert open_cases.exists() and not Assignment.objects.filter(case__status=Status.CLOSED, active=True).exists()


def test_the_demo_calls_back_every_old_closed_case_so_only_recent_ones_wait(demo_cases):
    import datetime as dt

    from grassroots.cases import selectors
    from grassroots.people.models import User

    hotline = User.objects.filter(posts__role="hotline_operator").first()
    waiting = list(selectors.inbox(actor=hotline, queue="to_callback"))
    closed_to_call = Case.objects.filter(status=Status.CLOSED, channel__in=[Channel.HOTLINE, Channel.IMPORT_12345])
    assert closed_to_call.count() > 20
    assert len(waiting) < 10  # a working size: 500 cases a year here, about 50,000 in the full demo
    assert all(c.closed_at > demo_cases.now - dt.timedelta(days=4) for c in waiting)
    assert Rating.objects.filter(source="callback").count() > 20


def test_units_differ_in_how_their_cases_come_out(demo_cases):
    from grassroots.cases.states import Satisfaction

    by_unit = defaultdict(Counter)
    for org_id, satisfaction in Rating.objects.filter(case__assignments__role="lead").values_list(
            "case__assignments__organization_id", "satisfaction"):
        by_unit[org_id][satisfaction != Satisfaction.UNSATISFIED] += 1
    shares = [c[True] / (c[True] + c[False]) for c in by_unit.values() if c[True] + c[False] >= 10]
    assert len(shares) >= 3 and max(shares) - min(shares) > 0.1
