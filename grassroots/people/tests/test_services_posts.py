import datetime as dt

import pytest

from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.models import Event
from grassroots.core.scope import scope_for
from grassroots.people import handover, services
from grassroots.people.models import Organization, Post
from tests.support.world import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(world):
    return make_user("newcomer")


@pytest.mark.parametrize("role, region_attr", [
    ("grid_worker", "g2"), ("community_staff", "c2"), ("community_secretary", "p1"),
    ("subdistrict_officer", "s2"), ("zone_leader", "zone"), ("hotline_operator", "zone"),
])
def test_region_roles_accept_the_right_level(world, newcomer, role, region_attr):
    post = services.post_create(actor=world.admin, user=newcomer, role=role, region=getattr(world, region_attr))
    assert post.role == role and scope_for(newcomer).has_role(role)
    assert Event.objects.filter(verb="post.create", object_id=str(post.pk)).exists()


@pytest.mark.parametrize("role, region_attr", [
    ("grid_worker", "c1"), ("community_staff", "g1"), ("subdistrict_officer", "c1"), ("zone_leader", "s1"),
    ("hotline_operator", "c1"), ("grid_worker", None),
])
def test_region_roles_refuse_the_wrong_level(world, newcomer, role, region_attr):
    region = getattr(world, region_attr) if region_attr else None
    with pytest.raises(ValidationFailed) as err:
        services.post_create(actor=world.admin, user=newcomer, role=role, region=region)
    assert err.value.field == "region"


def test_organisation_roles_need_an_organisation_of_the_right_kind(world, newcomer):
    with pytest.raises(ValidationFailed):
        services.post_create(actor=world.admin, user=newcomer, role="department_handler")
    with pytest.raises(ValidationFailed):
        services.post_create(actor=world.admin, user=newcomer, role="enterprise_contact", organization=world.dept_city)
    with pytest.raises(ValidationFailed):
        services.post_create(actor=world.admin, user=newcomer, role="department_handler", region=world.zone,
                             organization=world.dept_city)
    post = services.post_create(actor=world.admin, user=newcomer, role="department_handler",
                                organization=world.dept_housing)
    assert post.organization == world.dept_housing


def test_system_roles_cannot_be_combined_with_business_roles(world, newcomer):
    services.post_create(actor=world.admin, user=newcomer, role="grid_worker", region=world.g1)
    with pytest.raises(ValidationFailed) as err:
        services.post_create(actor=world.admin, user=newcomer, role="admin")
    assert err.value.code == "post_role_combination" and "不能与业务岗位" in err.value.zh
    with pytest.raises(ValidationFailed):
        services.post_create(actor=world.admin, user=world.auditor, role="community_staff", region=world.c1)


def test_admin_and_auditor_must_be_different_accounts(world):
    with pytest.raises(ValidationFailed) as err:
        services.post_create(actor=world.admin, user=world.auditor, role="admin")
    assert "不同账号" in err.value.zh


def test_ended_business_post_allows_a_system_role_later(world, newcomer):
    post = services.post_create(actor=world.admin, user=newcomer, role="grid_worker", region=world.g1,
                                start_date=dt.date(2020, 1, 1))
    services.post_end(actor=world.admin, post=post, end_date=dt.date(2021, 1, 1))
    assert services.post_create(actor=world.admin, user=newcomer, role="auditor", start_date=dt.date(2022, 1, 1))


@pytest.mark.parametrize("role", ["community_staff", "zone_leader", "grid_worker", "auditor"])
def test_only_admin_manages_posts(world, newcomer, role):
    with pytest.raises(NotPermitted):
        services.post_create(actor=getattr(world, role), user=newcomer, role="grid_worker", region=world.g1)


@pytest.fixture
def tasks():
    """A dummy app holding open tasks per post, registered in the handover registry."""
    held: dict[int, list[str]] = {}
    calls = []

    def reassign(*, actor, post, successor):
        calls.append((post.pk, getattr(successor, "pk", None)))
        items = held.get(post.pk, [])
        if successor is None:
            return len(items)
        moved = len(items)
        held.setdefault(("user", successor.pk), []).extend(items)
        held[post.pk] = []
        return moved

    handover.register("dummy", reassign)
    yield held, calls
    handover.unregister("dummy")


