"""The overdue sweep of the rectification ledger: one function, run by Celery in production and by
``grassroots rectification_sweep`` in the embedded mode (as the cases' escalation sweep is)."""

from __future__ import annotations

from grassroots.core import clock

from .services import mark_overdue


def run_sweep(at=None) -> dict:
    if at is not None:
        with clock.frozen_at(at):
            return {"overdue": mark_overdue()}
    return {"overdue": mark_overdue()}
