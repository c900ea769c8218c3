import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.core.errors import NotFound
from grassroots.party import selectors
from grassroots.party.services import membership_add, org_report_in_create, report_in_create
from tests.support.party import add_members


@pytest.fixture
def members(world, party, frozen_now):
    return {
        "g1": add_members(party.g1, 3),
        "g2": add_members(party.g2, 2) + add_members(party.b2, 1, status="probationary", prefix="预备"),
        "g4": add_members(party.g4, 4),
        "ent": add_members(party.enterprise_branch, 2, region=world.g1, in_service=True, employer=world.enterprise),
    }


def names(qs):
    return {o.name for o in qs}


def test_community_staff_see_their_communitys_orgs_but_not_others(world, party, members):
    visible = names(selectors.org_list(actor=world.community_staff))
    assert {"安泰社区党委", "安泰一网格党支部", "安泰二网格1号楼党小组"} <= visible
    assert "银河社区党委" not in visible and "东城街道党工委" not in visible
    assert "国瓷材料有限公司党支部" not in visible


def test_grid_worker_sees_only_their_grids_branch(world, party, members):
    assert names(selectors.org_list(actor=world.grid_worker)) == {"安泰一网格党支部", "安泰一网格1号楼党小组"}


def test_zone_leader_sees_organisation_based_orgs_too(world, party, members):
    visible = names(selectors.org_list(actor=world.zone_leader))
    assert {"国瓷材料有限公司党支部", "稀土汽车催化产业链党委", "东营经济技术开发区党工委"} <= visible


def test_hotline_operator_and_admin_see_no_party_orgs(world, party, members):
    assert not selectors.org_list(actor=world.hotline_operator).exists()
    assert not selectors.org_list(actor=world.admin).exists()


def test_enterprise_contact_sees_own_branch_and_the_chain_committee(world, party, members):
    assert names(selectors.org_list(actor=world.enterprise_contact)) == {"国瓷材料有限公司党支部", "稀土汽车催化产业链党委"}


def test_organisation_branch_becomes_visible_where_it_reported_in(world, party, members):
    assert party.enterprise_branch.pk not in {o.pk for o in selectors.org_list(actor=world.other_staff)}
    org_report_in_create(actor=None, community=world.c3, party_org=party.enterprise_branch, needs=["助老"])
    assert party.enterprise_branch.pk in {o.pk for o in selectors.org_list(actor=world.other_staff)}
    assert selectors.org_report_in_list(actor=world.other_staff).count() == 1
    assert selectors.org_report_in_list(actor=world.community_staff).count() == 0
    assert selectors.org_report_in_list(actor=world.enterprise_contact).count() == 1


def test_party_instructor_sees_branches_of_enterprises_in_their_grids(world, party, members):
    assert "国瓷材料有限公司党支部" in names(selectors.org_list(actor=world.party_instructor))


def test_out_of_scope_org_detail_is_not_found(world, party, members):
    with pytest.raises(NotFound):
        selectors.org_detail(actor=world.community_staff, pk=party.g4.pk)
    assert selectors.org_detail(actor=world.community_staff, pk=party.g1.pk) == party.g1


def test_branch_with_fewer_than_three_full_members_is_flagged(world, party, members):
    orgs = {o.name: o for o in selectors.org_list(actor=world.zone_leader)}
    assert not selectors.is_flagged(orgs["安泰一网格党支部"])        # 3 full
    assert selectors.is_flagged(orgs["安泰二网格党支部"])            # 2 full + 1 probationary in its group
    assert orgs["安泰二网格党支部"].member_count == 3
    assert not selectors.is_flagged(orgs["安泰社区党委"])            # committees are never flagged
    assert selectors.is_flagged(orgs["新华一网格党支部"])            # empty
    flagged = names(selectors.org_list(actor=world.zone_leader, flagged=True))
    assert "安泰二网格党支部" in flagged and "安泰一网格党支部" not in flagged


def test_org_tree_rolls_member_counts_up_and_flags_branches(world, party, members):
    tree = selectors.org_tree(actor=world.zone_leader)
    assert [r["name"] for r in tree] == ["东营经济技术开发区党工委"]
    root = tree[0]
    assert root["member_count"] == 12
    c1 = next(n for n in root["children"][0]["children"] if n["name"] == "安泰社区党委")
    g2 = next(n for n in c1["children"] if n["name"] == "安泰二网格党支部")
    assert g2["member_count"] == 3 and g2["full_count"] == 2 and g2["flagged"]


def test_org_tree_starts_at_the_highest_visible_org(world, party, members):
    tree = selectors.org_tree(actor=world.community_staff)
    assert [r["name"] for r in tree] == ["安泰社区党委"]


def test_orgs_for_region_gives_the_grids_branch(world, party, members):
    assert list(selectors.orgs_for_region(actor=world.grid_worker, region=world.g1)) == [party.g1]
    assert list(selectors.orgs_for_region(actor=world.grid_worker, region=world.g4)) == []
    assert list(selectors.orgs_for_region(actor=world.zone_leader, region=world.e1)) == [party.enterprise_branch]


def test_member_list_filters(world, party, members):
    staff = world.community_staff
    assert selectors.member_list(actor=staff).count() == 6  # c1's branches; the enterprise's members are not visible
    assert selectors.member_list(actor=staff, org=party.g2).count() == 3
    assert selectors.member_list(actor=staff, status="probationary").count() == 1
    assert selectors.member_list(actor=world.zone_leader, in_service=True).count() == 2
    assert selectors.member_list(actor=staff, flagged=True).count() == 3
    assert selectors.member_list(actor=staff, flagged=False).count() == 3
    target = members["g1"][0].person.name
    assert [m.person.name for m in selectors.member_list(actor=staff, q=target)] == [target]


def test_resident_sees_only_their_own_membership(world, party, members):
    mine = membership_add(actor=None, person=world.person1, org=party.g1, status="full",
                          admission_date=members["g1"][0].admission_date,
                          full_member_date=members["g1"][0].full_member_date)
    assert list(selectors.member_list(actor=world.resident)) == [mine]
    with pytest.raises(NotFound):
        selectors.member_detail(actor=world.resident, pk=members["g1"][0].pk)
    assert names(selectors.org_list(actor=world.resident)) == {"安泰一网格党支部"}
    assert list(selectors.member_list(actor=world.resident3)) == []


def test_report_ins_are_seen_by_the_community_the_employer_and_the_member(world, party, members):
    m = members["ent"][0]
    r = report_in_create(actor=None, membership=m, community=world.c1)
    assert list(selectors.report_in_list(actor=world.community_staff)) == [r]
    assert list(selectors.report_in_list(actor=world.enterprise_contact)) == [r]
    assert list(selectors.report_in_list(actor=world.other_staff)) == []
    with pytest.raises(NotFound):
        selectors.report_in_detail(actor=world.other_staff, pk=r.pk)


def test_subtree_filters_use_range_predicates(world, party, members):
    with CaptureQueriesContext(connection) as ctx:
        list(selectors.member_list(actor=world.community_staff, org=party.c1))
    sql = ctx.captured_queries[-1]["sql"]
    assert "LIKE" not in sql.upper()
