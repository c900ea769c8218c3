"""Deliberation stops pointing at projects. A public notice names what it is about by a generic subject
(``subject_type`` + ``subject_id``) instead of a foreign key to a micro-project; 0004 copies the rows, 0005 drops
``PublicNotice.project`` and ``Resolution.follow_up_project`` (projects 0004 copied the latter to
``MicroProject.resolution``)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('deliberation', '0002_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='publicnotice',
            name='subject_id',
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name='对象编号'),
        ),
        migrations.AddField(
            model_name='publicnotice',
            name='subject_type',
            field=models.CharField(blank=True, max_length=64, verbose_name='对象类型'),
        ),
        migrations.AddIndex(
            model_name='publicnotice',
            index=models.Index(fields=['subject_type', 'subject_id'], name='notice_subject_idx'),
        ),
    ]
