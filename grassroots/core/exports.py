"""One exporter for every export (docs/architecture.md § Shared pieces in core; docs/personal-data.md § Exports).

An app declares each export it offers in its own ``exports.py`` as an ``ExportKind`` and ``register``s it (the
modules are collected by name when core starts, as Django's admin collects ``admin.py``). A kind says what it is
(``key``, audit ``verb``, sheet ``title``, file name), its columns, and how to read its rows for an
``ExportRequest`` (the actor, the filters as plain JSON values, the format, and whether full numbers were asked for
with a purpose). The rows come from the app's selectors, so the actor's scope applies; the kind refuses in ``check``
before any work.

Every export then goes the same way (``export``):

1. ``prepare``: the format is ``xlsx`` or ``csv``; full personal numbers are only for a kind that carries them,
   only for a post that ``may_unmask``, only with a stated purpose (a refused attempt is a ``denied`` audit event);
2. the rows are counted; more than the policy setting ``exports.background_rows`` makes a background job
   (``export_jobs``: an ``ExportJob`` row run by a Celery task in production, in-process in embedded mode, with
   progress, downloaded by its owner until it expires); fewer are written at once;
3. ``write_file`` streams every row to a file in constant memory: openpyxl's write-only workbook (rows go to a
   temporary file as they come; past Excel's 1,048,576 rows a sheet the rows go on in a second sheet, never cut),
   or CSV (UTF-8 with a byte-order mark, which Excel needs for Chinese). Every text cell is written as text: an
   Excel cell whose text begins with ``=`` is still a typed string cell, never a formula; in CSV, which has no
   types, text beginning with ``= + - @``, a tab or a carriage return gets a leading apostrophe. Sheet titles lose
   ``[ ] : * ? / \\`` and are cut to 31 characters. Characters XML cannot hold are dropped;
4. one audit event per export: the kind's verb, who, the filters, the format, the row count, and when full numbers
   were asked for, the purpose and how many rows were shown unmasked.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import events, policy
from .errors import NotFound, NotPermitted, ValidationFailed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
CONTENT_TYPES = {"xlsx": XLSX, "csv": CSV}
SHEET_ROWS = 1_048_576                 # Excel's rows per sheet, the header included
BACKGROUND_ROWS = "exports.background_rows"
DEFAULT_BACKGROUND_ROWS = 5000         # [R] about two seconds of writing; more runs as a background job
PURPOSE_MIN_LENGTH = 4
PURPOSE_MAX_LENGTH = 200

_UNSAFE_TITLE = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CSV_RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_sheet_title(title) -> str:
    """A title Excel accepts: without ``[ ] : * ? / \\``, no leading or trailing apostrophe, at most 31 characters."""
    text = _UNSAFE_TITLE.sub("", str(title)).strip().strip("'")[:31].strip()
    return text or "Sheet1"


def csv_text(value: str) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(CSV_RISKY_STARTS) else value


@dataclass(frozen=True)
class Column:
    header: Any                       # shown in the header row (a lazy translation is fine)
    width: int | None = None          # in characters; else from the header


@dataclass
class ExportRequest:
    kind: ExportKind
    actor: Any
    filters: dict = field(default_factory=dict)   # JSON values only: a job stores them and runs them later
    format: str = "xlsx"
    unmask: bool = False
    purpose: str = ""
    unmasked_rows: int = 0                          # counted by a kind that shows full numbers
    memo: dict = field(default_factory=dict, repr=False)   # what a kind computes once per export

    def get(self, key: str, default=None):
        value = self.filters.get(key)
        return default if value in (None, "") else value

    def date(self, key: str) -> dt.date | None:
        value = self.filters.get(key)
        return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class ExportKind:
    key: str                                                     # "cases.case"
    verb: str                                                    # audit verb, "case.export"
    object_type: str                                             # "cases.case"
    title: Any                                     # sheet title (Chinese; lazy is fine), or a function of the request
    filename: str                                                # "cases" → cases-20261204.xlsx
    columns: Callable[[ExportRequest], Sequence[Column | Any]]
    rows: Callable[[ExportRequest], Iterable[Sequence[Any]]]
    count: Callable[[ExportRequest], int] | None = None          # rows to come (a COUNT); None: always at once
    check: Callable[[ExportRequest], None] | None = None         # refuse (NotPermitted / NotFound) before any work
    may_unmask: Callable[[Any], bool] | None = None              # the kind carries personal numbers
    notes: Callable[[ExportRequest], Sequence[tuple[str, str]]] | None = None   # a second sheet 说明


_KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    _KINDS[kind.key] = kind
    return kind


def kind_for(key: str) -> ExportKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise NotFound() from None


def kinds() -> dict[str, ExportKind]:
    return dict(_KINDS)


def background_rows() -> int:
    return int(policy.setting(BACKGROUND_ROWS, DEFAULT_BACKGROUND_ROWS))


# Writing ---------------------------------------------------------------------------------------------------------

def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value).replace(tzinfo=None) if value.tzinfo is not None else value


class _XlsxSink:
    def __init__(self, path: str, title: str, headers: list[str], widths: list[int | None], notes):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font, PatternFill

        self.path = path
        self.book = Workbook(write_only=True)
        self.title = title
        self.headers = headers
        self.widths = widths
        self.notes = notes
        self.cell = WriteOnlyCell
        self.bold = Font(bold=True)
        self.fill = PatternFill("solid", fgColor="DDE6F0")
        self.sheets = 0
        self._new_sheet()

    def _new_sheet(self):
        from openpyxl.utils import get_column_letter

        self.sheets += 1
        suffix = f" ({self.sheets})" if self.sheets > 1 else ""
        self.ws = self.book.create_sheet(safe_sheet_title(self.title[: 31 - len(suffix)] + suffix))
        for i, (header, width) in enumerate(zip(self.headers, self.widths, strict=True), start=1):
            shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in header)
            self.ws.column_dimensions[get_column_letter(i)].width = width or min(max(shown + 4, 10), 40)
        self.ws.freeze_panes = "A2"
        self.ws.append([self._header(h) for h in self.headers])
        self.lines = 1

    def _header(self, text: str):
        cell = self.cell(self.ws, value=self._text(text))
        cell.font = self.bold
        cell.fill = self.fill
        return cell

    def _text(self, value: str):
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub("", value)
        if value[:1] == "=" or value[:1] == "#":   # a formula or an error code to openpyxl: keep it a string
            cell = self.cell(self.ws, value=value)
            cell.data_type = "s"
            return cell
        return value

    def write(self, row: Sequence[Any]) -> None:
        if self.lines >= SHEET_ROWS:
            self._new_sheet()
        out = []
        for value in row:
            if isinstance(value, str):
                value = self._text(value) if value else None
            elif isinstance(value, dt.datetime):
                value = _local(value)
            elif value is not None and not isinstance(value, int | float | Decimal | dt.date):
                value = self._text(str(value))
            out.append(value)
        self.ws.append(out)
        self.lines += 1

    def close(self) -> None:
        if self.notes:
            info = self.book.create_sheet("说明")
            info.column_dimensions["A"].width = 18
            info.column_dimensions["B"].width = 80
            info.append([self._header("项目"), self._header("说明")])
            for name, note in self.notes:
                info.append([self._text(str(name)), self._text(str(note))])
        self.book.save(self.path)


class _CsvSink:
    def __init__(self, path: str, headers: list[str]):
        self.file = open(path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed in close()
        self.writer = csv.writer(self.file)
        self.writer.writerow([csv_text(h) for h in headers])

    @staticmethod
    def _value(value) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return csv_text(value)
        if isinstance(value, dt.datetime):
            return _local(value).strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, bool | int | float | Decimal):
            return str(value)
        return csv_text(str(value))

    def write(self, row: Sequence[Any]) -> None:
        self.writer.writerow([self._value(v) for v in row])

    def close(self) -> None:
        self.file.close()


PROGRESS_EVERY = 2000


def write_file(request: ExportRequest, path: str, *, progress: Callable[[int], None] | None = None) -> int:
    """Write every row of ``request`` to ``path`` in its format; the number of rows written."""
    kind = request.kind
    columns = [c if isinstance(c, Column) else Column(c) for c in kind.columns(request)]
    headers = [str(c.header) for c in columns]
    if request.format == "csv":
        sink = _CsvSink(path, headers)
    else:
        notes = list(kind.notes(request)) if kind.notes else []
        title = kind.title(request) if callable(kind.title) else kind.title
        sink = _XlsxSink(path, str(title), headers, [c.width for c in columns], notes)
    count = 0
    try:
        for row in kind.rows(request):
            sink.write(row)
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
    finally:
        sink.close()
    return count


# The service -----------------------------------------------------------------------------------------------------

def prepare(key: str, *, actor, filters: dict | None = None, format: str = "xlsx", unmask: bool = False,
            purpose: str = "") -> ExportRequest:
    """Check an export before any work: the kind's own refusals, the format, and a request for full numbers."""
    kind = kind_for(key)
    if format not in CONTENT_TYPES:
        raise ValidationFailed("导出格式只能是 xlsx 或 csv", "The export format is xlsx or csv", field="format",
                               code="export_format")
    request = ExportRequest(kind=kind, actor=actor, filters=dict(filters or {}), format=format)
    if kind.check:
        kind.check(request)
    if unmask:
        purpose = " ".join((purpose or "").split())
        if kind.may_unmask is None or not kind.may_unmask(actor):
            with transaction.atomic():
                events.record(actor, kind.verb, object_type=kind.object_type, outcome="denied",
                              payload={"kind": kind.key, "unmask": True, "filters": request.filters})
            raise NotPermitted("您的岗位无权导出完整号码", "Your post may not export full numbers",
                               code="export_unmask_denied")
        if len(purpose) < PURPOSE_MIN_LENGTH:
            raise ValidationFailed(f"导出完整号码须写明用途（至少 {PURPOSE_MIN_LENGTH} 个字）",
                                   f"State the purpose of exporting full numbers (at least {PURPOSE_MIN_LENGTH} "
                                   "characters)", field="purpose", code="export_purpose")
        request.unmask = True
        request.purpose = purpose[:PURPOSE_MAX_LENGTH]
    return request


