import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from grassroots.core import events
from grassroots.core.models import Event


@pytest.fixture
def event(db):
    return events.record(None, "test.something", object_type="test.thing", object_id=1, payload={"a": 1})


def test_inserting_an_event_works(event):
    assert Event.objects.filter(pk=event.pk, verb="test.something").exists()


def test_database_refuses_update_through_the_orm(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(verb="tampered")
    assert Event.objects.get(pk=event.pk).verb == "test.something"


def test_database_refuses_save_of_a_changed_event(event):
    event.outcome = "failure"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()
    assert Event.objects.get(pk=event.pk).outcome == "success"


def test_database_refuses_delete_through_the_orm(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        event.delete()
    assert Event.objects.filter(pk=event.pk).exists()


def test_database_refuses_raw_sql_update_and_delete(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE core_event SET payload = '{}' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM core_event")
    assert Event.objects.count() == 1


def test_the_trigger_is_installed_for_this_database(db):
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_event'")
            assert {r[0] for r in cur.fetchall()} == {"core_event_no_update", "core_event_no_delete"}
        else:
            cur.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_event'::regclass AND NOT tgisinternal")
            assert [r[0] for r in cur.fetchall()] == ["core_event_append_only"]


@pytest.mark.django_db(transaction=True)
def test_flush_still_wipes_a_whole_test_database():
    events.record(None, "test.flush")
    call_command("flush", interactive=False, verbosity=0)
    assert Event.objects.count() == 0
    events.record(None, "test.after_flush")
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.all().delete()
    assert Event.objects.count() == 1
