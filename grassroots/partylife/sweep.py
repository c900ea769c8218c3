"""The sweep of organisational life (rhythm missed, six months inactive, terms ending): one function, run daily by
Celery in production and by ``grassroots partylife_sweep`` in the embedded mode."""

from __future__ import annotations

from grassroots.core import clock

from .services import sweep


def run_sweep(at=None) -> dict:
    if at is not None:
        with clock.frozen_at(at):
            return sweep()
    return sweep()
