"""A micro-project points at the resolution it carries out (until now ``Resolution.follow_up_project``, the one edge
from deliberation up to projects). 0004 copies the rows; deliberation 0005 drops the old column."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('deliberation', '0002_initial'),
        ('projects', '0002_ledger_append_only'),
    ]

    operations = [
        migrations.AddField(
            model_name='microproject',
            name='resolution',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='deliberation.resolution', verbose_name='决议'),
        ),
    ]
