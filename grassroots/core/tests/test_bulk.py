import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from grassroots.core import clock, events
from grassroots.core.bulk import insert_many
from grassroots.core.models import Event, Notification


def _event(i: int, **extra) -> Event:
    return Event(at=clock.now(), actor_label="sweep", verb="test.bulk", object_type="test.thing", object_id=str(i),
                 from_state="a", to_state="b", outcome=Event.Outcome.SUCCESS, ip=None, user_agent="",
                 payload={"i": i, "reason": "受理超时", "nested": {"list": [1, 2]}}, **extra)


def test_insert_many_writes_what_save_would_write(db):
    saved = events.record(None, "test.bulk", object_type="test.thing", object_id=100, from_state="a", to_state="b",
                          payload={"i": 0, "reason": "受理超时", "nested": {"list": [1, 2]}})
    assert insert_many(Event, [_event(i) for i in range(1, 6)]) == 5
    rows = list(Event.objects.filter(verb="test.bulk").order_by("id").values(
        "actor_id", "actor_label", "object_id", "from_state", "to_state", "outcome", "ip", "payload", "at"))
    assert [r["object_id"] for r in rows] == ["100", "1", "2", "3", "4", "5"]
    assert rows[1]["payload"] == {"i": 1, "reason": "受理超时", "nested": {"list": [1, 2]}}
    assert {k: v for k, v in rows[0].items() if k not in ("payload", "at", "actor_label", "object_id")} == \
        {k: v for k, v in rows[1].items() if k not in ("payload", "at", "actor_label", "object_id")}
    assert abs(rows[1]["at"] - saved.at) < dt.timedelta(minutes=1)
    # JSON lookups work on the copied rows as on saved ones.
    assert Event.objects.filter(verb="test.bulk", payload__reason="受理超时").count() == 6


def test_insert_many_of_nothing_writes_nothing(db):
    assert insert_many(Notification, []) == 0
    assert not Notification.objects.exists()


def test_insert_many_runs_in_the_callers_transaction(db, world):
    with pytest.raises(RuntimeError), transaction.atomic():
        insert_many(Notification, [Notification(recipient=world.resident, created_at=clock.now(),
                                                verb="t", title=f"通知 {i}") for i in range(3)])
        assert Notification.objects.count() == 3
        raise RuntimeError("roll back")
    assert not Notification.objects.exists()


def test_insert_many_is_refused_by_constraints_as_an_insert_would_be(db):
    # A notification for a user that does not exist breaks the foreign key: nothing of the batch is written.
    with pytest.raises(DatabaseError), transaction.atomic():
        insert_many(Notification, [Notification(recipient_id=987654321, created_at=clock.now(), verb="t",
                                                title="x")])
        connection.check_constraints(table_names=["core_notification"])  # foreign keys are checked at commit
    assert not Notification.objects.exists()


def test_copied_events_stay_append_only(db):
    insert_many(Event, [_event(1)])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(verb="test.bulk").update(verb="tampered")


def test_insert_many_writes_in_batches(db):
    insert_many(Event, [_event(i) for i in range(7)], batch_size=3)
    assert Event.objects.filter(verb="test.bulk").count() == 7


# insert_together: a few rows of several models at once (intake writes a case, its event and notifications)


def test_insert_together_writes_rows_of_several_models_as_save_would(db, world, django_assert_max_num_queries):
    from grassroots.core import context
    from grassroots.core.bulk import insert_together
    from grassroots.core.notifications import build

    token = context.set_current(context.RequestContext(ip="203.0.113.7", user_agent="Mozilla/5.0 微信"))
    try:
        saved = events.record(world.grid_worker, "test.together", object_type="test.thing", object_id=1,
                              payload={"k": "值"})
        event = events.build(world.grid_worker, "test.together", object_type="test.thing", object_id=2,
                             payload={"k": "值"})
    finally:
        context.reset(token)
    rows = build([world.resident, world.grid_worker, world.resident], verb="t", title="通知", url="/x/")
    assert len(rows) == 2  # one per distinct recipient
    expected = 1 if connection.vendor == "postgresql" else 4  # one statement; elsewhere a transaction
    with django_assert_max_num_queries(expected):
        assert insert_together([event, *rows]) == 3
    got = list(Event.objects.filter(verb="test.together").order_by("id").values(
        "actor_id", "actor_label", "object_type", "outcome", "payload", "from_state", "to_state", "ip",
        "user_agent"))
    assert got[0] == got[1] and got[1]["payload"] == {"k": "值"} and got[1]["ip"] == "203.0.113.7"
    assert abs(Event.objects.filter(verb="test.together").latest("id").at - saved.at) < dt.timedelta(minutes=1)
    assert set(Notification.objects.values_list("recipient_id", "title", "url")) == {
        (world.resident.pk, "通知", "/x/"), (world.grid_worker.pk, "通知", "/x/")}
    assert not event._state.adding


def test_insert_together_fills_auto_now_fields_and_takes_given_primary_keys(db, world):
    from grassroots.core.bulk import insert_together
    from grassroots.people.models import Organization

    org = Organization(name="测试单位", kind=Organization.Kind.DEPARTMENT)
    org.pk = Organization.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    insert_together([org])
    row = Organization.objects.get(pk=org.pk)
    assert row.created_at is not None and row.updated_at is not None and row.name == "测试单位"


def test_insert_together_writes_nothing_when_one_row_is_refused(db):
    from grassroots.core.bulk import insert_together

    taken = events.record(None, "test.together", object_type="test.thing", object_id=1)
    clash = _event(2)
    clash.pk = taken.pk  # the primary key is taken: the statement (or transaction) fails as a whole
    before = Event.objects.count()
    with pytest.raises(DatabaseError), transaction.atomic():
        insert_together([_event(3), clash])
    assert Event.objects.count() == before


def test_insert_together_of_nothing_writes_nothing(db):
    from grassroots.core.bulk import insert_together

    assert insert_together([]) == 0


def test_values_travel_as_json_postgresql_reads_back_or_are_refused():
    import decimal
    import ipaddress

    from psycopg.types.json import Jsonb

    from grassroots.core.bulk import _json_value

    at = dt.datetime(2026, 11, 28, 4, 5, 6, 789, tzinfo=dt.UTC)
    assert _json_value(at) == "2026-11-28T04:05:06.000789+00:00"
    assert _json_value(decimal.Decimal("1.10")) == "1.10"
    assert _json_value(ipaddress.ip_address("10.0.0.1")) == "10.0.0.1"
    assert _json_value(ipaddress.ip_address("::1")) == "::1"
    assert _json_value(Jsonb({"原因": [1, None]})) == {"原因": [1, None]}
    assert _json_value(0.1 + 0.2) == 0.30000000000000004
    with pytest.raises(ValueError):
        _json_value(float("nan"))
    with pytest.raises(TypeError):
        _json_value(b"bytes")
