import pytest

from grassroots.core.scope import scope_for
from grassroots.territory.models import Region


@pytest.mark.django_db
def test_grid_worker_scope_is_their_grid_only(world):
    scope = scope_for(world.grid_worker)
    visible = set(Region.objects.filter(scope.region_q("path")).values_list("pk", flat=True))
    assert world.g1.pk in visible and world.b1.pk in visible
    assert world.g2.pk not in visible and world.c1.pk not in visible


@pytest.mark.django_db
def test_community_staff_sees_every_grid_of_their_community_and_no_other(world):
    scope = scope_for(world.community_staff)
    visible = set(Region.objects.filter(scope.region_q("path")).values_list("pk", flat=True))
    assert {world.g1.pk, world.g2.pk, world.b1.pk, world.b2.pk} <= visible
    assert world.g3.pk not in visible and world.g4.pk not in visible


@pytest.mark.django_db
def test_subdistrict_officer_sees_its_communities(world):
    scope = scope_for(world.subdistrict_officer)
    visible = set(Region.objects.filter(scope.region_q("path")).values_list("pk", flat=True))
    assert {world.c1.pk, world.c2.pk, world.g3.pk} <= visible
    assert world.c3.pk not in visible


@pytest.mark.django_db
def test_department_scope_is_its_organisation_and_no_region(world):
    scope = scope_for(world.department_handler)
    assert scope.org_ids == frozenset({world.dept_city.pk})
    assert not Region.objects.filter(scope.region_q("path")).exists()


@pytest.mark.django_db
def test_admin_and_auditor_see_no_business_regions(world):
    for user in (world.admin, world.auditor):
        assert not Region.objects.filter(scope_for(user).region_q("path")).exists()


@pytest.mark.django_db
def test_resident_scope_is_self(world):
    scope = scope_for(world.resident)
    assert scope.person_id == world.person1.pk and scope.region_paths == ()


@pytest.mark.django_db
def test_ended_post_gives_no_scope(world):
    import datetime as dt

    post = world.grid_worker.posts.get()
    post.end_date = dt.date(2021, 1, 1)
    post.save()
    world.grid_worker.refresh_from_db()
    assert scope_for(world.grid_worker).region_paths == ()
