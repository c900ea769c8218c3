"""Printable A4 documents with a CJK font, shared by the apps that print (sign-in sheets, ballots, notices).

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


def doc(title: str) -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    _add_font(pdf)
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("noto", size=16)
    pdf.cell(0, 10, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", size=11)
    return pdf


def line(pdf: FPDF, text: str, h: float = 7) -> None:
    pdf.multi_cell(0, h, text, new_x="LMARGIN", new_y="NEXT")


def when(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "—"


def out(pdf: FPDF) -> bytes:
    try:
        return bytes(pdf.output())
    finally:
        pdf.fonts[FAMILY].ttfont.close()
