"""The only writers of people, households, organisations and posts.

Every service runs in one transaction, checks permissions and writes an audit event. ID numbers and phone numbers
are validated, stored encrypted (``EncryptedTextField``) with a blind index and the last four characters; the
plaintext never reaches a raw column, a log line or an event payload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from grassroots.core import clock, crypto, events
from grassroots.core import roles as R
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.scope import active_posts_q, forget
from grassroots.territory.models import Level, Region

from . import dissolution, handover, idnumbers, permissions, selectors
from .masking import mask_id, mask_phone
from .models import Household, Organization, Person, Post, Role, User

RELATION_HEAD = {"户主", "本人"}
ID_TYPES = frozenset(Person.IdType.values)

# Persons ---------------------------------------------------------------------------------------------------------


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


def _clean_name(name) -> str:
    return _text(name, field="name", limit=64, label="姓名", required="请填写姓名")


def _clean_tags(tags) -> list[str]:
    if tags is None:
        return []
    if isinstance(tags, str):
        for sep in "，、;；|":
            tags = tags.replace(sep, ",")
        tags = tags.split(",")
    result: list[str] = []
    for tag in tags:
        tag = str(tag).strip()
        if tag and tag not in result:
            if len(tag) > 16:
                raise ValidationFailed(f"标签「{tag}」过长（最多 16 个字）", f"Tag {tag!r} is too long (16 at most)",
                                       code="tag_length", field="tags")
            result.append(tag)
    return result


def _grid_of(building: Region) -> Region:
    if building.level != Level.BUILDING:
        raise ValidationFailed("请选择楼栋", "Choose a building", code="building_level", field="building")
    if not building.active:
        raise ValidationFailed("该楼栋已撤销", "The building is retired", code="building_retired", field="building")
    return building.parent


def prepare_person_row(*, name: str, id_type: str = Person.IdType.RESIDENT_ID, id_number: str = "",
                       phone: str = "", building: Region | None = None, region: Region | None = None,
                       household: Household | None = None, relation_to_head: str = "",
                       is_household_head: bool | None = None, tags: Iterable[str] | str | None = None,
                       gender: str | None = None, birth_date: dt.date | None = None, active: bool = True) -> Person:
    """An unsaved Person following every rule of ``person_create`` except the database checks.

    Validates the name, document number (GB 11643 for mainland IDs) and phone; derives birth date and gender from
    a mainland ID; sets the blind indexes and last-4 columns. The number fields hold plaintext on the instance;
    ``EncryptedTextField`` encrypts them on every write path (``save``, ``bulk_create``, ``update``), so rows
    written with ``Person.objects.bulk_create`` are encrypted too. Bulk callers must still keep ID numbers unique
    (the database refuses duplicates) and record events (``events.bulk_record``).
    """
    name = _clean_name(name)
    if id_type not in ID_TYPES:
        raise ValidationFailed(f"未知的证件类型「{id_type}」", f"Unknown document type {id_type!r}",
                               code="id_type", field="id_type")
    number = idnumbers.normalize(id_number)
    derived_birth = derived_gender = None
    if number and id_type == Person.IdType.RESIDENT_ID:
        parsed = idnumbers.parse_resident_id(number)  # one parse: checksum, birth date and gender
        number, derived_birth, derived_gender = parsed.number, parsed.birth_date, parsed.gender
    elif number:
        number = idnumbers.validate(id_type, number)
    phone = idnumbers.validate_phone(phone)
    if building is not None:
        grid = _grid_of(building)
        region = grid
    if region is None:
        raise ValidationFailed("请选择所属楼栋或网格", "Choose a building or grid", code="region_required",
                               field="building")
    relation_to_head = (relation_to_head or "").strip()
    if is_household_head is None:
        is_household_head = relation_to_head in RELATION_HEAD
    person = Person(
        name=name, id_type=id_type, id_number=number,
        id_number_index=crypto.blind_index(number, purpose="id_number") if number else "",
        id_number_last4=number[-4:] if number else "",
        phone=phone, phone_index=crypto.blind_index(phone, purpose="phone") if phone else "",
        phone_last4=phone[-4:] if phone else "",
        gender=derived_gender or gender or Person.Gender.UNKNOWN,
        birth_date=derived_birth or birth_date,
        building=building, region=region, household=household, relation_to_head=relation_to_head,
        is_household_head=bool(is_household_head), tags=_clean_tags(tags), active=active,
    )
    return person


def _ensure_unique_id(person: Person) -> None:
    if not person.id_number_index:
        return
    clash = Person.objects.filter(id_number_index=person.id_number_index)
    if person.pk:
        clash = clash.exclude(pk=person.pk)
    if clash.exists():
        raise ValidationFailed("该证件号码已登记", "This document number is already registered",
                               code="id_number_duplicate", field="id_number")


def _person_payload(person: Person) -> dict:
    """What an event may hold: never a plaintext number."""
    return {"name": person.name, "region": person.region_id, "building": person.building_id,
            "id_type": person.id_type, "id_number": mask_id(person.id_number), "phone": mask_phone(person.phone)}


def person_create(*, actor, name: str, id_type: str = Person.IdType.RESIDENT_ID, id_number: str = "",
                  phone: str = "", building: Region | None = None, room: str = "", region: Region | None = None,
                  relation_to_head: str = "", is_household_head: bool | None = None, tags=None,
                  gender: str | None = None, birth_date: dt.date | None = None) -> Person:
    target = building or region
    if not permissions.can_register_in(actor, target):
        raise NotPermitted("无权在该楼栋登记人员", "You may not register persons in this building",
                           code="person_register_denied", field="building")
    person = prepare_person_row(name=name, id_type=id_type, id_number=id_number, phone=phone, building=building,
                                region=region, relation_to_head=relation_to_head,
                                is_household_head=is_household_head, tags=tags, gender=gender,
                                birth_date=birth_date)
    with transaction.atomic():
        _ensure_unique_id(person)
        if building is not None and (room or "").strip():
            person.household = _household_get_or_create(actor=actor, building=building, room=room)
        person.save()
        events.record(actor, "person.create", person, payload=_person_payload(person))
    return person


EDITABLE_PERSON_FIELDS = {"name", "id_type", "id_number", "phone", "relation_to_head", "is_household_head", "tags",
                          "gender", "birth_date", "active"}


def person_update(*, actor, person: Person, **changes) -> Person:
    """Change a person's fields (building moves go through ``person_move``)."""
    unknown = set(changes) - EDITABLE_PERSON_FIELDS
    if unknown:
        raise ValidationFailed(f"不能修改：{', '.join(sorted(unknown))}", f"Cannot change: {', '.join(sorted(unknown))}",
                               code="field_not_editable")
    person = selectors.person_get(actor=actor, pk=person.pk)
    if not permissions.can_edit_person(actor, person):
        raise NotPermitted("无权修改该人员信息", "You may not change this person", code="person_edit_denied")
    before = _person_payload(person)
    merged = {
        "name": person.name, "id_type": person.id_type, "id_number": person.id_number, "phone": person.phone,
        "relation_to_head": person.relation_to_head, "is_household_head": person.is_household_head,
        "tags": person.tags, "gender": person.gender, "birth_date": person.birth_date, "active": person.active,
    }
    merged.update(changes)
    # A mainland ID number decides birth date and gender (prepare_person_row derives them).
    fresh = prepare_person_row(building=person.building, region=person.region, household=person.household,
                               **merged)
    for field in ("name", "id_type", "id_number", "id_number_index", "id_number_last4", "phone", "phone_index",
                  "phone_last4", "gender", "birth_date", "relation_to_head", "is_household_head", "tags", "active"):
        setattr(person, field, getattr(fresh, field))
    with transaction.atomic():
        _ensure_unique_id(person)
        person.save()
        after = _person_payload(person)
        changed = sorted(k for k in after if after[k] != before[k]) + sorted(
            k for k in ("tags", "active", "relation_to_head", "is_household_head", "gender", "birth_date")
            if k in changes)
        events.record(actor, "person.update", person, payload={"changed": sorted(set(changed))})
    return person


