"""Excel (.xlsx) imports and exports shared by the apps (people rosters, party members, …).

An import declares its columns (Chinese header, required, a parser per column), then::

    report = run_import(file, COLUMNS, write=write_rows, check=check_rows, dry_run=False)

1. the sheet is read with openpyxl in read-only mode; the header row (row 1 by default) is matched by name
   (extra columns are ignored, a missing required column is an error);
2. EVERY row is parsed and validated and all errors are collected as ``RowError(row, column, zh, en)`` where
   ``row`` is the row number Excel shows;
3. ``check(rows)`` (optional) adds errors that need all rows or the database (duplicates, existence, scope). It
   gets every row, those with parse errors too (``ParsedRow.failed`` names their failed keys, whose values are
   ``None``), so that a row's errors are reported together, not the first one only; an error ``check`` reports
   for a cell that already failed to parse is dropped;
4. if there is any error nothing is written; otherwise ``write(rows)`` runs once inside one transaction
   (``transaction.atomic``) and returns how many objects it wrote. An ``ApplicationError`` raised by ``write``
   rolls everything back and is reported.

A parser takes the cell value (``None`` for an empty cell is never passed: empty cells give the column's
``default``) and returns the parsed value, or raises ``ValidationFailed(zh, en)`` / ``ValueError(message)``.

``template_xlsx(columns)`` writes an empty import template through the one exporter (``core.exports``).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import translation

from .errors import ApplicationError, ValidationFailed
from .input_guard import hidden_characters

MAX_ROWS = 100_000


@dataclass(frozen=True)
class Column:
    header: str                                  # header text in the sheet (Chinese), e.g. "证件号码"
    key: str                                     # key in the parsed row dict, e.g. "id_number"
    required: bool = False
    parser: Callable[[Any], Any] | None = None   # cell value → parsed value; raise ValidationFailed / ValueError
    default: Any = None                          # value for an empty optional cell
    aliases: tuple[str, ...] = ()                # other accepted header texts
    help: str = ""                               # shown on the upload page and in the template's second sheet
    width: int | None = None                     # export width in characters (else fitted)


@dataclass(frozen=True)
class RowError:
    row: int          # row number as Excel shows it (header is row 1); 0 for errors about the file as a whole
    column: str       # header text, or "" for errors about the whole row
    zh: str
    en: str = ""

    @property
    def message(self) -> str:
        lang = translation.get_language() or "zh-hans"
        return (self.en or self.zh) if lang.startswith("en") else self.zh

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message, "message_zh": self.zh,
                "message_en": self.en or self.zh}

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        return f"{where}{'「' + self.column + '」' if self.column else ''}：{self.message}"


@dataclass
class ParsedRow:
    row: int                                     # Excel row number
    values: dict[str, Any]
    failed: frozenset[str] = frozenset()         # keys whose cells did not parse (their values are None)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default=None) -> Any:
        return self.values.get(key, default)


@dataclass
class ImportReport:
    total: int = 0                               # data rows read (blank rows skipped)
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    written: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors if e.row})

    def as_dict(self) -> dict:
        return {"ok": self.ok, "total": self.total, "written": self.written, "dry_run": self.dry_run,
                "errors": [e.as_dict() for e in self.errors]}


# Parsers ---------------------------------------------------------------------------------------------------------

def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).strip()


def text(max_length: int | None = None) -> Callable[[Any], str]:
    def parse(value) -> str:
        result = _cell_text(value)
        hidden = hidden_characters(result)
        if hidden:
            codes = "、".join(hidden)
            raise ValidationFailed(f"含有不可见或改变文字方向的字符（{codes}），请删除后重新填写",
                                   f"holds invisible or direction-changing characters ({', '.join(hidden)})")
        if max_length and len(result) > max_length:
            raise ValidationFailed(f"超过 {max_length} 个字符", f"longer than {max_length} characters")
        return result

    return parse


def integer(minimum: int | None = None, maximum: int | None = None) -> Callable[[Any], int]:
    def parse(value) -> int:
        try:
            number = Decimal(_cell_text(value))
        except InvalidOperation:
            raise ValidationFailed("应为整数", "must be a whole number")
        if number != number.to_integral_value():
            raise ValidationFailed("应为整数", "must be a whole number")
        number = int(number)
        if minimum is not None and number < minimum:
            raise ValidationFailed(f"不能小于 {minimum}", f"must be at least {minimum}")
        if maximum is not None and number > maximum:
            raise ValidationFailed(f"不能大于 {maximum}", f"must be at most {maximum}")
        return number

    return parse


def decimal(places: int = 2) -> Callable[[Any], Decimal]:
    def parse(value) -> Decimal:
        try:
            number = Decimal(_cell_text(value).replace(",", ""))
        except InvalidOperation:
            raise ValidationFailed("应为数字", "must be a number")
        return number.quantize(Decimal(1).scaleb(-places))

    return parse


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
EARLIEST_DATE = dt.date(1900, 1, 1)  # no person, membership or record the platform holds starts earlier


def _parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = _cell_text(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValidationFailed(f"日期「{raw}」格式不正确（如 2020-01-31）", f"date {raw!r} is not valid (e.g. 2020-01-31)")


def date(value) -> dt.date:
    """Excel dates, or text like 2020-01-31, 2020/1/31, 2020.1.31, 20200131, 2020年1月31日; not before 1900."""
    day = _parse_date(value)
    if day < EARLIEST_DATE:
        raise ValidationFailed(f"日期 {day.isoformat()} 早于 1900 年，请检查", f"date {day.isoformat()} is before 1900")
    return day


def choice(mapping: dict[str, Any]) -> Callable[[Any], Any]:
    """Map a cell's text (label or code, case-insensitive) to a value."""
    lookup = {str(k).strip().lower(): v for k, v in mapping.items()}

    def parse(value):
        raw = _cell_text(value)
        try:
            return lookup[raw.lower()]
        except KeyError:
            options = "、".join(str(k) for k in mapping)
            raise ValidationFailed(f"「{raw}」不是可选值（{options}）", f"{raw!r} is not one of: {options}")

    return parse


