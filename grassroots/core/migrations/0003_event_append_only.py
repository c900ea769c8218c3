"""Audit log append-only in the database: triggers refusing UPDATE and DELETE on core_event (SQLite, PostgreSQL)."""

from django.db import migrations


def install(apps, schema_editor):
    from grassroots.core import audit_guard

    audit_guard.install(schema_editor)


def remove(apps, schema_editor):
    from grassroots.core import audit_guard

    audit_guard.remove(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
