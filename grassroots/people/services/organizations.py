"""Organisations: register, change, dissolve (撤销) while nothing still works through them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.core import clock, events
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.territory.models import Region

from .. import dissolution, idnumbers, permissions, selectors
from ..models import Organization, Post
from .common import _open_from, _text

ORGANIZATION_FIELDS = ("name", "short_name", "kind", "credit_code", "parent", "region", "address", "phone", "lon",
                       "lat")
ORGANIZATION_TEXT_LIMITS = {  # field: (max length, zh label)
    "name": (150, "名称"), "short_name": (50, "简称"), "address": (200, "地址"), "phone": (32, "办公电话"),
}


def _clean_organization(values: dict, current: dict | None = None) -> dict:
    values = dict(values)
    values["name"] = _text(values.get("name"), field="name", limit=None, required="请填写组织名称")  # length below
    if values.get("kind") not in Organization.Kind.values:
        raise ValidationFailed("请选择组织类型", "Choose the kind of organisation", code="kind", field="kind")
    for field, (limit, label) in ORGANIZATION_TEXT_LIMITS.items():
        values[field] = _text(values.get(field), field=field, limit=limit, label=label, collapse=False)
    values["credit_code"] = idnumbers.validate_credit_code(values.get("credit_code") or "")
    lon, lat = values.get("lon"), values.get("lat")
    if (lon is None) != (lat is None) or (lon is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90)):
        raise ValidationFailed("经纬度不完整或超出范围", "Longitude/latitude incomplete or out of range", code="lonlat",
                               field="lon")
    region, parent = values.get("region"), values.get("parent")
    current = current or {}
    if region is not None and region != current.get("region") and not region.active:
        raise ValidationFailed("该区域已撤销", "The region is retired", code="organization_region_retired",
                               field="region")
    if parent is not None and parent != current.get("parent") and not parent.active:
        raise ValidationFailed("上级单位已撤销", "The parent organisation is dissolved", code="organization_parent_dissolved",
                               field="parent")
    return values


def _check_organization_scope(actor, *, region, kind: str) -> None:
    """NotPermitted unless the actor may keep an organisation of ``kind`` located in ``region``."""
    if permissions.can_manage_organization(actor, region=region, kind=kind):
        return
    if region is None:
        raise ValidationFailed("请选择所在区域", "Choose where the organisation is located",
                               code="organization_region_required", field="region")
    if permissions.can_manage_organization(actor, region=region):
        label = Organization.Kind(kind).label
        raise NotPermitted(f"您的岗位不能登记或修改「{label}」类组织", f"Your post may not keep organisations of kind {kind}",
                           code="organization_kind_denied", field="kind")
    raise NotPermitted("该区域不在您的管辖范围内", "The area is outside your scope", code="organization_denied",
                       field="region")


def _ensure_unique_organization(values: dict, exclude_pk=None) -> None:
    """Names are unique within a kind (``organization_kind_name_unique``)."""
    clash = Organization.objects.filter(kind=values["kind"], name=values["name"])
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        label = Organization.Kind(values["kind"]).label
        raise ValidationFailed(f"已有名为「{values['name']}」的{label}", f"A {values['kind']} named {values['name']!r} exists",
                               code="organization_duplicate", field="name")


def _organization_state(values: dict) -> dict:
    """What an event holds of an organisation's fields (related rows by id)."""
    return {f: (getattr(values[f], "pk", None) if f in ("parent", "region") else values[f]) for f in ORGANIZATION_FIELDS}


def ensure_may_register_organizations(actor) -> None:
    """NotPermitted (403) for posts that keep no organisations at all."""
    if not permissions.can_manage_organizations(actor):
        raise NotPermitted("您的岗位无权登记组织", "Your post may not register organisations", code="organization_denied")


def organization_create(*, actor, name: str, kind: str, region: Region | None = None,
                        parent: Organization | None = None, short_name: str = "", credit_code: str = "",
                        address: str = "", phone: str = "", lon: float | None = None,
                        lat: float | None = None) -> Organization:
    """Register an organisation (admin and the zone leader anywhere; subdistrict and community staff in their
    area, for the kinds their level keeps). Names are unique within a kind; a credit code follows GB 32100."""
    ensure_may_register_organizations(actor)
    values = _clean_organization(dict(name=name, kind=kind, region=region, parent=parent, short_name=short_name,
                                      credit_code=credit_code, address=address, phone=phone, lon=lon, lat=lat))
    _check_organization_scope(actor, region=values["region"], kind=values["kind"])
    if parent is not None:
        selectors.organization_get(actor=actor, pk=parent.pk)  # outside the actor's view: not found
    with transaction.atomic():
        _ensure_unique_organization(values)
        org = Organization.objects.create(**values)
        events.record(actor, "organization.create", org, to_state="active", payload=_organization_state(values))
    return org