def boolean(value) -> bool:
    raw = _cell_text(value).lower()
    if raw in {"是", "y", "yes", "true", "1", "√", "✓"}:
        return True
    if raw in {"否", "n", "no", "false", "0", "×", "✗"}:
        return False
    raise ValidationFailed(f"「{raw}」应为 是 或 否", f"{raw!r} must be yes or no")


def tag_list(value) -> list[str]:
    raw = _cell_text(value)
    for sep in "，、;；|/":
        raw = raw.replace(sep, ",")
    result: list[str] = []
    for part in raw.split(","):
        part = part.strip()
        if part and part not in result:
            result.append(part)
    return result


# Reading ---------------------------------------------------------------------------------------------------------

def _error_from(exc: Exception, row: int, column: str) -> RowError:
    if isinstance(exc, ApplicationError):
        return RowError(row, column, exc.zh, exc.en)
    return RowError(row, column, str(exc), str(exc))


def _open_sheet(file, sheet: str | None):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if isinstance(file, bytes | bytearray):
        file = io.BytesIO(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=False)  # formulas are seen, and refused
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ValidationFailed("无法读取文件：请上传 Excel .xlsx 文件", "Cannot read the file: upload an Excel .xlsx file",
                               code="import_file") from exc
    except Exception as exc:  # zipfile.BadZipFile and friends
        raise ValidationFailed("无法读取文件：请上传 Excel .xlsx 文件", "Cannot read the file: upload an Excel .xlsx file",
                               code="import_file") from exc
    if sheet and sheet in workbook.sheetnames:
        return workbook, workbook[sheet]
    return workbook, workbook.worksheets[0]


