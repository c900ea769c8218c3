"""The case vocabulary: one table shape for the case and its assignments, and the audit verbs (``case.<verb>``
written, bare verbs of older rows read alike by the public timeline, the API and Open311)."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.cases import selectors
from grassroots.cases.states import (
    ASSIGNMENT_TRANSITIONS,
    TRANSITIONS,
    AssignmentStatus,
    Channel,
    Status,
    Transition,
    event_verb,
    table_verb,
)
from grassroots.core import events
from grassroots.core.models import Event

from .factories import make_case


def test_every_row_has_the_one_shape():
    for table in (TRANSITIONS, ASSIGNMENT_TRANSITIONS):
        for verb, move in table.items():
            assert isinstance(move, Transition) and move.verb == verb
            assert isinstance(move.sources, frozenset) and isinstance(move.alternatives, frozenset)
            assert move.target is None or move.target not in move.alternatives


def test_target_for_follows_the_row_and_refuses_a_move_it_does_not_have():
    assert TRANSITIONS["accept"].target_for(Status.REPORTED) == Status.ACCEPTED
    assert TRANSITIONS["note"].target_for(Status.IN_PROGRESS) == Status.IN_PROGRESS  # the status stays
    assert TRANSITIONS["acknowledge"].target_for(Status.DISPATCHED, Status.IN_PROGRESS) == Status.IN_PROGRESS
    assert TRANSITIONS["verify_fail"].target_for(Status.HANDLED, Status.ACCEPTED) == Status.ACCEPTED
    assert TRANSITIONS["resume"].target_for(Status.SUSPENDED, Status.DISPATCHED) == Status.DISPATCHED
    with pytest.raises(ValueError):
        TRANSITIONS["accept"].target_for(Status.CLOSED)
    with pytest.raises(ValueError):
        TRANSITIONS["handle"].target_for(Status.IN_PROGRESS, Status.CLOSED)
    assert ASSIGNMENT_TRANSITIONS["acknowledge"].target_for(AssignmentStatus.DISPATCHED) == \
        AssignmentStatus.ACKNOWLEDGED


def test_audit_verbs_are_entity_verb_and_the_bare_spelling_is_read_alike():
    assert event_verb("accept") == "case.accept"
    assert table_verb("case.accept") == table_verb("accept") == "accept"
    assert events.verbs("case.accept", "case.handle") == ("case.accept", "accept", "case.handle", "handle")
    assert events.verbs("auth.login") == ("auth.login",)  # other apps wrote entity.verb from the start


def _legacy(case, verb, from_state, to_state, at):
    """An event as the services wrote it before the convention (a bare verb)."""
    Event.objects.create(at=at, actor=None, actor_label="legacy", verb=verb, object_type="cases.case",
                         object_id=str(case.pk), from_state=from_state, to_state=to_state, outcome="success",
                         payload={})


def test_old_bare_verb_events_still_show_in_the_public_timeline_the_api_and_open311(world, frozen_now, client):
    case = make_case(world, Status.ACCEPTED, channel=Channel.RESIDENT, reporter=world.resident)
    assert list(Event.objects.filter(object_id=str(case.pk)).values_list("verb", flat=True)) == [
        "case.report", "case.accept"]
    _legacy(case, "dispatch", Status.ACCEPTED, Status.DISPATCHED, frozen_now + dt.timedelta(minutes=5))

    timeline = selectors.public_case_get(pk=case.pk)["timeline"]
    assert [e["verb"] for e in timeline] == ["report", "accept", "dispatch"]
    tracked = selectors.tracking_lookup(code=case.tracking_code)["timeline"]
    assert [e["verb"] for e in tracked] == ["report", "accept", "dispatch"]

    client.force_login(world.community_staff)
    api = client.get(f"/api/cases/{case.pk}/timeline").json()
    assert [e["verb"] for e in api] == ["report", "accept", "dispatch"]

    start, end = frozen_now - dt.timedelta(days=1), frozen_now + dt.timedelta(hours=1)
    updates = selectors_open311_updates(start, end)
    assert [(u[1], u[2]) for u in updates] == [(case.reference, "report"), (case.reference, "accept"),
                                               (case.reference, "dispatch")]


def selectors_open311_updates(start, end):
    from grassroots.cases.open311 import selectors as open311
    from grassroots.cases.open311.views import UPDATE_STATUS

    return open311.updates(actor=None, start=start, end=end, verbs=UPDATE_STATUS)
