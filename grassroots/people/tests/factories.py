"""Test helpers: valid synthetic ID numbers and persons created through the services."""

from __future__ import annotations

import datetime as dt
import itertools

from grassroots.people import idnumbers

_serial = itertools.count(1)


def resident_id(birth: dt.date = dt.date(1980, 1, 1), *, area: str = "370502", male: bool | None = None) -> str:
    """A valid 18-character ID number, unique within the test run."""
    n = next(_serial) % 500
    seq = n * 2 + (1 if male else 0) if male is not None else n
    seq = seq % 1000
    return idnumbers.with_check_character(f"{area}{birth:%Y%m%d}{seq:03d}")


def person(world, actor=None, **kw):
    from grassroots.people import services

    kw.setdefault("name", "测试居民")
    kw.setdefault("id_number", resident_id())
    kw.setdefault("building", world.b1)
    return services.person_create(actor=actor or world.community_secretary, **kw)
