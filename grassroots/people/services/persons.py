"""Persons (residents): register, change, move. ID numbers and phones are validated, stored encrypted with a blind
index and the last four characters; the plaintext never reaches a raw column, a log line or an event payload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from grassroots.core import crypto, events
from grassroots.core.errors import NotPermitted, ValidationFailed
from grassroots.territory.models import Region

from .. import idnumbers, permissions, selectors
from ..masking import mask_id, mask_phone
from ..models import Household, Person
from .common import RELATION_HEAD, _grid_of, _text
from .households import _household_get_or_create

ID_TYPES = frozenset(Person.IdType.values)


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


def person_field_problems(*, name, id_type, id_number, phone, skip=()) -> list[ValidationFailed]:
    """Every problem of a person's own fields, each checked on its own (an import reports a row's problems
    together, not the first one only): name, document type, document number (for a known type), phone. Fields in
    ``skip`` are left out (their cells already failed)."""
    problems: list[ValidationFailed] = []

    def attempt(field: str, check) -> None:
        if field in skip:
            return
        try:
            check()
        except ValidationFailed as exc:
            problems.append(ValidationFailed(exc.zh, exc.en, code=exc.code, field=field))

    def check_type():
        if id_type not in ID_TYPES:
            raise ValidationFailed(f"未知的证件类型「{id_type}」", f"Unknown document type {id_type!r}", code="id_type")

    def check_number():
        number = idnumbers.normalize(id_number)
        if number and id_type == Person.IdType.RESIDENT_ID:
            idnumbers.parse_resident_id(number)
        elif number:
            idnumbers.validate(id_type, number)

    attempt("name", lambda: _clean_name(name))
    attempt("id_type", check_type)
    if "id_type" not in skip and id_type in ID_TYPES:
        attempt("id_number", check_number)
    attempt("phone", lambda: idnumbers.validate_phone(phone))
    return problems


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


def person_record_death(*, actor, person: Person, on: dt.date) -> Person:
    """Record a person's death (``deceased_on``). Called by the services that decided it with their own checks (a
    party organisation ending a membership on death: ``party.services.membership_end``); a date in the future or
    before birth is refused, and a date already recorded is kept unless it is the same."""
    from grassroots.core import clock

    if on > clock.today():
        raise ValidationFailed("死亡日期不能晚于今天", "The date of death cannot be in the future", field="deceased_on")
    if person.birth_date and on < person.birth_date:
        raise ValidationFailed("死亡日期早于出生日期", "The date of death is before the date of birth",
                               field="deceased_on")
    if person.deceased_on is not None and person.deceased_on != on:
        raise ValidationFailed("已登记了不同的死亡日期", "A different date of death is already recorded",
                               field="deceased_on", code="deceased_on_differs")
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(deceased_on=on)
        events.record(actor, "person.record_death", person, payload={"deceased_on": on.isoformat()})
    person.deceased_on = on
    return person
