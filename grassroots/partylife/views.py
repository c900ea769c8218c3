"""Pages of organisational life: meetings (plan, notice, sign-in, minutes, photos, archive), the alerts and the
overdue list, terms, points, reviews, a member's own page, and the Excel exports."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import clock
from grassroots.core.attachments import attachments_for
from grassroots.core.edges import date_param, int_param, or_404, post_action
from grassroots.core.errors import ApplicationError, NotFound, ValidationFailed
from grassroots.core.export_views import export_response

from . import exports, permissions, policy, selectors, services
from .services.meetings import quorum
from .states import AlertKind, Duty, Grade, MeetingStatus, Presence, RollRule


def _year(request) -> int:
    return int_param(request.GET.get("year"), minimum=2000, maximum=2999) or clock.today().year


def _org_filter(request, acting=False):
    pk = int_param(request.GET.get("org"), minimum=1)
    if not pk:
        return None
    try:
        return selectors.org_for_life(actor=request.user, pk=pk, acting=acting)
    except NotFound:
        return None


def _filters(request, *keys) -> dict:
    return {k: request.GET.get(k, "") for k in keys if request.GET.get(k, "")}


# --- meetings -----------------------------------------------------------------------------------------------------
@login_required
def meeting_list(request):
    g = request.GET
    status = g.get("status", "") if g.get("status", "") in MeetingStatus.values else ""
    qs = selectors.meetings(actor=request.user, org=_org_filter(request), kind=g.get("kind", "")[:32], status=status,
                            q=g.get("q", "")[:100].strip())
    if g.get("open") == "1":  # the workbench's "meetings to prepare"
        qs = qs.filter(selectors.to_prepare_q(request.user))
    page = Paginator(qs, 30).get_page(g.get("page"))
    return render(request, "partylife/meeting_list.html", {
        "page": page, "statuses": MeetingStatus.choices, "kinds": selectors.kinds(),
        "orgs": selectors.orgs_for_life(actor=request.user, acting=False)[:500],
        "acting_orgs": selectors.orgs_for_life(actor=request.user)[:500]})


@login_required
@require_POST
def meeting_plan(request):
    p = request.POST
    try:
        org = selectors.org_for_life(actor=request.user, pk=p.get("org", ""), acting=True)
        kind = selectors.kinds().filter(pk=int_param(p.get("kind"), minimum=1) or 0).first()
        try:
            planned = dt.datetime.fromisoformat(p.get("planned_at", "").strip())
            planned = timezone.make_aware(planned) if timezone.is_naive(planned) else planned
        except (ValueError, OverflowError):
            planned = None
        meeting = services.meeting_plan(actor=request.user, org=org, kind=kind, title=p.get("title", ""),
                                        planned_at=planned, place=p.get("place", ""), agenda=p.get("agenda", ""))
    except NotFound:
        messages.error(request, _("请选择您负责的党组织"))
        return redirect("partylife:meetings")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("partylife:meetings")
    messages.success(request, _("已计划会议"))
    return redirect("partylife:meeting_detail", meeting.pk)


@login_required
def meeting_detail(request, pk: int):
    meeting = or_404(selectors.meeting_detail, actor=request.user, pk=pk)
    can_act = permissions.can_act(request.user, meeting.org)
    rows = selectors.attendances(actor=request.user, meeting=meeting)
    met, due, present = quorum(meeting) if meeting.status != MeetingStatus.PLANNED else (None, 0, 0)
    return render(request, "partylife/meeting_detail.html", {
        "meeting": meeting, "can_act": can_act, "attendances": rows, "presences": Presence.choices,
        "quorum": {"met": met, "due": due, "present": present, "rule": meeting.kind.quorum},
        "photos": attachments_for(actor=request.user, obj=meeting),
        "invited": meeting.kind.roll == RollRule.INVITED,
        "members": selectors.members_for(actor=request.user, org=meeting.org) if can_act else [],
        "today": clock.today()})


@login_required
@require_POST
def meeting_action(request, pk: int, verb: str):
    meeting = or_404(selectors.meeting_detail, actor=request.user, pk=pk)
    back = reverse("partylife:meeting_detail", args=[pk])
    p = request.POST
    actions = {
        "notice": (lambda: services.meeting_notice(actor=request.user, meeting=meeting,
                                                   invitee_ids=[i for i in p.getlist("invitees") if i.isdigit()]),
                   _("已发出会议通知")),
        "archive": (lambda: services.meeting_archive(actor=request.user, meeting=meeting), _("会议已归档")),
        "cancel": (lambda: services.meeting_cancel(actor=request.user, meeting=meeting, reason=p.get("reason", "")),
                   _("会议已取消")),
    }
    if verb not in actions:
        messages.error(request, _("未知的操作"))
        return redirect(back)
    action, done = actions[verb]
    return post_action(request, action, done, back)


@login_required
@require_POST
def meeting_sign_in(request, pk: int):
    meeting = or_404(selectors.meeting_detail, actor=request.user, pk=pk)
    marks = {}
    for key, value in request.POST.items():
        if key.startswith("p-") and key[2:].isdigit() and value in Presence.values and value != Presence.DUE:
            marks[int(key[2:])] = (value, request.POST.get(f"r-{key[2:]}", ""))
    return post_action(request, lambda: services.meeting_sign_in(actor=request.user, meeting=meeting, marks=marks),
                       _("已保存签到"), reverse("partylife:meeting_detail", args=[pk]))


@login_required
@require_POST
def meeting_hold(request, pk: int):
    meeting = or_404(selectors.meeting_detail, actor=request.user, pk=pk)
    p = request.POST
    return post_action(request, lambda: services.meeting_hold(
        actor=request.user, meeting=meeting, held_on=date_param(p.get("held_on")), minutes=p.get("minutes", ""),
        resolutions=p.get("resolutions", "")), _("已记录会议"), reverse("partylife:meeting_detail", args=[pk]))


@login_required
@require_POST
def meeting_attach(request, pk: int):
    meeting = or_404(selectors.meeting_detail, actor=request.user, pk=pk)
    back = reverse("partylife:meeting_detail", args=[pk])
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择文件"))
        return redirect(back)
    return post_action(request, lambda: services.meeting_attach(actor=request.user, meeting=meeting, upload=upload),
                       _("已上传会议照片"), back)


@login_required
def meeting_export(request):
    return export_response(request, exports.MEETINGS.key, _filters(request, "org", "kind", "status", "q"))


@login_required
def attendance(request, person_id: int):
    """A member's attendance record: their own, or of a member of an organisation the actor sees."""
    every = selectors.attendance_record(actor=request.user, person_id=person_id)
    first = every.select_related("person").first()
    if first is None:
        raise Http404
    year = _year(request)
    page = Paginator(every.filter(meeting__planned_at__year=year), 50).get_page(request.GET.get("page"))
    return render(request, "partylife/attendance.html", {"page": page, "year": year, "person": first.person})


