import json

import pytest
from django.core.management import CommandError, call_command

from grassroots.core.errors import NotPermitted, ValidationFailed
from grassroots.core.models import Event
from grassroots.territory import locate
from grassroots.territory.models import Level, Region, RegionChange
from grassroots.territory.services import boundaries_import, region_create

from .helpers import box, collection, feature

BOWTIE = {"type": "Polygon", "coordinates": [[[118.60, 37.42], [118.61, 37.43], [118.61, 37.42], [118.60, 37.43],
                                               [118.60, 37.42]]]}


@pytest.fixture
def c4(world):
    """A new community in row 1 (north of the world's grids) without grids yet."""
    return region_create(actor=None, level=Level.COMMUNITY, name="育才社区", parent=world.s1, geometry=box(0, 1, 2, 2))


def test_new_grids_are_created_with_the_next_codes_and_can_be_located(world, c4):
    data = collection(feature(box(0, 1, 1, 2), name="育才一网格", level="grid", parent_code=c4.code, households=420),
                      feature(box(1, 1, 2, 2), name="育才二网格", level="grid", parent_code=c4.code, households=380))
    report = boundaries_import(actor=None, data=json.dumps(data, ensure_ascii=False))
    assert report.ok and not report.warnings
    assert report.created == [c4.code + "001", c4.code + "002"]
    grid = Region.objects.get(code=c4.code + "002")
    assert grid.households == 380 and grid.grid_kind == "comprehensive" and grid.lon is not None
    assert RegionChange.objects.get(kind="create").targets.count() == 2
    assert locate.locate(118.615, 37.415) == grid
    assert Event.objects.filter(verb="territory.boundaries_import").exists()


def test_a_dry_run_reports_but_writes_nothing(world, c4):
    data = collection(feature(box(0, 1, 1, 2), name="育才一网格", level="grid", parent_code=c4.code, households=420))
    before = Region.objects.count()
    report = boundaries_import(actor=None, data=data, dry_run=True)
    assert report.ok and report.dry_run and report.created == []
    assert Region.objects.count() == before


def test_a_code_updates_the_existing_region_boundary(world):
    data = collection(feature(box(0, 0, 1.1, 1), code=world.g1.code, name="安泰一网格（调整）"),
                      feature(box(1.1, 0, 2, 1), code=world.g2.code))
    report = boundaries_import(actor=world.zone_leader, data=data)
    assert report.updated == [world.g1.code, world.g2.code] and report.created == []
    world.g1.refresh_from_db()
    assert world.g1.name == "安泰一网格（调整）" and world.g1.geometry_version == 1
    assert RegionChange.objects.get(kind="adjust").sources.count() == 2
    assert locate.locate(118.6105, 37.405) == world.g1


def test_invalid_json_is_refused(world):
    with pytest.raises(ValidationFailed) as caught:
        boundaries_import(actor=None, data="{not json")
    assert caught.value.code == "invalid_geojson" and "JSON" in caught.value.zh


def test_something_other_than_a_feature_collection_is_refused(world):
    with pytest.raises(ValidationFailed) as caught:
        boundaries_import(actor=None, data={"type": "Polygon", "coordinates": []})
    assert caught.value.code == "invalid_geojson"


def test_every_error_is_reported_with_its_feature_index_and_nothing_is_imported(world, c4):
    data = collection(
        feature(box(0, 1, 1, 2), name="好网格", level="grid", parent_code=c4.code, households=400),
        feature(BOWTIE, name="蝴蝶网格", level="grid", parent_code=c4.code),
        feature(box(1, 1, 2, 2), name="孤儿网格", level="grid", parent_code="999999"),
        feature({"type": "Point", "coordinates": [118.6, 37.4]}, name="点", level="grid", parent_code=c4.code),
        feature(box(0.5, 0, 1, 1), name="压线网格", level="grid", parent_code=world.c1.code),
        feature(box(1.5, 1, 2, 2), name="新甲", level="grid", parent_code=c4.code),
        feature(box(1.6, 1, 2, 2), name="新乙", level="grid", parent_code=c4.code),
        feature(box(0, 3, 1, 4), name="", level="grid", parent_code=c4.code),
        feature(box(0, 3, 1, 4), code="370571999999"),
        "not a feature",
    )
    before = Region.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        boundaries_import(actor=None, data=data)
    errors = caught.value.details["errors"]
    by_index = {}
    for e in errors:
        by_index.setdefault(e["index"], []).append(e["message"])
    assert 0 not in by_index
    assert "Self-intersection" in by_index[1][0]
    assert "上级编码「999999」不存在" in by_index[2][0]
    assert "Polygon 或 MultiPolygon" in by_index[3][0]
    assert "现有区域「安泰一网格」" in by_index[4][0] and "重叠" in by_index[4][0]
    assert any("第 5 个要素「新甲」" in m for m in by_index[6])
    assert "名称" in by_index[7][0]
    assert "不存在" in by_index[8][0]
    assert "Feature" in by_index[9][0]
    assert Region.objects.count() == before