def person_move(*, actor, person: Person, building: Region, room: str = "", relation_to_head: str = "") -> Person:
    """Move a person to another building (and household); the person's grid follows the building."""
    person = selectors.person_get(actor=actor, pk=person.pk)
    if not permissions.can_edit_person(actor, person):
        raise NotPermitted("无权变更该人员的居住楼栋", "You may not move this person", code="person_move_denied")
    grid = _grid_of(building)
    if not permissions.can_register_in(actor, building):
        raise NotPermitted("目标楼栋不在您的管辖范围内", "The target building is outside your area",
                           code="person_move_target_denied", field="building")
    from_building = person.building_id
    with transaction.atomic():
        person.building = building
        person.region = grid
        person.household = (_household_get_or_create(actor=actor, building=building, room=room)
                            if (room or "").strip() else None)
        person.relation_to_head = (relation_to_head or "").strip()
        person.is_household_head = person.relation_to_head in RELATION_HEAD
        person.save(update_fields=["building", "region", "household", "relation_to_head", "is_household_head",
                                   "updated_at"])
        events.record(actor, "person.move", person, from_state=str(from_building or ""), to_state=str(building.pk),
                      payload={"from_building": from_building, "to_building": building.pk, "room": room})
    return person


def person_reveal(*, actor, person: Person, field: str) -> str:
    """The unmasked value of ``field`` ("id_number" or "phone"), recorded as an audit event ``person.reveal``.

    NotFound outside the actor's scope; NotPermitted (and a ``denied`` event) for posts that may not unmask.
    """
    person = selectors.person_get(actor=actor, pk=person.pk)
    if field not in permissions.REVEALABLE_FIELDS:
        raise ValidationFailed("只能查看证件号码或手机号", "Only the ID number or phone can be revealed",
                               code="reveal_field", field="field")
    if not permissions.can_unmask(actor, person, field):
        events.record(actor, "person.reveal", person, outcome="denied", payload={"field": field})
        if person.is_minor:
            raise NotPermitted("未满十四周岁人员的信息仅社区书记可查看", "Only the community secretary may see a minor's data",
                               code="reveal_minor_denied")
        raise NotPermitted("您的岗位无权查看完整号码", "Your post may not see the full number", code="reveal_denied")
    with transaction.atomic():
        events.record(actor, "person.reveal", person, payload={"field": field, "minor": person.is_minor})
    return getattr(person, field) or ""