# --- alerts -------------------------------------------------------------------------------------------------------
@login_required
def alert_list(request):
    g = request.GET
    kind = g.get("kind", "") if g.get("kind", "") in AlertKind.values else ""
    qs = selectors.alerts(actor=request.user, kind=kind, open_only=g.get("all") != "1", org=_org_filter(request))
    page = Paginator(qs, 50).get_page(g.get("page"))
    return render(request, "partylife/alert_list.html", {
        "page": page, "kinds": AlertKind.choices, "orgs": selectors.orgs_for_life(actor=request.user,
                                                                                    acting=False)[:500]})


@login_required
@require_POST
def alert_acknowledge(request, pk: int):
    alert = or_404(selectors.alert_detail, actor=request.user, pk=pk)
    return post_action(request, lambda: services.alert_acknowledge(actor=request.user, alert=alert,
                                                                   note=request.POST.get("note", "")),
                       _("已处理提醒"), reverse("partylife:alerts"))


@login_required
def alert_export(request):
    return export_response(request, exports.ALERTS.key, _filters(request, "kind", "all", "org"))


# --- terms --------------------------------------------------------------------------------------------------------
@login_required
def term_list(request):
    due = request.GET.get("due") == "1"
    qs = selectors.terms(actor=request.user, due_within_months=6 if due else None, org=_org_filter(request))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    orgs = selectors.orgs_for_life(actor=request.user, acting=False)[:500]
    return render(request, "partylife/term_list.html", {
        "page": page, "due": due, "orgs": orgs, "today": clock.today(),
        "may_decide": {t.pk: permissions.can_decide(request.user, t.org) for t in page.object_list},
        "may_act": {t.pk: permissions.can_act(request.user, t.org) for t in page.object_list}})


