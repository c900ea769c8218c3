import datetime as dt

import pytest

from grassroots.core import clock
from grassroots.core.errors import NotFound
from grassroots.people import idnumbers, selectors
from grassroots.people.models import Person
from grassroots.people.selectors import PersonFilters

from .factories import person, resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    clock.freeze(dt.datetime(2026, 11, 25, 9, 0))
    return {
        "g1_adult": person(world, name="赵一", phone="13800000001", tags=["五老"]),
        "g1_child": person(world, name="赵小", id_number=idnumbers.with_check_character("37050220180101002")),
        "g2_elder": person(world, name="钱老", building=world.b2,
                           id_number=resident_id(dt.date(1940, 5, 5), male=True)),
        "g4": person(world, name="李四", building=world.b4, actor=world.other_staff),
    }


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_grid_worker_sees_only_their_grid(world, people):
    assert names(selectors.person_list(actor=world.grid_worker)) == {"张居民", "赵一", "赵小"}


def test_community_staff_sees_their_community(world, people):
    assert names(selectors.person_list(actor=world.community_staff)) == {"张居民", "赵一", "赵小", "钱老"}


def test_subdistrict_officer_sees_both_communities_and_not_the_other_subdistrict(world, people):
    visible = names(selectors.person_list(actor=world.subdistrict_officer))
    assert {"赵一", "钱老", "李居民"} <= visible and "李四" not in visible


@pytest.mark.parametrize("role", ["department_handler", "enterprise_contact", "admin", "auditor"])
def test_departments_and_system_roles_see_no_persons(world, people, role):
    assert not selectors.person_list(actor=getattr(world, role)).exists()


def test_resident_sees_only_themself(world, people):
    assert names(selectors.person_list(actor=world.resident)) == {"张居民"}
    with pytest.raises(NotFound):
        selectors.person_get(actor=world.resident, pk=people["g1_adult"].pk)


def test_exact_lookup_by_id_number_and_phone_goes_through_the_blind_index(world, people):
    adult = people["g1_adult"]
    assert list(selectors.person_by_number(actor=world.community_staff, number=adult.id_number.lower())) == [adult]
    assert list(selectors.person_by_number(actor=world.community_staff, number="138 0000 0001")) == [adult]
    assert list(selectors.person_list(actor=world.community_staff, filters=PersonFilters(q=adult.id_number))) == []
    assert list(selectors.person_list(actor=world.community_staff, filters=PersonFilters(q="赵"))) \
        == [adult, people["g1_child"]]
    assert selectors.person_find_by_id_number(actor=world.other_staff, id_number=adult.id_number) is None


def test_filters_grid_gender_age_band_minors_tags_active(world, people):
    staff = world.community_staff
    assert names(selectors.person_list(actor=staff, filters=PersonFilters(region=world.g2.pk))) == {"钱老"}
    assert names(selectors.person_list(actor=staff, filters=PersonFilters(minors=True))) == {"赵小"}
    assert names(selectors.person_list(actor=staff, filters=PersonFilters(age_band="80+"))) == {"钱老"}
    assert names(selectors.person_list(actor=staff, filters=PersonFilters(age_band="35-59"))) == {"赵一", "张居民"}
    assert names(selectors.person_list(actor=staff, filters=PersonFilters(gender="M", region=world.g2.pk))) == {"钱老"}
    assert names(selectors.person_list(actor=staff, filters=PersonFilters(tag="五老"))) == {"赵一"}
    assert "五老" in selectors.person_tags(actor=staff)
    from grassroots.people import services

    services.person_update(actor=staff, person=people["g1_adult"], active=False)
    assert "赵一" not in names(selectors.person_list(actor=staff))
    assert names(selectors.person_list(actor=staff, filters=PersonFilters(active="0"))) == {"赵一"}


def test_organisations_by_role(world):
    all_orgs = {world.dept_city.pk, world.dept_housing.pk, world.enterprise.pk, world.other_enterprise.pk}
    ids = lambda actor: set(selectors.organization_list(actor=actor).values_list("pk", flat=True))  # noqa: E731
    assert ids(world.zone_leader) == all_orgs
    assert ids(world.hotline_operator) == all_orgs
    assert ids(world.admin) == all_orgs
    assert ids(world.department_handler) == {world.dept_city.pk}
    assert ids(world.enterprise_contact) == {world.enterprise.pk}
    assert ids(world.party_instructor) == {world.enterprise.pk, world.other_enterprise.pk}
    assert ids(world.community_staff) == set()
    assert ids(world.resident) == set()
    with pytest.raises(NotFound):
        selectors.organization_get(actor=world.enterprise_contact, pk=world.other_enterprise.pk)


