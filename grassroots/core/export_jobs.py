"""Exports run in the background (``ExportJob``): an export with more rows than the policy setting
``exports.background_rows`` is written by ``job_run``, the same function whether a Celery worker runs it
(production, ``core.tasks.run_export``) or this process does (embedded mode: a thread of its own; inline where
``EXPORT_JOBS_BACKGROUND`` is off, as in tests). Progress is written every ``exports.PROGRESS_EVERY`` rows.

Only the owner sees a job (``job_list``, ``job_get``: another person's job is a 404) and downloads its file until
``expires_at`` (policy setting ``exports.keep_hours``); ``job_sweep`` deletes expired files and marks their jobs
``expired`` (Celery beat hourly; embedded mode each time a job starts).

Transitions (``compare_and_set``): queued → running → done | failed; done → expired; queued | running → failed
when the sweep finds a job that never finished within the keeping time (its worker died).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, transaction

from . import clock, events, exports, policy
from .errors import NotFound
from .models import ExportJob
from .transitions import Transition, compare_and_set

log = logging.getLogger(__name__)

KEEP_HOURS = "exports.keep_hours"
DEFAULT_KEEP_HOURS = 24      # [R] a working day to fetch the file; the data in it ages anyway
FOLDER = "exports"

S = ExportJob.Status
TRANSITIONS = {
    "start": Transition("start", {S.QUEUED}, S.RUNNING, "开始"),
    "finish": Transition("finish", {S.RUNNING}, S.DONE, "完成"),
    "fail": Transition("fail", {S.QUEUED, S.RUNNING}, S.FAILED, "失败"),
    "expire": Transition("expire", {S.DONE}, S.EXPIRED, "过期"),
}
LABELS = dict(S.choices)


def keep_hours() -> int:
    return int(policy.setting(KEEP_HOURS, DEFAULT_KEEP_HOURS))


def folder() -> Path:
    path = Path(settings.MEDIA_ROOT) / FOLDER
    path.mkdir(parents=True, exist_ok=True)
    return path


# Writers ---------------------------------------------------------------------------------------------------------

def job_start(request: exports.ExportRequest, *, total: int | None = None) -> ExportJob:
    """Queue the export of ``request`` as the actor's job; it runs after this transaction commits."""
    with transaction.atomic():
        job = ExportJob.objects.create(owner=request.actor, kind=request.kind.key, format=request.format,
                                       filters=request.filters, unmask=request.unmask, purpose=request.purpose,
                                       rows_total=total, filename=exports.file_name(request))
        events.record(request.actor, "export_job.start", job, to_state=S.QUEUED,
                      payload={"kind": job.kind, "rows_total": total})
        transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(job_id: int) -> None:
    """Hand the job to a Celery worker, or run it in this process (embedded mode)."""
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        from .tasks import run_export

        run_export.delay(job_id)
        return
    if getattr(settings, "EXPORT_JOBS_BACKGROUND", True):
        import threading

        threading.Thread(target=_run_in_thread, args=(job_id,), daemon=True, name=f"export-{job_id}").start()
    else:
        job_run(job_id)


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        job_sweep()
        job_run(job_id)
    finally:
        close_old_connections()


def job_run(job_id: int) -> str:
    """Write the job's file (the same export the page would have written) and record its one audit event."""
    job = ExportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.status != S.QUEUED:
        return job.status if job else "missing"
    compare_and_set(ExportJob, job.pk, from_states=TRANSITIONS["start"].sources, to_state=S.RUNNING,
                    labels=LABELS, started_at=clock.now())
    name = f"{uuid.uuid4().hex}.{job.format}"
    path = folder() / name
    try:
        request = exports.prepare(job.kind, actor=job.owner, filters=job.filters, format=job.format,
                                  unmask=job.unmask, purpose=job.purpose)

        def progress(done: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

        rows = exports.write_file(request, str(path), progress=progress)
    except Exception as exc:  # noqa: BLE001 - a failed job says so on its page; the worker goes on
        log.exception("export job %s failed", job.pk)
        path.unlink(missing_ok=True)
        message = getattr(exc, "zh", "") or "导出失败，请重试或联系管理员"
        with transaction.atomic():
            compare_and_set(ExportJob, job.pk, from_states=TRANSITIONS["fail"].sources, to_state=S.FAILED,
                            labels=LABELS, error=str(message)[:500], finished_at=clock.now())
            events.record(job.owner, "export_job.fail", job, from_state=S.RUNNING, to_state=S.FAILED,
                          outcome="failure", payload={"kind": job.kind})
        return S.FAILED
    now = clock.now()
    with transaction.atomic():
        compare_and_set(ExportJob, job.pk, from_states=TRANSITIONS["finish"].sources, to_state=S.DONE,
                        labels=LABELS, rows_done=rows, rows_total=rows, file=name, finished_at=now,
                        expires_at=now + dt.timedelta(hours=keep_hours()))
        exports.record_export(request, rows, job=job.pk)
    return S.DONE


def job_sweep(*, now: dt.datetime | None = None) -> dict:
    """Delete the files of expired jobs and mark them expired; fail jobs that never finished in the keeping time."""
    now = now or clock.now()
    expired = 0
    for job in ExportJob.objects.filter(status=S.DONE, expires_at__lte=now).only("id", "file", "owner_id"):
        if job.file:
            (folder() / job.file).unlink(missing_ok=True)
        try:
            compare_and_set(ExportJob, job.pk, from_states=TRANSITIONS["expire"].sources, to_state=S.EXPIRED,
                            labels=LABELS, file="")
        except Exception:  # noqa: BLE001 - another sweep moved it first
            continue
        expired += 1
    stale = now - dt.timedelta(hours=keep_hours())
    failed = 0
    for pk in ExportJob.objects.filter(status__in=TRANSITIONS["fail"].sources, created_at__lt=stale).values_list(
            "pk", flat=True):
        try:
            compare_and_set(ExportJob, pk, from_states=TRANSITIONS["fail"].sources, to_state=S.FAILED,
                            labels=LABELS, error="导出未完成（任务中断）", finished_at=now)
        except Exception:  # noqa: BLE001 - it finished meanwhile
            continue
        failed += 1
    if expired or failed:
        events.record(None, "export_job.sweep", object_type="core.exportjob",
                      payload={"expired": expired, "failed": failed})
    return {"expired": expired, "failed": failed}


# Readers ---------------------------------------------------------------------------------------------------------

def job_list(*, actor):
    """The actor's own export jobs, newest first."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(owner_id=actor.pk).order_by("-id")


def job_get(*, actor, pk: int) -> ExportJob:
    """One of the actor's jobs; anyone else's is NotFound."""
    job = job_list(actor=actor).filter(pk=pk).first()
    if job is None:
        raise NotFound()
    return job


def job_file(*, actor, pk: int) -> tuple[ExportJob, Path]:
    """The file of the actor's finished job, until it expires; NotFound otherwise."""
    job = job_get(actor=actor, pk=pk)
    if job.status != S.DONE or not job.file or (job.expires_at and job.expires_at <= clock.now()):
        raise NotFound()
    path = folder() / job.file
    if not path.exists():
        raise NotFound()
    return job, path
