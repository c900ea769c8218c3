"""Importing work orders (工单) from the 12345 hotline or the provincial platform (Excel or CSV).

Columns (header row, any order): 工单编号, 来电时间, 诉求类型 (or 分类 / 诉求分类 / 诉求类型/分类), 诉求内容, 地址, 经度,
纬度, 坐标系 (WGS84 / GCJ02 / BD09; empty = WGS84), 来电人, 联系电话, 办理时限.

Every row is validated before anything is written: missing fields, bad dates, an unknown category, coordinates that
fall outside every grid, a work-order number repeated in the file. Every bad row is reported with its line number
and reason, and nothing is written while any row is bad. A work order already imported from the same source is
skipped and counted (``external_id`` is unique per source channel), so importing the same file twice creates
nothing the second time. Cases are created through the intake service (``services.case_report``) with channel
``import_12345`` or ``import_provincial``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.db import transaction
from django.utils import timezone

from grassroots.core import geo
from grassroots.core.errors import NotPermitted, ValidationFailed

from .. import policy
from ..states import Channel

SOURCES = {"12345": Channel.IMPORT_12345, "provincial": Channel.IMPORT_PROVINCIAL}
COLUMNS = {
    "external_id": ("工单编号", "工单号"),
    "called_at": ("来电时间", "受理时间"),
    "category": ("诉求类型", "分类", "诉求分类", "诉求类型/分类", "问题分类"),
    "content": ("诉求内容", "内容"),
    "address": ("地址", "事发地址"),
    "lon": ("经度",),
    "lat": ("纬度",),
    "crs": ("坐标系",),
    "caller": ("来电人", "来电人姓名"),
    "phone": ("联系电话", "来电号码"),
    "deadline": ("办理时限",),
}
REQUIRED = ("external_id", "called_at", "category", "content", "lon", "lat")
LABEL = {key: names[0] for key, names in COLUMNS.items()}
MAX_ROWS = 20000
PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d",
                "%Y/%m/%d", "%Y%m%d%H%M%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日")


@dataclass
class WorkOrder:
    line: int
    external_id: str
    called_at: dt.datetime
    category_id: int
    category_name: str
    content: str
    address: str
    lon: float
    lat: float
    region_id: int
    caller: str
    phone: str
    deadline: dt.datetime | None


@dataclass
class ImportReport:
    source: str
    rows: int = 0
    created: int = 0
    skipped_existing: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class WorkOrdersInvalid(ValidationFailed):
    def __init__(self, report: ImportReport):
        super().__init__(f"工单文件有 {len(report.errors)} 行错误，未导入任何工单",
                         f"{len(report.errors)} row(s) are invalid; nothing was imported",
                         code="work_orders_invalid",
                         details={"errors": [{"line": n, "reason": r} for n, r in report.errors]})
        self.report = report


# ---------------------------------------------------------------------------------------------------------------
# Reading

def _cell(value) -> str | dt.datetime:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time.min)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(name: str, data: bytes) -> list[tuple[int, list]]:
    """(line number, cells) for every non-empty row of an .xlsx or .csv file, header first."""
    suffix = Path(name).suffix.lower()
    rows: list[tuple[int, list]] = []
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise ValidationFailed("无法读取 Excel 文件", "The file is not a readable .xlsx workbook", field="file")
        sheet = book.worksheets[0]
        for i, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(v) for v in values]
            if any(c != "" for c in cells):
                rows.append((i, cells))
        book.close()
    elif suffix == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationFailed("CSV 编码无法识别（请用 UTF-8 或 GBK）", "Use UTF-8 or GBK for CSV files",
                                   field="file")
        for i, values in enumerate(csv.reader(io.StringIO(text)), start=1):
            cells = [v.strip() for v in values]
            if any(cells):
                rows.append((i, cells))
    else:
        raise ValidationFailed("只支持 .xlsx 或 .csv 文件", "Only .xlsx and .csv files are supported", field="file")
    return rows


def _header(cells: list) -> dict[str, int]:
    names = [str(c).strip() for c in cells]
    index: dict[str, int] = {}
    for key, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in names:
                index[key] = names.index(alias)
                break
    return index


def _datetime(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        text = str(value).strip()
        parsed = None
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            for fmt in DATE_FORMATS:
                try:
                    parsed = dt.datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
        if parsed is None:
            return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


# ---------------------------------------------------------------------------------------------------------------
# Validation

def _category_lookup() -> dict[str, tuple[int, str]]:
    """Code, name, "大类/小类" and seed-file aliases → (category id, name), for active leaf categories."""
    from ..data import catalog
    from ..models import Category

    lookup: dict[str, tuple[int, str]] = {}
    rows = list(Category.objects.filter(active=True, parent__isnull=False).values_list(
        "pk", "code", "name", "parent__name"))
    by_code = {}
    for pk, code, name, parent in rows:
        lookup[code] = lookup[name] = lookup[f"{parent}/{name}"] = lookup[f"{parent}-{name}"] = (pk, name)
        by_code[code] = (pk, name)
    try:
        aliases = catalog.aliases()
    except ValidationFailed:
        aliases = {}
    for alias, code in aliases.items():
        if code in by_code:
            lookup.setdefault(alias, by_code[code])
    return lookup


def _resolve_category(value: str, lookup) -> tuple[int, str] | None:
    text = value.strip()
    if text in lookup:
        return lookup[text]
    for sep in ("/", "-", ">", "—"):
        if sep in text:
            last = text.split(sep)[-1].strip()
            if last in lookup:
                return lookup[last]
    return None


def validate(rows: list[tuple[int, list]], source: str) -> tuple[list[WorkOrder], ImportReport]:
    from grassroots.territory.locate import NOT_FOUND, locate_many

    report = ImportReport(source=source)
    if not rows:
        report.errors.append((1, "文件为空 / the file is empty"))
        return [], report
    header_line, header_cells = rows[0]
    index = _header(header_cells)
    missing = [LABEL[k] for k in REQUIRED if k not in index]
    if missing:
        report.errors.append((header_line, f"缺少列：{'、'.join(missing)} / missing columns"))
        return [], report
    body = rows[1:]
    report.rows = len(body)
    if len(body) > MAX_ROWS:
        report.errors.append((header_line, f"一次最多导入 {MAX_ROWS} 行 / at most {MAX_ROWS} rows per file"))
        return [], report
    lookup = _category_lookup()
    seen: dict[str, int] = {}
    parsed: list[dict] = []
    description_room = int(policy.setting("case_description_max_chars")) - DESCRIPTION_FOOTER
    for line, cells in body:
        def get(key, cells=cells):
            i = index.get(key)
            return cells[i] if i is not None and i < len(cells) else ""

        problems = []
        for key in REQUIRED:
            if get(key) in ("", None):
                problems.append(f"缺少{LABEL[key]}")
        external_id = str(get("external_id")).strip()
        if external_id:
            if len(external_id) > 64:
                problems.append("工单编号超过 64 个字符")
            elif external_id in seen:
                problems.append(f"工单编号与第 {seen[external_id]} 行重复")
            else:
                seen[external_id] = line
        called_at = _datetime(get("called_at")) if get("called_at") != "" else None
        if get("called_at") != "" and called_at is None:
            problems.append(f"来电时间无法识别：{get('called_at')}")
        deadline = None
        if get("deadline") != "":
            deadline = _datetime(get("deadline"))
            if deadline is None:
                problems.append(f"办理时限无法识别：{get('deadline')}")
            elif called_at is not None and deadline < called_at:
                problems.append("办理时限早于来电时间")
        category = None
        if get("category") != "":
            category = _resolve_category(str(get("category")), lookup)
            if category is None:
                problems.append(f"未知的诉求分类：{get('category')}")
        lon = lat = None
        if get("lon") != "" and get("lat") != "":
            try:
                lon, lat = float(get("lon")), float(get("lat"))
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    raise ValueError
            except (TypeError, ValueError):
                problems.append(f"经纬度无效：{get('lon')}, {get('lat')}")
                lon = lat = None
        try:
            crs = geo.normalize_crs(str(get("crs")) or geo.WGS84)
        except ValueError:
            problems.append(f"未知坐标系：{get('crs')}（WGS84 / GCJ02 / BD09）")
            crs = geo.WGS84
        phone = str(get("phone")).strip()
        if phone and not PHONE.match(phone):
            problems.append("联系电话格式不对")
        content = str(get("content")).strip()
        if len(content) > description_room:  # the intake service's one limit, with the lines import adds
            problems.append(f"诉求内容超过 {description_room} 字")
        if problems:
            report.errors.append((line, "；".join(problems)))
        parsed.append({"line": line, "external_id": external_id, "called_at": called_at, "category": category,
                       "content": content, "address": str(get("address")).strip()[:200], "lon": lon, "lat": lat,
                       "crs": crs, "caller": str(get("caller")).strip()[:64], "phone": phone, "deadline": deadline,
                       "ok": not problems})

    # Positions: converted to WGS84 per row's CRS, then located in one vectorised pass.
    located = [p for p in parsed if p["lon"] is not None]
    if located:
        lons = np.empty(len(located))
        lats = np.empty(len(located))
        for i, p in enumerate(located):
            lons[i], lats[i] = geo.to_wgs84(p["lon"], p["lat"], p["crs"])
        region_ids = locate_many(lons, lats)
        for i, p in enumerate(located):
            p["lon"], p["lat"], p["region_id"] = float(lons[i]), float(lats[i]), int(region_ids[i])
            if p["region_id"] == NOT_FOUND:
                report.errors.append((p["line"], f"坐标 {p['lon']:.6f}, {p['lat']:.6f} 不在任何网格内"))
                p["ok"] = False
    report.errors.sort()
    orders = [WorkOrder(line=p["line"], external_id=p["external_id"], called_at=p["called_at"],
                        category_id=p["category"][0], category_name=p["category"][1], content=p["content"],
                        address=p["address"], lon=p["lon"], lat=p["lat"], region_id=p["region_id"],
                        caller=p["caller"], phone=p["phone"], deadline=p["deadline"])
              for p in parsed if p["ok"]]
    return orders, report


# ---------------------------------------------------------------------------------------------------------------
# Import

DESCRIPTION_FOOTER = 80  # room for the lines ``_description`` adds below the content


def _description(order: WorkOrder, source: str) -> str:
    lines = [order.content, "", f"{'12345 热线' if source == '12345' else '省级平台'}工单 {order.external_id}",
             f"来电时间：{timezone.localtime(order.called_at):%Y-%m-%d %H:%M}"]
    if order.deadline:
        lines.append(f"平台办理时限：{timezone.localtime(order.deadline):%Y-%m-%d %H:%M}")
    return "\n".join(lines)


def import_work_orders(*, actor, name: str, data: bytes, source: str, dry_run: bool = False) -> ImportReport:
    """Validate the whole file, then file each new work order through the intake service in one transaction."""
    from .. import permissions, services
    from ..models import Case, Category

    if source not in SOURCES:
        raise ValidationFailed("来源应为 12345 或 provincial", "Source must be 12345 or provincial", field="source")
    channel = SOURCES[source]
    if not permissions.can_import_work_orders(actor, channel):
        raise NotPermitted("只有热线坐席可以导入工单", "Only hotline operators may import work orders")
    orders, report = validate(read_rows(name, data), source)
    report.dry_run = dry_run
    if report.errors:
        raise WorkOrdersInvalid(report)
    existing = set(Case.objects.filter(channel=channel, external_id__in=[o.external_id for o in orders])
                   .values_list("external_id", flat=True))
    new = [o for o in orders if o.external_id not in existing]
    report.skipped_existing = len(orders) - len(new)
    if dry_run:
        report.created = len(new)
        return report
    categories = {c.pk: c for c in Category.objects.filter(pk__in={o.category_id for o in new})}
    with transaction.atomic():
        for order in new:
            intake = services.case_report(
                actor=actor, channel=channel, category=categories[order.category_id],
                title=(order.content.splitlines()[0] if order.content else order.category_name)[:60],
                description=_description(order, source), lon=order.lon, lat=order.lat,
                address=order.address, reporter_name=order.caller, reporter_contact=order.phone,
                external_id=order.external_id,
            )
            if intake.created:
                report.created += 1
                report.references.append(intake.case.reference)
            else:
                report.skipped_existing += 1
    return report
