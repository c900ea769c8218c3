"""Households (户): a room in a building, and who belongs to it."""

from __future__ import annotations

from django.db import transaction

from grassroots.core import events
from grassroots.core.errors import NotPermitted, ValidationFailed
from grassroots.territory.models import Region

from .. import permissions, selectors
from ..models import Household, Person
from .common import RELATION_HEAD, _grid_of


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
