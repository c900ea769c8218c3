"""The worked fixture of docs/rules/kpis.md § Worked fixture, driven through the case services with a frozen clock.

Department D = the world's 城市管理局; eight cases, all dispatched to D as lead in November 2026; time limits are
wall-clock hours so that the deadlines fall where the fixture says: acknowledge 24 h, handle 120 h.
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from PIL import Image

from grassroots.cases import services
from grassroots.cases.models import Category, TimeLimit
from grassroots.core import clock
from grassroots.core.attachments import attachment_create
from tests.support.world import centre

TZ = ZoneInfo("Asia/Shanghai")
AS_OF = dt.datetime(2026, 12, 1, 0, 0, tzinfo=TZ)


def at(day: int, hour: int, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=TZ)


def _photo(actor):
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, format="PNG")
    buf.seek(0)
    buf.name = "done.png"
    return attachment_create(actor=actor, upload=buf).pk


def category() -> Category:
    cat = Category.objects.create(code="E0102", name="暴露垃圾", kind="event", default_tier="zone",
                                  on_site_allowed=True, public_allowed=True)
    for stage, amount in [("accept", 24), ("dispatch", 24), ("acknowledge", 24), ("handle", 120), ("verify", 48)]:
        TimeLimit.objects.create(category=None, tier="", stage=stage, amount=amount, unit="hours")
    return cat


def report(world, cat, when, *, grid=0, reporter=None, channel="grid_patrol"):
    clock.freeze(when)
    lon, lat = centre(grid)
    return services.case_report(actor=reporter or world.grid_worker, channel=channel, category=cat,
                                title="路边垃圾堆积", description="东侧路口", lon=lon, lat=lat).case


def through_dispatch(world, cat, dispatched, *, lead=None):
    case = report(world, cat, dispatched - dt.timedelta(hours=2))
    clock.freeze(dispatched - dt.timedelta(hours=1))
    services.case_accept(actor=world.community_staff, case=case, tier="zone", public_summary="路口垃圾待清运")
    clock.freeze(dispatched)
    services.case_dispatch(actor=world.hotline_operator, case=case, lead=lead or world.dept_city)
    return case


def acknowledge(world, case, when, handler=None):
    clock.freeze(when)
    services.case_acknowledge(actor=handler or world.department_handler, case=case)


def handle(world, case, when, handler=None):
    clock.freeze(when)
    handler = handler or world.department_handler
    services.case_handle(actor=handler, case=case, result="已清运", evidence=[_photo(handler)])


def verify(world, case, when, ok=True):
    clock.freeze(when)
    if ok:
        services.case_verify_pass(actor=world.grid_worker, case=case)
    else:
        services.case_verify_fail(actor=world.grid_worker, case=case, reason="仍有残留")


def rate(world, case, when, resolved, satisfaction):
    clock.freeze(when)
    services.case_rate(actor=world.grid_worker, case=case, resolved=resolved, satisfaction=satisfaction)


def build(world) -> dict[int, object]:
    """The eight cases of the fixture; returns {n: case}."""
    cat = category()
    cases = {}
    # 1: on time, on time, pass, (yes, 满意)
    c = cases[1] = through_dispatch(world, cat, at(2, 9))
    acknowledge(world, c, at(2, 12))
    handle(world, c, at(4, 9))
    verify(world, c, at(4, 15))
    rate(world, c, at(5, 9), True, "satisfied")
    # 2: late acknowledgement (30 h), handled on time, pass, (yes, 基本满意)
    c = cases[2] = through_dispatch(world, cat, at(3, 9))
    acknowledge(world, c, at(4, 15))
    handle(world, c, at(6, 9))
    verify(world, c, at(6, 15))
    rate(world, c, at(7, 9), True, "basically")
    # 3: on time, handled late (130 h after acknowledging), pass, (no, 不满意)
    c = cases[3] = through_dispatch(world, cat, at(5, 9))
    acknowledge(world, c, at(5, 10))
    handle(world, c, at(10, 20))
    verify(world, c, at(11, 9))
    rate(world, c, at(11, 12), False, "unsatisfied")
    # 4: on time; handled on time, verify fails, handled again on time, pass; (yes, 满意)
    c = cases[4] = through_dispatch(world, cat, at(9, 9))
    acknowledge(world, c, at(9, 10))
    handle(world, c, at(10, 9))
    verify(world, c, at(10, 15), ok=False)
    handle(world, c, at(12, 9))
    verify(world, c, at(12, 15))
    rate(world, c, at(13, 9), True, "satisfied")
    # 5: on time; not yet handled, handle deadline 2026-12-05
    c = cases[5] = through_dispatch(world, cat, at(29, 9))
    acknowledge(world, c, at(30, 0))
    # 6: never acknowledged; acknowledge deadline passed 2026-11-28 10:00
    cases[6] = through_dispatch(world, cat, at(27, 10))
    # 7: not yet acknowledged; deadline 2026-12-01 09:00
    cases[7] = through_dispatch(world, cat, at(30, 9))
    # 8: on time, on time, pass, not rated
    c = cases[8] = through_dispatch(world, cat, at(16, 9))
    acknowledge(world, c, at(16, 11))
    handle(world, c, at(18, 9))
    verify(world, c, at(18, 15))
    clock.freeze(AS_OF)
    return cases