def person_export(*, actor, filters: selectors.PersonFilters | None = None) -> bytes:
    """The visible people list as .xlsx; numbers masked unless the actor may unmask that person. Audited."""
    from grassroots.core.imports import export_xlsx

    if not permissions.can_export_people(actor):
        raise NotPermitted("您的岗位无权导出人员名单", "Your post may not export the people list", code="export_denied")
    qs = selectors.person_list(actor=actor, filters=filters)
    may_unmask = permissions.can_unmask_any(actor)
    genders = {k: str(v) for k, v in Person.Gender.choices}
    id_types = {k: str(v) for k, v in Person.IdType.choices}
    rows = []
    unmasked = 0
    for p in qs.iterator(chunk_size=2000):
        show_id = may_unmask and permissions.can_unmask(actor, p, "id_number")
        show_phone = may_unmask and permissions.can_unmask(actor, p, "phone")
        unmasked += bool(show_id or show_phone)
        rows.append([
            p.name, genders.get(p.gender, p.gender), p.birth_date, "是" if p.is_minor else "",
            id_types.get(p.id_type, p.id_type),
            p.id_number if show_id else mask_id(p.id_number), p.phone if show_phone else mask_phone(p.phone),
            p.region.name if p.region_id else "", p.building.code if p.building_id else "",
            p.household.room if p.household_id else "", p.relation_to_head, "、".join(p.tags or []),
            "在册" if p.active else "不在册",
        ])
    headers = ["姓名", "性别", "出生日期", "未满14周岁", "证件类型", "证件号码", "手机号", "所属网格", "楼栋编码",
               "房号", "与户主关系", "标签", "状态"]
    data = export_xlsx(headers, rows, sheet_title="人员名单")
    with transaction.atomic():
        events.record(actor, "person.export", None, object_type="people.person",
                      payload={"rows": len(rows), "unmasked_rows": unmasked,
                               "filters": _filters_payload(filters)})
    return data


