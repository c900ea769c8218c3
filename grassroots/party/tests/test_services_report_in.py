import datetime as dt

import pytest

from grassroots.core import clock
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.models import Event
from grassroots.party.models import ReportIn, ServicePostClaim
from grassroots.party.services import (
    liaison_create,
    liaison_end,
    membership_add,
    org_report_in_create,
    org_report_in_end,
    org_report_in_update_lists,
    report_in_create,
    report_in_end,
    service_post_claim,
    service_post_create,
    service_record_add,
)
from grassroots.territory.services import compound_create
from tests.support.party import add_members


@pytest.fixture
def member(world, party, frozen_now):
    (m,) = add_members(party.enterprise_branch, 1, region=world.g1, in_service=True, employer=world.enterprise)
    return m


def test_in_service_member_reports_to_the_community_where_they_live(world, party, member):
    r = report_in_create(actor=world.community_staff, membership=member, community=world.c1)
    assert r.status == "active" and r.grid == world.g1 and r.employer == world.enterprise
    assert r.reported_on == clock.today()
    assert Event.objects.filter(verb="report_in.create", object_id=str(r.pk)).exists()


def test_report_in_elsewhere_than_home_is_refused_with_a_clear_message(world, party, member):
    with pytest.raises(ValidationFailed) as err:
        report_in_create(actor=None, membership=member, community=world.c3)
    assert err.value.code == "not_resident"
    assert "居住地社区" in err.value.zh and "lives in" in err.value.en
    assert not ReportIn.objects.exists()


def test_member_without_a_registered_home_cannot_report_in(world, party, frozen_now):
    (m,) = add_members(party.enterprise_branch, 1, in_service=True, employer=world.enterprise)
    m.person.region = None
    m.person.save()
    with pytest.raises(ValidationFailed) as err:
        report_in_create(actor=None, membership=m, community=world.c1)
    assert "没有登记居住网格" in err.value.zh


def test_only_in_service_members_report_in(world, party, frozen_now):
    (m,) = add_members(party.g1, 1)
    with pytest.raises(ValidationFailed) as err:
        report_in_create(actor=None, membership=m, community=world.c1)
    assert "在职党员" in err.value.zh


def test_member_reports_in_themselves_but_not_for_others(world, party, frozen_now):
    world.person1.save()
    m = membership_add(actor=None, person=world.person1, org=party.enterprise_branch, status="full",
                       admission_date=dt.date(2010, 1, 1), full_member_date=dt.date(2011, 1, 1), in_service=True,
                       employer=world.enterprise)
    (other,) = add_members(party.enterprise_branch, 1, region=world.g1, in_service=True, prefix="他人")
    with pytest.raises(NotPermitted):
        report_in_create(actor=world.resident, membership=other, community=world.c1)
    r = report_in_create(actor=world.resident, membership=m, community=world.c1)
    assert r.person == world.person1


def test_a_second_active_report_in_is_a_conflict(world, party, member):
    report_in_create(actor=None, membership=member, community=world.c1)
    with pytest.raises(Conflict):
        report_in_create(actor=None, membership=member, community=world.c1)


def test_grid_must_belong_to_the_community(world, party, member):
    with pytest.raises(ValidationFailed) as err:
        report_in_create(actor=None, membership=member, community=world.c1, grid=world.g3)
    assert err.value.field == "grid"


def test_ending_a_report_in_releases_claims_and_cannot_repeat(world, party, member):
    r = report_in_create(actor=None, membership=member, community=world.c1)
    post = service_post_create(actor=world.community_staff, community=world.c1, name="文明劝导岗", capacity=2)
    service_post_claim(actor=world.community_staff, report_in=r, post=post)
    report_in_end(actor=world.community_staff, report_in=r)
    assert r.status == "ended" and r.ended_on == clock.today()
    assert not ServicePostClaim.objects.filter(active=True).exists()
    with pytest.raises(Conflict):
        report_in_end(actor=world.community_staff, report_in=r)


def test_claims_stop_at_the_posts_capacity(world, party, frozen_now):
    members = add_members(party.enterprise_branch, 3, region=world.g1, in_service=True, employer=world.enterprise)
    reports = [report_in_create(actor=None, membership=m, community=world.c1) for m in members]
    post = service_post_create(actor=None, community=world.c1, name="防汛值守岗", capacity=2)
    service_post_claim(actor=None, report_in=reports[0], post=post)
    with pytest.raises(Conflict) as err:
        service_post_claim(actor=None, report_in=reports[0], post=post)
    assert err.value.code == "already_claimed"
    service_post_claim(actor=None, report_in=reports[1], post=post)
    with pytest.raises(Conflict) as err:
        service_post_claim(actor=None, report_in=reports[2], post=post)
    assert err.value.code == "post_full" and "名额已满" in err.value.zh


