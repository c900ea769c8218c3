"""Case pages: intake through each channel, inboxes, list, detail with htmx actions, map, public pages, tracking.

Thin edges: each view parses input, calls one service or selector (``services`` / ``selectors`` of this app,
``selectors_pages`` for pick lists and map points, ``exports`` for the spreadsheet) and renders; who may do what is
``permissions``'. Errors from services are shown next to the field (``err.field``) or at the top of the form; a
``Conflict`` re-renders the panel with the case's current state.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.core import clock
from grassroots.core.edges import bool_param, field_error, or_404
from grassroots.core.errors import ApplicationError, Conflict, NotFound, ValidationFailed
from grassroots.core.export_views import export_response
from grassroots.people.masking import mask_phone

from . import exports, permissions, policy, selectors, selectors_pages, services
from . import forms as f
from .states import (
    TRANSITIONS,
    AssignmentRole,
    Channel,
    ExtensionStatus,
    Status,
    next_tier,
    status_label,
    table_verb,
)

PAGE_SIZE = 30


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _apply_error(form, err: ApplicationError) -> None:
    """Show a service error next to its field (or at the top of the form); a position error next to the grid."""
    if err.field in ("position", "lon", "lat") and "region" in form.fields:
        form.add_error("region", err.message)
    else:
        field_error(form, err)


def _label_events(rows):
    """Add display labels to timeline rows (dicts from the selectors, which decide what the viewer sees): the
    transition verb (``move``) and its label, the to-state's label, and who acted (``actor_display``)."""
    for e in rows:
        verb, to_state = table_verb(e["verb"]), e.get("to_state")
        e.update(move=verb, verb_label=str(TRANSITIONS[verb].label) if verb in TRANSITIONS else verb,
                 to_state_label=status_label(to_state), actor_display=e.get("actor", ""))
    return rows


# ---------------------------------------------------------------------------------------------------------------
# Intake through the channels

INTAKE = {
    # name: (form class, template, requires login)
    "patrol": (f.PatrolForm, "cases/intake_patrol.html", True),
    "report": (f.ResidentReportForm, "cases/intake_report.html", False),
    "hotline": (f.HotlineForm, "cases/intake_hotline.html", True),
    "appeal": (f.EnterpriseAppealForm, "cases/intake_appeal.html", True),
    "staff": (f.StaffEntryForm, "cases/intake_staff.html", True),
}


def _intake_allowed(actor, name: str) -> bool:
    if name == "report":
        return True
    if name == "staff":
        return permissions.can_report(actor, Channel.STAFF) or permissions.can_report(actor, Channel.INSPECTION)
    return permissions.can_report(actor, INTAKE[name][0].channel)


def _intake(request, name: str):
    form_class, template, needs_login = INTAKE[name]
    actor = request.user
    if needs_login and not actor.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    if not _intake_allowed(actor, name):
        raise Http404
    categories = selectors_pages.intake_categories(actor=actor)
    kwargs = {"categories": categories, "regions": selectors_pages.intake_regions(actor=actor)}
    if name == "appeal":
        kwargs["enterprises"] = selectors_pages.appeal_enterprises(actor=actor)
    if name == "staff":
        form_class = f.StaffEntryForm
    form = form_class(request.POST or None, request.FILES or None, **kwargs)
    if name == "staff" and not permissions.can_report(actor, Channel.INSPECTION):
        form.fields["source"].choices = [(Channel.STAFF.value, Channel.STAFF.label)]
    if request.method == "POST" and form.is_valid():
        try:
            intake = services.case_report(actor=actor if actor.is_authenticated else None,
                                          uploads=form.cleaned_data.get("photos") or [], **form.service_kwargs())
        except ApplicationError as err:
            _apply_error(form, err)
        else:
            return _after_intake(request, name, intake)
    extra = [form[n] for n in form.fields if n not in f.IntakeForm.base_fields]
    return render(request, template, {"form": form, "categories": categories, "channel_name": name, "extra": extra})


