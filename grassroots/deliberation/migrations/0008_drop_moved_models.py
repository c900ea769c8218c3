"""Representatives, notices and objections now live in ``rolls`` and ``notices`` (copied by 0007); the decimal
ratios became fractions."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('deliberation', '0007_copy_to_rolls_and_notices'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='objection',
            name='answered_by',
        ),
        migrations.RemoveField(
            model_name='objection',
            name='author',
        ),
        migrations.RemoveField(
            model_name='objection',
            name='notice',
        ),
        migrations.RemoveField(
            model_name='publicnotice',
            name='community',
        ),
        migrations.RemoveField(
            model_name='publicnotice',
            name='published_by',
        ),
        migrations.RemoveField(
            model_name='publicnotice',
            name='resolution',
        ),
        migrations.RemoveField(
            model_name='representative',
            name='community',
        ),
        migrations.RemoveField(
            model_name='representative',
            name='person',
        ),
        migrations.RemoveField(
            model_name='meetingkind',
            name='majority_ratio',
        ),
        migrations.RemoveField(
            model_name='meetingkind',
            name='quorum_ratio',
        ),
        migrations.DeleteModel(
            name='Objection',
        ),
        migrations.DeleteModel(
            name='PublicNotice',
        ),
        migrations.DeleteModel(
            name='Representative',
        ),
    ]
