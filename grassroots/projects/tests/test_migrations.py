"""The migrations that turned the follow-up relation around (projects 0003–0004: ``MicroProject.resolution`` from
``Resolution.follow_up_project``; deliberation 0003–0005: a notice's generic subject from its ``project`` key, then
both old keys dropped) carry real rows backwards and forwards, on SQLite and on PostgreSQL."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from grassroots.core import clock
from grassroots.deliberation import services as deliberation
from grassroots.deliberation.models import PublicNotice
from grassroots.deliberation.tests.conftest import delib_world  # noqa: F401 (fixture)
from grassroots.deliberation.tests.test_views import passed_resolution
from grassroots.projects import services
from grassroots.projects.models import MicroProject

from .conftest import approved_in_progress, reviewed_project

BEFORE = [("deliberation", "0002_initial"), ("projects", "0002_ledger_append_only")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_follow_up_and_notice_subjects_survive_the_migrations_both_ways(delib_world):  # noqa: F811
    w = delib_world
    _, _, _, resolution = passed_resolution(w)
    deliberation.resolution_publish(actor=w.community_staff, resolution=resolution)
    clock.freeze(dt.datetime(2026, 12, 2, 9, 0))
    project = approved_in_progress(w, Decimal("3000"), title="充电桩建设")
    deliberation.resolution_follow_up(actor=w.community_staff, resolution=resolution, project=project)
    waiting = reviewed_project(w, title="口袋公园")
    services.project_approve(actor=w.community_secretary, project=waiting, approved_amount=Decimal("2000"))
    subjects = dict(PublicNotice.objects.filter(subject_type="projects.microproject").values_list("pk", "subject_id"))
    assert sorted(subjects.values()) == sorted([project.pk, waiting.pk])
    resolution_notice = PublicNotice.objects.get(resolution=resolution)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE)
        Resolution, Notice = old.get_model("deliberation", "Resolution"), old.get_model("deliberation", "PublicNotice")
        assert Resolution.objects.get(pk=resolution.pk).follow_up_project_id == project.pk
        assert dict(Notice.objects.filter(project__isnull=False).values_list("pk", "project_id")) == subjects
        assert Notice.objects.get(pk=resolution_notice.pk).project_id is None
        assert {f.name for f in old.get_model("projects", "MicroProject")._meta.fields} >= {"topic", "title"}
        assert "resolution" not in {f.name for f in old.get_model("projects", "MicroProject")._meta.fields}
    finally:
        _migrate(latest)
    assert MicroProject.objects.get(pk=project.pk).resolution_id == resolution.pk
    assert MicroProject.objects.get(pk=waiting.pk).resolution_id is None
    assert dict(PublicNotice.objects.filter(subject_type="projects.microproject")
                .values_list("pk", "subject_id")) == subjects
    assert PublicNotice.objects.get(pk=resolution_notice.pk).subject_type == ""
    # the app still works on the migrated rows: the waiting project starts after its approval notice
    clock.freeze(dt.datetime(2026, 12, 20, 9, 0))
    services.project_start(actor=w.community_staff, project=MicroProject.objects.get(pk=waiting.pk))