def _after_intake(request, name: str, intake):
    notice = intake.notice_en if (request.LANGUAGE_CODE or "").startswith("en") else intake.notice_zh
    if notice:
        messages.error(request, notice)
    if name == "report":
        request.session["cases_last_tracking"] = {"code": intake.tracking_code, "reference": intake.case.reference,
                                                  "created": intake.created}
        return redirect("cases:report_done")
    if intake.created:
        messages.success(request, _("已上报，编号 %(ref)s") % {"ref": intake.case.reference})
    else:
        messages.info(request, _("该表单已提交过，未重复上报（编号 %(ref)s）") % {"ref": intake.case.reference})
    return redirect("cases:case_detail", pk=intake.case.pk)


@require_http_methods(["GET", "POST"])
def patrol_new(request):
    return _intake(request, "patrol")


@require_http_methods(["GET", "POST"])
def report_new(request):
    return _intake(request, "report")


@require_http_methods(["GET", "POST"])
def hotline_new(request):
    return _intake(request, "hotline")


@require_http_methods(["GET", "POST"])
def appeal_new(request):
    return _intake(request, "appeal")


@require_http_methods(["GET", "POST"])
def staff_new(request):
    return _intake(request, "staff")


@require_GET
def report_done(request):
    last = request.session.get("cases_last_tracking")
    if not last:
        return redirect("cases:report_new")
    return render(request, "cases/report_done.html", {"last": last})


@require_http_methods(["GET", "POST"])
def track(request):
    """Follow a report by its tracking code (查询码); rate it once it is closed. The code travels in POST only."""
    form = f.TrackForm(request.POST or None)
    rating_form = None
    info = None
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if "satisfaction" in request.POST:
            rating_form = f.RatingForm(request.POST)
            if rating_form.is_valid():
                try:
                    services.case_rate(actor=request.user if request.user.is_authenticated else None,
                                       tracking_code=code, **rating_form.cleaned_data)
                except ApplicationError as err:
                    _apply_error(rating_form, err)
                else:
                    messages.success(request, _("感谢您的评价"))
                    rating_form = None
        try:
            info = selectors.tracking_lookup(actor=request.user, code=code)
        except NotFound as err:
            form.add_error("code", err.message)
        else:
            info["status_label"] = status_label(info["status"])
            _label_events(info["timeline"])
        if info and info["can_rate"] and rating_form is None:
            rating_form = f.RatingForm()
        elif info and not info["can_rate"]:
            if rating_form is not None:
                for error in rating_form.non_field_errors():
                    messages.error(request, error)
            rating_form = None
    return render(request, "cases/track.html", {"form": form, "info": info, "rating_form": rating_form})


# ---------------------------------------------------------------------------------------------------------------
# Inbox, list, export


@login_required
@require_GET
def inbox(request):
    counts = selectors.inbox_counts(actor=request.user)
    queues = _queues_for(request.user, counts)
    queue = request.GET.get("queue") or next((q["key"] for q in queues if q["count"]), None) or (
        queues[0]["key"] if queues else None)
    if queue is None:
        return render(request, "cases/inbox.html", {"queues": [], "queue": None, "page": None})
    if queue not in selectors.QUEUES:
        raise Http404
    page = Paginator(selectors.inbox(actor=request.user, queue=queue), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/inbox.html", {"queues": queues, "queue": queue, "page": page,
                                                "queue_label": selectors.QUEUE_LABELS[queue]})


def _queues_for(actor, counts) -> list[dict]:
    return [{"key": q, "label": selectors.QUEUE_LABELS[q], "count": counts.get(q, 0)}
            for q in selectors.QUEUES if counts.get(q) or permissions.works_queue(actor, q)]


def _filters(request):
    form = f.CaseFilterForm(request.GET or None)
    if not form.is_valid():
        return form, {}
    d = form.cleaned_data
    return form, {
        "q": d.get("q") or "", "status": d.get("status") or None, "category": d.get("category") or None,
        "tier": d.get("tier") or None, "channel": d.get("channel") or None, "date_from": d.get("date_from"),
        "date_to": d.get("date_to"), "overdue": True if d.get("overdue") else None,
        "supervision": True if d.get("supervision") else None,
    }


