"""Policy settings become a core mechanism every app reads (``core.policy``). The rows are carried over from the
cases app by ``cases.0003_policysetting_moved_to_core``."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_event_append_only'),
    ]

    operations = [
        migrations.CreateModel(
            name='PolicySetting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('key', models.CharField(max_length=64, unique=True, verbose_name='键')),
                ('value', models.JSONField(verbose_name='值')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
            ],
            options={
                'verbose_name': '办理政策',
                'verbose_name_plural': '办理政策',
                'ordering': ['key'],
            },
        ),
    ]
