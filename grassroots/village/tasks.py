"""Celery task of the village collective (production scheduler; embedded mode runs the command)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="grassroots.village.remind_rents")
def remind_rents() -> dict:
    from .services import remind_due

    return {"reminded": remind_due()}
