"""The printable notice (A4, CJK font: ``core.printing``): title, owner, period, body, where to object, and the QR
of the notice's public page (the page is public, so the code is its plain address: whoever scans the paper on the
board reads the notice, its objections and answers, and may object there)."""

from __future__ import annotations

from grassroots.core.printing import FAMILY, document, line, output, place_qr, when

from . import registry


def notice(n, url: str = "") -> bytes:
    pdf = document(n.title)
    line(pdf, f"{registry.label(n.kind)}    发布单位：{n.owner_name}")
    line(pdf, f"公示期：{when(n.starts_at)} 至 {when(n.ends_at)}（{n.working_days} 个工作日）")
    pdf.ln(3)
    pdf.set_font("noto", size=12)
    line(pdf, n.body, h=8)
    pdf.set_font("noto", size=11)
    pdf.ln(6)
    page = url or f"/notices/{n.pk}/"
    line(pdf, f"公示期间如有异议，请向发布单位书面或在线提出（公示页面：{page}）。")
    line(pdf, f"{n.owner_name}    {when(n.starts_at)[:10]}")
    if url:
        pdf.ln(4)
        place_qr(pdf, url, size=40)
        pdf.set_font(FAMILY, size=9)
        pdf.multi_cell(0, 5, "扫码查看公示、异议和答复", align="C", new_x="LMARGIN", new_y="NEXT")
    return output(pdf)
