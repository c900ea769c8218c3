"""The monthly dispatch report (月调度) as a PDF: A4 landscape, the month's summary and one line per project with its
light, figures and reasons (the same rows as the page and the Excel export)."""

from __future__ import annotations

from grassroots.core import printing

from .exports import dispatch_row

COLUMNS = ((16, "亮灯"), (58, "项目名称"), (20, "重点清单"), (22, "年度计划"), (22, "本月完成"), (22, "年初至今"),
           (16, "占年计划%"), (22, "开工至今"), (99, "亮灯原因"))


def dispatch_pdf(d: dict, *, title: str) -> bytes:
    pdf = printing.document(title, page_format="A4L", title_size=14, body_size=8)
    counts = d["counts"]
    printing.line(pdf, f"亮灯规则：{d['rules'].name}　序时进度：{d['sched']}%　年度计划合计：{d['plan_total']} 万元　"
                       f"年初至今完成：{d['ytd_total']} 万元（{d['ytd_pct'] or '—'}%）", h=5)
    printing.line(pdf, f"红灯 {counts['red']} 个　黄灯 {counts['yellow']} 个　绿灯 {counts['green']} 个　"
                       f"蓝灯 {counts['blue']} 个　共 {len(d['rows'])} 个项目", h=5)
    pdf.ln(2)
    from fpdf.fonts import FontFace

    heading = FontFace(emphasis="", fill_color=(230, 230, 230))
    with pdf.table(col_widths=[w for w, _ in COLUMNS], text_align="LEFT", line_height=4.2,
                   headings_style=heading) as table:
        head = table.row()
        for _w, label in COLUMNS:
            head.cell(label)
        for r in d["rows"]:
            cells = dispatch_row(r)
            row = table.row()
            for value in (cells[0], cells[1], cells[2], cells[5], cells[6], cells[7], cells[8], cells[9], cells[14]):
                row.cell(str(value) if value != "" else "—")
    return printing.output(pdf)
