"""KPI weights move from the cases app: the table is created here and the rows are carried over (ids and
timestamps kept) before ``cases.0004_kpiweight_moved_to_metrics`` drops the old table; backwards the
rows go back into the recreated cases table before this one is dropped."""

from django.core.management.color import no_style
from django.db import migrations, models


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
    _move(apps, schema_editor, ("cases", "KpiWeight"), ("metrics", "KpiWeight"))


def backwards(apps, schema_editor):
    _move(apps, schema_editor, ("metrics", "KpiWeight"), ("cases", "KpiWeight"))


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0002_case_indexes_for_intake'),
    ]
    run_before = [
        ('cases', '0004_kpiweight_moved_to_metrics'),
    ]

    operations = [
        migrations.CreateModel(
            name='KpiWeight',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('unit_kind', models.CharField(blank=True, choices=[('', '全部'), ('department', '部门'), ('community', '社区'), ('subdistrict', '街道'), ('grid', '网格'), ('grid_worker', '网格员')], max_length=16, verbose_name='考核对象')),
                ('indicator', models.CharField(max_length=32, verbose_name='指标')),
                ('weight', models.DecimalField(decimal_places=4, max_digits=5, verbose_name='权重')),
                ('active', models.BooleanField(default=True, verbose_name='在用')),
            ],
            options={
                'verbose_name': '考核权重',
                'verbose_name_plural': '考核权重',
                'ordering': ['unit_kind', 'indicator'],
                'constraints': [models.UniqueConstraint(fields=('unit_kind', 'indicator'), name='metrics_kpi_weight_unique'), models.CheckConstraint(condition=models.Q(('weight__gte', 0), ('weight__lte', 1)), name='metrics_kpi_weight_range')],
            },
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
