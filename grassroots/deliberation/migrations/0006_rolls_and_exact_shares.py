"""Meeting kinds name their roll and their shares as exact fractions; meetings keep their roll and the weight due;
attendances, tallies and motions keep heads, votes and area."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('deliberation', '0005_drop_project_keys'),
        ('rolls', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='attendance',
            name='area',
            field=models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name='专有部分面积'),
        ),
        migrations.AddField(
            model_name='attendance',
            name='votes',
            field=models.PositiveIntegerField(default=1, verbose_name='表决权数'),
        ),
        migrations.AddField(
            model_name='attendance',
            name='voting',
            field=models.BooleanField(default=True, verbose_name='有表决权'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='due_area',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='应到专有部分面积'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='due_votes',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='应到表决权数'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='roll',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='rolls.roll', verbose_name='名册'),
        ),
        migrations.AddField(
            model_name='meetingkind',
            name='majority_den',
            field=models.PositiveSmallIntegerField(default=2, verbose_name='通过比例（分母）'),
        ),
        migrations.AddField(
            model_name='meetingkind',
            name='majority_measure',
            field=models.CharField(choices=[('heads', '人数'), ('votes', '表决权数（一人一票加附加表决权）'), ('heads_and_area', '人数和专有部分面积同时计算')], default='heads', max_length=16, verbose_name='通过比例的计算'),
        ),
        migrations.AddField(
            model_name='meetingkind',
            name='majority_num',
            field=models.PositiveSmallIntegerField(default=1, verbose_name='通过比例（分子）'),
        ),
        migrations.AddField(
            model_name='meetingkind',
            name='majority_strict',
            field=models.BooleanField(default=True, verbose_name='通过须超过该比例'),
        ),
        migrations.AddField(
            model_name='meetingkind',
            name='quorum_den',
            field=models.PositiveSmallIntegerField(default=2, verbose_name='法定到会比例（分母）'),
        ),
        migrations.AddField(
            model_name='meetingkind',
            name='quorum_measure',
            field=models.CharField(choices=[('heads', '人数'), ('votes', '表决权数（一人一票加附加表决权）'), ('heads_and_area', '人数和专有部分面积同时计算')], default='heads', max_length=16, verbose_name='法定人数的计算'),
        ),
        migrations.AddField(
            model_name='meetingkind',
            name='quorum_num',
            field=models.PositiveSmallIntegerField(default=1, verbose_name='法定到会比例（分子）'),
        ),
        migrations.AddField(
            model_name='meetingkind',
            name='special_den',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='重大事项通过比例（分母）'),
        ),
        migrations.AddField(
            model_name='meetingkind',
            name='special_matters',
            field=models.CharField(blank=True, max_length=200, verbose_name='重大事项'),
        ),
        migrations.AddField(
            model_name='meetingkind',
            name='special_num',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='重大事项通过比例（分子）'),
        ),
        migrations.AddField(
            model_name='meetingkind',
            name='special_strict',
            field=models.BooleanField(default=False, verbose_name='重大事项须超过该比例'),
        ),
        migrations.AddField(
            model_name='motion',
            name='special',
            field=models.BooleanField(default=False, verbose_name='重大事项（特别多数）'),
        ),
        migrations.AddField(
            model_name='motion',
            name='tally',
            field=models.JSONField(blank=True, default=dict, help_text='应到、到会、参与表决和各选项的人数、表决权数和面积', verbose_name='计票明细'),
        ),
        migrations.AddField(
            model_name='secrettally',
            name='area',
            field=models.DecimalField(decimal_places=2, default=0, max_digits=14),
        ),
        migrations.AddField(
            model_name='secrettally',
            name='votes',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name='meetingkind',
            name='basis',
            field=models.CharField(choices=[('adult_residents', '范围内18周岁以上居民'), ('households', '范围内每户一名代表（户主）'), ('representatives', '居民代表'), ('owners', '业主（小区业主名册）'), ('party_members', '党员（预备党员列席）'), ('coop_members', '合作社成员'), ('open', '自愿参加（不计法定人数）')], max_length=20, verbose_name='名册（应到人员）'),
        ),
        migrations.AlterField(
            model_name='meetingkind',
            name='majority_base',
            field=models.CharField(choices=[('present', '到会人员'), ('due', '应到人员（全体）'), ('cast', '参与表决人员')], default='present', max_length=8, verbose_name='通过比例的基数'),
        ),
        migrations.AddConstraint(
            model_name='meetingkind',
            constraint=models.CheckConstraint(condition=models.Q(('quorum_den__gt', 0), ('quorum_num__lte', models.F('quorum_den'))), name='meeting_kind_quorum_share'),
        ),
        migrations.AddConstraint(
            model_name='meetingkind',
            constraint=models.CheckConstraint(condition=models.Q(('majority_den__gt', 0), ('majority_num__lte', models.F('majority_den'))), name='meeting_kind_majority_share'),
        ),
        migrations.AddConstraint(
            model_name='meetingkind',
            constraint=models.CheckConstraint(condition=models.Q(('special_den__isnull', True), models.Q(('special_den__gt', 0), ('special_num__lte', models.F('special_den'))), _connector='OR'), name='meeting_kind_special_share'),
        ),
    ]
