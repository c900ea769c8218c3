"""Materialized paths and default codes of party organisations (generators build them with these too)."""

from __future__ import annotations

from django.db.models import Max

from grassroots.core.errors import ValidationFailed

from ..models import PATH_SERIAL_WIDTH, PartyOrg


def org_path(parent: PartyOrg | None, serial: int) -> str:
    """Materialized path of the ``serial``-th organisation under ``parent`` (a root when parent is None)."""
    if serial < 1 or serial >= 10 ** PATH_SERIAL_WIDTH:
        raise ValidationFailed("该上级党组织下的编号已用尽", "No serials left under this party organisation",
                               field="parent")
    segment = str(serial).zfill(PATH_SERIAL_WIDTH)
    return f"{parent.path if parent else '/'}{segment}/"


def org_code(path: str) -> str:
    """Default 党组织编码 derived from the path (unique because paths are)."""
    return "D" + path.replace("/", "")


def next_serial(parent: PartyOrg | None) -> int:
    qs = PartyOrg.objects.filter(parent=parent) if parent else PartyOrg.objects.filter(parent__isnull=True)
    return (qs.aggregate(m=Max("serial"))["m"] or 0) + 1