@login_required
@require_POST
def term_start(request):
    p = request.POST
    org = or_404(selectors.org_for_life, actor=request.user, pk=p.get("org", ""))
    return post_action(request, lambda: services.term_start(
        actor=request.user, org=org, start=date_param(p.get("start")),
        years=int_param(p.get("years"), minimum=0, maximum=99)), _("已登记本届任期"), reverse("partylife:terms"))


@login_required
@require_POST
def term_extend(request, pk: int):
    term = or_404(selectors.term_detail, actor=request.user, pk=pk)
    p = request.POST
    if p.get("decision") in ("approve", "refuse"):
        return post_action(request, lambda: services.term_extend_decide(
            actor=request.user, term=term, approve=p.get("decision") == "approve"), _("已处理延期申请"),
            reverse("partylife:terms"))
    return post_action(request, lambda: services.term_extend_propose(
        actor=request.user, term=term, to=date_param(p.get("to")), reason=p.get("reason", "")),
        _("已提交延期申请"), reverse("partylife:terms"))


@login_required
def term_seats(request, pk: int):
    """The committee of a term: its members and duties, with history; the organisation (or the committee above)
    records who was elected and when a seat ends."""
    term = or_404(selectors.term_detail, actor=request.user, pk=pk)
    may_keep = permissions.can_act(request.user, term.org) or permissions.can_remind(request.user, term.org)
    if request.method == "POST":
        p = request.POST
        candidate = int_param(p.get("person"), minimum=1)

        def add():
            if not candidate:
                raise ValidationFailed("请选择党员", "Choose the member", field="person")
            person = selectors.seat_candidate(actor=request.user, term=term, pk=candidate or "")
            services.seat_add(actor=request.user, term=term, person=person, duty=p.get("duty", ""),
                              start=date_param(p.get("start")))

        return post_action(request, add, _("已登记委员"), reverse("partylife:term_seats", args=[term.pk]))
    seats = selectors.seats(actor=request.user, term_pk=term.pk)
    return render(request, "partylife/term_seats.html", {
        "term": term, "seats": seats, "may_keep": may_keep and term.closed_on is None, "duties": Duty.choices,
        "candidates": selectors.seat_candidates(actor=request.user, term=term)[:1000] if may_keep else []})


@login_required
@require_POST
def seat_end(request, pk: int):
    seat = or_404(selectors.seat_detail, actor=request.user, pk=pk)
    return post_action(request, lambda: services.seat_end(
        actor=request.user, seat=seat, reason=request.POST.get("reason", ""), on=date_param(request.POST.get("on"))),
        _("已办理离任"), reverse("partylife:term_seats", args=[seat.term_id]))


@login_required
def term_export(request):
    return export_response(request, exports.TERMS.key, _filters(request, "due", "org"))


