"""Large exports as background jobs (``core.export_jobs``): the policy threshold, progress, the owner's download
(a 404 for anyone else), expiry and the sweep, a failed job, and the page of my exports."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core import clock, export_jobs, exports
from grassroots.core.models import Event, ExportJob, PolicySetting
from tests.support.world import login_verified, scope_test

ROWS = 7


@pytest.fixture
def seen():
    return []


@pytest.fixture
def kind(seen):
    def rows(request):
        for i in range(ROWS):
            yield [f"第{i + 1}行", i + 1]
            # what the page of my exports reads while the job runs
            seen.append(ExportJob.objects.values_list("status", "rows_done", "rows_total").first())

    made = exports.register(exports.ExportKind(
        key="tests.big", verb="big.export", object_type="tests.big", title="大表", filename="big",
        columns=lambda r: ["名称", "序号"], rows=rows, count=lambda r: ROWS))
    yield made
    exports._KINDS.pop(made.key)


@pytest.fixture
def threshold(db):
    PolicySetting.objects.create(key=exports.BACKGROUND_ROWS, value=5)


@pytest.fixture
def broken():
    def rows(request):
        yield ["甲", 1]
        raise RuntimeError("disk full")

    made = exports.register(exports.ExportKind(
        key="tests.broken", verb="broken.export", object_type="tests.broken", title="坏表", filename="broken",
        columns=lambda r: ["名称", "序号"], rows=rows, count=lambda r: 100))
    yield made
    exports._KINDS.pop(made.key)


def start(kind, actor, django_capture_on_commit_callbacks, **kw):
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.export(kind.key, actor=actor, filters={"q": "甲"}, **kw)
    assert isinstance(job, ExportJob)
    job.refresh_from_db()
    return job


def test_an_export_at_or_below_the_policy_threshold_is_written_at_once(world, kind):
    PolicySetting.objects.create(key=exports.BACKGROUND_ROWS, value=ROWS)
    assert isinstance(exports.export(kind.key, actor=world.zone_leader), exports.Export)
    assert not ExportJob.objects.exists()


def test_a_larger_export_runs_as_a_job_with_progress_and_one_audit_event(
        world, kind, seen, threshold, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    job = start(kind, world.zone_leader, django_capture_on_commit_callbacks)
    assert job.status == "done" and job.rows_done == job.rows_total == ROWS and job.owner_id == world.zone_leader.pk
    assert seen[0] == ("running", 0, ROWS)
    assert [s[1] for s in seen] == [0, 2, 2, 4, 4, 6, 6]
    assert job.expires_at == job.finished_at + dt.timedelta(hours=export_jobs.DEFAULT_KEEP_HOURS)
    event = Event.objects.get(verb="big.export")
    assert event.actor_id == world.zone_leader.pk
    assert event.payload == {"kind": "tests.big", "format": "xlsx", "filters": {"q": "甲"}, "rows": ROWS,
                             "job": job.pk}
    assert (tmp_path / "exports" / job.file).exists()


@scope_test("core:export_download")
def test_only_the_owner_downloads_a_finished_job_until_it_expires(
        client, world, kind, threshold, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    job = start(kind, world.zone_leader, django_capture_on_commit_callbacks)
    url = reverse("core:export_download", args=[job.pk])
    login_verified(client, world.zone_leader)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert ws.max_row == ROWS + 1 and ws["A2"].value == "第1行"
    for other in (world.community_staff, world.auditor, world.admin):
        login_verified(client, other)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    login_verified(client, world.zone_leader)
    clock.freeze(job.expires_at + dt.timedelta(minutes=1))
    try:
        assert client.get(url).status_code == 404
        assert export_jobs.job_sweep() == {"expired": 1, "failed": 0}
    finally:
        clock.reset()
    job.refresh_from_db()
    assert job.status == "expired" and job.file == ""
    assert not list((tmp_path / "exports").iterdir())


def test_a_job_that_fails_says_so_and_leaves_no_file(
        world, broken, threshold, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    job = start(broken, world.zone_leader, django_capture_on_commit_callbacks)
    assert job.status == "failed" and job.error and job.file == ""
    assert not list((tmp_path / "exports").iterdir())
    assert not Event.objects.filter(verb="broken.export").exists()
    assert Event.objects.get(verb="export_job.fail").outcome == "failure"


def test_the_sweep_fails_a_job_whose_worker_never_finished(world, kind, threshold, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    request = exports.prepare(kind.key, actor=world.zone_leader)
    job = export_jobs.job_start(request, total=ROWS)  # never dispatched: the transaction is never committed
    assert export_jobs.job_sweep(now=clock.now() + dt.timedelta(hours=25)) == {"expired": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == "failed"


@scope_test("core:export_list")
def test_my_exports_lists_only_my_jobs_and_polls_only_while_one_is_pending(
        client, world, kind, threshold, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    mine = start(kind, world.zone_leader, django_capture_on_commit_callbacks)
    theirs = start(kind, world.community_staff, django_capture_on_commit_callbacks)
    login_verified(client, world.zone_leader)
    page = client.get(reverse("core:export_list")).content.decode()
    assert reverse("core:export_download", args=[mine.pk]) in page
    assert reverse("core:export_download", args=[theirs.pk]) not in page
    assert "hx-trigger" not in page
    request = exports.prepare(kind.key, actor=world.zone_leader)
    export_jobs.job_start(request, total=ROWS)  # queued, not yet run
    page = client.get(reverse("core:export_list")).content.decode()
    assert 'hx-trigger="every 2s"' in page and "<script>" not in page and "hx-on" not in page
    fragment = client.get(reverse("core:export_list"), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<div id=\"export-jobs\"") and "<html" not in fragment


def test_a_page_export_above_the_threshold_sends_me_to_my_exports(
        client, world, threshold, settings, tmp_path, django_capture_on_commit_callbacks):
    from grassroots.core import events

    settings.MEDIA_ROOT = str(tmp_path)
    for _ in range(6):
        events.record(world.grid_worker, "case.report", object_type="cases.case", object_id=1)
    login_verified(client, world.auditor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:audit_export"), {"verb": "case.report"})
    assert response.status_code == 302 and response["Location"] == reverse("core:export_list")
    job = ExportJob.objects.get()
    assert job.status == "done" and job.rows_done == 6 and job.kind == "core.audit"


def test_in_production_a_celery_worker_runs_the_same_function(
        world, kind, threshold, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    from grassroots.core import tasks

    settings.MEDIA_ROOT = str(tmp_path)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent = []
    monkeypatch.setattr(tasks.run_export, "delay", lambda job_id: sent.append(job_id))
    job = start(kind, world.zone_leader, django_capture_on_commit_callbacks)
    assert sent == [job.pk] and job.status == "queued"
    assert tasks.run_export(job.pk) == "done"  # what the worker runs
    job.refresh_from_db()
    assert job.status == "done" and job.rows_done == ROWS
    assert tasks.run_export(job.pk) == "done"  # a second delivery of the task writes nothing again
    assert Event.objects.filter(verb="big.export").count() == 1


def test_the_sweep_command_deletes_expired_files(world, kind, threshold, settings, tmp_path,
                                                 django_capture_on_commit_callbacks):
    from django.core.management import call_command

    settings.MEDIA_ROOT = str(tmp_path)
    job = start(kind, world.zone_leader, django_capture_on_commit_callbacks)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=clock.now() - dt.timedelta(minutes=1))
    out = io.StringIO()
    call_command("sweep_exports", stdout=out)
    assert "expired 1" in out.getvalue() and not (tmp_path / "exports" / job.file).exists()
