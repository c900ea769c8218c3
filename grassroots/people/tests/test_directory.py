import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.core import clock
from grassroots.people import directory
from grassroots.people.models import Post

pytestmark = pytest.mark.django_db


def test_region_holders_are_the_posts_over_the_region_and_above(world):
    grid = world.g1.path
    assert set(directory.region_holders(grid, {"grid_worker"})) == {world.grid_worker.pk}
    assert set(directory.region_holders(grid, {"community_staff", "community_secretary"})) == {
        world.community_staff.pk, world.community_secretary.pk}
    assert set(directory.region_holders(grid, {"zone_leader"})) == {world.zone_leader.pk}
    # Another community's staff hold no post over this grid.
    assert world.other_staff.pk not in directory.region_holders(grid, {"community_staff"})
    assert directory.region_holders(world.g3.path, {"grid_worker"}) == [world.grid_worker3.pk]


def test_org_holders_are_the_organisations_posts(world):
    assert directory.org_holders([world.dept_city.pk]) == [world.department_handler.pk]
    assert set(directory.org_holders([world.dept_city.pk, world.dept_housing.pk, None])) == {
        world.department_handler.pk, world.department_handler2.pk}
    assert directory.org_holders([]) == []


def test_only_posts_active_today_count(world, frozen_now):
    post = Post.objects.get(user=world.grid_worker, role="grid_worker")
    today = clock.today()
    post.end_date = today - dt.timedelta(days=1)
    post.start_date = min(post.start_date, post.end_date)
    post.save()  # the signal drops this process's copy at once
    assert directory.region_holders(world.g1.path, {"grid_worker"}) == []
    Post.objects.create(user=world.grid_worker3, role="grid_worker", region=world.g1,
                        start_date=today + dt.timedelta(days=2))
    assert directory.region_holders(world.g1.path, {"grid_worker"}) == []
    clock.freeze(frozen_now + dt.timedelta(days=2))
    assert directory.region_holders(world.g1.path, {"grid_worker"}) == [world.grid_worker3.pk]


def test_the_copy_is_read_once_and_reread_when_the_table_changes_elsewhere(world, monkeypatch):
    directory.region_holders(world.g1.path, {"grid_worker"})
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            directory.region_holders(world.g1.path, {"grid_worker"})
            directory.org_holders([world.dept_city.pk])
    assert len(queries) == 0
    # A change made by another process sends no signal here: it is found by the fingerprint at the next check.
    Post.objects.filter(user=world.grid_worker, role="grid_worker").update(
        end_date=clock.today() - dt.timedelta(days=1), start_date=clock.today() - dt.timedelta(days=10),
        updated_at=clock.now() + dt.timedelta(seconds=1))
    assert directory.region_holders(world.g1.path, {"grid_worker"}) == [world.grid_worker.pk]  # not yet checked
    monkeypatch.setattr(directory, "RECHECK_SECONDS", 0.0)
    assert directory.region_holders(world.g1.path, {"grid_worker"}) == []