@login_required
@require_GET
def case_list(request):
    form, filters = _filters(request)
    page = Paginator(selectors.case_list(actor=request.user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/case_list.html", {"form": form, "page": page})


@login_required
@require_GET
def case_export(request):
    _form, filters = _filters(request)
    return export_response(request, exports.CASES.key, exports.filters_json(filters))


@login_required
@require_GET
def my_reports(request):
    page = Paginator(selectors_pages.my_reports(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/my_reports.html", {"page": page})


# ---------------------------------------------------------------------------------------------------------------
# Case detail and actions


def _state_allows(case, verb: str) -> bool:
    return case.status in TRANSITIONS["escalate" if verb == "whistle" else verb].sources


def available_actions(actor, detail) -> list[str]:
    """Which action forms to show: the verbs the transition table allows in the case's state whose rule
    (``permissions.can_<verb>``, and the unit's own assignment's state) the actor meets — the checks the services
    make again when the form is sent — and, for rating, reopening and extensions, what is still open to decide."""
    c = detail.case
    active = [a for a in detail.assignments if a.active]
    current_rating = next((r for r in detail.ratings if r.round == c.rating_round), None)
    unsatisfied = (current_rating is not None and permissions.is_unsatisfied(current_rating)
                   and not current_rating.reopen_decision)
    pending = next((e for e in detail.extensions if e.status == ExtensionStatus.PENDING), None)

    def ready(verb, role=None):
        return permissions.assignment_ready(permissions.unit_of(actor, active, role=role), verb)

    rules = {
        "accept": lambda: permissions.can_accept(actor, c),
        "resolve_on_site": lambda: permissions.can_resolve_on_site(actor, c),
        "reject": lambda: permissions.can_reject(actor, c),
        "mark_duplicate": lambda: permissions.can_mark_duplicate(actor, c),
        "dispatch": lambda: permissions.can_dispatch(actor, c),
        "whistle": lambda: permissions.can_whistle(actor, c),
        "escalate": lambda: permissions.can_escalate(actor, c) and next_tier(c.tier) is not None,
        "acknowledge": lambda: permissions.can_acknowledge(actor, c, active) and ready("acknowledge"),
        "return": lambda: permissions.can_return(actor, c, active),
        "part_done": lambda: (permissions.can_part_done(actor, c, active)
                              and ready("part_done", AssignmentRole.CO)),
        "handle": lambda: permissions.can_handle(actor, c, active) and ready("handle", AssignmentRole.LEAD),
        "note": lambda: permissions.can_note(actor, c, active),
        "verify_pass": lambda: permissions.can_verify_pass(actor, c),
        "verify_fail": lambda: permissions.can_verify_fail(actor, c),
        "rate": lambda: current_rating is None and permissions.can_rate(actor, c),
        "reopen": lambda: unsatisfied and permissions.can_reopen(actor, c),
        "redispatch": lambda: unsatisfied and permissions.can_redispatch(actor, c),
        "answer": lambda: permissions.can_answer(actor, c),
        "decline_reopen": lambda: unsatisfied and permissions.can_decline_reopen(actor, c),
        "request_extension": lambda: pending is None and permissions.can_request_extension(actor, c, active),
        "approve_extension": lambda: pending is not None and permissions.can_approve_extension(actor, c, pending),
        "decline_extension": lambda: pending is not None and permissions.can_decline_extension(actor, c, pending),
        "suspend": lambda: permissions.can_suspend(actor, c),
        "resume": lambda: permissions.can_resume(actor, c),
        "supervise": lambda: permissions.can_supervise(actor, c) and not c.supervision,
    }
    return [verb for verb, rule in rules.items() if _state_allows(c, verb) and rule()]


ACTION_FORMS = {
    "accept": f.AcceptForm, "reject": f.ReasonForm, "mark_duplicate": f.DuplicateForm,
    "resolve_on_site": f.ResolveOnSiteForm, "dispatch": f.DispatchForm, "whistle": f.WhistleForm,
    "escalate": f.OptionalReasonForm, "supervise": f.ReasonForm, "acknowledge": f.EmptyForm,
    "return": f.ReasonForm, "note": f.TextForm, "part_done": f.NoteForm, "handle": f.HandleForm,
    "verify_pass": f.NoteForm, "verify_fail": f.ReasonForm, "rate": f.RatingForm, "reopen": f.OptionalReasonForm,
    "decline_reopen": f.ReasonForm, "request_extension": f.ExtensionRequestForm,
    "approve_extension": f.ExtensionDecisionForm, "decline_extension": f.ExtensionDecisionForm,
    "suspend": f.SuspendForm, "resume": f.EmptyForm, "answer": f.AnswerForm, "redispatch": f.RedispatchForm,
}
ACTION_LABELS = {
    "accept": gettext_lazy("受理立案"), "reject": gettext_lazy("不予立案"), "mark_duplicate": gettext_lazy("标记重复"),
    "resolve_on_site": gettext_lazy("现场处置"), "dispatch": gettext_lazy("派遣"), "whistle": gettext_lazy("吹哨（呼叫区级部门）"),
    "escalate": gettext_lazy("上报上级"), "supervise": gettext_lazy("督办"), "acknowledge": gettext_lazy("报到"), "return": gettext_lazy("回退"),
    "note": gettext_lazy("办理记录"), "part_done": gettext_lazy("协办完成"), "handle": gettext_lazy("办结"), "verify_pass": gettext_lazy("核查通过"),
    "verify_fail": gettext_lazy("核查不通过（返工）"), "rate": gettext_lazy("评价 / 回访"), "reopen": gettext_lazy("确认重启"),
    "decline_reopen": gettext_lazy("不予重启"), "request_extension": gettext_lazy("申请延期"), "approve_extension": gettext_lazy("批准延期"),
    "decline_extension": gettext_lazy("不批准延期"), "suspend": gettext_lazy("挂账"), "resume": gettext_lazy("恢复办理"),
    "answer": gettext_lazy("答复办结"), "redispatch": gettext_lazy("二次派单"),
}
DANGER = {"reject": gettext_lazy("确定不予立案？"), "mark_duplicate": gettext_lazy("确定标记为重复件？"), "suspend": gettext_lazy("确定挂账？"),
          "decline_reopen": gettext_lazy("确定不予重启？"), "verify_fail": gettext_lazy("确定核查不通过并退回返工？")}


def _action_form(verb: str, detail, actor, data=None, files=None):
    cls = ACTION_FORMS[verb]
    kwargs = {}
    if verb in ("dispatch", "whistle", "redispatch"):
        kwargs["units"] = selectors_pages.dispatch_units(actor=actor, case=detail.case)
    form = cls(data, files, prefix=verb, **kwargs)
    if verb == "handle" and detail.case.channel != "enterprise":
        del form.fields["closure_kind"]
    if data is None:
        if verb == "accept":
            form.initial.update(tier=detail.case.tier, public_summary=detail.case.public_summary)
        if verb in ("approve_extension", "decline_extension"):
            pending = next((e for e in detail.extensions if e.status == "pending"), None)
            form.initial["extension"] = pending.pk if pending else None
        if verb == "dispatch" and detail.case.category.default_department_id:
            form.initial["lead"] = detail.case.category.default_department_id
    return form


def _run(verb: str, actor, case, form):
    """Call the one service the verb names."""
    d = form.cleaned_data
    if verb == "accept":
        return services.case_accept(actor=actor, case=case, tier=d["tier"], public_summary=d["public_summary"])
    if verb == "reject":
        return services.case_reject(actor=actor, case=case, reason=d["reason"])
    if verb == "mark_duplicate":
        original = selectors_pages.case_by_reference(actor=actor, reference=d["original"])
        return services.case_mark_duplicate(actor=actor, case=case, original=original, reason=d["reason"])
    if verb == "resolve_on_site":
        return services.case_resolve_on_site(actor=actor, case=case, note=d["note"],
                                             uploads=d["evidence"])
    if verb == "dispatch":
        return services.case_dispatch(actor=actor, case=case, lead=d["lead"], co_handlers=d["co_handlers"],
                                      instructions=d["instructions"])
    if verb == "whistle":
        return services.case_escalate(actor=actor, case=case, whistle=True, lead=d["lead"],
                                      co_handlers=d["co_handlers"], reason=d["reason"])
    if verb == "escalate":
        return services.case_escalate(actor=actor, case=case, reason=d["reason"])
    if verb == "supervise":
        return services.case_supervise(actor=actor, case=case, reason=d["reason"])
    if verb == "acknowledge":
        return services.case_acknowledge(actor=actor, case=case)
    if verb == "return":
        return services.case_return(actor=actor, case=case, reason=d["reason"])
    if verb == "note":
        return services.case_note(actor=actor, case=case, text=d["text"])
    if verb == "part_done":
        return services.case_part_done(actor=actor, case=case, note=d["note"])
    if verb == "handle":
        return services.case_handle(actor=actor, case=case, result=d["result"],
                                    uploads=d["evidence"], closure_kind=d.get("closure_kind", ""))
    if verb == "answer":
        return services.case_answer(actor=actor, case=case, result=d["result"], closure_kind=d["closure_kind"])
    if verb == "redispatch":
        return services.case_redispatch(actor=actor, case=case, lead=d["lead"], co_handlers=d["co_handlers"],
                                        reason=d["reason"], instructions=d["instructions"])
    if verb == "verify_pass":
        return services.case_verify_pass(actor=actor, case=case, note=d["note"])
    if verb == "verify_fail":
        return services.case_verify_fail(actor=actor, case=case, reason=d["reason"])
    if verb == "rate":
        return services.case_rate(actor=actor, case=case, resolved=d["resolved"], satisfaction=d["satisfaction"],
                                  comment=d["comment"])
    if verb == "reopen":
        return services.case_reopen(actor=actor, case=case, reason=d["reason"])
    if verb == "decline_reopen":
        return services.case_decline_reopen(actor=actor, case=case, reason=d["reason"])
    if verb == "request_extension":
        return services.case_request_extension(actor=actor, case=case, amount=d["amount"], unit=d["unit"],
                                               reason=d["reason"])
    if verb == "approve_extension":
        return services.case_approve_extension(actor=actor, extension=d["extension"], note=d["note"])
    if verb == "decline_extension":
        return services.case_decline_extension(actor=actor, extension=d["extension"], note=d["note"])
    if verb == "suspend":
        return services.case_suspend(actor=actor, case=case, reason=d["reason"], review_at=d["review_at"])
    if verb == "resume":
        return services.case_resume(actor=actor, case=case)
    raise Http404


def _panel_context(request, detail, bound: dict | None = None, conflict: str = "") -> dict:
    actor = request.user
    verbs = available_actions(actor, detail)
    bound = bound or {}
    actions = [{"verb": v, "label": ACTION_LABELS[v], "confirm": DANGER.get(v, ""),
                "form": bound.get(v) or _action_form(v, detail, actor),
                "multipart": v in ("handle", "resolve_on_site")} for v in verbs]
    c = detail.case
    _label_events(detail.timeline)
    reporter = None
    if not detail.identity_hidden and (c.reporter_name or c.reporter_contact or c.reporter_id):
        reporter = {"name": c.reporter_name or (str(c.reporter) if c.reporter_id else ""),
                    "contact": mask_phone(c.reporter_contact)}
    return {"detail": detail, "case": c, "actions": actions, "conflict": conflict, "reporter": reporter,
            "now": clock.now(), "duplicate_candidates": _duplicate_candidates(actor, c, verbs),
            "next_steps": permissions.next_steps(c, detail.assignments, ratings=detail.ratings,
                                                 extensions=detail.extensions)}


def _duplicate_candidates(actor, case, verbs) -> list[dict]:
    """Possible originals for whoever may mark this case a duplicate (triage): nearest first, with distance."""
    if "mark_duplicate" not in verbs:
        return []
    return [{"case": other, "distance": round(other.distance_m)}
            for other in selectors.duplicate_candidates(actor=actor, case=case)]


@login_required
@require_GET
def case_detail(request, pk: int):
    detail = or_404(selectors.case_detail, actor=request.user, pk=pk)
    return render(request, "cases/case_detail.html", _panel_context(request, detail))


@login_required
@require_GET
def case_panel(request, pk: int):
    detail = or_404(selectors.case_detail, actor=request.user, pk=pk)
    return render(request, "cases/_panel.html", _panel_context(request, detail))


@login_required
@require_POST
def case_action(request, pk: int, verb: str):
    """POST one action. htmx gets the refreshed panel; plain forms are redirected back to the case page."""
    if verb not in ACTION_FORMS:
        raise Http404
    actor = request.user
    detail = or_404(selectors.case_detail, actor=actor, pk=pk)
    form = _action_form(verb, detail, actor, request.POST, request.FILES)
    conflict = ""
    status = 200
    if form.is_valid():
        try:
            _run(verb, actor, detail.case, form)
        except Conflict as err:
            conflict = err.message
            status = 409 if not _is_htmx(request) else 200
            form = None
        except ApplicationError as err:
            if isinstance(err, NotFound) and err.field is None:
                raise Http404
            _apply_error(form, err)
        else:
            messages.success(request, _("已完成：%(label)s") % {"label": ACTION_LABELS[verb]})
            if not _is_htmx(request):
                return redirect("cases:case_detail", pk=pk)
            form = None
    detail = or_404(selectors.case_detail, actor=actor, pk=pk) if form is None else detail
    ctx = _panel_context(request, detail, bound={verb: form} if form is not None else None, conflict=conflict)
    if _is_htmx(request):  # the panel replaces part of this page: its confirmation shows here, now (and only here)
        ctx["flash"] = list(messages.get_messages(request))
    template = "cases/_panel.html" if _is_htmx(request) else "cases/case_detail.html"
    return render(request, template, ctx, status=status if not _is_htmx(request) else 200)


# ---------------------------------------------------------------------------------------------------------------
# Map


@login_required
@require_GET
def case_map(request):
    return render(request, "cases/case_map.html", {"data_url": reverse("cases:case_map_data")})


@login_required
@require_GET
def case_map_data(request):
    from grassroots.territory.selectors import grids_geojson

    overdue = bool_param(request.GET.get("overdue"))
    data = {"grids": grids_geojson(actor=request.user),
            "cases": selectors_pages.case_map_points(actor=request.user, overdue=overdue)}
    for c in data["cases"]:
        c["url"] = reverse("cases:case_detail", args=[c["id"]])
    return JsonResponse(data)


# ---------------------------------------------------------------------------------------------------------------
# Public pages (public summary only)


@require_GET
def public_list(request):
    status = request.GET.get("status") or None
    if status and status not in Status.values:
        status = None
    page = Paginator(selectors.public_case_list(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row["status_label"] = status_label(row["status"])
    return render(request, "cases/public_list.html", {"page": page, "status": status,
                                                      "statuses": [s for s in Status.choices if s[0] != "rejected"],
                                                      "data_url": reverse("cases:public_map_data")})


@require_GET
def public_detail(request, pk: int):
    row = or_404(selectors.public_case_get, pk=pk)
    row["status_label"] = status_label(row["status"])
    _label_events(row["timeline"])
    return render(request, "cases/public_detail.html", {"row": row})


@require_GET
def public_map_data(request):
    points = selectors_pages.public_map_points()
    for c in points:
        c["url"] = reverse("cases:public_detail", args=[c["id"]])
    return JsonResponse({"grids": {"type": "FeatureCollection", "features": []}, "cases": points})


@require_GET
def nearby(request):
    """For the intake forms, while filling in: open cases of the chosen category near the position, so the
    reporter sees the problem is already known (an HTML fragment; empty when there are none or the input is
    incomplete)."""
    actor = request.user if request.user.is_authenticated else None
    code = (request.GET.get("category") or "").strip().split(" ", 1)[0]
    try:
        found = selectors.nearby_open_cases(actor=actor, category=code, lon=request.GET.get("lon"),
                                            lat=request.GET.get("lat"), crs=request.GET.get("crs") or "WGS84")
    except ValidationFailed:
        found = []
    rows = [{"case": c, "distance": round(c.distance_m), "approximate": c.approximate,
             "summary": c.public_summary if c.approximate else c.title,
             "url": reverse("cases:public_detail" if c.approximate else "cases:case_detail", args=[c.pk])}
            for c in found]
    return render(request, "cases/_nearby.html", {"rows": rows, "radius": policy.setting("duplicate_radius_m"),
                                                  "hours": policy.setting("duplicate_hours")})


@require_GET
def channels(request):
    """The entry page: which channels the visitor may use."""
    actor = request.user
    entries = [(name, url) for name, url in [
        ("report", "cases:report_new"), ("patrol", "cases:patrol_new"), ("hotline", "cases:hotline_new"),
        ("appeal", "cases:appeal_new"), ("staff", "cases:staff_new")]
        if name == "report" or (actor.is_authenticated and _intake_allowed(actor, name))]
    return render(request, "cases/channels.html", {"entries": entries})