def audit_payload(request: ExportRequest, rows: int, **extra) -> dict:
    payload = {"kind": request.kind.key, "format": request.format, "filters": request.filters, "rows": rows}
    if request.unmask:
        payload.update(unmask=True, purpose=request.purpose, unmasked_rows=request.unmasked_rows)
    payload.update(extra)
    return payload


def record_export(request: ExportRequest, rows: int, **extra) -> None:
    """The one audit event of an export."""
    with transaction.atomic():
        events.record(request.actor, request.kind.verb, object_type=request.kind.object_type,
                      payload=audit_payload(request, rows, **extra))


def file_name(request: ExportRequest, on: dt.date | None = None) -> str:
    from . import clock

    return f"{request.kind.filename}-{(on or clock.today()):%Y%m%d}.{request.format}"


@dataclass
class Export:
    """An export written at once: its bytes (small by construction: below the background threshold)."""
    content: bytes
    filename: str
    content_type: str
    rows: int


def export_now(request: ExportRequest) -> Export:
    """Write the export to a temporary file, record its audit event, and give its bytes."""
    handle, path = tempfile.mkstemp(suffix=f".{request.format}", prefix="export-")
    os.close(handle)
    try:
        rows = write_file(request, path)
        with open(path, "rb") as fh:
            content = fh.read()
    finally:
        os.unlink(path)
    record_export(request, rows)
    return Export(content, file_name(request), CONTENT_TYPES[request.format], rows)


def export(key: str, *, actor, filters: dict | None = None, format: str = "xlsx", unmask: bool = False,
           purpose: str = ""):
    """One export: an ``Export`` written at once, or an ``ExportJob`` when it has more rows than the policy
    setting ``exports.background_rows``."""
    from . import export_jobs

    request = prepare(key, actor=actor, filters=filters, format=format, unmask=unmask, purpose=purpose)
    total = request.kind.count(request) if request.kind.count else None
    if total is not None and total > background_rows():
        return export_jobs.job_start(request, total=total)
    return export_now(request)


def workbook(title, columns: Sequence[Column | Any], rows: Iterable[Sequence[Any]] = (),
             notes: Sequence[tuple[str, str]] = ()) -> bytes:
    """An .xlsx of a few rows that hold no one's data (import templates), written the same way; not audited."""
    kind = ExportKind(key="", verb="", object_type="", title=title, filename="", columns=lambda r: columns,
                      rows=lambda r: rows, notes=(lambda r: notes) if notes else None)
    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="export-")
    os.close(handle)
    try:
        write_file(ExportRequest(kind=kind, actor=None), path)
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)
