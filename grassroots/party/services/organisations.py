"""Party organisations: creating one in the tree (territorial kinds mirror the region tree)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.core import events
from grassroots.core.errors import ValidationFailed
from grassroots.territory.models import Level

from .. import permissions
from ..models import TERRITORIAL_KINDS, TERRITORIAL_LEVELS, OrgKind, PartyOrg
from ._common import deny
from .paths import next_serial, org_code, org_path


def party_org_create(*, actor, kind: str, name: str, parent: PartyOrg | None = None, region=None,
                     organization=None, linked_organizations=(), secretary=None, founded_on: dt.date | None = None,
                     term_end: dt.date | None = None, code: str = "") -> PartyOrg:
    """Create a party organisation. Territorial kinds mirror the territory: the region has the kind's level and the
    parent is the organisation of the parent region."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("名称不能为空", "Name is required", field="name")
    if kind not in OrgKind.values:
        raise ValidationFailed("党组织类型无效", "Unknown party organisation kind", field="kind")
    kind_label = OrgKind(kind).label
    linked_organizations = list(linked_organizations or [])
    if kind == OrgKind.ZONE_WORKING_COMMITTEE:
        if parent is not None:
            raise ValidationFailed("党工委是最高层级，不能有上级党组织", "A zone working committee has no parent",
                                   field="parent")
    elif parent is None:
        raise ValidationFailed("请选择上级党组织", "A parent party organisation is required", field="parent")
    if parent is not None:
        if not parent.active:
            raise ValidationFailed("上级党组织已撤销", "The parent party organisation is dissolved", field="parent")
        if parent.kind == OrgKind.BUILDING_GROUP:
            raise ValidationFailed("楼栋党小组之下不能再设党组织", "A building party group has no sub-organisations",
                                   field="parent")
    if kind in TERRITORIAL_KINDS:
        levels = TERRITORIAL_LEVELS[kind]
        if region is None or region.level not in levels:
            raise ValidationFailed(f"「{kind_label}」必须对应一个{'/'.join(sorted(_level_labels(levels)))}",
                                   f"A {kind} must mirror a region of level {'/'.join(sorted(levels))}",
                                   field="region")
        if not region.active:
            raise ValidationFailed("该区域已撤销", "The region is retired", field="region")
        if parent is not None and (parent.kind not in TERRITORIAL_KINDS or parent.region_id != region.parent_id):
            raise ValidationFailed(
                f"「{kind_label}」的上级必须是「{region.parent.name if region.parent else ''}」的党组织",
                "The parent must be the party organisation of the parent region", field="parent")
        if PartyOrg.objects.filter(region=region, kind__in=sorted(TERRITORIAL_KINDS), active=True).exists():
            raise ValidationFailed(f"「{region.name}」已有党组织", f"{region.name} already has a party organisation",
                                   field="region")
    else:
        if kind in {OrgKind.ORG_BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.ORG_COMMITTEE} and organization is None:
            raise ValidationFailed(f"「{kind_label}」需要所在单位", f"A {kind} needs its organisation",
                                   field="organization")
        if kind in {OrgKind.INDUSTRY_CHAIN_COMMITTEE, OrgKind.JOINT_BRANCH} and not (
                organization or linked_organizations):
            raise ValidationFailed(f"「{kind_label}」至少需要联系一家企业", f"A {kind} links at least one enterprise",
                                   field="linked_organizations")
        if region is None and organization is not None:
            region = organization.region
    if term_end and founded_on and term_end <= founded_on:
        raise ValidationFailed("任期届满日期应晚于成立日期", "The term end must be after the founding date",
                               field="term_end")
    code = (code or "").strip()
    if code and PartyOrg.objects.filter(code=code).exists():
        raise ValidationFailed(f"党组织编码「{code}」已存在", f"Party organisation code {code} already exists",
                               field="code")
    # Permission: the parent's managers create children; a root needs a zone-level post.
    if parent is not None:
        if not permissions.can_manage_org(actor, parent):
            deny()
    elif not (permissions.is_zone_level(actor, permissions.PARTY_STAFF_ROLES)
              or permissions.can_manage_region(actor, region)):
        deny()
    with transaction.atomic():
        serial = next_serial(parent)
        path = org_path(parent, serial)
        org = PartyOrg.objects.create(
            code=code or org_code(path), name=name, kind=kind, parent=parent, serial=serial, path=path,
            region=region, organization=organization, secretary=secretary, founded_on=founded_on,
            term_end=term_end)
        if linked_organizations:
            org.linked_organizations.set(linked_organizations)
        events.record(actor, "party_org.create", org, payload={
            "code": org.code, "name": name, "kind": kind, "parent": parent.pk if parent else None,
            "region": region.pk if region else None, "organization": organization.pk if organization else None,
            "linked_organizations": [o.pk for o in linked_organizations]})
    return org


def _level_labels(levels) -> list[str]:
    return [str(Level(level).label) for level in levels]


def party_org_term_end_set(*, actor, org: PartyOrg, term_end: dt.date | None) -> PartyOrg:
    """Write the current term's end (``term_end``): the one writer of that column, called by the term services of
    organisational life. Those who manage the organisation, act for it or remind it may write it."""
    if term_end is not None and not isinstance(term_end, dt.date):
        raise ValidationFailed("届满日期无效", "Invalid term end", field="term_end")
    if not (permissions.can_manage_org(actor, org) or permissions.can_remind(actor, org)):
        deny()
    with transaction.atomic():
        before = PartyOrg.objects.filter(pk=org.pk).values_list("term_end", flat=True).first()
        PartyOrg.objects.filter(pk=org.pk).update(term_end=term_end)
        events.record(actor, "party_org.term_end", org, payload={
            "from": before.isoformat() if before else None, "to": term_end.isoformat() if term_end else None})
    org.term_end = term_end
    return org