def test_gaps_in_the_parent_and_household_counts_outside_the_guideline_are_warnings(world, c4):
    data = collection(feature(box(0, 1, 1, 2), name="育才一网格", level="grid", parent_code=c4.code, households=900),
                      feature(box(1, 1, 1.5, 2), name="育才二网格", level="grid", parent_code=c4.code,
                              households=350))
    report = boundaries_import(actor=None, data=data)
    assert report.ok and len(report.created) == 2
    messages = [w["message"] for w in report.warnings]
    assert any("户数 900 不在综合网格 300–500 户" in m for m in messages)
    assert any("「育才社区」有约" in m and "未被下级区域覆盖" in m for m in messages)
    assert not any("350" in m for m in messages)


def test_every_problem_of_a_feature_is_reported_not_only_the_first(world, c4):
    data = collection(feature(BOWTIE, name="", level="grid", parent_code="999999", households="many",
                              grid_kind="nonsense"))
    with pytest.raises(ValidationFailed) as refused:
        boundaries_import(actor=None, data=data)
    messages = [e["message"] for e in refused.value.details["errors"] if e["index"] == 0]
    assert any("名称" in m for m in messages) and any("上级编码「999999」" in m for m in messages)
    assert any("户数" in m for m in messages) and any("网格类型" in m for m in messages)
    assert any("Self-intersection" in m for m in messages)


def test_a_grid_spilling_out_of_its_parent_is_refused_and_nothing_is_written(world, c4):
    data = collection(feature(box(0, 1, 2, 2.3), name="育才大网格", level="grid", parent_code=c4.code, households=400))
    before = Region.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        boundaries_import(actor=None, data=data)
    errors = refused.value.details["errors"]
    assert any("超出上级「育才社区」" in e["message"] for e in errors)
    assert Region.objects.count() == before


def test_a_shared_edge_traced_a_few_metres_off_is_not_a_spill_over(world, c4):
    three_metres = 3 / 1110  # in grid units of 0.01° latitude (about 1110 m)
    data = collection(feature(box(0, 1, 2, 2 + three_metres), name="育才大网格", level="grid", parent_code=c4.code,
                              households=400))
    report = boundaries_import(actor=None, data=data)
    assert report.ok and not any("超出上级" in w["message"] for w in report.warnings)


def test_a_community_worker_may_not_import_boundaries(world, c4):
    data = collection(feature(box(0, 1, 1, 2), name="育才一网格", level="grid", parent_code=c4.code))
    with pytest.raises(NotPermitted):
        boundaries_import(actor=world.community_secretary, data=data)


def test_a_subdistrict_officer_may_not_adjust_another_subdistricts_grid(world):
    data = collection(feature(box(3, 0, 4, 1), code=world.g4.code))
    with pytest.raises(ValidationFailed) as caught:
        boundaries_import(actor=world.subdistrict_officer, data=data)
    assert caught.value.details["errors"][0]["message"].startswith("无权")


def test_a_subdistrict_officer_may_import_grids_in_their_subdistrict(world, c4):
    data = collection(feature(box(0, 1, 2, 2), name="育才一网格", level="grid", parent_code=c4.code, households=400))
    report = boundaries_import(actor=world.subdistrict_officer, data=data)
    assert report.created == [c4.code + "001"]


def test_the_command_imports_a_file_and_reports(world, c4, tmp_path, capsys):
    path = tmp_path / "grids.geojson"
    path.write_text(json.dumps(collection(
        feature(box(0, 1, 1, 2), name="育才一网格", level="grid", parent_code=c4.code, households=420),
        feature(box(1, 1, 2, 2), name="育才二网格", level="grid", parent_code=c4.code, households=200),
    ), ensure_ascii=False), encoding="utf-8")
    call_command("import_boundaries", str(path), "--dry-run", verbosity=0)
    assert not Region.objects.filter(parent=c4).exists()
    call_command("import_boundaries", str(path), verbosity=0)
    out = capsys.readouterr().out
    assert "导入完成" in out and "户数 200" in out
    assert Region.objects.filter(parent=c4, level="grid").count() == 2


def test_the_command_fails_with_every_error_listed(world, c4, tmp_path, capsys):
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(collection(feature(BOWTIE, name="蝴蝶网格", level="grid", parent_code=c4.code))),
                    encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_boundaries", str(path), verbosity=0)
    assert "错误 #0" in capsys.readouterr().err


def test_the_command_prints_a_json_report(world, c4, tmp_path, capsys):
    path = tmp_path / "grids.geojson"
    path.write_text(json.dumps(collection(
        feature(box(0, 1, 2, 2), name="育才一网格", level="grid", parent_code=c4.code, households=420))),
        encoding="utf-8")
    call_command("import_boundaries", str(path), "--dry-run", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["dry_run"] and report["features"] == 1 and report["created"] == []
