"""Test factories for cases, driving the real services (use them from any app's tests).

    from grassroots.cases.tests.factories import make_case, make_category

    case = make_case(world, status="in_progress")               # grid patrol in G1, led by 城市管理局
    case = make_case(world, status="handled", co_handlers=[world.dept_housing])
    case = make_case(world, status="closed", channel="resident", reporter=world.resident)

``make_case`` walks report → accept → dispatch → acknowledge → (part_done) → handle → verify_pass through the
services with the world's accounts (grid worker of G1, community staff of C1, the departments' handlers), stopping
at ``status``; ``suspended`` suspends an in-progress case and ``rejected`` rejects a reported one.
"""

from __future__ import annotations

import datetime as dt
import itertools

from grassroots.core.models import Attachment
from tests.support.world import centre

from .. import services
from ..models import Category, TimeLimit
from ..states import Channel, Status, Tier

_serial = itertools.count(1)

ORDER = [Status.REPORTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.HANDLED, Status.CLOSED]


def make_category(code: str | None = None, *, name: str = "暴露垃圾", kind: str = "event",
                  default_tier: str = Tier.COMMUNITY, on_site_allowed: bool = True, public_allowed: bool = True,
                  emergency: bool = False, emergency_service: str = "", default_department=None,
                  parent=None) -> Category:
    code = code or f"T{next(_serial):04d}"
    category, _ = Category.objects.get_or_create(code=code, defaults=dict(
        name=name, kind=kind, default_tier=default_tier, on_site_allowed=on_site_allowed,
        public_allowed=public_allowed, emergency=emergency, emergency_service=emergency_service,
        default_department=default_department, parent=parent))
    return category


def make_limit(stage: str, amount: int, unit: str, *, category=None, tier: str = "") -> TimeLimit:
    return TimeLimit.objects.create(category=category, tier=tier, stage=stage, amount=amount, unit=unit)


def make_evidence(user, name: str = "after.jpg") -> Attachment:
    """An uploaded (not yet linked) attachment row owned by ``user``."""
    return Attachment.objects.create(file=f"attachments/test/{name}", original_name=name, content_type="image/jpeg",
                                     size=1024, sha256="0" * 64, uploaded_by=user)


def report(world, *, channel: str = Channel.GRID_PATROL, category=None, reporter=None, grid_index: int = 0,
           title: str = "路边堆放生活垃圾", **kw) -> services.Intake:
    category = category or make_category()
    if reporter is None:
        reporter = {Channel.GRID_PATROL: world.grid_worker, Channel.RESIDENT: world.resident,
                    Channel.HOTLINE: world.hotline_operator, Channel.ENTERPRISE: world.enterprise_contact,
                    Channel.STAFF: world.community_staff}.get(channel, world.hotline_operator)
    if "lon" not in kw and "region" not in kw:
        kw["lon"], kw["lat"] = centre(grid_index)
    return services.case_report(actor=reporter, channel=channel, category=category, title=title,
                                description=kw.pop("description", "楼下有一堆垃圾三天没人清理"), **kw)


def make_case(world, status: str = Status.REPORTED, *, lead=None, co_handlers=(), channel: str = Channel.GRID_PATROL,
              category=None, reporter=None, tier: str | None = None, grid_index: int = 0, **report_kw):
    """A case in ``status``, reached through the services (see the module docstring)."""
    intake = report(world, channel=channel, category=category, reporter=reporter, grid_index=grid_index,
                    **report_kw)
    case = intake.case
    if status == Status.REPORTED:
        return case
    staff = world.community_staff if grid_index in (0, 1) else (
        world.other_staff if grid_index == 3 else None)
    if status == Status.REJECTED:
        return services.case_reject(actor=staff, case=case, reason="不属于受理范围")
    case = services.case_accept(actor=staff, case=case, tier=tier or Tier.COMMUNITY)
    target = ORDER.index(Status.IN_PROGRESS if status == Status.SUSPENDED else status)
    if target <= ORDER.index(Status.ACCEPTED):
        return case
    lead = lead or world.dept_city
    case = services.case_dispatch(actor=staff, case=case, lead=lead, co_handlers=list(co_handlers))
    if target <= ORDER.index(Status.DISPATCHED):
        return case
    handlers = {world.dept_city.pk: world.department_handler, world.dept_housing.pk: world.department_handler2}
    case = services.case_acknowledge(actor=handlers[lead.pk], case=case)
    for co in co_handlers:
        services.case_acknowledge(actor=handlers[co.pk], case=case)
    if status == Status.SUSPENDED:
        return services.case_suspend(actor=world.subdistrict_officer, case=case, reason="需等待汛期结束",
                                     review_at=dt.date(2099, 1, 1))
    if target <= ORDER.index(Status.IN_PROGRESS):
        return case
    for co in co_handlers:
        services.case_part_done(actor=handlers[co.pk], case=case, note="配合完成")
    evidence = make_evidence(handlers[lead.pk])
    case = services.case_handle(actor=handlers[lead.pk], case=case, result="已清理完毕", evidence=[evidence.pk])
    if target <= ORDER.index(Status.HANDLED):
        return case
    verifier = world.grid_worker if case.channel == Channel.GRID_PATROL else staff
    return services.case_verify_pass(actor=verifier, case=case)
