import datetime as dt

import pytest

from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.models import Event
from grassroots.party.models import OrgKind, PartyOrg
from grassroots.party.services import org_code, org_path, party_org_create
from grassroots.territory.models import Level
from grassroots.territory.services import region_create


def test_party_tree_mirrors_the_territory_with_paths_and_codes(world, party):
    assert party.zone.path == "/0001/"
    assert party.c1.path.startswith(party.s1.path)
    assert party.b1.path.startswith(party.g1.path)
    assert party.g2.serial == 2
    assert party.g1.code == org_code(party.g1.path)
    assert Event.objects.filter(verb="party_org.create", object_id=str(party.g1.pk)).exists()


def test_org_path_builds_fixed_width_segments(world, party):
    assert org_path(None, 3) == "/0003/"
    assert org_path(party.c1, 12) == party.c1.path + "0012/"
    with pytest.raises(ValidationFailed):
        org_path(party.c1, 10000)


def test_grid_branch_must_sit_under_the_committee_of_its_community(world, party):
    with pytest.raises(ValidationFailed) as err:
        party_org_create(actor=None, kind=OrgKind.GRID_BRANCH, name="错挂支部", parent=party.c3, region=world.g1)
    assert err.value.field == "parent"


def test_territorial_org_must_mirror_a_region_of_its_level(world, party):
    with pytest.raises(ValidationFailed) as err:
        party_org_create(actor=None, kind=OrgKind.COMMUNITY_PARTY_COMMITTEE, name="错层社区党委", parent=party.s1,
                         region=world.g1)
    assert err.value.field == "region"
    assert "社区" in err.value.zh


def test_a_region_has_only_one_territorial_org(world, party):
    with pytest.raises(ValidationFailed) as err:
        party_org_create(actor=None, kind=OrgKind.GRID_BRANCH, name="重复支部", parent=party.c1, region=world.g1)
    assert "已有党组织" in err.value.zh


def test_zone_working_committee_has_no_parent_and_others_need_one(world, party):
    with pytest.raises(ValidationFailed):
        party_org_create(actor=None, kind=OrgKind.ZONE_WORKING_COMMITTEE, name="第二党工委", parent=party.zone,
                         region=world.zone)
    with pytest.raises(ValidationFailed):
        party_org_create(actor=None, kind=OrgKind.ORG_BRANCH, name="无上级支部", organization=world.enterprise)


def test_org_branch_needs_its_organisation_and_takes_its_region(world, party):
    with pytest.raises(ValidationFailed) as err:
        party_org_create(actor=None, kind=OrgKind.ORG_BRANCH, name="无单位支部", parent=party.zone)
    assert err.value.field == "organization"
    assert party.enterprise_branch.region == world.e1


def test_industry_chain_committee_links_several_enterprises(world, party):
    assert set(party.chain.linked_organizations.all()) == {world.enterprise, world.other_enterprise}
    with pytest.raises(ValidationFailed):
        party_org_create(actor=None, kind=OrgKind.INDUSTRY_CHAIN_COMMITTEE, name="互联网产业链党委", parent=party.zone)


def test_building_group_takes_no_children(world, party):
    with pytest.raises(ValidationFailed):
        party_org_create(actor=None, kind=OrgKind.ORG_BRANCH, name="楼下支部", parent=party.b1,
                         organization=world.enterprise)


def test_community_staff_creates_a_grid_branch_for_a_new_grid_of_their_community(world, party):
    grid = region_create(actor=None, level=Level.GRID, name="安泰三网格", parent=world.c1, record_event=False)
    org = party_org_create(actor=world.community_staff, kind=OrgKind.GRID_BRANCH, name="安泰三网格党支部",
                           parent=party.c1, region=grid, founded_on=dt.date(2024, 1, 1))
    assert org.parent == party.c1 and org.serial == 3


def test_community_staff_cannot_create_orgs_in_another_community(world, party):
    grid = region_create(actor=None, level=Level.GRID, name="银河二网格", parent=world.c3, record_event=False)
    with pytest.raises(NotPermitted):
        party_org_create(actor=world.community_staff, kind=OrgKind.GRID_BRANCH, name="银河二网格党支部",
                         parent=party.c3, region=grid)
    assert not PartyOrg.objects.filter(region=grid).exists()


def test_only_zone_level_staff_create_branches_under_the_zone_committee(world, party):
    org_kwargs = dict(kind=OrgKind.ORG_BRANCH, name="东凯公司党支部", parent=party.zone,
                      organization=world.other_enterprise)
    with pytest.raises(NotPermitted):
        party_org_create(actor=world.subdistrict_officer, **org_kwargs)
    with pytest.raises(NotPermitted):
        party_org_create(actor=world.hotline_operator, **org_kwargs)
    org = party_org_create(actor=world.zone_leader, **org_kwargs)
    assert org.parent == party.zone


def test_term_end_must_follow_founding(world, party):
    with pytest.raises(ValidationFailed) as err:
        party_org_create(actor=None, kind=OrgKind.ORG_BRANCH, name="东凯公司党支部", parent=party.zone,
                         organization=world.other_enterprise, founded_on=dt.date(2024, 1, 1),
                         term_end=dt.date(2023, 1, 1))
    assert err.value.field == "term_end"


def test_bulk_tree_mirrors_every_region_with_consistent_paths(world):
    from grassroots.party.services import party_tree_bulk_create

    orgs = party_tree_bulk_create(actor=None, zone=world.zone)
    assert len(orgs) == 1 + 2 + 4 + 5 + 4  # zone, subdistricts, communities + park, grids, buildings
    g1 = orgs[world.g1.pk]
    assert g1.kind == "grid_branch" and g1.parent == orgs[world.c1.pk] and g1.name == "安泰一网格党支部"
    assert g1.path == org_path(orgs[world.c1.pk], g1.serial) and g1.code == org_code(g1.path)
    assert orgs[world.p1.pk].kind == "community_party_committee"
    # the next organisation created through the service continues the serials
    grid = region_create(actor=None, level=Level.GRID, name="安泰三网格", parent=world.c1, record_event=False)
    new = party_org_create(actor=None, kind=OrgKind.GRID_BRANCH, name="安泰三网格党支部",
                           parent=PartyOrg.objects.get(pk=orgs[world.c1.pk].pk), region=grid)
    assert new.serial == 3
    with pytest.raises(Conflict):
        party_tree_bulk_create(actor=None, zone=world.zone)


def test_bulk_tree_needs_a_zone_level_post(world):
    from grassroots.party.services import party_tree_bulk_create

    with pytest.raises(NotPermitted):
        party_tree_bulk_create(actor=world.community_secretary, zone=world.zone)
    assert not PartyOrg.objects.exists()
