import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from grassroots.core import imports
from grassroots.core.errors import ValidationFailed

COLUMNS = [
    imports.Column("名称", "name", required=True, parser=imports.text(10)),
    imports.Column("数量", "count", parser=imports.integer(minimum=0), default=0),
    imports.Column("日期", "day", parser=imports.date),
    imports.Column("金额", "amount", parser=imports.decimal(2)),
    imports.Column("是否", "flag", parser=imports.boolean, default=False),
    imports.Column("类型", "kind", parser=imports.choice({"甲": "a", "乙": "b"})),
]


def sheet(rows, headers=("名称", "数量", "日期", "金额", "是否", "类型")) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_parsers_turn_cells_into_values():
    report = imports.read_rows(sheet([["甲方", 3, dt.datetime(2026, 1, 2), "1,234.5", "是", "乙"],
                                      ["乙方", None, "2026年3月4日", 2, None, None]]), COLUMNS)
    assert report.ok and report.total == 2
    first, second = report.rows
    assert first.row == 2 and first.values == {"name": "甲方", "count": 3, "day": dt.date(2026, 1, 2),
                                               "amount": Decimal("1234.50"), "flag": True, "kind": "b"}
    assert second.row == 3 and second["count"] == 0 and second["day"] == dt.date(2026, 3, 4) and not second["flag"]


def test_every_bad_cell_is_reported_with_the_excel_row_number():
    rows = [["好", 1, None, None, None, None],
            [None, -1, "昨天", "x", "也许", "丙"],
            [None, None, None, None, None, None],   # blank row: skipped, but numbering keeps counting
            ["名称太长了超过十个字符了", 1.5, None, None, None, None]]
    report = imports.read_rows(sheet(rows), COLUMNS)
    got = [(e.row, e.column) for e in report.errors]
    assert got == [(3, "名称"), (3, "数量"), (3, "日期"), (3, "金额"), (3, "是否"), (3, "类型"),
                   (5, "名称"), (5, "数量")]
    assert all(e.zh and e.en for e in report.errors)
    assert report.total == 3


def test_run_import_writes_nothing_when_any_row_is_bad():
    written = []
    report = imports.run_import(sheet([["好", 1, None, None, None, None], [None, 1, None, None, None, None]]),
                                COLUMNS, write=lambda rows: written.extend(rows) or len(rows))
    assert not report.ok and report.written == 0 and written == []


@pytest.mark.django_db
def test_run_import_calls_check_and_write_once():
    calls = []

    def check(rows):
        calls.append(("check", [r.row for r in rows]))
        return [imports.RowError(3, "名称", "重复", "duplicate")] if len(rows) > 2 else []

    def write(rows):
        calls.append(("write", len(rows)))
        return len(rows)

    ok = imports.run_import(sheet([["a"], ["b"]], headers=["名称"]), COLUMNS, check=check, write=write)
    assert ok.ok and ok.written == 2 and calls == [("check", [2, 3]), ("write", 2)]
    calls.clear()
    bad = imports.run_import(sheet([["a"], ["b"], ["c"]], headers=["名称"]), COLUMNS, check=check, write=write)
    assert not bad.ok and calls == [("check", [2, 3, 4])]


@pytest.mark.django_db
def test_write_errors_roll_back_the_transaction():
    from grassroots.people.models import Organization

    def write(rows):
        Organization.objects.create(name="临时", kind="department")
        raise ValidationFailed("写入失败", "write failed")

    report = imports.run_import(sheet([["a"]], headers=["名称"]), COLUMNS, write=write)
    assert not report.ok and report.errors[0].zh == "写入失败"
    assert not Organization.objects.filter(name="临时").exists()


def test_empty_file_and_missing_columns():
    assert imports.read_rows(sheet([], headers=["名称"]), COLUMNS).errors[0].row == 0
    report = imports.read_rows(sheet([["x"]], headers=["别的"]), COLUMNS)
    assert [(e.row, e.column) for e in report.errors] == [(1, "名称")]


def test_export_has_a_bold_frozen_header_and_widths():
    data = imports.export_xlsx(["姓名", "日期", imports.Column("备注", "note", width=30)],
                               [["张三", dt.date(2026, 1, 1), "很长的备注" * 3]])
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[1]] == ["姓名", "日期", "备注"]
    assert ws["A1"].font.bold and ws.freeze_panes == "A2"
    assert ws.column_dimensions["C"].width == 30 and ws.column_dimensions["A"].width >= 6
    assert ws["B2"].value.date() == dt.date(2026, 1, 1)


def test_template_round_trips_through_the_reader():
    data = imports.template_xlsx(COLUMNS, example=["样例", 1, "2026-01-01", 1, "否", "甲"])
    report = imports.read_rows(data, COLUMNS)
    assert report.ok and report.rows[0]["kind"] == "a"
    assert "说明" in load_workbook(io.BytesIO(data)).sheetnames


@pytest.mark.parametrize("hidden", ["\u202e", "\u200b", "\u2066", "\ufeff", "\u200d"])
def test_a_name_with_a_bidirectional_override_or_a_zero_width_character_is_refused(hidden):
    report = imports.read_rows(sheet([[f"张{hidden}三", 1, None, None, None, None]]), COLUMNS)
    assert [(e.row, e.column) for e in report.errors] == [(2, "名称")]
    assert f"U+{ord(hidden):04X}" in report.errors[0].zh


def test_a_date_before_1900_is_refused_and_1900_itself_is_accepted():
    report = imports.read_rows(sheet([["甲", 1, "1899-12-31", None, None, None],
                                      ["乙", 1, "1900-01-01", None, None, None]]), COLUMNS)
    assert [(e.row, e.column) for e in report.errors] == [(2, "日期")]
    assert "1900" in report.errors[0].zh
    assert report.rows[1]["day"] == dt.date(1900, 1, 1)


def test_a_formula_is_reported_as_a_formula_not_as_an_empty_required_cell():
    report = imports.read_rows(sheet([["=A1&\"x\"", "=1+1", None, None, None, None]]), COLUMNS)
    errors = [(e.row, e.column) for e in report.errors]
    assert errors == [(2, "名称"), (2, "数量")]
    assert all("公式" in e.zh and "formula" in e.en for e in report.errors)
    assert not any("必填项为空" in e.zh for e in report.errors)
