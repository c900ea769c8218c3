import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from grassroots.core import exports
from grassroots.core.models import Event
from grassroots.party.imports import COLUMNS
from grassroots.party.models import Membership
from grassroots.party.services import member_import
from grassroots.people.idnumbers import with_check_character
from grassroots.people.services import person_create

HEADERS = [c.header for c in COLUMNS]


def ident(n: int) -> str:
    return with_check_character(f"37050219800101{n:03d}")


def sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def registered(world, party, frozen_now):
    return [person_create(actor=world.community_staff, name=f"党员{i}", id_number=ident(i), building=world.b1)
            for i in range(1, 4)]


def test_import_creates_memberships_for_registered_persons(world, party, registered):
    data = sheet([
        [ident(1), "党员1", party.g1.code, "", "正式党员", "2005-07-01", "2006-07-01", "否", ""],
        [ident(2), "", "", "安泰二网格党支部", "预备党员", "2026-03-01", None, "是", "城市管理局"],
    ])
    report = member_import(actor=world.community_staff, file=data)
    assert report.ok, report.errors
    assert report.written == 2
    m = Membership.objects.get(person=registered[1])
    assert m.org == party.g2 and m.in_service and m.employer == world.dept_city and m.status == "probationary"
    assert Event.objects.filter(verb="membership.import").count() == 1
    assert Event.objects.filter(verb="membership.add").count() == 2


def test_every_bad_row_is_reported_and_nothing_is_written(world, party, registered):
    data = sheet([
        [ident(1), "党员1", party.g1.code, "", "正式党员", "2005-07-01", "2006-07-01", "否", ""],   # row 2 fine
        [ident(99), "", party.g1.code, "", "正式党员", "2005-07-01", "2006-07-01", "否", ""],       # unknown person
        [ident(2), "", "NOPE", "", "正式党员", "2005-07-01", "2006-07-01", "否", ""],               # unknown org
        [ident(3), "", party.g1.code, "", "正式党员", "2005-07-01", "2004-07-01", "否", ""],        # full < admission
        [ident(1), "", party.g1.code, "", "正式党员", "2005-07-01", "2006-07-01", "否", ""],        # duplicate
        [ident(3), "", party.g1.code, "", "党员", "2005-07-01", "", "否", ""],                      # bad status
    ])
    report = member_import(actor=world.community_staff, file=data)
    assert not report.ok
    assert report.error_rows == [3, 4, 5, 6, 7]
    by_row = {e.row: e for e in report.errors}
    assert "未找到" in by_row[3].zh
    assert by_row[4].column == "党组织编码"
    assert by_row[5].column == "转正日期"
    assert "同一人" in by_row[6].zh
    assert by_row[7].column == "党员状态"
    assert not Membership.objects.exists()


def test_every_error_of_a_row_is_reported_not_only_the_first(world, party, registered):
    data = sheet([
        # wrong name, unknown organisation code and an unregistered employer, all on one row
        [ident(1), "李四", "NOPE", "", "正式党员", "2005-07-01", "2006-07-01", "是", "不存在的单位"],
        # an unreadable date and an unknown person: the parse error and the register's answer both
        [ident(98), "", party.g1.code, "", "正式党员", "不是日期", "2006-07-01", "否", ""],
    ])
    report = member_import(actor=world.community_staff, file=data)
    columns = {(e.row, e.column) for e in report.errors}
    assert {(2, "姓名"), (2, "党组织编码"), (2, "工作单位")} <= columns
    assert {(3, "入党日期"), (3, "证件号码")} <= columns
    assert not Membership.objects.exists()


def test_import_refuses_organisations_outside_the_actors_area(world, party, registered):
    data = sheet([[ident(1), "", party.g4.code, "", "正式党员", "2005-07-01", "2006-07-01", "否", ""]])
    report = member_import(actor=world.community_staff, file=data)
    assert report.error_rows == [2]
    assert not Membership.objects.exists()


def test_dry_run_checks_without_writing(world, party, registered):
    data = sheet([[ident(1), "", party.g1.code, "", "正式党员", "2005-07-01", "2006-07-01", "否", ""]])
    report = member_import(actor=world.community_staff, file=data, dry_run=True)
    assert report.ok and report.written == 0
    assert not Membership.objects.exists()


def test_command_imports_and_reports_errors(world, party, registered, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(sheet([[ident(1), "", party.g1.code, "", "正式党员", "2005-07-01", "2006-07-01", "否", ""]]))
    out = io.StringIO()
    call_command("import_party_members", str(good), "--dry-run", "--no-progress", stdout=out)
    assert not Membership.objects.exists()
    call_command("import_party_members", str(good), "--no-progress", stdout=out)
    assert Membership.objects.count() == 1
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(sheet([[ident(2), "", "NOPE", "", "正式党员", "2005-07-01", "2006-07-01", "否", ""]]))
    with pytest.raises(CommandError):
        call_command("import_party_members", str(bad), "--no-progress", stdout=out)
    assert "第 2 行" in out.getvalue()


def member_export(*, actor) -> bytes:
    return exports.export("party.membership", actor=actor).content


def test_export_lists_visible_members_with_masked_ids(world, party, registered):
    member_import(actor=None, file=sheet([
        [ident(1), "", party.g1.code, "", "正式党员", "2005-07-01", "2006-07-01", "否", ""]]))
    data = member_export(actor=world.community_staff)
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and len(rows) == 2
    assert rows[1][1].startswith("3705") and "*" in rows[1][1]
    assert len(member_export(actor=world.other_staff)) and Event.objects.filter(verb="membership.export").count() == 2
    ws = load_workbook(io.BytesIO(member_export(actor=world.other_staff))).active
    assert ws.max_row == 1
