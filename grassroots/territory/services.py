"""The only writers of territory data."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from grassroots.core import events
from grassroots.core.errors import ValidationFailed

from .models import ALLOWED_PARENT, SERIAL_WIDTH, Compound, Level, Region


def _next_serial(parent: Region) -> int:
    # Serials are never reused: retired children keep theirs, so max() over all children is the high-water mark.
    current = Region.objects.filter(parent=parent).aggregate(m=Max("serial"))["m"] or 0
    return current + 1


def region_create(*, actor, level: str, name: str, parent: Region | None = None, code: str | None = None,
                  geometry: dict | None = None, lon: float | None = None, lat: float | None = None,
                  households: int | None = None, grid_kind: str = "", compound: Compound | None = None,
                  floors: int | None = None, is_residential: bool = True, record_event: bool = True) -> Region:
    """Create a region under ``parent`` with the next unified code (parent code + serial)."""
    if not name or not name.strip():
        raise ValidationFailed("名称不能为空", "Name is required", field="name")
    if level == Level.ZONE:
        if parent is not None:
            raise ValidationFailed("开发区是顶级区域，不能有上级", "A zone has no parent", field="parent")
        if not code or not code.isdigit():
            raise ValidationFailed("开发区需要数字行政区划代码", "A zone needs a numeric area code", field="code")
        serial, path = 1, f"/{code}/"
    else:
        if parent is None or parent.level not in ALLOWED_PARENT[level]:
            raise ValidationFailed(
                f"「{Level(level).label}」不能建在「{parent.get_level_display() if parent else '无'}」之下",
                f"A {level} cannot be placed under {parent.level if parent else 'nothing'}", field="parent")
        if not parent.active:
            raise ValidationFailed("上级区域已撤销", "The parent region is retired", field="parent")
        with transaction.atomic():
            serial = _next_serial(parent)
        width = SERIAL_WIDTH[level]
        if serial >= 10 ** width:
            raise ValidationFailed("该上级下的编号已用尽", "No serials left under this parent", field="parent")
        code = parent.code + str(serial).zfill(width)
        path = f"{parent.path}{str(serial).zfill(width)}/"
    with transaction.atomic():
        region = Region.objects.create(
            code=code, name=name.strip(), level=level, parent=parent, path=path, serial=serial, geometry=geometry,
            lon=lon, lat=lat, households=households, grid_kind=grid_kind, compound=compound, floors=floors,
            is_residential=is_residential,
        )
        if record_event:
            events.record(actor, "region.create", region, payload={"code": code, "name": region.name})
    return region


def compound_create(*, actor, community: Region, name: str, geometry: dict | None = None, address: str = "",
                    households: int | None = None, built_year: int | None = None,
                    former_work_unit: bool = False) -> Compound:
    if community.level not in {Level.COMMUNITY, Level.VILLAGE, Level.PARK}:
        raise ValidationFailed("小区必须属于社区或村", "A compound belongs to a community or village",
                               field="community")
    with transaction.atomic():
        n = Compound.objects.filter(community=community).count() + 1
        code = f"{community.code}X{n:03d}"
        while Compound.objects.filter(code=code).exists():
            n += 1
            code = f"{community.code}X{n:03d}"
        compound = Compound.objects.create(code=code, name=name, community=community, geometry=geometry,
                                           address=address, households=households, built_year=built_year,
                                           former_work_unit=former_work_unit)
        events.record(actor, "compound.create", compound, payload={"code": code, "name": name})
    return compound