def _filters_payload(filters) -> dict:
    if filters is None:
        return {}
    return {k: v for k, v in vars(filters).items() if v not in ("", None, False)}


# Households ------------------------------------------------------------------------------------------------------

def _household_get_or_create(*, actor, building: Region, room: str) -> Household:
    room = str(room).strip()
    if len(room) > 32:
        raise ValidationFailed("房号过长", "The room number is too long", code="room_length", field="room")
    household = Household.objects.filter(building=building, room=room).first()
    if household is None:
        household = Household.objects.create(building=building, room=room)
        events.record(actor, "household.create", household, payload={"building": building.pk, "room": room})
    return household


def household_create(*, actor, building: Region, room: str) -> Household:
    _grid_of(building)
    if not permissions.can_register_in(actor, building):
        raise NotPermitted("无权在该楼栋登记住户", "You may not register households in this building",
                           code="household_denied", field="building")
    if not str(room or "").strip():
        raise ValidationFailed("请填写房号", "The room is required", code="room_required", field="room")
    with transaction.atomic():
        if Household.objects.filter(building=building, room=str(room).strip()).exists():
            raise ValidationFailed("该房号已登记", "This room is already registered", code="household_duplicate",
                                   field="room")
        return _household_get_or_create(actor=actor, building=building, room=room)


def household_assign(*, actor, person: Person, household: Household, relation_to_head: str = "") -> Person:
    """Put a person in a household of their building (move first for another building)."""
    person = selectors.person_get(actor=actor, pk=person.pk)
    if not permissions.can_edit_person(actor, person):
        raise NotPermitted("无权修改该人员信息", "You may not change this person", code="person_edit_denied")
    if person.building_id != household.building_id:
        raise ValidationFailed("该户不在此人的居住楼栋，请先变更楼栋", "The household is in another building; move the person first",
                               code="household_building", field="household")
    relation = (relation_to_head or "").strip()
    with transaction.atomic():
        if relation in RELATION_HEAD and household.members.filter(is_household_head=True).exclude(
                pk=person.pk).exists():
            raise ValidationFailed("该户已有户主", "The household already has a head", code="household_head",
                                   field="relation_to_head")
        previous = person.household_id
        person.household = household
        person.relation_to_head = relation
        person.is_household_head = relation in RELATION_HEAD
        person.save(update_fields=["household", "relation_to_head", "is_household_head", "updated_at"])
        events.record(actor, "person.household_assign", person, from_state=str(previous or ""),
                      to_state=str(household.pk), payload={"household": household.pk, "relation": relation})
    return person


# Organisations ---------------------------------------------------------------------------------------------------

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


# Posts -----------------------------------------------------------------------------------------------------------

# Which region levels each region role's post may cover.
ROLE_REGION_LEVELS = {
    Role.GRID_WORKER: {Level.GRID},
    Role.COMMUNITY_STAFF: {Level.COMMUNITY, Level.VILLAGE, Level.PARK},
    Role.COMMUNITY_SECRETARY: {Level.COMMUNITY, Level.VILLAGE, Level.PARK},
    Role.SUBDISTRICT_OFFICER: {Level.SUBDISTRICT},
    Role.ZONE_LEADER: {Level.ZONE},
    Role.HOTLINE_OPERATOR: {Level.ZONE},
    Role.PARTY_INSTRUCTOR: {Level.GRID, Level.PARK, Level.COMMUNITY, Level.VILLAGE},
}
ENTERPRISE_KINDS = {Organization.Kind.ENTERPRISE, Organization.Kind.STATE_OWNED_ENTERPRISE,
                    Organization.Kind.PROPERTY_FIRM, Organization.Kind.COOPERATIVE,
                    Organization.Kind.SOCIAL_ORGANIZATION}


