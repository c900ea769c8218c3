"""Policy settings move to core (``core.PolicySetting``, read through ``core.policy``): the rows are carried over
(ids and timestamps kept) before the old table is dropped; backwards the table comes back and the rows return."""

from django.core.management.color import no_style
from django.db import migrations


def _move(apps, schema_editor, source: tuple[str, str], target: tuple[str, str]) -> None:
    """Move every row of ``source`` into the (empty) ``target`` with the same ids and timestamps."""
    source_model, target_model = apps.get_model(*source), apps.get_model(*target)
    connection = schema_editor.connection
    names = [f.attname for f in source_model._meta.concrete_fields]
    rows = list(source_model.objects.using(connection.alias).values(*names))
    if not rows:
        return
    copies = target_model.objects.using(connection.alias).bulk_create([target_model(**row) for row in rows])
    for copy, row in zip(copies, rows, strict=True):  # bulk_create stamped auto_now(_add) fields with "now"
        copy.created_at, copy.updated_at = row["created_at"], row["updated_at"]
    target_model.objects.using(connection.alias).bulk_update(copies, ["created_at", "updated_at"])
    source_model.objects.using(connection.alias).all().delete()
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [target_model]):
            cursor.execute(sql)


def forwards(apps, schema_editor):
    _move(apps, schema_editor, ("cases", "PolicySetting"), ("core", "PolicySetting"))


def backwards(apps, schema_editor):
    _move(apps, schema_editor, ("core", "PolicySetting"), ("cases", "PolicySetting"))


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_case_indexes_for_intake'),
        ('core', '0004_policysetting'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.DeleteModel(
            name='PolicySetting',
        ),
    ]