def test_a_post_of_another_community_cannot_be_claimed(world, party, member):
    r = report_in_create(actor=None, membership=member, community=world.c1)
    post = service_post_create(actor=None, community=world.c3, name="银河岗")
    with pytest.raises(ValidationFailed):
        service_post_claim(actor=None, report_in=r, post=post)


def test_service_hours_are_recorded_by_community_staff_and_summed(world, party, member):
    from grassroots.party.selectors import report_in_detail

    r = report_in_create(actor=None, membership=member, community=world.c1, reported_on=dt.date(2026, 11, 1))
    service_record_add(actor=world.community_staff, report_in=r, hours="2.5", date=dt.date(2026, 11, 2),
                       description="清理楼道")
    service_record_add(actor=world.community_staff, report_in=r, hours=3, date=dt.date(2026, 11, 3),
                       description="防汛巡查")
    assert report_in_detail(actor=world.community_staff, pk=r.pk).hours_total == pytest.approx(5.5)
    with pytest.raises(ValidationFailed):
        service_record_add(actor=world.community_staff, report_in=r, hours=0, date=dt.date(2026, 11, 3),
                           description="x")
    with pytest.raises(NotPermitted):
        service_record_add(actor=world.other_staff, report_in=r, hours=1, date=dt.date(2026, 11, 3),
                           description="x")


def test_org_report_in_keeps_needs_and_pledges(world, party, frozen_now):
    row = org_report_in_create(actor=world.community_staff, community=world.c1, party_org=party.enterprise_branch,
                               needs="老旧小区加装电梯\n\n  雨污分流  \n雨污分流", pledges=["志愿者 20 人", "会议室"])
    assert row.needs == ["老旧小区加装电梯", "雨污分流"]
    assert row.organization == world.enterprise
    with pytest.raises(Conflict):
        org_report_in_create(actor=None, community=world.c1, party_org=party.enterprise_branch)
    org_report_in_update_lists(actor=world.enterprise_contact, org_report_in=row, pledges=["场地"])
    assert row.pledges == ["场地"]
    org_report_in_end(actor=world.community_staff, org_report_in=row)
    assert row.status == "ended"


def test_org_report_in_refusals(world, party, frozen_now):
    with pytest.raises(ValidationFailed):
        org_report_in_create(actor=None, community=world.c1)
    with pytest.raises(ValidationFailed):
        org_report_in_create(actor=None, community=world.g1, organization=world.dept_city)
    with pytest.raises(ValidationFailed):
        org_report_in_create(actor=None, community=world.c1, party_org=party.g3)
    with pytest.raises(NotPermitted):
        org_report_in_create(actor=world.other_staff, community=world.c1, organization=world.dept_city)
    with pytest.raises(ValidationFailed):
        org_report_in_create(actor=None, community=world.c1, organization=world.dept_city, needs=["长" * 201])


def test_department_staff_report_in_their_own_unit(world, party, frozen_now):
    row = org_report_in_create(actor=world.department_handler, community=world.c2, organization=world.dept_city,
                               pledges=["执法力量下沉"])
    assert row.community == world.c2
    with pytest.raises(NotPermitted):
        org_report_in_create(actor=world.department_handler, community=world.c2, organization=world.dept_housing)


def test_three_level_liaisons(world, party, member):
    compound = compound_create(actor=None, community=world.c1, name="安泰小区")
    a = liaison_create(actor=world.zone_leader, kind="leader_community", user=world.zone_leader, region=world.c1)
    b = liaison_create(actor=world.community_staff, kind="head_compound", user=world.department_handler,
                       organization=world.dept_city, compound=compound)
    c = liaison_create(actor=world.community_staff, kind="member_grid", person=member.person, region=world.g1)
    assert a.target == world.c1 and b.target == compound and c.contact_name == member.person.name
    with pytest.raises(Conflict):
        liaison_create(actor=world.community_staff, kind="member_grid", person=member.person, region=world.g1)
    liaison_end(actor=world.community_staff, liaison=c)
    assert c.end_date == clock.today()
    with pytest.raises(Conflict):
        liaison_end(actor=world.community_staff, liaison=c)


def test_liaison_refusals(world, party, frozen_now):
    (retired,) = add_members(party.g1, 1)
    with pytest.raises(ValidationFailed) as err:
        liaison_create(actor=None, kind="member_grid", person=retired.person, region=world.g1)
    assert "在职党员" in err.value.zh
    with pytest.raises(ValidationFailed):
        liaison_create(actor=None, kind="leader_community", user=world.zone_leader, region=world.g1)
    with pytest.raises(ValidationFailed):
        liaison_create(actor=None, kind="head_compound", user=world.department_handler)
    with pytest.raises(NotPermitted):
        liaison_create(actor=world.community_staff, kind="leader_community", user=world.zone_leader,
                       region=world.c3)
