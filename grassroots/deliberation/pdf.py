"""Printable A4 PDFs of deliberation: the sign-in sheet, a ballot, a resolution (layout and font: ``core.printing``)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from grassroots.core.printing import MAX_NAMED_ROWS, document, line, output, when

from .models import Motion


def sign_in_sheet(meeting, persons, electors: dict | None = None) -> bytes:
    """应到 count and one row per person due (name, signature); more than 200 due: blank numbered rows. With the
    roll's ``electors`` (person id → weight): owners show their unit and exclusive floor area (and the area due),
    probationary party members are marked as attending without a vote."""
    due = meeting.due_count if meeting.due_count is not None else len(persons)
    electors = electors or {}
    owners = meeting.kind.basis == "owners"
    pdf = document(f"{meeting.title} 签到表")
    line(pdf, f"会议类型：{meeting.kind.name}    时间：{when(meeting.scheduled_at)}    地点：{meeting.location}")
    area = sum((e.area for e in electors.values() if e.voting), Decimal("0"))
    line(pdf, f"应到人数：{due if meeting.kind.basis != 'open' else '自愿参加'}    实到人数：________"
              + (f"    应到专有部分面积：{meeting.due_area or area} ㎡" if owners else ""))
    pdf.ln(2)
    widths = (15, 55, 55, 55)
    pdf.set_font("noto", size=11)
    for w, head in zip(widths, ("序号", "姓名", "房号及面积（㎡）" if owners else "楼栋", "签名"), strict=True):
        pdf.cell(w, 8, head, border=1, align="C")
    pdf.ln()
    named = len(persons) <= MAX_NAMED_ROWS
    rows = len(persons) if named else max(due, MAX_NAMED_ROWS)
    for i in range(rows):
        p = persons[i] if named else None
        weight = electors.get(p.pk) if p is not None and electors else None
        if owners and weight is not None:
            where = f"{weight.unit} {weight.area}"
        elif weight is not None and not weight.voting:
            where = "预备党员（列席）"
        else:
            where = p.building.name if p and p.building_id else ""
        pdf.cell(widths[0], 9, str(i + 1), border=1, align="C")
        pdf.cell(widths[1], 9, p.name if p else "", border=1)
        pdf.cell(widths[2], 9, where, border=1)
        pdf.cell(widths[3], 9, "", border=1)
        pdf.ln()
    return output(pdf)


def ballot(motion: Motion) -> bytes:
    meeting = motion.meeting
    secret = motion.ballot == Motion.Ballot.SECRET
    pdf = document("表决票（无记名）" if secret else "表决票")
    line(pdf, f"会议：{meeting.title}（{meeting.kind.name}）    时间：{when(meeting.scheduled_at)}")
    pdf.ln(2)
    pdf.set_font("noto", size=13)
    line(pdf, f"表决事项：{motion.text}", h=8)
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
        line(pdf, "表决人（签名）：______________________")
    line(pdf, "请在所选项后的方框内划“√”，只能选一项；多选或不选视为弃权。")
    return output(pdf)


def resolution(r) -> bytes:
    meeting, motion = r.meeting, r.motion
    pdf = document("决议")
    line(pdf, f"会议：{meeting.title}")
    line(pdf, f"类型：{meeting.kind.name}    时间：{when(meeting.scheduled_at)}    地点：{meeting.location}")
    line(pdf, f"应到：{meeting.due_count if meeting.due_count is not None else '—'} 人    "
               f"实到：{motion.present_at_close} 人")
    line(pdf, f"表决方式：{motion.get_ballot_display()}    表决结果：赞成 {motion.yes}，反对 {motion.no}，"
               f"弃权 {motion.abstain}（{motion.get_result_display()}）")
    pdf.ln(3)
    pdf.set_font("noto", size=13)
    line(pdf, f"决议内容：{r.text}", h=8)
    pdf.set_font("noto", size=11)
    pdf.ln(3)
    line(pdf, f"责任人：{r.responsible}    完成时限：{r.due_date:%Y-%m-%d}")
    pdf.ln(10)
    line(pdf, "主持人（签名）：______________    记录人（签名）：______________")
    line(pdf, f"{timezone.localtime(r.created_at):%Y年%m月%d日}")
    return output(pdf)
