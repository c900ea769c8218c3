import datetime as dt

import pytest

from grassroots.core import clock
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.models import Event
from grassroots.party.models import Membership
from grassroots.party.services import (
    membership_add,
    membership_promote,
    membership_transfer,
    report_in_create,
)
from tests.support.party import add_members, make_person


@pytest.fixture
def today(frozen_now):
    return clock.today()


def test_community_staff_adds_a_probationary_member(world, party, today):
    person = make_person("王预备", region=world.g1)
    m = membership_add(actor=world.community_staff, person=person, org=party.g1, status="probationary",
                       admission_date=dt.date(2026, 3, 1))
    assert m.active and m.start_date == today
    assert m.party_age_years() is None
    assert Event.objects.filter(verb="membership.add", object_id=str(m.pk), to_state="probationary").exists()


def test_full_member_needs_a_full_member_date_not_before_admission(world, party, today):
    person = make_person("王正式", region=world.g1)
    with pytest.raises(ValidationFailed) as err:
        membership_add(actor=None, person=person, org=party.g1, status="full", admission_date=dt.date(2000, 1, 1))
    assert err.value.field == "full_member_date"
    with pytest.raises(ValidationFailed) as err:
        membership_add(actor=None, person=person, org=party.g1, status="full", admission_date=dt.date(2000, 1, 1),
                       full_member_date=dt.date(1999, 1, 1))
    assert "不能早于入党日期" in err.value.zh
    assert not Membership.objects.filter(person=person).exists()


def test_party_age_counts_whole_years_from_the_full_member_date(world, party, today):
    person = make_person("老党员", region=world.g1)
    m = membership_add(actor=None, person=person, org=party.g1, status="full", admission_date=dt.date(1975, 6, 1),
                       full_member_date=dt.date(1976, 7, 1))
    assert m.party_age_years(on=dt.date(2026, 6, 30)) == 49
    assert m.party_age_years(on=dt.date(2026, 7, 1)) == 50


def test_a_person_has_one_active_membership(world, party, today):
    (m,) = add_members(party.g1, 1)
    with pytest.raises(ValidationFailed) as err:
        membership_add(actor=None, person=m.person, org=party.g2, status="full", admission_date=dt.date(2000, 1, 1),
                       full_member_date=dt.date(2001, 1, 1))
    assert err.value.code == "already_member"


def test_members_are_not_placed_directly_in_working_committees(world, party, today):
    person = make_person("机关党员", region=world.g1)
    with pytest.raises(ValidationFailed):
        membership_add(actor=None, person=person, org=party.s1, status="probationary",
                       admission_date=dt.date(2026, 1, 1))


def test_community_staff_cannot_add_members_to_another_communitys_branch(world, party, today):
    person = make_person("外社区", region=world.g4)
    with pytest.raises(NotPermitted):
        membership_add(actor=world.community_staff, person=person, org=party.g4, status="probationary",
                       admission_date=dt.date(2026, 1, 1))


def test_promote_moves_probationary_to_full_once(world, party, today):
    (m,) = add_members(party.g1, 1, status="probationary")
    membership_promote(actor=world.community_secretary, membership=m, full_member_date=dt.date(2026, 7, 1))
    m.refresh_from_db()
    assert m.status == "full" and m.full_member_date == dt.date(2026, 7, 1)
    with pytest.raises(Conflict):
        membership_promote(actor=world.community_secretary, membership=m, full_member_date=dt.date(2026, 7, 2))
    assert Event.objects.filter(verb="membership.promote", from_state="probationary", to_state="full").count() == 1


def test_promote_refuses_a_date_before_admission(world, party, today):
    (m,) = add_members(party.g1, 1, status="probationary")
    with pytest.raises(ValidationFailed):
        membership_promote(actor=None, membership=m, full_member_date=dt.date(1999, 1, 1))
    m.refresh_from_db()
    assert m.status == "probationary"


def test_transfer_ends_the_old_membership_and_keeps_history(world, party, today):
    (m,) = add_members(party.g1, 1, in_service=True, employer=world.dept_city)
    new = membership_transfer(actor=world.zone_leader, membership=m, to_org=party.g4)
    m.refresh_from_db()
    assert not m.active and m.end_date == today and m.end_reason == "transfer"
    assert new.active and new.org == party.g4 and new.transferred_from == m
    assert new.full_member_date == m.full_member_date and new.employer == world.dept_city
    with pytest.raises(Conflict):
        membership_transfer(actor=world.zone_leader, membership=m, to_org=party.g3)


def test_transfer_moves_an_active_report_in_to_the_new_membership(world, party, today):
    (m,) = add_members(party.g1, 1, in_service=True, employer=world.dept_city)
    r = report_in_create(actor=None, membership=m, community=world.c1)
    new = membership_transfer(actor=None, membership=m, to_org=party.g2)
    r.refresh_from_db()
    assert r.membership == new


def test_transfer_between_communities_by_an_outsider_is_refused(world, party, today):
    (m,) = add_members(party.g4, 1)
    with pytest.raises(NotPermitted):
        membership_transfer(actor=world.community_staff, membership=m, to_org=party.g3)
    with pytest.raises(NotPermitted):
        membership_transfer(actor=world.resident, membership=m, to_org=party.g1)
