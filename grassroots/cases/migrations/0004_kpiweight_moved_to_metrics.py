"""KPI weights move to the metrics app: ``metrics.0001_initial`` carries the rows over before this drops the old
table (and, backwards, puts them back after this recreates it)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_policysetting_moved_to_core'),
    ]

    operations = [
        migrations.DeleteModel(
            name='KpiWeight',
        ),
    ]
