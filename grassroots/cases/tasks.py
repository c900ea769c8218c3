"""Celery tasks of the closed loop (production scheduler; embedded mode runs ``grassroots sweep``)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="grassroots.cases.sweep", acks_late=True, reject_on_worker_lost=True)  # idempotent: safe to redeliver
def sweep() -> dict:
    from .sweep import run_sweep

    return run_sweep().as_dict()
