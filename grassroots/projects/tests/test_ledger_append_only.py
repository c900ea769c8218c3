"""The fund ledger is append-only in the database itself (projects migration 0002): UPDATE and DELETE are refused
through the ORM and through raw SQL; only wiping whole tables (flush, demo --reset) empties it."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from grassroots.core import audit_guard
from grassroots.projects import fund as fundsvc
from grassroots.projects.models import LedgerEntry

pytestmark = pytest.mark.django_db


def donate(w, amount=100, **kw):
    return fundsvc.donation_record(actor=w.community_staff, fund=w.fund, amount=amount, donor_kind="person",
                                   donor_name="王先生", **kw)


@pytest.fixture
def entry(fund_world):
    return donate(fund_world, 500)


def test_inserting_entries_and_corrections_works(fund_world, entry):
    correction = fundsvc.correction_record(actor=fund_world.community_staff, entry=entry, reason="录入错误")
    assert LedgerEntry.objects.filter(fund=fund_world.fund).count() == 2
    entry.refresh_from_db()
    assert entry.correction == correction and correction.corrects == entry
    assert fundsvc.reconcile(fund_world.fund)["problems"] == []


def test_database_refuses_update_through_the_orm(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(purpose="tampered")
    entry.amount = 1
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()
    stored = LedgerEntry.objects.get(pk=entry.pk)
    assert stored.purpose.startswith("捐赠") and stored.amount == 500


def test_database_refuses_delete_through_the_orm(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.delete()
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_database_refuses_raw_sql_update_and_delete(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE projects_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE projects_ledgerentry SET corrects_id = id WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM projects_ledgerentry")
    assert LedgerEntry.objects.get(pk=entry.pk).amount == 500


def test_the_trigger_is_installed_for_this_database(db):
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'projects_ledgerentry'")
            assert {r[0] for r in cur.fetchall()} == {"projects_ledgerentry_no_update",
                                                      "projects_ledgerentry_no_delete"}
        else:
            cur.execute("SELECT tgname FROM pg_trigger "
                        "WHERE tgrelid = 'projects_ledgerentry'::regclass AND NOT tgisinternal")
            assert [r[0] for r in cur.fetchall()] == ["projects_ledgerentry_append_only"]


def test_the_demo_reset_empties_the_ledger_and_the_lock_comes_back(fund_world, entry):
    from grassroots.demo import generator

    counts = generator.reset_database()
    assert counts["projects_ledgerentry"] == 1 and not LedgerEntry.objects.exists()
    assert not audit_guard.unlocked()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT current_setting('grassroots.wipe', true)")
            assert cur.fetchone()[0] != "on"


def test_a_failed_demo_reset_leaves_the_ledger_locked(fund_world, entry, monkeypatch):
    from grassroots.demo.generator import reset

    plan = reset.reset_plan()
    monkeypatch.setattr(reset, "reset_plan", lambda: [*plan, None])  # fails after the deletes
    with pytest.raises(AttributeError):
        reset.reset_database()
    assert LedgerEntry.objects.filter(pk=entry.pk).exists() and not audit_guard.unlocked()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.django_db(transaction=True)
def test_flush_still_wipes_the_ledger(fund_world):
    donate(fund_world, 100)
    call_command("flush", interactive=False, verbosity=0)
    assert LedgerEntry.objects.count() == 0
