"""Party posts (党支部书记, 党务工作者, 党(工)委干部): appointment rules, the party-organisation scope, the second
factor of upper committees, handover, and what each post sees (everything else looks missing)."""

import pytest

from grassroots.core.errors import NotFound, ValidationFailed
from grassroots.core.roles import Role
from grassroots.core.scope import forget, scope_for
from grassroots.party import permissions, selectors
from grassroots.party.posts import party_post_create
from grassroots.people import security
from grassroots.people import services as people_services
from tests.support.world import make_user, scope_test

pytestmark = pytest.mark.django_db


def appoint(world, party_org, role, username):
    user = make_user(username)
    party_post_create(actor=world.admin, user=user, role=role, org=party_org)
    forget(user)
    return user


def test_a_branch_secretary_sees_their_branch_and_its_groups_and_nothing_else(world, party):
    secretary = appoint(world, party.g1, Role.PARTY_BRANCH_SECRETARY, "branch_g1")
    seen = set(selectors.org_list(actor=secretary).values_list("pk", flat=True))
    assert seen == {party.g1.pk, party.b1.pk}
    with pytest.raises(NotFound):
        selectors.org_detail(actor=secretary, pk=party.g2.pk)
    with pytest.raises(NotFound):
        selectors.org_detail(actor=secretary, pk=party.c1.pk)


def test_an_enterprise_branch_outside_the_region_tree_is_seen_by_its_own_secretary_only(world, party):
    secretary = appoint(world, party.enterprise_branch, Role.PARTY_BRANCH_SECRETARY, "branch_ent")
    assert selectors.org_detail(actor=secretary, pk=party.enterprise_branch.pk) == party.enterprise_branch
    other = appoint(world, party.g1, Role.PARTY_BRANCH_SECRETARY, "branch_g1")
    with pytest.raises(NotFound):
        selectors.org_detail(actor=other, pk=party.enterprise_branch.pk)


def test_a_community_committee_officer_sees_and_reminds_the_branches_under_the_committee(world, party):
    officer = appoint(world, party.c1, Role.PARTY_COMMITTEE_OFFICER, "c1_officer")
    seen = set(selectors.org_list(actor=officer).values_list("pk", flat=True))
    assert seen == {party.c1.pk, party.g1.pk, party.g2.pk, party.b1.pk, party.b2.pk}
    assert permissions.can_remind(officer, party.g1)
    assert not permissions.can_remind(officer, party.c1)  # not its own committee: the one above reminds it
    assert not permissions.can_remind(officer, party.g3)
    with pytest.raises(NotFound):
        selectors.org_detail(actor=officer, pk=party.g3.pk)


def test_acts_for_covers_the_organisation_and_those_under_it_only(world, party):
    worker = appoint(world, party.c1, Role.PARTY_AFFAIRS_WORKER, "c1_worker")
    assert permissions.acts_for(worker, party.c1)
    assert permissions.acts_for(worker, party.b2)
    assert not permissions.acts_for(worker, party.s1)
    assert not permissions.acts_for(worker, party.c2)
    assert not permissions.acts_for(world.community_staff, party.c1)  # a region post is not a party post
    assert permissions.can_manage_org(worker, party.g1)
    assert not permissions.can_manage_org(worker, party.g3)


def test_a_party_affairs_worker_sees_the_members_of_their_subtree_only(world, party):
    from tests.support.party import add_members

    mine = add_members(party.g1, 2)
    theirs = add_members(party.g3, 1)
    worker = appoint(world, party.g1, Role.PARTY_AFFAIRS_WORKER, "g1_worker")
    seen = set(selectors.member_list(actor=worker).values_list("pk", flat=True))
    assert seen == {m.pk for m in mine}
    with pytest.raises(NotFound):
        selectors.member_detail(actor=worker, pk=theirs[0].pk)


def test_party_posts_widen_no_region_or_organisation_scope(world, party):
    officer = appoint(world, party.s1, Role.PARTY_COMMITTEE_OFFICER, "s1_officer")
    scope = scope_for(officer)
    assert scope.region_paths == () and scope.org_ids == frozenset()
    assert scope.party_paths_for() == (party.s1.path,)
    from grassroots.people import selectors as people_selectors

    assert not people_selectors.person_visible(actor=officer).exists()


@pytest.mark.parametrize("org_name, needs", [("zone", True), ("s1", True), ("c1", False)])
def test_upper_committee_officers_at_subdistrict_and_zone_level_need_the_second_factor(world, party, org_name,
                                                                                        needs):
    officer = appoint(world, getattr(party, org_name), Role.PARTY_COMMITTEE_OFFICER, f"{org_name}_officer")
    assert security.needs_second_factor(officer) is needs


