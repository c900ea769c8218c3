"""Cooperative posts (会计, 理事, 监事) and the park's service commissioner (服务专员): where they may be held,
what they see (their cooperative, their enterprises), and that they widen no general scope."""

import pytest

from grassroots.core.errors import NotFound, ValidationFailed
from grassroots.core.roles import COOPERATIVE_POSTS, Role
from grassroots.core.scope import scope_for
from grassroots.people import selectors, services
from grassroots.people.models import Organization
from tests.support.world import make_user, scope_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def coops(world):
    make = Organization.objects.create
    return (make(name="王家村果蔬合作社", kind=Organization.Kind.COOPERATIVE, region=world.c2),
            make(name="李家村养殖合作社", kind=Organization.Kind.COOPERATIVE, region=world.c3))


def post(world, role, username, **target):
    user = make_user(username)
    services.post_create(actor=world.admin, user=user, role=role, **target)
    return user


@pytest.mark.parametrize("role", COOPERATIVE_POSTS)
def test_a_cooperative_post_sees_its_own_cooperative_and_no_other(world, coops, role):
    mine, other = coops
    user = post(world, role, "coop", organization=mine)
    assert selectors.organization_get(actor=user, pk=mine.pk) == mine
    with pytest.raises(NotFound):
        selectors.organization_get(actor=user, pk=other.pk)
    with pytest.raises(NotFound):
        selectors.organization_get(actor=user, pk=world.enterprise.pk)
    assert not selectors.person_visible(actor=user).exists()
    scope = scope_for(user)
    assert scope.org_ids == frozenset() and scope.orgs_for(role) == {mine.pk}


@pytest.mark.parametrize("role", COOPERATIVE_POSTS)
def test_a_cooperative_post_needs_a_cooperative(world, role):
    with pytest.raises(ValidationFailed) as err:
        post(world, role, "coop", organization=world.enterprise)
    assert err.value.field == "organization"
    with pytest.raises(ValidationFailed):
        post(world, role, "coop2", region=world.c1)


def test_a_service_commissioner_of_an_enterprise_grid_sees_the_enterprises_located_in_it(world):
    user = post(world, Role.SERVICE_COMMISSIONER, "commissioner", region=world.e1)
    seen = set(selectors.organization_list(actor=user).values_list("pk", flat=True))
    assert seen == {world.enterprise.pk, world.other_enterprise.pk}
    with pytest.raises(NotFound):
        selectors.organization_get(actor=user, pk=world.dept_city.pk)
    scope = scope_for(user)
    assert scope.region_paths == () and scope.paths_for(Role.SERVICE_COMMISSIONER) == (world.e1.path,)
    assert not selectors.person_visible(actor=user).exists()


def test_a_service_commissioner_of_one_enterprise_sees_that_enterprise_only(world):
    user = post(world, Role.SERVICE_COMMISSIONER, "commissioner", organization=world.enterprise)
    assert set(selectors.organization_list(actor=user).values_list("pk", flat=True)) == {world.enterprise.pk}
    with pytest.raises(NotFound):
        selectors.organization_get(actor=user, pk=world.other_enterprise.pk)


@pytest.mark.parametrize("target", ["residential_grid", "both", "none", "department"])
def test_a_service_commissioner_needs_one_enterprise_or_an_enterprise_grid(world, target):
    kwargs = {"residential_grid": {"region": world.g1},
              "both": {"region": world.e1, "organization": world.enterprise},
              "none": {},
              "department": {"organization": world.dept_city}}[target]
    with pytest.raises(ValidationFailed):
        post(world, Role.SERVICE_COMMISSIONER, "commissioner", **kwargs)


def test_the_new_posts_need_no_second_factor(world, coops):
    from grassroots.people import security

    assert not security.needs_second_factor(post(world, Role.COOPERATIVE_ACCOUNTANT, "acc", organization=coops[0]))
    assert not security.needs_second_factor(post(world, Role.SERVICE_COMMISSIONER, "sc", region=world.e1))


def test_a_cooperative_post_ends_with_handover_to_a_successor_of_the_same_cooperative(world, coops):
    mine, other = coops
    old = post(world, Role.COOPERATIVE_ACCOUNTANT, "old", organization=mine)
    wrong = post(world, Role.COOPERATIVE_ACCOUNTANT, "wrong", organization=other)
    with pytest.raises(ValidationFailed):
        services.post_end(actor=world.admin, post=old.posts.get(), successor=wrong)
    new = post(world, Role.COOPERATIVE_ACCOUNTANT, "new", organization=mine)
    ended = services.post_end(actor=world.admin, post=old.posts.get(), successor=new)
    assert ended.successor == new


def test_a_service_commissioner_hands_over_to_a_successor_of_the_same_grid_or_enterprise(world):
    from grassroots.people import handover

    old = post(world, Role.SERVICE_COMMISSIONER, "sc_old", region=world.e1)
    one_enterprise = post(world, Role.SERVICE_COMMISSIONER, "sc_one", organization=world.enterprise)
    with pytest.raises(ValidationFailed) as err:  # a commissioner of one enterprise does not take over the grid
        services.post_end(actor=world.admin, post=old.posts.get(), successor=one_enterprise)
    assert err.value.field == "successor"
    moved = []
    handover.register("test_park", lambda *, actor, post, successor: (moved.append(successor) or 2)
                      if successor else 2)
    try:
        with pytest.raises(ValidationFailed) as err:  # open tasks and no successor: refused
            services.post_end(actor=world.admin, post=old.posts.get())
        assert err.value.code == "successor_required"
        new = post(world, Role.SERVICE_COMMISSIONER, "sc_new", region=world.e1)
        ended = services.post_end(actor=world.admin, post=old.posts.get(), successor=new)
    finally:
        handover.unregister("test_park")
    assert ended.successor == new and moved == [new]


def test_resident_is_not_a_post(world):
    with pytest.raises(ValidationFailed):
        post(world, Role.RESIDENT, "someone")


@scope_test("people:organization_detail")
def test_the_organisation_page_answers_404_outside_a_commissioners_enterprises(client, world):
    user = post(world, Role.SERVICE_COMMISSIONER, "commissioner", organization=world.enterprise)
    client.force_login(user)
    assert client.get(f"/people/organizations/{world.enterprise.pk}/").status_code == 200
    assert client.get(f"/people/organizations/{world.other_enterprise.pk}/").status_code == 404


@pytest.mark.parametrize("role", [*COOPERATIVE_POSTS, Role.SERVICE_COMMISSIONER])
def test_the_home_page_and_the_organisation_list_open_for_the_new_posts(client, world, coops, role):
    target = {"organization": coops[0]} if role in COOPERATIVE_POSTS else {"region": world.e1}
    user = post(world, role, "someone", **target)
    client.force_login(user)
    assert client.get("/").status_code == 200
    page = client.get("/people/organizations/")
    assert page.status_code == 200
    assert (coops[0].name if role in COOPERATIVE_POSTS else world.enterprise.name) in page.content.decode()
    assert world.dept_city.name not in page.content.decode()
