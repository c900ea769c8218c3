"""Printing: the CJK font every PDF uses, and the one layout for a printed code (a QR on a card, a notice, a
ticket, a survey sheet).

The Noto CJK collection (Debian ``fonts-noto-cjk``) is about 20 MB with 65,535 glyphs; parsing it for each document
(``FPDF.add_font``) cost about as much as the rest of the rendering. So each process parses it once (``_shared_font``,
under a lock) and every document gets its own light copy (``add_font``): the parsed metrics and character maps are
shared read-only, while what a document changes is its own — the subset map, the widths dict, the font descriptor
object, and a fontTools font opened lazily on the file, into which copies of the already decoded ``cmap`` / ``hmtx``
/ ``vmtx`` tables are put. fpdf2 subsets that font in place when the document is written, so every PDF still embeds
only the glyphs it uses, and concurrent renders (gunicorn threads) never touch each other's objects.

``document(title)`` starts a page with the font and a title; ``output(pdf)`` gives the bytes; ``qr_sheet`` lays out
a printed code: a title, lines of text, the QR of an address and the address itself under it, on A4, A6 or a
phone-sized page.
"""

from __future__ import annotations

import copy
import io
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
]
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


def add_font(pdf: FPDF) -> None:
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


# Page formats (width, height in mm): A4 and A6 portrait, and a phone-sized card (about a 6.1" screen).
FORMATS = {"A4": (210.0, 297.0), "A4L": (297.0, 210.0), "A6": (105.0, 148.0), "phone": (70.0, 140.0)}


def document(title: str, *, page_format: str = "A4", title_size: int = 16, body_size: int = 11) -> FPDF:
    """A new document with the CJK font, one page, and ``title`` centred on top."""
    width, height = FORMATS[page_format]
    pdf = FPDF(orientation="P", unit="mm", format=(width, height))
    margin = 15 if page_format.startswith("A4") else 6
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(auto=True, margin=margin)
    add_font(pdf)
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font(FAMILY, size=title_size)
    pdf.multi_cell(0, title_size * 0.6, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=body_size)
    return pdf


MAX_NAMED_ROWS = 200  # a sign-in sheet names at most this many; beyond, numbered blank rows


def line(pdf: FPDF, text: str, h: float = 7) -> None:
    """A paragraph of body text, wrapped to the page width."""
    pdf.multi_cell(0, h, text, new_x="LMARGIN", new_y="NEXT")


def when(value) -> str:
    """A time as printed on documents, in local time; "—" for none."""
    from django.utils import timezone

    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "—"


def output(pdf: FPDF) -> bytes:
    """The document's bytes; closes this document's copy of the font file."""
    try:
        return bytes(pdf.output())
    finally:
        pdf.fonts[FAMILY].ttfont.close()


def qr_png(text: str, *, box_size: int = 8, border: int = 2) -> bytes:
    """A QR code of ``text`` as PNG bytes (error correction M: a worn print still scans)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def place_qr(pdf: FPDF, text: str, *, size: float, x: float | None = None, y: float | None = None) -> None:
    """Put the QR of ``text`` on the page, ``size`` mm square; centred on the current line when ``x`` is None."""
    x = (pdf.w - size) / 2 if x is None else x
    y = pdf.get_y() if y is None else y
    pdf.image(io.BytesIO(qr_png(text)), x=x, y=y, w=size, h=size)
    pdf.set_y(y + size)


def qr_sheet(title: str, lines: Sequence[str], url: str, *, page_format: str = "A4", caption: str = "",
             footer: Sequence[str] = ()) -> bytes:
    """The one layout of a printed code: title, lines, the QR of ``url`` with ``caption`` and the address under it,
    then ``footer`` lines. Cards (A6, phone-sized), notices and survey sheets (A4) all use it."""
    small = page_format != "A4"
    pdf = document(title, page_format=page_format, title_size=12 if small else 16, body_size=8 if small else 11)
    line_height = 4.5 if small else 7
    pdf.ln(1 if small else 3)
    for line in lines:
        pdf.multi_cell(0, line_height, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2 if small else 6)
    size = min(pdf.w - 2 * pdf.l_margin, 45.0 if small else 70.0)
    place_qr(pdf, url, size=size)
    if caption:
        pdf.multi_cell(0, line_height, caption, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=6 if small else 8)
    pdf.multi_cell(0, line_height * 0.8, url, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=8 if small else 11)
    for line in footer:
        pdf.multi_cell(0, line_height, line, new_x="LMARGIN", new_y="NEXT")
    return output(pdf)