def test_branch_secretaries_and_party_affairs_workers_need_no_second_factor(world, party):
    assert not security.needs_second_factor(appoint(world, party.g1, Role.PARTY_BRANCH_SECRETARY, "sec"))
    assert not security.needs_second_factor(appoint(world, party.zone, Role.PARTY_AFFAIRS_WORKER, "wk"))


@pytest.mark.parametrize("role, org_name", [
    (Role.PARTY_BRANCH_SECRETARY, "c1"),       # a committee has no branch secretary
    (Role.PARTY_COMMITTEE_OFFICER, "g1"),      # a branch is not a committee
    (Role.PARTY_AFFAIRS_WORKER, "b1"),         # a party group has none of these posts
])
def test_a_party_post_on_the_wrong_kind_of_organisation_is_refused(world, party, role, org_name):
    with pytest.raises(ValidationFailed) as err:
        party_post_create(actor=world.admin, user=make_user("x"), role=role, org=getattr(party, org_name))
    assert err.value.field == "party_org"


def test_a_party_post_needs_an_existing_party_organisation_and_no_region(world, party):
    user = make_user("x")
    with pytest.raises(ValidationFailed):
        people_services.post_create(actor=world.admin, user=user, role=Role.PARTY_AFFAIRS_WORKER,
                                    party_org_path="/9999/")
    with pytest.raises(ValidationFailed):
        people_services.post_create(actor=world.admin, user=user, role=Role.PARTY_AFFAIRS_WORKER)
    with pytest.raises(ValidationFailed):
        people_services.post_create(actor=world.admin, user=user, role=Role.PARTY_AFFAIRS_WORKER,
                                    party_org_path=party.g1.path, region=world.g1)
    with pytest.raises(ValidationFailed):  # a region post names no party organisation
        people_services.post_create(actor=world.admin, user=user, role=Role.GRID_WORKER, region=world.g1,
                                    party_org_path=party.g1.path)


def test_only_the_administrator_appoints_party_posts(world, party):
    from grassroots.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        party_post_create(actor=world.community_secretary, user=make_user("x"), role=Role.PARTY_BRANCH_SECRETARY,
                          org=party.g1)


def test_ending_a_party_post_hands_over_to_a_successor_on_the_same_organisation(world, party):
    from grassroots.people import handover

    old = appoint(world, party.g1, Role.PARTY_BRANCH_SECRETARY, "old_sec")
    post = old.posts.get()
    wrong = appoint(world, party.g2, Role.PARTY_BRANCH_SECRETARY, "g2_sec")
    with pytest.raises(ValidationFailed) as err:
        people_services.post_end(actor=world.admin, post=post, successor=wrong)
    assert err.value.field == "successor"
    new = appoint(world, party.g1, Role.PARTY_BRANCH_SECRETARY, "new_sec")
    moved = []
    handover.register("test_party", lambda *, actor, post, successor: (moved.append(successor) or 1)
                      if successor else 1)
    try:
        people_services.post_end(actor=world.admin, post=post, successor=new)
    finally:
        handover.unregister("test_party")
    assert moved == [new]
    import datetime as dt

    from grassroots.core import clock

    clock.freeze(clock.now() + dt.timedelta(days=1))  # the post ends at the end of its last day
    forget(old)
    with pytest.raises(NotFound):
        selectors.org_detail(actor=old, pk=party.g1.pk)


@scope_test("party:org_detail")
def test_the_org_page_answers_404_outside_a_branch_secretarys_subtree(client, world, party):
    secretary = appoint(world, party.g1, Role.PARTY_BRANCH_SECRETARY, "branch_g1")
    client.force_login(secretary)
    page = client.get(f"/party/orgs/{party.g1.pk}/")
    assert page.status_code == 200 and "党支部书记：branch_g1" in page.content.decode()
    assert client.get(f"/party/orgs/{party.g3.pk}/").status_code == 404
    assert client.get(f"/party/orgs/{party.enterprise_branch.pk}/").status_code == 404


def test_the_post_page_names_the_party_organisation(client, world, party):
    from tests.support.world import login_verified

    user = appoint(world, party.g1, Role.PARTY_BRANCH_SECRETARY, "branch_g1")
    login_verified(client, world.admin)
    page = client.get(f"/people/posts/{user.posts.get().pk}/").content.decode()
    assert party.g1.name in page


@pytest.mark.parametrize("role, org_name", [(Role.PARTY_BRANCH_SECRETARY, "g1"), (Role.PARTY_AFFAIRS_WORKER, "g1"),
                                            (Role.PARTY_COMMITTEE_OFFICER, "c1")])
def test_the_home_page_and_the_party_tree_open_for_each_party_post(client, world, party, role, org_name):
    user = appoint(world, getattr(party, org_name), role, "someone")
    client.force_login(user)
    assert client.get("/").status_code == 200
    tree = client.get("/party/")
    assert tree.status_code == 200 and getattr(party, org_name).name in tree.content.decode()
    assert party.g3.name not in tree.content.decode()
