"""The audit table is append-only in the database itself.

PostgreSQL: a plpgsql function raised by a ``BEFORE UPDATE OR DELETE`` row trigger on ``core_event``.
SQLite: ``BEFORE UPDATE`` / ``BEFORE DELETE`` triggers that ``RAISE(ABORT, …)``.

Retention: events are kept at least six months (docs/personal-data.md § Audit, 等保 2.0).
There is no command that deletes events; archiving
older rows is an operator's task on PostgreSQL (see docs/operations.md), done by a database role that owns the table.

The only exception is ``manage.py flush`` (wipes a whole development or test database): on PostgreSQL it uses
TRUNCATE, which row triggers do not see; on SQLite it deletes row by row, so the delete trigger asks the SQL
function ``grassroots_audit_unlocked()`` — registered on every connection Django opens, true only while our
``flush`` command runs. A connection that does not register it (the sqlite3 shell) cannot delete at all.

Other append-only tables (the fund ledger ``projects_ledgerentry``) use the same SQLite function. Their PostgreSQL
trigger also lets a DELETE through while the transaction has set ``grassroots.wipe`` (``unlock_for_wipe``, used only
by ``grassroots demo --reset``, which empties whole tables); ``core_event``'s PostgreSQL trigger never does.
"""

from __future__ import annotations

import contextlib
import threading

MESSAGE = "core_event is append-only (audit log)"
WIPE_SETTING = "grassroots.wipe"
_state = threading.local()

SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS core_event_no_update BEFORE UPDATE ON core_event
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS core_event_no_delete BEFORE DELETE ON core_event
        WHEN NOT grassroots_audit_unlocked()
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS core_event_no_update",
    "DROP TRIGGER IF EXISTS core_event_no_delete",
]
POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION core_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END;
        $$""",
    "DROP TRIGGER IF EXISTS core_event_append_only ON core_event",
    """CREATE TRIGGER core_event_append_only BEFORE UPDATE OR DELETE ON core_event
        FOR EACH ROW EXECUTE FUNCTION core_event_append_only()""",
]
POSTGRES_REMOVE = [
    "DROP TRIGGER IF EXISTS core_event_append_only ON core_event",
    "DROP FUNCTION IF EXISTS core_event_append_only()",
]


def unlocked() -> bool:
    return bool(getattr(_state, "unlocked", False))


@contextlib.contextmanager
def unlock_for_flush():
    """Only for wiping a whole database (``flush``); never for single rows."""
    previous = unlocked()
    _state.unlocked = True
    try:
        yield
    finally:
        _state.unlocked = previous


@contextlib.contextmanager
def unlock_for_wipe(connection):
    """Only for emptying whole tables (``demo --reset``), inside ``transaction.atomic()``; never for single rows.

    SQLite: the flag ``flush`` sets. PostgreSQL: ``grassroots.wipe`` set for this transaction only (rolled back with
    it on error, set back to off on the way out)."""
    postgres = connection.vendor == "postgresql"
    with unlock_for_flush():
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [WIPE_SETTING])
        yield
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', true)", [WIPE_SETTING])


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """connection_created receiver: make ``grassroots_audit_unlocked()`` available to the triggers."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("grassroots_audit_unlocked", 0, lambda: 1 if unlocked() else 0)


def install(schema_editor) -> None:
    statements = POSTGRES_INSTALL if schema_editor.connection.vendor == "postgresql" else SQLITE_INSTALL
    if schema_editor.connection.vendor not in {"postgresql", "sqlite"}:
        return
    for sql in statements:
        schema_editor.execute(sql)


def remove(schema_editor) -> None:
    statements = POSTGRES_REMOVE if schema_editor.connection.vendor == "postgresql" else SQLITE_REMOVE
    if schema_editor.connection.vendor not in {"postgresql", "sqlite"}:
        return
    for sql in statements:
        schema_editor.execute(sql)
