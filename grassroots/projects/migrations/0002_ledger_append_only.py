"""The fund ledger append-only in the database: triggers refusing UPDATE and DELETE on projects_ledgerentry.

No code path changes or removes an entry: a correction is a new entry pointing at the original through the
one-to-one ``corrects`` (so each entry is corrected at most once), and the original row is never touched. So every
UPDATE is refused, without exception.

DELETE is refused except for wiping whole tables: ``manage.py flush`` (PostgreSQL: TRUNCATE, which row triggers do
not see; SQLite: ``grassroots_audit_unlocked()``, see ``grassroots.core.audit_guard``) and ``grassroots demo --reset``
(``audit_guard.unlock_for_wipe``: the same SQLite function; on PostgreSQL the transaction-local setting
``grassroots.wipe``). A table rebuild by a later migration on SQLite drops these triggers: such a migration must
create them again.
"""

from django.db import migrations

MESSAGE = "projects_ledgerentry is append-only (fund ledger)"

SQLITE = [
    (f"""CREATE TRIGGER IF NOT EXISTS projects_ledgerentry_no_update BEFORE UPDATE ON projects_ledgerentry
         BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
     "DROP TRIGGER IF EXISTS projects_ledgerentry_no_update"),
    (f"""CREATE TRIGGER IF NOT EXISTS projects_ledgerentry_no_delete BEFORE DELETE ON projects_ledgerentry
         WHEN NOT grassroots_audit_unlocked()
         BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
     "DROP TRIGGER IF EXISTS projects_ledgerentry_no_delete"),
]

POSTGRES = [
    (f"""CREATE OR REPLACE FUNCTION projects_ledgerentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             IF TG_OP = 'DELETE' AND current_setting('grassroots.wipe', true) = 'on' THEN
                 RETURN OLD;
             END IF;
             RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
         END;
         $$""",
     "DROP FUNCTION IF EXISTS projects_ledgerentry_append_only()"),
    ("""CREATE TRIGGER projects_ledgerentry_append_only BEFORE UPDATE OR DELETE ON projects_ledgerentry
        FOR EACH ROW EXECUTE FUNCTION projects_ledgerentry_append_only()""",
     "DROP TRIGGER IF EXISTS projects_ledgerentry_append_only ON projects_ledgerentry"),
]


class VendorSQL(migrations.RunSQL):
    """RunSQL that runs only on one database vendor (and does nothing elsewhere)."""

    def __init__(self, vendor, sql, reverse_sql):
        self.vendor = vendor
        # one statement each, passed as a list so that it is executed whole (not split at the trigger body's ";")
        super().__init__([sql], [reverse_sql], elidable=False)

    def deconstruct(self):
        return self.__class__.__name__, [], {"vendor": self.vendor, "sql": self.sql[0],
                                            "reverse_sql": self.reverse_sql[0]}

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0001_initial"),
    ]

    operations = [
        *(VendorSQL("sqlite", sql, reverse) for sql, reverse in SQLITE),
        *(VendorSQL("postgresql", sql, reverse) for sql, reverse in POSTGRES),
    ]
