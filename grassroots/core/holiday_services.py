"""Holiday services: the only writers of the Holiday table. Every write bumps the working-day clock's cache."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from . import events, workdays
from .errors import NotPermitted, ValidationFailed
from .models import Holiday
from .roles import Role

SOURCE_PACKAGE = "holidays 包"


def _check_admin(actor) -> None:
    if actor is None:
        return  # management commands and migrations
    from .scope import scope_for

    if not (getattr(actor, "is_superuser", False) or scope_for(actor).has_role(Role.ADMIN)):
        raise NotPermitted("只有系统管理员可以维护节假日", "Only administrators may edit the holiday calendar")


def china_calendar(years: list[int]) -> list[tuple[dt.date, str, str]]:
    """(date, kind, name) for China's public holidays and adjusted working days (调休) from the holidays package."""
    import holidays as holidays_pkg

    cal = holidays_pkg.China(years=years, language="zh_CN")
    rows: list[tuple[dt.date, str, str]] = []
    for day, name in sorted(cal.items()):
        if day.year in years:
            rows.append((day, Holiday.Kind.OFF, str(name)[:64]))
    for day in sorted(getattr(cal, "weekend_workdays", set())):
        if day.year in years:
            rows.append((day, Holiday.Kind.WORK, "调休上班"))
    return rows


def holiday_seed(*, actor=None, years: list[int]) -> dict:
    """Fill (or refresh) the given years from the holidays package. Idempotent; rows edited by hand are kept."""
    _check_admin(actor)
    if not years:
        raise ValidationFailed("请指定年份", "Give at least one year", field="years")
    rows = china_calendar(sorted(set(years)))
    created = updated = 0
    with transaction.atomic():
        existing = {h.date: h for h in Holiday.objects.filter(date__year__in=years)}
        for day, kind, name in rows:
            row = existing.get(day)
            if row is None:
                Holiday.objects.create(date=day, kind=kind, name=name, source=SOURCE_PACKAGE)
                created += 1
            elif row.source == SOURCE_PACKAGE and (row.kind != kind or row.name != name):
                row.kind, row.name = kind, name
                row.save(update_fields=["kind", "name", "updated_at"])
                updated += 1
        events.record(actor, "holiday.seed", object_type="core.holiday",
                      payload={"years": sorted(set(years)), "created": created, "updated": updated})
        transaction.on_commit(workdays.bump_version)
    workdays.bump_version()
    return {"created": created, "updated": updated, "rows": len(rows)}


def holiday_set(*, actor, date: dt.date, kind: str, name: str = "", source: str = "") -> Holiday:
    _check_admin(actor)
    if kind not in Holiday.Kind.values:
        raise ValidationFailed("类型只能是放假或调休上班", "Kind must be off or work", field="kind")
    with transaction.atomic():
        row, created = Holiday.objects.update_or_create(date=date, defaults={"kind": kind, "name": name,
                                                                             "source": source})
        events.record(actor, "holiday.create" if created else "holiday.update", row,
                      payload={"date": date.isoformat(), "kind": kind, "name": name})
        transaction.on_commit(workdays.bump_version)
    workdays.bump_version()
    return row
