"""Celery tasks of the life circle (production; embedded mode runs them in-process, eagerly, after the commit)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="grassroots.lifecircle.recompute_kind", acks_late=True)
def recompute_kind(zone_id: int, kind_id: int) -> None:
    """Recompute one facility kind's walking distances for a zone. Idempotent: it reads the facilities as they are
    when it runs, so a retry or a second run for the same change writes the same result."""
    from grassroots.territory.models import Region

    from . import services
    from .models import FacilityKind

    zone = Region.objects.filter(pk=zone_id).first()
    kind = FacilityKind.objects.filter(pk=kind_id).first()
    if zone is not None and kind is not None:
        services.recompute_kind(zone=zone, kind=kind)