# --- points -------------------------------------------------------------------------------------------------------
@login_required
def points(request):
    year, org = _year(request), _org_filter(request)
    totals = selectors.yearly_totals(actor=request.user, year=year, org=org)
    pending = selectors.points_entries(actor=request.user, status="pending", org=org)
    return render(request, "partylife/points.html", {
        "year": year, "totals": Paginator(totals, 50).get_page(request.GET.get("page")),
        "rankings": policy.get("partylife.rankings"), "pending": pending[:100],
        "may_decide": {e.pk: permissions.can_decide(request.user, e.org) for e in pending[:100]},
        "members": selectors.members_for(actor=request.user)[:1000],
        "uncounted": selectors.uncounted_service_records(actor=request.user, year=year, org=org).count(),
        "rules": [r for r in selectors.points_rules() if r.source == "manual"],
        "orgs": selectors.orgs_for_life(actor=request.user, acting=False)[:500]})


@login_required
@require_POST
def points_services(request):
    """Count the year's service hours not yet in the ledger (the members of the organisations one acts for)."""
    year = int_param(request.POST.get("year"), minimum=2000, maximum=2999) or clock.today().year
    org = None
    if request.POST.get("org"):
        org = or_404(selectors.org_for_life, actor=request.user, pk=request.POST.get("org"), acting=True)
    try:
        written = services.points_for_services(actor=request.user, year=year, org=org)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已计入 %(n)d 条服务时长积分") % {"n": written})
    return redirect(f"{reverse('partylife:points')}?year={year}")


@login_required
@require_POST
def points_enter(request):
    p = request.POST
    person = or_404(selectors.member_person, actor=request.user, pk=p.get("person", ""))
    membership = selectors.members_for(actor=request.user).get(person=person)
    return post_action(request, lambda: services.points_enter(
        actor=request.user, person=person, org=membership.org, rule_code=p.get("rule", ""), points=p.get("points"),
        reason=p.get("reason", ""), occurred_on=date_param(p.get("occurred_on"))), _("已登记积分，待上级审核"),
        reverse("partylife:points"))


@login_required
@require_POST
def points_decide(request, pk: int):
    entry = or_404(selectors.points_entry, actor=request.user, pk=pk)
    return post_action(request, lambda: services.points_decide(
        actor=request.user, entry=entry, approve=request.POST.get("decision") == "approve"), _("已审核积分"),
        reverse("partylife:points"))


@login_required
def points_export(request):
    return export_response(request, exports.POINTS.key, _filters(request, "year", "org"))


# --- reviews ------------------------------------------------------------------------------------------------------
@login_required
def review_list(request):
    year, org = _year(request), _org_filter(request)
    grade = request.GET.get("grade", "") if request.GET.get("grade", "") in Grade.values else ""
    qs = selectors.reviews(actor=request.user, year=year, org=org, grade=grade)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(r, selectors.points_total(r.person_id, r.year)) for r in page.object_list]
    return render(request, "partylife/review_list.html", {
        "page": page, "rows": rows, "year": year, "grades": Grade.choices,
        "members": selectors.members_for(actor=request.user)[:1000],
        "uncounted": selectors.uncounted_service_records(actor=request.user, year=year, org=org).count(),
        "orgs": selectors.orgs_for_life(actor=request.user, acting=False)[:500]})


@login_required
@require_POST
def review_record(request):
    p = request.POST
    person = or_404(selectors.member_person, actor=request.user, pk=p.get("person", ""))
    membership = selectors.members_for(actor=request.user).get(person=person)
    return post_action(request, lambda: services.review_record(
        actor=request.user, person=person, org=membership.org, year=int_param(p.get("year"), minimum=0),
        grade=p.get("grade", ""), note=p.get("note", "")), _("已登记评议结果"), reverse("partylife:reviews"))


@login_required
def review_export(request):
    return export_response(request, exports.REVIEWS.key, _filters(request, "year", "org", "grade"))


# --- a member's own page ------------------------------------------------------------------------------------------
@login_required
def me(request):
    year = _year(request)
    record = selectors.my_record(actor=request.user, year=year)
    grade = dict(Grade.choices).get(record["grade"]) if record["grade"] else None
    return render(request, "partylife/me.html", {"record": record, "year": year, "grade": grade})
