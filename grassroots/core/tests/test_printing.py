import io

import pytest
from pypdf import PdfReader

from grassroots.core import printing


def text_of(body: bytes) -> str:
    assert body.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).replace("\x00", "")


def images_of(body: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(body)).pages)


@pytest.mark.parametrize(("page_format", "width_mm"), [("A4", 210), ("A6", 105), ("phone", 70)])
def test_a_printed_code_has_its_title_lines_qr_and_address_on_the_chosen_page(page_format, width_mm):
    url = "https://grassroots.example/s/ABCDEFGH.0123456789abcdef/"
    body = printing.qr_sheet("企业联系卡", ["园区党委：王书记 0546-1234567", "党建指导员：李老师"], url,
                             page_format=page_format, caption="扫码反映诉求")
    text = text_of(body)
    assert "企业联系卡" in text and "王书记" in text and "扫码反映诉求" in text and "grassroots.example/s/" in text
    page = PdfReader(io.BytesIO(body)).pages[0]
    assert abs(float(page.mediabox.width) - width_mm * 72 / 25.4) < 1
    assert images_of(body) == 1


def test_the_qr_encodes_the_address():
    from PIL import Image

    png = printing.qr_png("https://grassroots.example/s/x/")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width == image.height >= 8 * 25


def test_rendering_leaves_the_shared_font_as_parsed():
    shared = printing._shared_font(printing._font())
    tables = shared.ttfont.tables

    def state():
        return ({len(t.cmap) for t in tables["cmap"].tables if hasattr(t, "cmap")}, len(tables["hmtx"].metrics),
                len(shared.cw), shared.desc.font_name if hasattr(shared.desc, "font_name") else None)

    before = state()
    printing.qr_sheet("楼道会议", ["是否同意加装电梯"], "https://x.example/s/1/")
    assert state() == before and len(tables["hmtx"].metrics) > 60_000
