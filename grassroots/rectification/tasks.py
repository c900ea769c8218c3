"""Celery task of the rectification ledger (production scheduler; embedded mode runs the command)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="grassroots.rectification.sweep", acks_late=True, reject_on_worker_lost=True)  # idempotent: safe to redeliver
def sweep() -> dict:
    from .sweep import run_sweep

    return run_sweep()
