"""Loading the category seed file: validation of the whole file, idempotent upsert, department mapping."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.management import CommandError, call_command

from grassroots.cases.data import catalog
from grassroots.cases.models import Category, TimeLimit
from grassroots.core.models import Event


@pytest.fixture
def seed():
    return catalog.read()


def test_seed_file_holds_the_cjt214_components_events_and_social_categories(seed):
    entries, defaults = catalog.parse(seed)
    leaves = [e for e in entries if e.parent]
    assert sum(e.kind == "component" for e in leaves) >= 60
    assert sum(e.kind == "event" for e in leaves) >= 40
    names = {e.name for e in entries}
    for name in ["公用设施", "道路交通", "市容环境", "园林绿化", "房屋土地", "其他设施", "上水井盖", "暴露垃圾",
                 "矛盾纠纷", "安全隐患", "民生诉求", "企业诉求", "防汛", "疫情防控", "消防", "公共安全"]:
        assert name in names
    by_code = {e.code: e for e in entries}
    assert by_code["C0101"].name == "上水井盖" and by_code["C0101"].parent == "C01"
    assert len(defaults) == 20


def test_disputes_personal_help_and_enterprise_appeals_are_never_public(seed):
    entries, _ = catalog.parse(seed)
    by_code = {e.code: e for e in entries}
    for e in entries:
        if e.code.startswith(("S01", "S04")):
            assert e.public is False, e.code
    assert by_code["S0305"].public is False  # 困难帮扶
    assert by_code["E0102"].public is True


def test_emergency_categories_run_on_wall_clock_minutes_and_name_their_hotline(seed):
    entries, _ = catalog.parse(seed)
    by_code = {e.code: e for e in entries}
    fire = by_code["S0701"]
    assert fire.emergency and fire.emergency_service == "119"
    assert {unit for _, unit in fire.limits.values()} <= {"minutes"}
    blocked_lane = by_code["S0702"]  # 消防通道堵塞: a child that is not an emergency keeps no hotline
    assert not blocked_lane.emergency and blocked_lane.emergency_service == ""


def test_loading_the_seed_creates_categories_time_limits_and_maps_departments_by_name(world, seed):
    report = catalog.load(actor=None, doc=seed)
    leaf = Category.objects.get(code="E0102")
    assert leaf.parent.code == "E01" and leaf.default_tier == "community" and leaf.on_site_allowed
    assert Category.objects.get(code="C0118").default_department == world.dept_city
    assert Category.objects.get(code="C0110").default_department == world.dept_housing
    assert TimeLimit.objects.filter(category=leaf).count() == 20
    limit = TimeLimit.objects.get(category=leaf, tier="community", stage="handle")
    assert (limit.amount, limit.unit) == (4, "hours")
    assert TimeLimit.objects.filter(category__isnull=True).count() == 20
    # the world has only two departments: every other name is reported, not an error
    assert any("水务局" in w for w in report.warnings)
    assert Category.objects.get(code="C0101").default_department is None
    assert report.created == Category.objects.count()


def test_loading_twice_changes_nothing_the_second_time(world, seed):
    catalog.load(actor=None, doc=seed)
    categories, limits = Category.objects.count(), TimeLimit.objects.count()
    report = catalog.load(actor=None, doc=seed)
    assert (report.created, report.updated, report.limits_created, report.limits_updated) == (0, 0, 0, 0)
    assert report.unchanged == categories
    assert (Category.objects.count(), TimeLimit.objects.count()) == (categories, limits)


def test_an_edited_file_updates_rows_in_place(world, seed):
    catalog.load(actor=None, doc=seed)
    edited = copy.deepcopy(seed)
    row = next(r for r in edited["categories"] if r["code"] == "E0102")
    row["name"] = "暴露垃圾（含垃圾满溢）"
    row["time_limits"] = {"community": {"handle": [6, "hours"]}}
    pk = Category.objects.get(code="E0102").pk
    report = catalog.load(actor=None, doc=edited)
    assert report.updated == 1 and report.limits_updated == 1
    leaf = Category.objects.get(code="E0102")
    assert leaf.pk == pk and leaf.name == "暴露垃圾（含垃圾满溢）"
    limit = TimeLimit.objects.get(category=leaf, tier="community", stage="handle")
    assert (limit.amount, limit.unit) == (6, "hours")


def test_every_bad_entry_is_reported_and_nothing_is_written(world, seed):
    bad = copy.deepcopy(seed)
    rows = bad["categories"]
    rows.append({"code": "X0001", "name": "无上级", "parent": "X00"})
    rows.append({"code": "C0101", "name": "重复编码", "parent": "C01"})
    next(r for r in rows if r["code"] == "S0101")["public"] = True
    next(r for r in rows if r["code"] == "E0102")["tier"] = "province"
    next(r for r in rows if r["code"] == "E0103")["time_limits"] = {"community": {"handle": [0, "hours"]}}
    next(r for r in rows if r["code"] == "E0104")["time_limits"] = {"community": {"handle": [2, "weeks"]}}
    with pytest.raises(catalog.CatalogInvalid) as info:
        catalog.load(actor=None, doc=bad)
    problems = "\n".join(info.value.problems)
    assert len(info.value.problems) == 6
    for needle in ["X0001", "duplicate code", "S0101", "province", "positive", "weeks"]:
        assert needle in problems
    assert Category.objects.count() == 0 and TimeLimit.objects.count() == 0
    assert not Event.objects.filter(verb="category.load").exists()


def test_the_command_loads_the_default_file_and_reports_counts(world, capsys):
    call_command("load_categories")
    out = capsys.readouterr()
    assert "created=" in out.out and "warnings=" in out.out
    assert Category.objects.filter(code="S0701", emergency=True).exists()
    assert Event.objects.filter(verb="category.load").count() == 1


def test_the_command_refuses_a_broken_file_and_lists_each_error(world, tmp_path, capsys):
    path = tmp_path / "bad.json"
    doc = catalog.read()
    doc["categories"][3]["on_site"] = "yes"
    doc["categories"][5]["profile"] = "nonexistent"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_categories", str(path))
    err = capsys.readouterr().err
    assert "categories[3]" in err and "categories[5]" in err
    assert Category.objects.count() == 0


def test_a_file_that_is_not_json_names_the_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "schema": \n}', encoding="utf-8")
    with pytest.raises(catalog.CatalogInvalid) as info:
        catalog.read(path)
    assert "line 3" in info.value.problems[0]
