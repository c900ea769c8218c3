import datetime as dt

import pytest
from django.db import connection

from grassroots.core import clock, crypto
from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed
from grassroots.core.models import Event
from grassroots.people import idnumbers, selectors, services
from grassroots.people.models import Household, Person

from .factories import person, resident_id

pytestmark = pytest.mark.django_db


def raw_column(person_obj, column):
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM people_person WHERE id = %s", [person_obj.pk])
        return cur.fetchone()[0]


def test_create_derives_birth_date_and_gender_and_encrypts_the_numbers(world):
    number = idnumbers.with_check_character("37050219850615003")
    p = services.person_create(actor=world.community_staff, name=" 王  芳 ", id_number=number,
                               phone="138 1234 5678", building=world.b1, room="1-101", relation_to_head="户主")
    p.refresh_from_db()
    assert p.name == "王 芳"
    assert p.birth_date == dt.date(1985, 6, 15) and p.gender == "M"
    assert p.id_number == number and p.phone == "13812345678"
    assert p.id_number_last4 == number[-4:] and p.phone_last4 == "5678"
    assert p.id_number_index == crypto.blind_index(number, purpose="id_number")
    assert p.region == world.g1 and p.household.room == "1-101" and p.is_household_head
    raw_id, raw_phone = raw_column(p, "id_number"), raw_column(p, "phone")
    assert raw_id.startswith("enc1:") and number not in raw_id
    assert raw_phone.startswith("enc1:") and "13812345678" not in raw_phone
    event = Event.objects.get(verb="person.create", object_id=str(p.pk))
    assert number not in str(event.payload) and event.payload["id_number"] == idnumbers.normalize(number)[:4] + "*" * 10 + number[-4:]


def test_duplicate_id_number_is_refused(world):
    number = resident_id()
    person(world, id_number=number)
    with pytest.raises(ValidationFailed) as err:
        person(world, id_number=number.lower(), name="另一人")
    assert err.value.code == "id_number_duplicate"


def test_invalid_id_number_is_refused_and_nothing_written(world):
    before = Person.objects.count()
    with pytest.raises(ValidationFailed) as err:
        person(world, id_number="370502198001010018")
    assert err.value.field == "id_number"
    assert Person.objects.count() == before


def test_grid_worker_cannot_register_outside_their_grid(world):
    with pytest.raises(NotPermitted):
        person(world, actor=world.grid_worker, building=world.b2)
    assert person(world, actor=world.grid_worker, building=world.b1).region == world.g1


def test_department_handler_cannot_register_persons(world):
    with pytest.raises(NotPermitted):
        person(world, actor=world.department_handler)


def test_update_recomputes_index_and_derived_fields(world):
    p = person(world)
    new_number = idnumbers.with_check_character("37050220010203004")
    services.person_update(actor=world.community_staff, person=p, id_number=new_number, phone="13900001111",
                           tags="五老、志愿者")
    p.refresh_from_db()
    assert p.birth_date == dt.date(2001, 2, 3) and p.gender == "F"
    assert p.id_number_index == crypto.blind_index(new_number, purpose="id_number")
    assert p.phone_last4 == "1111" and p.tags == ["五老", "志愿者"]
    assert Event.objects.filter(verb="person.update", object_id=str(p.pk)).exists()


def test_update_to_a_registered_number_is_refused(world):
    taken = resident_id()
    person(world, id_number=taken)
    p = person(world)
    with pytest.raises(ValidationFailed):
        services.person_update(actor=world.community_staff, person=p, id_number=taken)


def test_update_outside_scope_is_not_found(world):
    p = person(world, building=world.b4, actor=world.other_staff)
    with pytest.raises(NotFound):
        services.person_update(actor=world.community_staff, person=p, name="x")


def test_move_changes_building_grid_and_household(world):
    p = person(world, room="1-101")
    services.person_move(actor=world.community_staff, person=p, building=world.b2, room="2-202",
                         relation_to_head="户主")
    p.refresh_from_db()
    assert p.building == world.b2 and p.region == world.g2 and p.household.room == "2-202"
    event = Event.objects.get(verb="person.move", object_id=str(p.pk))
    assert event.payload["to_building"] == world.b2.pk


def test_move_to_a_building_outside_scope_is_refused(world):
    p = person(world)
    with pytest.raises(NotPermitted):
        services.person_move(actor=world.community_staff, person=p, building=world.b4)


def test_household_create_and_assign(world):
    household = services.household_create(actor=world.community_staff, building=world.b1, room="3-301")
    with pytest.raises(ValidationFailed):
        services.household_create(actor=world.community_staff, building=world.b1, room="3-301")
    head = person(world)
    services.household_assign(actor=world.community_staff, person=head, household=household, relation_to_head="户主")
    other = person(world)
    with pytest.raises(ValidationFailed) as err:
        services.household_assign(actor=world.community_staff, person=other, household=household,
                                  relation_to_head="户主")
    assert err.value.code == "household_head"
    services.household_assign(actor=world.community_staff, person=other, household=household,
                              relation_to_head="配偶")
    assert set(Household.objects.get(pk=household.pk).members.values_list("pk", flat=True)) == {head.pk, other.pk}


def test_household_in_another_building_is_refused(world):
    household = services.household_create(actor=world.community_staff, building=world.b2, room="1")
    with pytest.raises(ValidationFailed):
        services.household_assign(actor=world.community_staff, person=person(world), household=household)


def test_prepare_person_row_lets_bulk_create_write_encrypted_rows(world):
    rows = [services.prepare_person_row(name=f"批量{i}", id_number=resident_id(), phone="13700000000",
                                        building=world.b3) for i in range(3)]
    Person.objects.bulk_create(rows)
    stored = Person.objects.filter(name__startswith="批量")
    assert stored.count() == 3
    for p in stored:
        assert raw_column(p, "id_number").startswith("enc1:")
        assert p.region == world.g3 and p.birth_date == dt.date(1980, 1, 1)
        assert selectors.person_find_by_id_number(actor=world.grid_worker3, id_number=p.id_number) == p


def test_prepare_person_row_validates(world):
    with pytest.raises(ValidationFailed):
        services.prepare_person_row(name="", id_number=resident_id(), building=world.b1)
    with pytest.raises(ValidationFailed):
        services.prepare_person_row(name="x", id_number=resident_id(), phone="12", building=world.b1)
    with pytest.raises(ValidationFailed):
        services.prepare_person_row(name="x", id_number=resident_id(), building=world.g1)


def test_minor_flag_follows_the_clock(world):
    p = person(world, id_number=idnumbers.with_check_character("37050220121126001"))
    clock.freeze(dt.datetime(2026, 11, 25, 9, 0))
    assert p.is_minor and p.age == 13
    clock.freeze(dt.datetime(2026, 11, 26, 9, 0))
    assert not p.is_minor and p.age == 14