def read_rows(file, columns: Sequence[Column], *, sheet: str | None = None, header_row: int = 1,
              progress: bool = False, max_rows: int = MAX_ROWS) -> ImportReport:
    """Parse every data row; the report holds parsed rows and every error (nothing is written)."""
    report = ImportReport()
    workbook, ws = _open_sheet(file, sheet)
    try:
        cells = ws.iter_rows(min_row=header_row)
        first = next(cells, None)
        header = None if first is None else tuple(c.value for c in first)
        rows = ((tuple(c.value for c in row), {i for i, c in enumerate(row) if c.data_type == "f"}) for row in cells)
        if header is None:
            report.errors.append(RowError(0, "", "文件是空的", "The file is empty"))
            return report
        names = [(_cell_text(h) if h is not None else "") for h in header]
        positions: dict[str, int] = {}
        for col in columns:
            for candidate in (col.header, *col.aliases):
                if candidate in names:
                    positions[col.key] = names.index(candidate)
                    break
            else:
                if col.required:
                    report.errors.append(RowError(header_row, col.header, f"缺少必填列「{col.header}」",
                                                  f"Required column {col.header!r} is missing"))
        if report.errors:
            return report
        total = (ws.max_row or 0) - header_row if progress else None
        bar = _progress(total, progress, "检查 / checking")
        for offset, (values, formulas) in enumerate(rows, start=1):
            row_number = header_row + offset
            bar.update(1)
            if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            report.total += 1
            if report.total > max_rows:
                report.errors.append(RowError(row_number, "", f"超过 {max_rows} 行，请分批导入",
                                              f"More than {max_rows} rows; split the file"))
                break
            parsed: dict[str, Any] = {}
            failed: set[str] = set()
            for col in columns:
                pos = positions.get(col.key)
                raw = values[pos] if pos is not None and pos < len(values) else None
                if pos in formulas:
                    report.errors.append(RowError(
                        row_number, col.header, f"单元格是公式（{str(raw)[:40]}），请复制后“选择性粘贴为数值”再导入",
                        f"the cell holds a formula ({str(raw)[:40]}): paste it as a value before importing"))
                    parsed[col.key] = None
                    failed.add(col.key)
                    continue
                if raw is None or (isinstance(raw, str) and not raw.strip()):
                    if col.required:
                        report.errors.append(RowError(row_number, col.header, "必填项为空", "required, but empty"))
                        failed.add(col.key)
                    parsed[col.key] = col.default
                    continue
                try:
                    parsed[col.key] = col.parser(raw) if col.parser else (
                        raw.strip() if isinstance(raw, str) else raw)
                except (ApplicationError, ValueError) as exc:
                    report.errors.append(_error_from(exc, row_number, col.header))
                    parsed[col.key] = None
                    failed.add(col.key)
            report.rows.append(ParsedRow(row_number, parsed, frozenset(failed)))
        bar.close()
    finally:
        workbook.close()
    if report.total == 0 and not report.errors:
        report.errors.append(RowError(0, "", "文件中没有数据行", "The file has no data rows"))
    return report


def run_import(file, columns: Sequence[Column], *, write: Callable[[list[ParsedRow]], int],
               check: Callable[[list[ParsedRow]], Iterable[RowError]] | None = None, dry_run: bool = False,
               sheet: str | None = None, header_row: int = 1, progress: bool = False) -> ImportReport:
    """Validate every row, then write all of them in one transaction — or nothing if any row is bad."""
    report = read_rows(file, columns, sheet=sheet, header_row=header_row, progress=progress)
    report.dry_run = dry_run
    if check is not None and report.rows and not any(e.row == header_row for e in report.errors):
        parsed_cells = {(e.row, e.column) for e in report.errors}
        report.errors.extend(e for e in check(report.rows) if (e.row, e.column) not in parsed_cells)
    report.errors.sort(key=lambda e: (e.row, _column_order(columns, e.column)))
    if report.errors or dry_run:
        return report
    try:
        with transaction.atomic():
            report.written = int(write(report.rows) or 0)
    except ApplicationError as exc:
        report.written = 0
        report.errors.append(RowError(0, "", exc.zh, exc.en))
    return report


def _column_order(columns: Sequence[Column], header: str) -> int:
    for i, col in enumerate(columns):
        if col.header == header:
            return i
    return -1


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int | None, enabled: bool, label: str):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total if total and total > 0 else None, desc=label, unit="行", file=sys.stderr,
                leave=False)


def progress_bar(total: int | None, label: str, enabled: bool = True):
    """A tqdm bar on stderr (or a no-op), for commands that write in batches."""
    return _progress(total, enabled, label)


# Writing ---------------------------------------------------------------------------------------------------------

def export_xlsx(columns: Sequence[Column | str], rows: Iterable[Sequence[Any]], *, sheet_title: str = "数据",
                notes: Sequence[tuple[str, str]] | None = None) -> bytes:
    """A small .xlsx that holds no one's data (import templates), written by the one exporter (``core.exports``):
    bold frozen header row, typed text cells, a safe sheet title, an optional notes sheet. Exports of data go
    through ``core.exports.export`` (audited)."""
    from . import exports

    cols = [exports.Column(c.header, c.width) if isinstance(c, Column) else exports.Column(c) for c in columns]
    return exports.workbook(sheet_title, cols, rows, notes or ())


def template_xlsx(columns: Sequence[Column], *, sheet_title: str = "导入模板",
                  example: Sequence[Any] | None = None) -> bytes:
    """An empty import template: the header row (required columns marked in the notes sheet) and an example row."""
    notes = [(c.header, ("必填。" if c.required else "选填。") + str(c.help)) for c in columns]
    # Text cells for number-like columns keep leading zeros and 18-digit numbers intact in Excel.
    return export_xlsx(columns, [example] if example else [], sheet_title=sheet_title, notes=notes)
