"""The migrations that turned the follow-up relation around (projects 0003–0004: ``MicroProject.resolution`` from
``Resolution.follow_up_project``; deliberation 0003–0005: a notice's generic subject from its ``project`` key, then
both old keys dropped) and those that moved deliberation's notices and representatives onto the shared ``notices``
and ``rolls`` apps (deliberation 0006–0008) carry real rows backwards and forwards, on SQLite and on PostgreSQL."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from grassroots.core import clock
from grassroots.deliberation import services as deliberation
from grassroots.deliberation.models import Meeting, Resolution
from grassroots.deliberation.tests.conftest import delib_world  # noqa: F401 (fixture)
from grassroots.deliberation.tests.test_views import passed_resolution
from grassroots.notices.models import Notice
from grassroots.notices.services import latest_about
from grassroots.projects import services
from grassroots.projects.models import MicroProject
from grassroots.rolls import services as rolls
from grassroots.rolls.models import RollEntry

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
    objection = latest_about(resolution).objections.create(text="太吵", author=w.resident)
    subjects = dict(Notice.objects.filter(subject_type__model="microproject").values_list("pk", "subject_id"))
    assert sorted(subjects.values()) == sorted([project.pk, waiting.pk])
    resolution_notice = latest_about(resolution)
    roll = rolls.roll_create(actor=w.community_staff, kind="representatives", region=w.c1)
    rolls.entry_add(actor=w.community_staff, roll=roll, person=w.neighbours[0], start_date=dt.date(2024, 1, 1))
    left = rolls.entry_add(actor=w.community_staff, roll=roll, person=w.neighbours[1], start_date=dt.date(2024, 1, 1))
    rolls.entry_end(actor=w.community_staff, entry=left, end_date=dt.date(2025, 6, 30), reason="迁出")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE)
        OldResolution = old.get_model("deliberation", "Resolution")
        OldNotice = old.get_model("deliberation", "PublicNotice")
        assert OldResolution.objects.get(pk=resolution.pk).follow_up_project_id == project.pk
        assert dict(OldNotice.objects.filter(project__isnull=False).values_list("pk", "project_id")) == subjects
        assert OldNotice.objects.get(pk=resolution_notice.pk).project_id is None
        assert {f.name for f in old.get_model("projects", "MicroProject")._meta.fields} >= {"topic", "title"}
        assert "resolution" not in {f.name for f in old.get_model("projects", "MicroProject")._meta.fields}
        assert not Notice.objects.exists()  # every notice went back to deliberation
        Representative = old.get_model("deliberation", "Representative")
        assert sorted(Representative.objects.values_list("person_id", "end_date")) == [
            (w.neighbours[0].pk, None), (w.neighbours[1].pk, dt.date(2025, 6, 30))]
        assert old.get_model("deliberation", "Objection").objects.get(pk=objection.pk).text == "太吵"
    finally:
        _migrate(latest)
    assert MicroProject.objects.get(pk=project.pk).resolution_id == resolution.pk
    assert MicroProject.objects.get(pk=waiting.pk).resolution_id is None
    assert dict(Notice.objects.filter(subject_type__model="microproject").values_list("pk", "subject_id")) == subjects
    assert latest_about(Resolution.objects.get(pk=resolution.pk)).pk == resolution_notice.pk
    assert latest_about(Resolution.objects.get(pk=resolution.pk)).objections.get().text == "太吵"
    current = RollEntry.objects.filter(roll__kind="representatives", roll__region=w.c1, end_date__isnull=True)
    assert list(current.values_list("person_id", flat=True)) == [w.neighbours[0].pk]
    assert Meeting.objects.filter(roll__isnull=False).count() == 0  # residents' meetings use no kept roll
    # the app still works on the migrated rows: the waiting project starts after its approval notice
    clock.freeze(dt.datetime(2026, 12, 20, 9, 0))
    services.project_start(actor=w.community_staff, project=MicroProject.objects.get(pk=waiting.pk))
