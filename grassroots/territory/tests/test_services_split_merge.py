import datetime as dt

import pytest

from grassroots.core import clock
from grassroots.core.errors import Conflict, NotPermitted, ValidationFailed
from grassroots.core.models import Event
from grassroots.people.models import Person
from grassroots.territory import locate
from grassroots.territory.models import Level, Region, RegionChange
from grassroots.territory.services import grid_merge, grid_split, region_create
from tests.support.world import centre

from .helpers import box


@pytest.fixture
def today():
    clock.freeze(dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC))
    return dt.date(2026, 11, 25)


def halves(i: int):
    return [("西半网格", box(i, 0, i + 0.5, 1)), ("东半网格", box(i + 0.5, 0, i + 1, 1))]


def test_a_split_retires_the_grid_and_creates_grids_with_new_codes(world, today):
    west, east = grid_split(actor=world.subdistrict_officer, grid=world.g1, parts=halves(0))
    world.g1.refresh_from_db()
    assert not world.g1.active and world.g1.retired_on == today
    assert west.code == world.c1.code + "003" and east.code == world.c1.code + "004"
    assert west.parent == world.c1 and west.grid_kind == world.g1.grid_kind and west.active
    change = RegionChange.objects.get(kind="split")
    assert list(change.sources.all()) == [world.g1] and set(change.targets.all()) == {west, east}
    assert change.effective_on == today
    assert Event.objects.filter(verb="region.split", object_id=str(world.g1.pk), to_state="retired").exists()


def test_people_keep_their_region_after_a_split(world):
    grid_split(actor=world.zone_leader, grid=world.g1, parts=halves(0))
    assert Person.objects.get(pk=world.person1.pk).region_id == world.g1.pk


def test_locate_uses_the_new_grids_after_a_split(world):
    west, east = grid_split(actor=world.zone_leader, grid=world.g1, parts=halves(0))
    lon, lat = centre(0)
    assert locate.locate(lon - 0.002, lat) == west
    assert locate.locate(lon + 0.002, lat) == east


