import io

import pytest
from django.core.management import CommandError, call_command

from grassroots.core.errors import NotPermitted
from grassroots.core.models import Event
from grassroots.people import services
from grassroots.people.models import Household, Person

from .factories import person, resident_id
from .xlsx import workbook_bytes

pytestmark = pytest.mark.django_db


def good_rows(world, n=3):
    return [[f"居民{i}", "居民身份证", resident_id(), f"1380000{i:04d}", world.b1.code, f"1-{i}01",
             "户主", "志愿者、五老"] for i in range(n)]


def test_good_roster_is_written_in_one_go_with_events(world):
    rows = good_rows(world)
    rows.append(["王配偶", "", resident_id(), "", world.b2.code, "1-001", "配偶", ""])
    report = services.person_import(actor=world.community_staff, file=io.BytesIO(workbook_bytes(rows)))
    assert report.ok and report.written == 4
    created = Person.objects.filter(name__startswith="居民")
    assert created.count() == 3
    first = created.get(name="居民0")
    assert first.household.room == "1-001" and first.is_household_head and first.tags == ["志愿者", "五老"]
    assert first.region == world.g1
    assert Event.objects.filter(verb="person.create", object_type="people.person").count() == 4
    assert Event.objects.filter(verb="person.import").get().payload["rows"] == 4


def test_every_bad_row_is_reported_and_nothing_is_written(world):
    taken = resident_id()
    person(world, id_number=taken)
    dup = resident_id()
    rows = [
        ["好人", "", resident_id(), "", world.b1.code, "", "", ""],                      # row 2 fine
        ["", "", resident_id(), "", world.b1.code, "", "", ""],                         # row 3 name missing
        ["坏号", "", "370502198001010018", "", world.b1.code, "", "", ""],              # row 4 checksum
        ["坏手机", "", resident_id(), "123", world.b1.code, "", "", ""],                # row 5 phone
        ["无楼", "", resident_id(), "", "9999", "", "", ""],                            # row 6 unknown building
        ["越界", "", resident_id(), "", world.b4.code, "", "", ""],                     # row 7 outside scope
        ["重复甲", "", dup, "", world.b1.code, "", "", ""],                              # row 8
        ["重复乙", "", dup, "", world.b1.code, "", "", ""],                              # row 9 duplicate of 8
        ["已登记", "", taken, "", world.b1.code, "", "", ""],                            # row 10 in database
        ["怪证件", "驾照", "X1", "", world.b1.code, "", "", ""],                         # row 11 unknown type
    ]
    before = Person.objects.count()
    report = services.person_import(actor=world.community_staff, file=workbook_bytes(rows))
    assert not report.ok and report.written == 0
    assert report.error_rows == [3, 4, 5, 6, 7, 9, 10, 11]
    by_row = {e.row: e for e in report.errors}
    assert by_row[3].column == "姓名"
    assert by_row[4].column == "证件号码" and "校验位" in by_row[4].zh
    assert by_row[5].column == "手机号"
    assert by_row[6].column == "楼栋编码" and by_row[7].column == "楼栋编码"
    assert "第 8 行" in by_row[9].zh and by_row[9].en
    assert "已登记" in by_row[10].zh
    assert by_row[11].column == "证件类型"
    assert Person.objects.count() == before
    assert not Event.objects.filter(verb="person.import").exists()


def test_every_error_of_a_row_is_reported_with_its_line_not_only_the_first(world):
    rows = [
        ["好人", "", resident_id(), "", world.b1.code, "", "", ""],                       # row 2 fine
        ["坏号", "", "370502198001010018", "123", "9999", "", "", ""],                  # row 3: number, phone, building
        ["", "", "370502198001010018", "", world.b4.code, "", "", ""],                  # row 4: name (parse), number, building
        ["名\u202e字", "", resident_id(), "12", world.b1.code, "", "", ""],               # row 5: hidden character, phone
    ]
    report = services.person_import(actor=world.community_staff, file=workbook_bytes(rows))
    assert not report.ok and report.written == 0
    columns = {}
    for e in report.errors:
        columns.setdefault(e.row, set()).add(e.column)
    assert columns == {3: {"证件号码", "手机号", "楼栋编码"}, 4: {"姓名", "证件号码", "楼栋编码"}, 5: {"姓名", "手机号"}}
    assert len(report.errors) == 8  # one error per cell, none twice


def test_two_heads_for_one_room_are_refused(world):
    rows = [["甲", "", resident_id(), "", world.b1.code, "5-501", "户主", ""],
            ["乙", "", resident_id(), "", world.b1.code, "5-501", "户主", ""]]
    report = services.person_import(actor=world.community_staff, file=workbook_bytes(rows))
    assert report.error_rows == [3]


def test_missing_required_column_is_reported_once(world):
    data = workbook_bytes([["甲", world.b1.code]], headers=["姓名", "楼栋编码"])
    report = services.person_import(actor=world.community_staff, file=data)
    assert [(e.row, e.column) for e in report.errors] == [(1, "证件号码")]


def test_not_an_excel_file_is_a_validation_error(world):
    from grassroots.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.person_import(actor=world.community_staff, file=io.BytesIO(b"not a workbook"))


@pytest.mark.parametrize("role", ["grid_worker", "department_handler", "zone_leader", "admin"])
def test_only_community_staff_import(world, role):
    with pytest.raises(NotPermitted):
        services.person_import(actor=getattr(world, role), file=workbook_bytes(good_rows(world)))


def test_dry_run_checks_but_writes_nothing(world):
    report = services.person_import(actor=world.community_staff, file=workbook_bytes(good_rows(world)), dry_run=True)
    assert report.ok and report.total == 3 and report.written == 0
    assert not Person.objects.filter(name__startswith="居民").exists()


def test_command_imports_and_reports_errors(world, tmp_path, capsys):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook_bytes(good_rows(world)))
    call_command("import_people", str(path), "--as", "staff1", "--dry-run", "--no-progress")
    assert not Person.objects.filter(name__startswith="居民").exists()
    call_command("import_people", str(path), "--as", "staff1", "--no-progress")
    assert Person.objects.filter(name__startswith="居民").count() == 3
    # the same file again: every row is now a duplicate
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_people", str(path), "--as", "staff1", "--no-progress", stdout=out)
    assert out.getvalue().count("已登记") == 3 and "第 2 行" in out.getvalue()


def test_household_rows_share_one_household(world):
    rows = [["户主甲", "", resident_id(), "", world.b1.code, "8-801", "户主", ""],
            ["配偶甲", "", resident_id(), "", world.b1.code, "8-801", "配偶", ""]]
    assert services.person_import(actor=world.community_staff, file=workbook_bytes(rows)).ok
    assert Household.objects.get(building=world.b1, room="8-801").members.count() == 2