def test_ending_a_post_with_open_tasks_needs_a_successor(world, tasks):
    held, _ = tasks
    post = world.grid_worker.posts.get()
    held[post.pk] = ["case-1", "case-2"]
    with pytest.raises(ValidationFailed) as err:
        services.post_end(actor=world.admin, post=post, end_date=dt.date(2026, 1, 1))
    assert err.value.code == "successor_required" and err.value.details["open_tasks"] == {"dummy": 2}
    post.refresh_from_db()
    assert post.end_date is None


def test_ending_a_post_hands_open_tasks_to_the_successor(world, tasks):
    held, calls = tasks
    post = world.grid_worker.posts.get()
    held[post.pk] = ["case-1", "case-2"]
    successor = make_user("grid1b", role="grid_worker", region=world.g1)
    services.post_end(actor=world.admin, post=post, end_date=dt.date(2026, 1, 1), successor=successor,
                      note="台账已移交")
    post.refresh_from_db()
    assert post.end_date == dt.date(2026, 1, 1) and post.successor == successor and post.handover_note == "台账已移交"
    assert held[("user", successor.pk)] == ["case-1", "case-2"] and held[post.pk] == []
    event = Event.objects.get(verb="post.end", object_id=str(post.pk))
    assert event.payload["handed_over"] == {"dummy": 2} and event.to_state == "ended"


def test_successor_must_hold_the_same_post(world, tasks):
    post = world.grid_worker.posts.get()
    with pytest.raises(ValidationFailed) as err:
        services.post_end(actor=world.admin, post=post, successor=world.grid_worker3)
    assert err.value.code == "successor_post"
    with pytest.raises(ValidationFailed):
        services.post_end(actor=world.admin, post=post, successor=world.grid_worker)


def test_post_without_open_tasks_ends_without_successor_and_only_once(world, tasks):
    post = world.grid_worker.posts.get()
    services.post_end(actor=world.admin, post=post, end_date=dt.date(2026, 1, 1))
    with pytest.raises(Conflict):
        services.post_end(actor=world.admin, post=post, end_date=dt.date(2026, 1, 2))


def test_end_before_start_is_refused(world):
    post = world.grid_worker.posts.get()
    with pytest.raises(ValidationFailed):
        services.post_end(actor=world.admin, post=post, end_date=dt.date(2019, 1, 1))


def test_only_admin_ends_posts(world):
    with pytest.raises(NotPermitted):
        services.post_end(actor=world.community_secretary, post=world.grid_worker.posts.get())


def test_organisation_create_update_and_scope(world):
    org = services.organization_create(actor=world.community_staff, name="安泰社区志愿服务队",
                                       kind=Organization.Kind.SOCIAL_ORGANIZATION, region=world.g1)
    assert Event.objects.filter(verb="organization.create", object_id=str(org.pk)).exists()
    with pytest.raises(NotPermitted):
        services.organization_create(actor=world.community_staff, name="银河物业",
                                     kind=Organization.Kind.PROPERTY_FIRM, region=world.g4)
    with pytest.raises(ValidationFailed):
        services.organization_create(actor=world.admin, name="安泰社区志愿服务队",
                                     kind=Organization.Kind.SOCIAL_ORGANIZATION)
    services.organization_update(actor=world.community_staff, organization=org, short_name="志愿队",
                                 address="安泰路 1 号")
    org.refresh_from_db()
    assert org.short_name == "志愿队"
    event = Event.objects.get(verb="organization.update", object_id=str(org.pk))
    assert event.payload["changed"] == ["address", "short_name"]
    with pytest.raises(ValidationFailed):
        services.organization_update(actor=world.admin, organization=org, credit_code="123")
    with pytest.raises(ValidationFailed):
        services.organization_update(actor=world.admin, organization=org, parent=org)
    with pytest.raises(NotPermitted):
        services.organization_update(actor=world.community_staff, organization=org, region=world.g4)


def test_post_rows_survive_in_history(world):
    post = world.grid_worker.posts.get()
    services.post_end(actor=world.admin, post=post, end_date=dt.date(2026, 1, 1))
    assert Post.objects.filter(pk=post.pk).exists()
