"""The printable notice (A4, CJK font: ``core.printing``): title, owner, period, body, where to object."""

from __future__ import annotations

from grassroots.core.printing import document, line, output, when

from . import registry


def notice(n) -> bytes:
    pdf = document(n.title)
    line(pdf, f"{registry.label(n.kind)}    发布单位：{n.owner_name}")
    line(pdf, f"公示期：{when(n.starts_at)} 至 {when(n.ends_at)}（{n.working_days} 个工作日）")
    pdf.ln(3)
    pdf.set_font("noto", size=12)
    line(pdf, n.body, h=8)
    pdf.set_font("noto", size=11)
    pdf.ln(6)
    line(pdf, f"公示期间如有异议，请向发布单位书面或在线提出（公示页面：/notices/{n.pk}/）。")
    line(pdf, f"{n.owner_name}    {when(n.starts_at)[:10]}")
    return output(pdf)