def _check_post_scope(role: str, region: Region | None, organization: Organization | None) -> None:
    label = Role(role).label
    if role in ROLE_REGION_LEVELS:
        levels = ROLE_REGION_LEVELS[role]
        if region is None or region.level not in levels:
            names = "、".join(str(Level(level).label) for level in sorted(levels))
            raise ValidationFailed(f"「{label}」岗位需要指定{names}级区域",
                                   f"A {role} post needs a region of level {', '.join(sorted(levels))}",
                                   code="post_region_level", field="region")
        if not region.active:
            raise ValidationFailed("该区域已撤销", "The region is retired", code="post_region_retired", field="region")
        if organization is not None:
            raise ValidationFailed(f"「{label}」岗位按区域划分，不能指定单位",
                                   f"A {role} post has a region, not an organisation", code="post_scope",
                                   field="organization")
    elif role in R.ORGANIZATION_POSTS:
        if organization is None:
            raise ValidationFailed(f"「{label}」岗位需要指定所在单位", f"A {role} post needs an organisation",
                                   code="post_organization_required", field="organization")
        if not organization.active:
            raise ValidationFailed("该单位已撤销", "The organisation is dissolved", code="post_organization_dissolved",
                                   field="organization")
        if role == Role.ENTERPRISE_CONTACT and organization.kind not in ENTERPRISE_KINDS:
            raise ValidationFailed("企业联系人需要指定一家企业", "An enterprise contact needs an enterprise",
                                   code="post_organization_kind", field="organization")
        if role == Role.DEPARTMENT_HANDLER and organization.kind in ENTERPRISE_KINDS:
            raise ValidationFailed("部门办理人需要指定职能部门或机关单位", "A department handler needs a department or agency",
                                   code="post_organization_kind", field="organization")
        if region is not None:
            raise ValidationFailed(f"「{label}」岗位按单位划分，不能指定区域", f"A {role} post has an organisation, not a region",
                                   code="post_scope", field="region")
    elif region is not None or organization is not None:
        raise ValidationFailed(f"「{label}」岗位不设区域或单位", f"A {role} post has no region or organisation",
                               code="post_scope", field="region")


def _check_role_combination(user: User, role: str, start: dt.date, exclude_pk=None) -> None:
    """System roles stay apart from business roles, and admin from auditor (等保: separated admin roles)."""
    others = Post.objects.filter(user=user).filter(_open_from(start))
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    other_roles = set(others.values_list("role", flat=True))
    if role in set(R.SYSTEM):
        business = other_roles - set(R.SYSTEM)
        if business:
            raise ValidationFailed(
                f"系统角色「{Role(role).label}」不能与业务岗位（{'、'.join(str(Role(r).label) for r in sorted(business))}）由同一账号兼任",
                f"The system role {role} cannot be combined with business posts ({', '.join(sorted(business))}) on one account",
                code="post_role_combination", field="role")
        clash = (other_roles & set(R.SYSTEM)) - {role}
        if clash:
            raise ValidationFailed("系统管理员与审计管理员须由不同账号担任",
                                   "The system administrator and the auditor must be different accounts",
                                   code="post_role_combination", field="role")
    else:
        system = other_roles & set(R.SYSTEM)
        if system:
            raise ValidationFailed(
                f"该账号担任系统角色（{'、'.join(str(Role(r).label) for r in sorted(system))}），不能兼任业务岗位",
                f"This account holds a system role ({', '.join(sorted(system))}) and cannot hold business posts",
                code="post_role_combination", field="role")


def _open_from(day: dt.date) -> Q:
    """Posts not ended before ``day`` (current or future)."""
    return Q(end_date__isnull=True) | Q(end_date__gte=day)


