"""Copy each notice's ``project`` into its generic subject (and back when unapplied); a data step of its own, as
PostgreSQL refuses an ALTER TABLE after row changes in the same transaction."""

from django.db import migrations

PROJECT = "projects.microproject"


def projects_to_subjects(apps, schema_editor):
    PublicNotice = apps.get_model("deliberation", "PublicNotice")
    for notice_id, project_id in PublicNotice.objects.filter(project__isnull=False).values_list("pk", "project_id"):
        PublicNotice.objects.filter(pk=notice_id).update(subject_type=PROJECT, subject_id=project_id)


def subjects_to_projects(apps, schema_editor):
    PublicNotice = apps.get_model("deliberation", "PublicNotice")
    for notice_id, project_id in PublicNotice.objects.filter(subject_type=PROJECT).values_list("pk", "subject_id"):
        PublicNotice.objects.filter(pk=notice_id).update(project_id=project_id)


class Migration(migrations.Migration):

    dependencies = [
        ('deliberation', '0003_notice_subject'),
    ]

    operations = [
        migrations.RunPython(projects_to_subjects, subjects_to_projects),
    ]
