"""Celery tasks of core (production scheduler; embedded mode runs the same functions in-process)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="grassroots.core.run_export")
def run_export(job_id: int) -> str:
    from .export_jobs import job_run

    return job_run(job_id)


@shared_task(name="grassroots.core.sweep_exports", acks_late=True, reject_on_worker_lost=True)  # idempotent: safe to redeliver
def sweep_exports() -> dict:
    from .export_jobs import job_sweep

    return job_sweep()
