"""The Excel exports of organisational life, kinds of ``core.exports``: meetings, alerts (the overdue list), terms,
points totals and review grades, each of what the actor sees with the list page's filters."""

from __future__ import annotations

from grassroots.core import clock, exports

from . import selectors


def _org(request):
    pk = request.get("org")
    return selectors.org_for_life(actor=request.actor, pk=pk) if pk else None


def _year(request):
    value = str(request.get("year", ""))
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2999 else clock.today().year


def _meetings(request):
    return selectors.meetings(actor=request.actor, org=_org(request), kind=request.get("kind", ""),
                              status=request.get("status", ""), q=request.get("q", ""))


MEETINGS = exports.register(exports.ExportKind(
    key="partylife.meeting", verb="meeting.export", object_type="partylife.meeting", title="组织生活会议",
    filename="party-meetings",
    columns=lambda r: ["党组织", "会议类型", "主题", "计划时间", "召开日期", "状态", "应到（有表决权）", "实到（有表决权）",
                       "达到法定人数"],
    rows=lambda r: ([m.org.name, m.kind.name, m.title, m.planned_at, m.held_on, m.get_status_display(),
                     m.due_count.get("heads"), m.present_count.get("heads"), {True: "是", False: "否"}.get(m.quorum_met, "")]
                    for m in _meetings(r)),
    count=lambda r: _meetings(r).count()))


def _alerts(request):
    return selectors.alerts(actor=request.actor, kind=request.get("kind", ""),
                            open_only=request.get("all", "") != "1", org=_org(request))


ALERTS = exports.register(exports.ExportKind(
    key="partylife.alert", verb="alert.export", object_type="partylife.alert", title="组织生活提醒",
    filename="party-alerts", columns=lambda r: ["党组织", "类型", "内容", "提醒日期", "处理时间", "处理说明"],
    rows=lambda r: ([a.org.name, a.get_kind_display(), a.message, a.raised_on, a.acknowledged_at, a.note]
                    for a in _alerts(r)),
    count=lambda r: _alerts(r).count()))


def _terms(request):
    due = request.get("due", "")
    return selectors.terms(actor=request.actor, due_within_months=6 if due == "1" else None, org=_org(request))


TERMS = exports.register(exports.ExportKind(
    key="partylife.term", verb="term.export", object_type="partylife.term", title="届期",
    filename="party-terms", columns=lambda r: ["党组织", "本届开始", "任期（年）", "任期届满", "延期至", "延期状态"],
    rows=lambda r: ([t.org.name, t.start, t.years, t.end, t.extended_to, t.get_extension_status_display()]
                    for t in _terms(r)),
    count=lambda r: _terms(r).count()))

POINTS = exports.register(exports.ExportKind(
    key="partylife.points", verb="points.export", object_type="partylife.pointsentry",
    title=lambda r: f"{_year(r)}年党员积分", filename="party-points", columns=lambda r: ["党员", "党组织", "积分"],
    rows=lambda r: ([row["name"], row["org_name"], row["total"]]
                    for row in selectors.yearly_totals(actor=r.actor, year=_year(r), org=_org(r)))))


def _reviews(request):
    return selectors.reviews(actor=request.actor, year=_year(request), org=_org(request),
                             grade=request.get("grade", ""))


REVIEWS = exports.register(exports.ExportKind(
    key="partylife.review", verb="review.export", object_type="partylife.memberreview",
    title=lambda r: f"{_year(r)}年民主评议党员", filename="party-reviews",
    columns=lambda r: ["党员", "党组织", "年度", "评议等次", "年度积分", "说明"],
    rows=lambda r: ([v.person.name, v.org.name, v.year, v.get_grade_display(),
                     selectors.points_total(v.person_id, v.year), v.note] for v in _reviews(r)),
    count=lambda r: _reviews(r).count()))
