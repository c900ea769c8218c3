"""三级联系: zone leaders and communities, department heads and compounds, in-service members and grids."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.core import clock, events
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.territory.models import Level

from .. import permissions
from ..models import Liaison, Membership


def liaison_create(*, actor, kind: str, person=None, user=None, region=None, compound=None, organization=None,
                   start_date: dt.date | None = None, note: str = "") -> Liaison:
    """三级联系: a zone leader ↔ a community, a department head ↔ a compound, an in-service member ↔ a grid."""
    start_date = start_date or clock.today()
    if kind not in Liaison.Kind.values:
        raise ValidationFailed("联系类型无效", "Unknown liaison kind", field="kind")
    if person is None and user is None:
        raise ValidationFailed("请选择联系人", "Choose the liaison person", field="person")
    if kind == Liaison.Kind.LEADER_COMMUNITY:
        if region is None or region.level not in {Level.COMMUNITY, Level.VILLAGE, Level.PARK}:
            raise ValidationFailed("区级领导联系的对象应为社区、村或园区", "A zone leader is linked to a community",
                                   field="region")
        compound = None
    elif kind == Liaison.Kind.HEAD_COMPOUND:
        if compound is None:
            raise ValidationFailed("请选择联系的小区", "Choose the compound", field="compound")
        region = None
    else:
        if region is None or region.level != Level.GRID:
            raise ValidationFailed("在职党员联系的对象应为网格", "An in-service member is linked to a grid",
                                   field="region")
        if person is None and user is not None:
            person = user.person
        member = (Membership.objects.filter(person=person, active=True).first() if person else None)
        if member is None or not member.in_service:
            raise ValidationFailed("联系网格的应为在职党员", "Only an in-service party member is linked to a grid",
                                   field="person")
        compound = None
    target_region = region if region is not None else compound.community
    if not target_region.active:
        raise ValidationFailed("该区域已撤销", "The region is retired", field="region")
    if start_date > clock.today() + dt.timedelta(days=366):
        raise ValidationFailed("开始日期无效", "Invalid start date", field="start_date")
    duplicate = Liaison.objects.filter(kind=kind, end_date__isnull=True, region=region, compound=compound)
    duplicate = duplicate.filter(person=person) if person is not None else duplicate.filter(user=user)
    if duplicate.exists():
        raise Conflict("该联系关系已存在", "This liaison already exists", code="liaison_exists")
    if not permissions.can_manage_liaison(actor, region=region, compound=compound):
        raise NotPermitted("您无权建立该联系关系", "You may not create this liaison")
    with transaction.atomic():
        liaison = Liaison.objects.create(kind=kind, person=person, user=user, organization=organization,
                                         region=region, compound=compound, start_date=start_date,
                                         note=(note or "").strip()[:200])
        events.record(actor, "liaison.create", liaison, payload={
            "kind": kind, "person": person.pk if person else None, "user": user.pk if user else None,
            "region": region.pk if region else None, "compound": compound.pk if compound else None})
    return liaison


def liaison_end(*, actor, liaison: Liaison, on: dt.date | None = None) -> Liaison:
    on = on or clock.today()
    if on < liaison.start_date:
        raise ValidationFailed("结束日期不能早于开始日期", "The end date cannot precede the start", field="on")
    if not permissions.can_manage_liaison(actor, region=liaison.region, compound=liaison.compound):
        raise NotPermitted("您无权结束该联系关系", "You may not end this liaison")
    with transaction.atomic():
        updated = Liaison.objects.filter(pk=liaison.pk, end_date__isnull=True).update(end_date=on,
                                                                                     updated_at=clock.now())
        if not updated:
            raise Conflict("该联系关系已结束", "This liaison has already ended", code="liaison_ended")
        events.record(actor, "liaison.end", liaison, payload={"on": on.isoformat()})
    liaison.refresh_from_db()
    return liaison
