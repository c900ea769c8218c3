"""Importing 12345 / provincial work orders: whole-file validation, line-numbered errors, no duplicates."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from grassroots.cases.models import Case, Category
from grassroots.cases.workorders import intake
from grassroots.core import geo
from grassroots.core.errors import NotPermitted
from tests.support.world import centre, scope_test

HEADER = ["工单编号", "来电时间", "诉求类型", "诉求内容", "地址", "经度", "纬度", "坐标系", "来电人", "联系电话",
          "办理时限"]


@pytest.fixture
def categories(world):
    parent = Category.objects.create(code="E01", name="市容环境", kind="event")
    Category.objects.create(code="E0102", name="暴露垃圾", kind="event", parent=parent, default_tier="community")
    social = Category.objects.create(code="S01", name="矛盾纠纷", kind="social")
    Category.objects.create(code="S0104", name="劳资纠纷", kind="social", parent=social, public_allowed=False)
    return parent


def row(n, *, category="暴露垃圾", grid=0, crs="", when="2026-11-20 09:30:00", content="楼下垃圾三天没人清运",
        phone="13800001111", deadline="2026-11-27 18:00"):
    lon, lat = centre(grid)
    if crs == "GCJ02":
        lon, lat = geo.wgs84_to_gcj02(lon, lat)
    return [f"GD2026112000{n:02d}", when, category, content, "东城路 8 号", f"{lon:.7f}", f"{lat:.7f}", crs,
            "王先生", phone, deadline]


def as_csv(rows) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows([HEADER, *rows])
    return buf.getvalue().encode("utf-8-sig")


def as_xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for r in rows:
        sheet.append(r)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_a_clean_csv_creates_cases_through_intake_with_the_12345_channel(world, categories):
    data = as_csv([row(1), row(2, category="市容环境/暴露垃圾", grid=2), row(3, category="拖欠工资", grid=3)])
    report = intake.import_work_orders(actor=world.hotline_operator, name="orders.csv", data=data,
                                       source="12345")
    assert (report.rows, report.created, report.skipped_existing) == (3, 3, 0)
    cases = {c.external_id: c for c in Case.objects.all()}
    first = cases["GD202611200001"]
    assert first.channel == "import_12345" and first.region == world.g1 and first.status == "reported"
    assert first.reporter_name == "王先生" and first.reporter_contact == "13800001111"
    assert "工单 GD202611200001" in first.description and first.filed_by == world.hotline_operator
    assert cases["GD202611200002"].region == world.g3
    assert cases["GD202611200003"].category.code == "S0104"  # alias 拖欠工资 from the seed file
    assert cases["GD202611200003"].is_public is False


def test_an_xlsx_file_with_gcj02_positions_is_converted_and_located(world, categories):
    data = as_xlsx([row(1, crs="GCJ02", grid=1)])
    report = intake.import_work_orders(actor=world.hotline_operator, name="orders.xlsx", data=data,
                                       source="provincial")
    assert report.created == 1
    case = Case.objects.get()
    assert case.channel == "import_provincial" and case.region == world.g2
    assert abs(case.lon - centre(1)[0]) < 1e-6


def test_reimporting_the_same_file_creates_nothing_and_counts_the_skips(world, categories):
    data = as_csv([row(1), row(2)])
    intake.import_work_orders(actor=world.hotline_operator, name="a.csv", data=data, source="12345")
    again = intake.import_work_orders(actor=world.hotline_operator, name="a.csv",
                                      data=as_csv([row(1), row(2), row(3)]), source="12345")
    assert (again.created, again.skipped_existing) == (1, 2)
    assert Case.objects.count() == 3
    # the same number from the other platform is a different work order
    other = intake.import_work_orders(actor=world.hotline_operator, name="a.csv", data=data,
                                      source="provincial")
    assert other.created == 2


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(world, categories):
    rows = [
        row(1),
        row(2, category="外星人入侵"),
        row(3, when="昨天上午"),
        row(1),  # duplicate number
        ["GD9", "2026-11-20 10:00", "暴露垃圾", "", "", "", "", "", "", "", ""],  # no content, no position
        row(6, grid=0, crs="MARS"),
        row(7, phone="call me"),
        row(8, deadline="2026-11-01 00:00"),
    ]
    far = row(9)
    far[5], far[6] = "116.4", "39.9"  # Beijing: outside every grid
    rows.append(far)
    with pytest.raises(intake.WorkOrdersInvalid) as info:
        intake.import_work_orders(actor=world.hotline_operator, name="bad.csv", data=as_csv(rows),
                                  source="12345")
    errors = dict(info.value.report.errors)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "未知的诉求分类" in errors[3]
    assert "来电时间无法识别" in errors[4]
    assert "与第 2 行重复" in errors[5]
    assert "缺少诉求内容" in errors[6] and "缺少经度" in errors[6]
    assert "未知坐标系" in errors[7]
    assert "联系电话" in errors[8]
    assert "办理时限早于来电时间" in errors[9]
    assert "不在任何网格内" in errors[10]
    assert Case.objects.count() == 0


def test_a_file_missing_required_columns_names_them(world, categories):
    data = "工单编号,诉求内容\nA1,垃圾\n".encode()
    with pytest.raises(intake.WorkOrdersInvalid) as info:
        intake.import_work_orders(actor=world.hotline_operator, name="x.csv", data=data, source="12345")
    assert "来电时间" in info.value.report.errors[0][1] and "经度" in info.value.report.errors[0][1]


def test_dry_run_counts_without_writing(world, categories):
    report = intake.import_work_orders(actor=world.hotline_operator, name="a.csv",
                                       data=as_csv([row(1), row(2)]), source="12345", dry_run=True)
    assert report.created == 2 and Case.objects.count() == 0


def test_only_hotline_operators_may_import(world, categories):
    with pytest.raises(NotPermitted):
        intake.import_work_orders(actor=world.community_staff, name="a.csv", data=as_csv([row(1)]),
                                  source="12345")
    assert Case.objects.count() == 0


def test_the_command_imports_and_lists_bad_lines(world, categories, tmp_path, capsys):
    good = tmp_path / "orders.csv"
    good.write_bytes(as_csv([row(1)]))
    call_command("import_work_orders", str(good), "--source", "12345", "--as", "hotline")
    assert "created=1" in capsys.readouterr().out
    call_command("import_work_orders", str(good), "--source", "12345", "--as", "hotline")
    assert "skipped_existing=1" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(as_csv([row(2, category="不存在")]))
    with pytest.raises(CommandError):
        call_command("import_work_orders", str(bad), "--source", "12345", "--as", "hotline")
    assert "line 2" in capsys.readouterr().err
    assert Case.objects.count() == 1


def test_other_file_types_are_refused(world, categories):
    with pytest.raises(intake.ValidationFailed):
        intake.import_work_orders(actor=world.hotline_operator, name="a.txt", data=b"x", source="12345")


# ---------------------------------------------------------------------------------------------------------------
# The import page

PAGE = "/cases/import/"


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@scope_test("cases:import_work_orders")
def test_only_hotline_operators_see_the_import_page(client, world):
    for user in (world.community_staff, world.grid_worker, world.department_handler, world.resident):
        client.force_login(user)
        assert client.get(PAGE).status_code == 404
    client.force_login(world.hotline_operator)
    page = client.get(PAGE)
    assert page.status_code == 200 and "工单编号" in page.content.decode()


def test_the_page_imports_a_file_and_reports_the_counts(client, world, categories):
    client.force_login(world.hotline_operator)
    response = client.post(PAGE, {"source": "12345", "file": _upload("orders.csv", as_csv([row(1), row(2)]))})
    assert response.status_code == 200
    assert response.context["report"].created == 2 and Case.objects.count() == 2
    again = client.post(PAGE, {"source": "12345", "file": _upload("orders.csv", as_csv([row(1), row(2)]))})
    assert again.context["report"].skipped_existing == 2 and Case.objects.count() == 2


def test_the_page_lists_bad_lines_and_imports_nothing(client, world, categories):
    client.force_login(world.hotline_operator)
    response = client.post(PAGE, {"source": "12345",
                                  "file": _upload("orders.csv", as_csv([row(1), row(2, category="不存在")]))})
    html = response.content.decode()
    assert response.context["errors"] == [(3, "未知的诉求分类：不存在")]
    assert "未知的诉求分类" in html and Case.objects.count() == 0


def test_the_page_can_check_without_importing(client, world, categories):
    client.force_login(world.hotline_operator)
    response = client.post(PAGE, {"source": "provincial", "dry_run": "on",
                                  "file": _upload("orders.xlsx", as_xlsx([row(1)]))})
    assert response.context["report"].dry_run and response.context["report"].created == 1
    assert Case.objects.count() == 0
