"""Printable A4 PDFs with a CJK font: the sign-in sheet, a ballot, a resolution.

The Noto CJK collection is about 20 MB with 65,535 glyphs; parsing it for each document (``FPDF.add_font``) cost
about as much as the rest of the rendering. So each process parses it once (``_shared_font``, under a lock) and
every document gets its own light copy (``_add_font``): the parsed metrics and character maps are shared read-only,
while what a document changes is its own — the subset map, the widths dict, the font descriptor object, and a
fontTools font opened lazily on the file, into which copies of the already decoded ``cmap`` / ``hmtx`` / ``vmtx`` tables are put.
fpdf2 subsets
that font in place when the document is written, so every PDF still embeds only the glyphs it uses, and concurrent
renders (gunicorn threads) never touch each other's objects.
"""

from __future__ import annotations

import copy
import logging
import threading
from pathlib import Path

from django.utils import timezone
from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

from .models import Motion

FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
]
MAX_NAMED_ROWS = 200
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _font() -> str:
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return path
    raise RuntimeError("未找到中文字体（请安装 fonts-noto-cjk）")


FAMILY = "noto"
SHARED_TABLES = ("cmap", "hmtx", "vmtx")  # decoded once; each document subsets its own copies
_shared: dict[str, TTFFont] = {}
_shared_lock = threading.Lock()


def _simplified_chinese_face(path: str) -> int:
    """Index of the Simplified Chinese face (``… CJK SC``) in a font collection; 0 for a single font. The Noto CJK
    collections start with the Japanese face, whose glyph shapes differ for some characters."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    collection = ttLib.TTCollection(path, lazy=True)
    try:
        for index, face in enumerate(collection.fonts):
            if (face["name"].getDebugName(4) or "").endswith(" SC"):
                return index
    finally:
        collection.close()
    return 0


def _shared_font(path: str) -> TTFFont:
    """The font parsed once per process (per path). Never given to a document itself, never changed after this."""
    font = _shared.get(path)
    if font is None:
        with _shared_lock:
            font = _shared.get(path)
            if font is None:
                font = TTFFont(FPDF(), Path(path), FAMILY, "", collection_font_number=_simplified_chinese_face(path))
                ttfont = font.ttfont
                for tag in SHARED_TABLES:
                    if tag in ttfont:
                        table = ttfont[tag]  # decoded now, by this thread only
                        if tag == "cmap":
                            table.ensureDecompiled(recurse=True)  # its subtables too
                ttfont.close()  # the decoded tables stay; documents open the file themselves
                _shared[path] = font
    return font


def _table_copy(table):
    """A copy of a decoded table whose containers the subsetter may replace or change without touching ``table``."""
    clone = copy.copy(table)
    if table.tableTag == "cmap":
        clone.tables = []
        for sub in table.tables:
            sub = copy.copy(sub)
            if "cmap" in sub.__dict__:
                sub.cmap = dict(sub.cmap)
            if "uvsDict" in sub.__dict__:
                sub.uvsDict = {selector: list(pairs) for selector, pairs in sub.uvsDict.items()}
            clone.tables.append(sub)
    else:
        clone.metrics = dict(table.metrics)
    return clone


def _add_font(pdf: FPDF) -> None:
    """``pdf.add_font(FAMILY, "", path)`` without parsing the font again: this document's own copy of the shared one."""
    shared = _shared_font(_font())
    ttfont = ttLib.TTFont(shared.ttffile, recalcTimestamp=False, fontNumber=shared.collection_font_number,
                          lazy=True)
    for tag in SHARED_TABLES:
        if tag in shared.ttfont.tables:
            ttfont[tag] = _table_copy(shared.ttfont.tables[tag])
    font = copy.copy(shared)
    font.i = len(pdf.fonts) + 1
    font.ttfont = ttfont
    font.cw = copy.copy(shared.cw)  # a defaultdict: reading a missing character adds it
    font.desc = copy.copy(shared.desc)  # the output gives it this document's object number and font name
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.subset = SubsetMap(font)
    pdf.fonts[FAMILY] = font
    if font.is_cff and font.is_cid_keyed:
        pdf._set_min_pdf_version("1.6")  # as add_font does for CID-keyed CFF fonts


