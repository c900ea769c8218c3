"""Two people acting on the same case at once: exactly one wins, the other gets Conflict with the current state.

On PostgreSQL the two attempts run in parallel threads (each with its own connection) released by a barrier; on
SQLite (one writer at a time) they run one after the other, and the assertion is the same.
"""

import threading

import pytest
from django.db import connection

from grassroots.cases import services
from grassroots.cases.models import Case
from grassroots.cases.states import Channel, Status
from grassroots.cases.tests.factories import make_case, make_category, make_evidence
from grassroots.core.errors import Conflict
from grassroots.core.models import Event
from tests.support.world import centre


def race(attempts):
    """Run the callables at once (PostgreSQL) or in turn (SQLite); return their results or Conflict states."""
    results = []
    lock = threading.Lock()

    def run(fn, barrier=None):
        try:
            if barrier is not None:
                barrier.wait(timeout=30)
            value = fn()
        except Conflict as exc:
            value = ("conflict", exc.details.get("current_state"))
        finally:
            if barrier is not None:
                connection.close()
        with lock:
            results.append(value)

    if connection.vendor == "postgresql":
        barrier = threading.Barrier(len(attempts))
        threads = [threading.Thread(target=run, args=(fn, barrier)) for fn in attempts]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    else:
        for fn in attempts:
            run(fn)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_staff_accepting_the_same_case_at_once_exactly_one_wins(world):
    case = make_case(world, Status.REPORTED)
    results = race([
        lambda: services.case_accept(actor=world.community_staff, case=case.pk).status,
        lambda: services.case_accept(actor=world.community_secretary, case=case.pk).status,
    ])
    assert sorted(results, key=str) == sorted([Status.ACCEPTED, ("conflict", Status.ACCEPTED)], key=str)
    assert Event.objects.filter(object_type="cases.case", object_id=str(case.pk), verb="case.accept").count() == 1


@pytest.mark.django_db(transaction=True)
def test_handle_and_escalate_at_once_leave_exactly_one_outcome(world):
    case = make_case(world, Status.IN_PROGRESS)
    evidence = make_evidence(world.department_handler)
    results = race([
        lambda: services.case_handle(actor=world.department_handler, case=case.pk, result="已修复",
                                     evidence=[evidence.pk]).status,
        lambda: services.case_escalate(actor=world.community_secretary, case=case.pk, reason="协调").status,
    ])
    winners = [r for r in results if not isinstance(r, tuple)]
    losers = [r for r in results if isinstance(r, tuple)]
    assert len(winners) == 1 and len(losers) == 1
    case.refresh_from_db()
    assert case.status == winners[0] == losers[0][1]
    assert Event.objects.filter(object_type="cases.case", object_id=str(case.pk),
                                verb__in=["case.handle", "case.escalate"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_retried_intake_racing_the_first_one_creates_one_case(world):
    category = make_category()
    lon, lat = centre(0)

    def submit():
        intake = services.case_report(actor=world.grid_worker, channel=Channel.GRID_PATROL, category=category,
                                      title="井盖缺失", lon=lon, lat=lat, idempotency_key="same-key")
        return intake.case.pk

    results = race([submit, submit])
    assert len(set(results)) == 1
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_intake_outside_a_transaction_lands_whole_or_not_at_all(world, monkeypatch):
    """Outside any transaction (a web request) intake takes its number, then writes the case, its event and its
    notifications together: on PostgreSQL as one statement, elsewhere in one transaction. A refused write
    leaves nothing behind (here a tracking code that is taken twice: the second try gets a new one)."""
    from django.test.utils import CaptureQueriesContext

    from grassroots.core.models import Notification

    category = make_category()
    lon, lat = centre(0)
    first = services.case_report(actor=world.grid_worker, channel=Channel.GRID_PATROL, category=category,
                                 title="井盖缺失", lon=lon, lat=lat)
    with CaptureQueriesContext(connection) as queries:
        second = services.case_report(actor=world.grid_worker, channel=Channel.GRID_PATROL, category=category,
                                      title="井盖缺失", lon=lon, lat=lat)
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "WITH"))]
    if connection.vendor == "postgresql":
        assert len(writes) == 2  # the number (with the case's id), then case + event + notifications at once
        assert "core_event" in writes[1] and "core_notification" in writes[1] and "cases_case" in writes[1]
    case = Case.objects.get(pk=second.case.pk)
    assert case.created_at is not None and case.updated_at is not None and case.reference > first.case.reference
    assert Event.objects.filter(object_type="cases.case", object_id=str(case.pk), verb="case.report").count() == 1
    assert Notification.objects.filter(object_type="cases.case", object_id=str(case.pk)).count() == 2

    codes = iter([case.tracking_code, "ABCDEFGHJKMN"])
    monkeypatch.setattr(services.intake, "new_tracking_code", lambda: next(codes))
    before = (Case.objects.count(), Event.objects.count(), Notification.objects.count())
    third = services.case_report(actor=world.grid_worker, channel=Channel.GRID_PATROL, category=category,
                                 title="井盖缺失", lon=lon, lat=lat)
    assert third.case.tracking_code == "ABCDEFGHJKMN"
    assert (Case.objects.count(), Event.objects.count(), Notification.objects.count()) == (
        before[0] + 1, before[1] + 1, before[2] + 2)