def test_posts_by_role(world):
    def users(actor):
        return set(selectors.post_list(actor=actor).values_list("user__username", flat=True))

    assert "auditor" in users(world.admin) and "dept_city" in users(world.admin)
    assert users(world.community_staff) == {"grid1", "staff1", "secretary1"}
    assert users(world.grid_worker) == {"grid1"}
    assert users(world.department_handler) == {"dept_city"}
    assert users(world.resident) == set()
    with pytest.raises(NotFound):
        selectors.post_get(actor=world.grid_worker, pk=world.grid_worker3.posts.get().pk)


def test_tag_suggestions_include_tags_in_use(world, people):
    from grassroots.people import services

    services.person_update(actor=world.community_staff, person=people["g1_adult"], tags=["楼长"])
    assert "楼长" in selectors.person_tags(actor=world.community_staff)
    assert "楼长" not in selectors.person_tags(actor=world.other_staff)


def test_person_counts_of_a_grid_or_below_a_region_stay_inside_the_scope(world, people):
    people["g1_child"].active = False
    people["g1_child"].save(update_fields=["active"])
    # The world registers one person in g1; the fixture adds two there, one in g2 and one in g4 (another community).
    assert selectors.person_counts(actor=world.community_secretary, region=world.g1, below=False) == {
        "total": 3, "active": 2}
    assert selectors.person_counts(actor=world.community_secretary, region=world.c1)["total"] == 4
    assert selectors.person_counts(actor=world.community_secretary, region=world.zone)["total"] == 4
    everyone = Person.objects.count()
    assert everyone > 4 and selectors.person_counts(actor=world.zone_leader, region=world.zone)["total"] == everyone
    assert selectors.person_counts(actor=world.other_staff, region=world.g1, below=False)["total"] == 0


def test_grid_workers_are_the_current_posts_of_a_grid_in_the_scope(world):
    assert selectors.grid_workers(actor=world.community_secretary, grid=world.g1) == [world.grid_worker]
    assert selectors.grid_workers(actor=world.community_secretary, grid=world.g2) == []
    assert selectors.grid_workers(actor=world.other_staff, grid=world.g1) == []


def test_an_edited_organisations_region_stays_on_offer_outside_the_actors_area(world):
    offered = set(selectors.organization_regions(actor=world.community_staff))
    assert world.g1 in offered and world.g4 not in offered and world.b1 not in offered
    kept = list(selectors.organization_regions(actor=world.community_staff, keep=world.g4.pk))
    assert world.g4 in kept and set(kept) - {world.g4} == offered
    assert [r.path for r in kept] == sorted(r.path for r in kept)


def test_the_named_successor_is_a_candidate_or_the_account_itself(world):
    from tests.support.world import make_user

    post = world.grid_worker.posts.get()
    colleague = make_user("grid1c", role="grid_worker", region=world.g1)
    assert selectors.successor_get(actor=world.admin, post=post, pk=colleague.pk) == colleague
    assert selectors.successor_get(actor=world.admin, post=post, pk=world.community_staff.pk) == world.community_staff
    assert selectors.successor_get(actor=world.admin, post=post, pk=10**12) is None


def test_household_members_are_the_others_of_the_household_in_the_scope(world, people):
    from grassroots.people import services

    household = services.household_create(actor=world.community_secretary, building=world.b1, room="101")
    for key in ("g1_adult", "g1_child"):
        services.household_assign(actor=world.community_secretary, person=people[key], household=household)
        people[key].refresh_from_db()
    assert selectors.household_members(actor=world.community_secretary, person=people["g1_adult"]) == [
        people["g1_child"]]
    assert selectors.household_members(actor=world.other_staff, person=people["g1_adult"]) == []
    assert selectors.household_members(actor=world.community_secretary, person=people["g2_elder"]) == []