def test_a_retired_serial_is_never_reused(world):
    merged = grid_merge(actor=world.zone_leader, grids=[world.g1, world.g2], name="安泰网格")
    assert merged.serial == 3
    parts = grid_split(actor=world.zone_leader, grid=merged,
                       parts=[("一", box(0, 0, 1, 1)), ("二", box(1, 0, 2, 1))])
    assert [p.serial for p in parts] == [4, 5]
    grid_merge(actor=world.zone_leader, grids=parts, name="再合并")  # retires 4 and 5, the highest serials
    fresh = region_create(actor=None, level=Level.GRID, name="新网格", parent=world.c1)
    assert fresh.serial == 7 and fresh.code == world.c1.code + "007"
    codes = list(Region.objects.filter(parent=world.c1).values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 7


def test_parts_that_do_not_cover_the_grid_are_refused(world):
    with pytest.raises(ValidationFailed) as caught:
        grid_split(actor=world.zone_leader, grid=world.g1,
                   parts=[("西", box(0, 0, 0.4, 1)), ("东", box(0.5, 0, 1, 1))])
    assert "未覆盖原网格" in caught.value.zh
    assert Region.objects.get(pk=world.g1.pk).active


def test_overlapping_parts_are_refused(world):
    with pytest.raises(ValidationFailed) as caught:
        grid_split(actor=world.zone_leader, grid=world.g1, parts=[("西", box(0, 0, 0.6, 1)), ("东", box(0.4, 0, 1, 1))])
    assert "重叠" in caught.value.zh


def test_parts_beyond_the_grid_are_refused(world):
    with pytest.raises(ValidationFailed) as caught:
        grid_split(actor=world.zone_leader, grid=world.g1, parts=[("西", box(0, 0, 0.5, 1)), ("东", box(0.5, 0, 1.3, 1))])
    assert "超出原网格" in caught.value.zh


def test_a_split_needs_two_named_valid_parts(world):
    with pytest.raises(ValidationFailed):
        grid_split(actor=world.zone_leader, grid=world.g1, parts=[("全部", box(0, 0, 1, 1))])
    with pytest.raises(ValidationFailed):
        grid_split(actor=world.zone_leader, grid=world.g1, parts=[("", box(0, 0, 0.5, 1)), ("东", box(0.5, 0, 1, 1))])
    with pytest.raises(ValidationFailed) as caught:
        grid_split(actor=world.zone_leader, grid=world.g1,
                   parts=[("西", {"type": "Point", "coordinates": [1, 2]}), ("东", box(0.5, 0, 1, 1))])
    assert caught.value.code == "invalid_geometry"


def test_a_retired_grid_cannot_be_split_again(world):
    grid_split(actor=world.zone_leader, grid=world.g1, parts=halves(0))
    with pytest.raises(Conflict):
        grid_split(actor=world.zone_leader, grid=world.g1, parts=halves(0))


def test_a_stale_copy_of_a_grid_split_elsewhere_conflicts(world):
    stale = Region.objects.get(pk=world.g1.pk)
    grid_split(actor=world.zone_leader, grid=world.g1, parts=halves(0))
    before = Region.objects.count()
    assert stale.active  # the copy was read before the split
    with pytest.raises(Conflict):
        grid_split(actor=world.zone_leader, grid=stale, parts=halves(0))
    assert Region.objects.count() == before


@pytest.mark.parametrize("who", ["community_secretary", "grid_worker", "resident", "department_handler"])
def test_only_leaders_and_officers_of_the_area_may_split(world, who):
    with pytest.raises(NotPermitted):
        grid_split(actor=getattr(world, who), grid=world.g1, parts=halves(0))


def test_a_subdistrict_officer_may_not_split_another_subdistricts_grid(world):
    with pytest.raises(NotPermitted):
        grid_split(actor=world.subdistrict_officer, grid=world.g4, parts=halves(3))


def test_a_merge_unites_adjacent_grids_under_a_new_code(world, today):
    merged = grid_merge(actor=world.subdistrict_officer, grids=[world.g1, world.g2], name="安泰网格")
    assert merged.code == world.c1.code + "003" and merged.households == 800
    assert merged.geometry["type"] == "Polygon"
    assert not Region.objects.filter(pk__in=[world.g1.pk, world.g2.pk], active=True).exists()
    change = RegionChange.objects.get(kind="merge")
    assert set(change.sources.all()) == {world.g1, world.g2} and list(change.targets.all()) == [merged]
    assert Person.objects.get(pk=world.person1.pk).region_id == world.g1.pk


def test_grids_of_different_communities_cannot_be_merged(world):
    with pytest.raises(ValidationFailed):
        grid_merge(actor=world.zone_leader, grids=[world.g2, world.g3], name="跨社区")


def test_grids_that_do_not_touch_cannot_be_merged(world):
    far = region_create(actor=None, level=Level.GRID, name="飞地网格", parent=world.c1, geometry=box(0, 3, 1, 4),
                        grid_kind="comprehensive")
    with pytest.raises(ValidationFailed) as caught:
        grid_merge(actor=world.zone_leader, grids=[world.g1, far], name="不相邻")
    assert "相邻" in caught.value.zh


def test_a_merge_needs_two_grids_and_a_name(world):
    with pytest.raises(ValidationFailed):
        grid_merge(actor=world.zone_leader, grids=[world.g1, world.g1], name="同一个")
    with pytest.raises(ValidationFailed):
        grid_merge(actor=world.zone_leader, grids=[world.g1, world.g2], name=" ")


def test_a_community_secretary_may_not_merge(world):
    with pytest.raises(NotPermitted):
        grid_merge(actor=world.community_secretary, grids=[world.g1, world.g2], name="安泰网格")