def post_create(*, actor, user: User, role: str, region: Region | None = None,
                organization: Organization | None = None, title: str = "",
                start_date: dt.date | None = None) -> Post:
    if not permissions.can_manage_posts(actor):
        raise NotPermitted("只有系统管理员可以设置岗位", "Only the system administrator manages posts",
                           code="post_denied")
    if role not in Role.values:
        raise ValidationFailed(f"未知的角色「{role}」", f"Unknown role {role!r}", code="role", field="role")
    start = start_date or clock.today()
    _check_post_scope(role, region, organization)
    if not user.is_active:
        raise ValidationFailed("该账号已停用", "The account is disabled", code="user_inactive", field="user")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        _check_role_combination(user, role, start)
        if Post.objects.filter(_open_from(start), user=user, role=role, region=region,
                               organization=organization).exists():
            raise ValidationFailed("该账号已担任相同岗位", "The account already holds this post", code="post_duplicate",
                                   field="role")
        post = Post.objects.create(user=user, role=role, region=region, organization=organization,
                                   title=(title or "").strip()[:64], start_date=start)
        events.record(actor, "post.create", post, to_state="active",
                      payload={"user": user.pk, "role": role, "region": getattr(region, "pk", None),
                               "organization": getattr(organization, "pk", None), "start_date": start.isoformat()})
    forget(user)
    return post


def post_end(*, actor, post: Post, end_date: dt.date | None = None, successor: User | None = None,
             note: str = "") -> Post:
    """End a post; its open tasks go to the successor (交接) through the registered handover handlers."""
    if not permissions.can_end_post(actor, post):
        raise NotPermitted("只有系统管理员可以结束岗位", "Only the system administrator ends posts", code="post_denied")
    end = end_date or clock.today()
    if end < post.start_date:
        raise ValidationFailed("结束日期不能早于开始日期", "The end date cannot be before the start date",
                               code="post_end_before_start", field="end_date")
    if successor is not None:
        if successor.pk == post.user_id:
            raise ValidationFailed("接任人不能是本人", "The successor must be someone else", code="successor_self",
                                   field="successor")
        if not successor.is_active or not Post.objects.filter(
                active_posts_q(end), user=successor, role=post.role, region_id=post.region_id,
                organization_id=post.organization_id).exists():
            raise ValidationFailed("接任人须担任相同区域或单位的同一岗位（请先为其设置岗位）",
                                   "The successor must hold the same post for the same region or organisation "
                                   "(create their post first)", code="successor_post", field="successor")
    with transaction.atomic():
        updated = Post.objects.filter(pk=post.pk, end_date__isnull=True).update(
            end_date=end, successor=successor, handover_note=(note or "").strip(), updated_at=clock.now())
        if updated != 1:
            raise Conflict("该岗位已结束", "The post has already ended", code="post_ended",
                           details={"current_state": "ended"})
        pending = handover.open_tasks(actor=actor, post=post)
        if pending and successor is None:
            total = sum(pending.values())
            raise ValidationFailed(f"该岗位还有 {total} 项未办结任务，请指定接任人进行交接",
                                   f"The post still has {total} open tasks; name a successor to hand them over",
                                   code="successor_required", field="successor", details={"open_tasks": pending})
        moved = handover.hand_over(actor=actor, post=post, successor=successor) if successor is not None else {}
        post.refresh_from_db()
        events.record(actor, "post.end", post, from_state="active", to_state="ended",
                      payload={"end_date": end.isoformat(), "successor": getattr(successor, "pk", None),
                               "handed_over": moved, "note": post.handover_note[:200]})
    forget(post.user)
    return post


# Roster import ---------------------------------------------------------------------------------------------------

