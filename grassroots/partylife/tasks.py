"""Celery task of organisational life (production scheduler; embedded mode runs the command)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="grassroots.partylife.sweep")
def sweep() -> dict:
    from .sweep import run_sweep

    return run_sweep()
