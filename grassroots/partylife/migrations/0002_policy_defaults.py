from django.db import migrations


def forwards(apps, schema_editor):
    from grassroots.partylife.policy import ensure_defaults

    ensure_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("partylife", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
