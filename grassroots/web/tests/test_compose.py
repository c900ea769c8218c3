"""Pages composed from several apps (``web.compose``): each part read through its own app's selector."""

import datetime as dt

import pytest

from grassroots.core.errors import NotFound
from grassroots.people.models import Person
from grassroots.territory.models import Level
from grassroots.territory.services import compound_create, region_create
from grassroots.territory.tests.helpers import box
from grassroots.web import compose
from tests.support.world import make_user


@pytest.fixture
def compounds(world):
    inside = compound_create(actor=None, community=world.c1, name="安泰小区", geometry=box(0.2, 0.2, 0.8, 0.8))
    other = compound_create(actor=None, community=world.c3, name="银河小区", geometry=box(3.2, 0.2, 3.8, 0.8))
    return inside, other


def test_grid_summary_gathers_buildings_compounds_people_and_workers(world, compounds):
    Person.objects.create(name="王迁出", region=world.g1, active=False, birth_date=dt.date(1990, 1, 1))
    summary = compose.grid_summary(actor=world.community_secretary, grid=world.g1)
    assert summary["buildings"] == [world.b1]
    assert summary["compounds"] == [compounds[0]]
    assert summary["people_total"] == 2 and summary["people_active"] == 1
    assert summary["grid_workers"] == [world.grid_worker]
    assert summary["party_orgs"] == []


def test_a_grid_worker_who_left_is_not_listed(world):
    make_user("grid1b", role="grid_worker", region=world.g1, start=dt.date(2019, 1, 1))
    from grassroots.people.models import Post

    Post.objects.filter(user__username="grid1b").update(end_date=dt.date(2019, 12, 31))
    assert compose.grid_summary(actor=world.zone_leader, grid=world.g1)["grid_workers"] == [world.grid_worker]


def test_grid_summary_outside_scope_is_not_found(world):
    with pytest.raises(NotFound):
        compose.grid_summary(actor=world.other_staff, grid=world.g1)


def test_region_summary_counts_below_the_region(world):
    region_create(actor=None, level=Level.BUILDING, name="2号楼", parent=world.g1)
    summary = compose.region_summary(actor=world.community_secretary, region=world.c1)
    assert dict(summary["by_level"]) == {"网格": 2, "楼栋": 3}
    assert summary["people_total"] == 1