def organization_update(*, actor, organization: Organization, **changes) -> Organization:
    """Change an organisation's fields (dissolving goes through ``organization_dissolve``)."""
    unknown = set(changes) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise ValidationFailed(f"不能修改：{', '.join(sorted(unknown))}", f"Cannot change: {', '.join(sorted(unknown))}",
                               code="field_not_editable")
    org = selectors.organization_get(actor=actor, pk=organization.pk)
    if not permissions.can_manage_organization(actor, organization=org):
        raise NotPermitted("无权修改该组织", "You may not change this organisation", code="organization_denied")
    if not org.active:
        raise Conflict("该组织已撤销，不能修改", "The organisation is dissolved and cannot be changed",
                       code="organization_dissolved", details={"current_state": "dissolved"})
    current = {f: getattr(org, f) for f in ORGANIZATION_FIELDS}
    values = _clean_organization({**current, **changes}, current)
    if values["region"] != current["region"] or values["kind"] != current["kind"]:
        _check_organization_scope(actor, region=values["region"], kind=values["kind"])
    parent = values.get("parent")
    if parent is not None and parent != current["parent"]:
        if parent.pk == org.pk or _is_descendant(parent, org):
            raise ValidationFailed("上级单位不能是自身或下级单位", "The parent cannot be the organisation or one below it",
                                   code="organization_cycle", field="parent")
        selectors.organization_get(actor=actor, pk=parent.pk)
    with transaction.atomic():
        _ensure_unique_organization(values, exclude_pk=org.pk)
        changed = sorted(f for f in ORGANIZATION_FIELDS if values[f] != current[f])
        for f in changed:
            setattr(org, f, values[f])
        org.save()
        before, after = _organization_state(current), _organization_state(values)
        events.record(actor, "organization.update", org,
                      payload={"changed": changed, "before": {f: before[f] for f in changed},
                               "after": {f: after[f] for f in changed}})
    return org


def organization_blockers(organization: Organization, on: dt.date | None = None) -> list[dissolution.Blocker]:
    """What still works through the organisation on ``on``: current posts, active sub-organisations and the
    counters other apps register in ``people.dissolution``."""
    day = on or clock.today()
    found = []
    posts = Post.objects.filter(_open_from(day), organization=organization).count()
    if posts:
        found.append(dissolution.Blocker("posts", "在任岗位", "current posts", posts))
    children = Organization.objects.filter(parent=organization, active=True).count()
    if children:
        found.append(dissolution.Blocker("children", "在用的下级单位", "active sub-organisations", children))
    return found + dissolution.blockers(organization, day)


def organization_dissolve(*, actor, organization: Organization, reason: str,
                          on: dt.date | None = None) -> Organization:
    """Dissolve (撤销) an organisation: it stays on record, inactive, with the date and the reason. Refused while
    anything still works through it (``organization_blockers``)."""
    org = selectors.organization_get(actor=actor, pk=organization.pk)
    if not permissions.can_manage_organization(actor, organization=org):
        raise NotPermitted("无权撤销该组织", "You may not dissolve this organisation", code="organization_denied")
    reason = _text(reason, field="reason", limit=200, label="撤销原因", required="请填写撤销原因")
    day = on or clock.today()
    if day > clock.today():
        raise ValidationFailed("撤销日期不能晚于今天", "The date cannot be in the future", code="dissolve_future",
                               field="on")
    if not org.active:
        raise Conflict("该组织已撤销", "The organisation is already dissolved", code="organization_dissolved",
                       details={"current_state": "dissolved"})
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=org.pk).first()
        blocking = organization_blockers(org, day)
        if blocking:
            zh = "、".join(f"{b.count} 个{b.zh}" for b in blocking)
            en = ", ".join(f"{b.en} ({b.count})" for b in blocking)
            raise Conflict(f"该组织仍有{zh}，请先结束或转移后再撤销",
                           f"The organisation still has {en}; end or move them before dissolving it",
                           code="organization_in_use", field="reason",
                           details={"blockers": {b.name: b.count for b in blocking}})
        updated = Organization.objects.filter(pk=org.pk, active=True).update(
            active=False, dissolved_on=day, dissolved_reason=reason, updated_at=clock.now())
        if updated != 1:
            raise Conflict("该组织已撤销", "The organisation is already dissolved", code="organization_dissolved",
                           details={"current_state": "dissolved"})
        org.refresh_from_db()
        events.record(actor, "organization.dissolve", org, from_state="active", to_state="dissolved",
                      payload={"dissolved_on": day.isoformat(), "reason": reason})
    return org


def _is_descendant(candidate: Organization, root: Organization) -> bool:
    seen = set()
    node = candidate
    while node is not None and node.pk not in seen:
        if node.parent_id == root.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False
