"""What the people services share: text cleaning, the building a person lives in, open posts, the relation
that makes a household head."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from grassroots.core.errors import ValidationFailed
from grassroots.territory.models import Level, Region

RELATION_HEAD = {"户主", "本人"}


def _text(value, *, field: str, limit: int | None, label: str = "", required: str = "",
          collapse: bool = True) -> str:
    """A cleaned text value: whitespace collapsed (or only stripped), ``required`` (the Chinese message) when not
    blank, at most ``limit`` characters (None: not checked here); errors name ``field`` (codes ``<field>_required`` / ``<field>_length``)."""
    text = " ".join(str(value or "").split()) if collapse else str(value or "").strip()
    words = field.replace("_", " ")
    if required and not text:
        raise ValidationFailed(required, f"The {words} is required", code=f"{field}_required", field=field)
    if limit is not None and len(text) > limit:
        raise ValidationFailed(f"{label}过长（最多 {limit} 个字）",
                               f"The {words} is too long ({limit} characters at most)", code=f"{field}_length",
                               field=field)
    return text


def _grid_of(building: Region) -> Region:
    if building.level != Level.BUILDING:
        raise ValidationFailed("请选择楼栋", "Choose a building", code="building_level", field="building")
    if not building.active:
        raise ValidationFailed("该楼栋已撤销", "The building is retired", code="building_retired", field="building")
    return building.parent


def _open_from(day: dt.date) -> Q:
    """Posts not ended before ``day`` (current or future)."""
    return Q(end_date__isnull=True) | Q(end_date__gte=day)
