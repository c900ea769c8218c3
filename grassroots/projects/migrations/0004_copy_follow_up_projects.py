"""Copy each ``Resolution.follow_up_project`` into ``MicroProject.resolution`` (and back when unapplied). A data
step of its own: on PostgreSQL, rows changed in a transaction block a later ALTER TABLE of the tables they refer to."""

from django.db import migrations


def _refuse_if_shared(pairs, what: str) -> None:
    seen: dict[int, int] = {}
    for holder, target in pairs:
        if target in seen and seen[target] != holder:
            raise RuntimeError(f"{what} {target} is linked from both {seen[target]} and {holder}: link one of them by "
                               "hand before migrating")
        seen[target] = holder


def resolutions_to_projects(apps, schema_editor):
    Resolution = apps.get_model("deliberation", "Resolution")
    MicroProject = apps.get_model("projects", "MicroProject")
    pairs = list(Resolution.objects.filter(follow_up_project__isnull=False).order_by("pk")
                 .values_list("pk", "follow_up_project_id"))
    _refuse_if_shared(pairs, "micro-project")
    for resolution_id, project_id in pairs:
        MicroProject.objects.filter(pk=project_id).update(resolution_id=resolution_id)


def projects_to_resolutions(apps, schema_editor):
    Resolution = apps.get_model("deliberation", "Resolution")
    MicroProject = apps.get_model("projects", "MicroProject")
    pairs = list(MicroProject.objects.filter(resolution__isnull=False).order_by("pk")
                 .values_list("pk", "resolution_id"))
    _refuse_if_shared(pairs, "resolution")
    for project_id, resolution_id in pairs:
        Resolution.objects.filter(pk=resolution_id).update(follow_up_project_id=project_id)


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0003_microproject_resolution'),
    ]

    operations = [
        migrations.RunPython(resolutions_to_projects, projects_to_resolutions),
    ]
