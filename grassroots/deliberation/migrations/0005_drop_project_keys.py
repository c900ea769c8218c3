"""The last edges from deliberation to projects go: ``PublicNotice.project`` (now the generic subject, 0004) and
``Resolution.follow_up_project`` (now ``MicroProject.resolution``, projects 0004)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('deliberation', '0004_copy_notice_subjects'),
        ('projects', '0004_copy_follow_up_projects'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='publicnotice',
            name='project',
        ),
        migrations.RemoveField(
            model_name='resolution',
            name='follow_up_project',
        ),
    ]
