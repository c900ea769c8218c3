import datetime as dt

import pytest

from grassroots.core import clock
from grassroots.core.errors import NotFound, NotPermitted
from grassroots.core.models import Event
from grassroots.people import idnumbers, permissions, services

from .factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def adult(world):
    return person(world, phone="13812345678")


@pytest.fixture
def child(world):
    clock.freeze(dt.datetime(2026, 11, 25, 9, 0))
    return person(world, id_number=idnumbers.with_check_character("37050220180301002"), phone="13912345678",
                  name="小明")


@pytest.mark.parametrize("role, field, allowed", [
    ("community_secretary", "id_number", True),
    ("community_secretary", "phone", True),
    ("community_staff", "id_number", True),
    ("community_staff", "phone", True),
    ("hotline_operator", "phone", True),
    ("hotline_operator", "id_number", False),
    ("grid_worker", "id_number", False),
    ("grid_worker", "phone", False),
    ("subdistrict_officer", "phone", False),
    ("zone_leader", "id_number", False),
])
def test_unmask_policy_by_post(world, adult, role, field, allowed):
    actor = getattr(world, role)
    assert permissions.can_unmask(actor, adult, field) is allowed
    if allowed:
        value = services.person_reveal(actor=actor, person=adult, field=field)
        assert value == getattr(adult, field)
        event = Event.objects.get(verb="person.reveal", actor=actor)
        assert event.payload["field"] == field and event.outcome == "success"
        assert value not in str(event.payload)
    else:
        with pytest.raises(NotPermitted):
            services.person_reveal(actor=actor, person=adult, field=field)
        assert Event.objects.get(verb="person.reveal", actor=actor).outcome == "denied"


@pytest.mark.parametrize("role", ["department_handler", "enterprise_contact", "admin", "auditor", "other_staff",
                                  "grid_worker3"])
def test_reveal_outside_scope_is_not_found(world, adult, role):
    with pytest.raises(NotFound):
        services.person_reveal(actor=getattr(world, role), person=adult, field="phone")


def test_only_the_community_secretary_reveals_a_minor(world, child):
    assert child.is_minor
    assert services.person_reveal(actor=world.community_secretary, person=child, field="id_number") == child.id_number
    for actor in (world.community_staff, world.hotline_operator):
        with pytest.raises(NotPermitted) as err:
            services.person_reveal(actor=actor, person=child, field="phone")
        assert err.value.code == "reveal_minor_denied"


def test_secretary_of_another_community_cannot_reveal(world, adult):
    from tests.support.world import make_user

    other_secretary = make_user("secretary3", role="community_secretary", region=world.c3)
    with pytest.raises(NotFound):
        services.person_reveal(actor=other_secretary, person=adult, field="id_number")


def test_unknown_field_is_refused(world, adult):
    from grassroots.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.person_reveal(actor=world.community_secretary, person=adult, field="name")