def person_import(*, actor, file, dry_run: bool = False, progress: bool = False):
    """Import a roster (.xlsx, columns in ``people.imports.COLUMNS``): every row checked, all or nothing.

    Errors: unknown or out-of-scope building codes, invalid document numbers or phones, duplicates within the file
    and against the register. Returns ``core.imports.ImportReport``; one ``person.create`` event per person and
    one ``person.import`` event for the file.
    """
    from grassroots.core import imports as xl

    from . import imports as roster

    if not permissions.can_import_people(actor):
        raise NotPermitted("您的岗位无权导入人员名单", "Your post may not import rosters", code="import_denied")

    def check(rows: list[xl.ParsedRow]) -> list[xl.RowError]:
        errors: list[xl.RowError] = []
        codes = {r["building_code"] for r in rows if r.get("building_code")}
        buildings = {b.code: b for b in Region.objects.filter(code__in=codes, level=Level.BUILDING)
                     .select_related("parent")}
        first_row_of: dict[str, int] = {}
        heads: dict[tuple, int] = {}
        for r in rows:
            code = r.get("building_code")
            building = buildings.get(code)
            if building is None or not permissions.can_import_into(actor, building):
                errors.append(xl.RowError(r.row, "楼栋编码", f"楼栋编码「{code}」不存在或不在您的管辖范围内",
                                          f"Building code {code!r} does not exist or is outside your area"))
                continue
            try:
                person = prepare_person_row(name=r["name"], id_type=r["id_type"], id_number=r["id_number"],
                                            phone=r.get("phone") or "", building=building,
                                            relation_to_head=r.get("relation_to_head") or "",
                                            tags=r.get("tags") or [])
            except ValidationFailed as exc:
                errors.append(xl.RowError(r.row, roster.FIELD_HEADERS.get(exc.field or "", ""), exc.zh, exc.en))
                continue
            r.values["_person"] = person
            r.values["_building"] = building
            index = person.id_number_index
            if index in first_row_of:
                errors.append(xl.RowError(r.row, "证件号码", f"与第 {first_row_of[index]} 行的证件号码重复",
                                          f"Same document number as row {first_row_of[index]}"))
            else:
                first_row_of[index] = r.row
            room = (r.get("room") or "").strip()
            if person.is_household_head and room:
                key = (building.pk, room)
                if key in heads:
                    errors.append(xl.RowError(r.row, "与户主关系", f"与第 {heads[key]} 行为同一户，一户只能有一位户主",
                                              f"Row {heads[key]} is already the head of this household"))
                else:
                    heads[key] = r.row
        registered = set()
        indexes = list(first_row_of)
        for start in range(0, len(indexes), 500):
            registered.update(Person.objects.filter(id_number_index__in=indexes[start:start + 500])
                              .values_list("id_number_index", flat=True))
        for index in registered:
            errors.append(xl.RowError(first_row_of[index], "证件号码", "该证件号码已登记",
                                      "This document number is already registered"))
        return errors

    def write(rows: list[xl.ParsedRow]) -> int:
        from grassroots.core.models import Event

        wanted = {(r["_building"].pk, (r.get("room") or "").strip()) for r in rows if (r.get("room") or "").strip()}
        households: dict[tuple, Household] = {}
        building_ids = {b for b, _ in wanted}
        for h in Household.objects.filter(building_id__in=building_ids):
            if (h.building_id, h.room) in wanted:
                households[(h.building_id, h.room)] = h
        for building_id, room in sorted(wanted - set(households)):
            households[(building_id, room)] = Household.objects.create(building_id=building_id, room=room)
            events.record(actor, "household.create", households[(building_id, room)],
                          payload={"building": building_id, "room": room, "via": "import"})
        persons = []
        for r in rows:
            person = r["_person"]
            room = (r.get("room") or "").strip()
            if room:
                person.household = households[(r["_building"].pk, room)]
            persons.append(person)
        bar = xl.progress_bar(len(persons), "写入 / writing", enabled=progress)
        for start in range(0, len(persons), 1000):
            Person.objects.bulk_create(persons[start:start + 1000])
            bar.update(len(persons[start:start + 1000]))
        bar.close()
        summary = events.record(actor, "person.import", None, object_type="people.person",
                                payload={"rows": len(persons)})
        events.bulk_record([
            Event(at=summary.at, actor=summary.actor, actor_label=summary.actor_label, verb="person.create",
                  object_type="people.person", object_id=str(p.pk), ip=summary.ip, user_agent=summary.user_agent,
                  payload={**_person_payload(p), "via": "import"})
            for p in persons
        ])
        return len(persons)

    return xl.run_import(file, roster.COLUMNS, write=write, check=check, dry_run=dry_run, progress=progress)