def _doc(title: str) -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    _add_font(pdf)
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("noto", size=16)
    pdf.cell(0, 10, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", size=11)
    return pdf


def _line(pdf: FPDF, text: str, h: float = 7) -> None:
    pdf.multi_cell(0, h, text, new_x="LMARGIN", new_y="NEXT")


def _when(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "—"


def _out(pdf: FPDF) -> bytes:
    try:
        return bytes(pdf.output())
    finally:
        pdf.fonts[FAMILY].ttfont.close()


def sign_in_sheet(meeting, persons) -> bytes:
    """应到 count and one row per person due (name, signature); more than 200 due: blank numbered rows."""
    due = meeting.due_count if meeting.due_count is not None else len(persons)
    pdf = _doc(f"{meeting.title} 签到表")
    _line(pdf, f"会议类型：{meeting.kind.name}    时间：{_when(meeting.scheduled_at)}    地点：{meeting.location}")
    _line(pdf, f"应到人数：{due if meeting.kind.basis != 'open' else '自愿参加'}    实到人数：________")
    pdf.ln(2)
    widths = (15, 55, 55, 55)
    pdf.set_font("noto", size=11)
    for w, head in zip(widths, ("序号", "姓名", "楼栋", "签名"), strict=True):
        pdf.cell(w, 8, head, border=1, align="C")
    pdf.ln()
    named = len(persons) <= MAX_NAMED_ROWS
    rows = len(persons) if named else max(due, MAX_NAMED_ROWS)
    for i in range(rows):
        p = persons[i] if named else None
        pdf.cell(widths[0], 9, str(i + 1), border=1, align="C")
        pdf.cell(widths[1], 9, p.name if p else "", border=1)
        pdf.cell(widths[2], 9, (p.building.name if p and p.building_id else ""), border=1)
        pdf.cell(widths[3], 9, "", border=1)
        pdf.ln()
    return _out(pdf)


def ballot(motion: Motion) -> bytes:
    meeting = motion.meeting
    secret = motion.ballot == Motion.Ballot.SECRET
    pdf = _doc("表决票（无记名）" if secret else "表决票")
    _line(pdf, f"会议：{meeting.title}（{meeting.kind.name}）    时间：{_when(meeting.scheduled_at)}")
    pdf.ln(2)
    pdf.set_font("noto", size=13)
    _line(pdf, f"表决事项：{motion.text}", h=8)
    pdf.ln(4)
    for label in ("赞成", "反对", "弃权"):
        x, y = pdf.get_x(), pdf.get_y()
        pdf.rect(x + 2, y + 1, 7, 7)
        pdf.set_x(x + 12)
        pdf.cell(40, 9, label)
        pdf.set_xy(x + 55, y)
    pdf.ln(14)
    pdf.set_font("noto", size=11)
    if not secret:
        _line(pdf, "表决人（签名）：______________________")
    _line(pdf, "请在所选项后的方框内划“√”，只能选一项；多选或不选视为弃权。")
    return _out(pdf)


def resolution(r) -> bytes:
    meeting, motion = r.meeting, r.motion
    pdf = _doc("决议")
    _line(pdf, f"会议：{meeting.title}")
    _line(pdf, f"类型：{meeting.kind.name}    时间：{_when(meeting.scheduled_at)}    地点：{meeting.location}")
    _line(pdf, f"应到：{meeting.due_count if meeting.due_count is not None else '—'} 人    "
               f"实到：{motion.present_at_close} 人")
    _line(pdf, f"表决方式：{motion.get_ballot_display()}    表决结果：赞成 {motion.yes}，反对 {motion.no}，"
               f"弃权 {motion.abstain}（{motion.get_result_display()}）")
    pdf.ln(3)
    pdf.set_font("noto", size=13)
    _line(pdf, f"决议内容：{r.text}", h=8)
    pdf.set_font("noto", size=11)
    pdf.ln(3)
    _line(pdf, f"责任人：{r.responsible}    完成时限：{r.due_date:%Y-%m-%d}")
    pdf.ln(10)
    _line(pdf, "主持人（签名）：______________    记录人（签名）：______________")
    _line(pdf, f"{timezone.localtime(r.created_at):%Y年%m月%d日}")
    return _out(pdf)
