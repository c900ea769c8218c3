"""Development pages: each branch's pipeline and cases, where cases wait on the committee above, and a case with
its steps and the form for the next one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import clock
from grassroots.core.edges import date_param, int_param, or_404, post_action
from grassroots.party import selectors as party_selectors
from grassroots.party.models import BRANCH_KINDS

from . import permissions, selectors, services
from .states import STEPS, UPPER_STEPS, Stage

# The fields a step's form asks for beyond date, who and note.
STEP_FIELDS = {5: ("contacts",), 9: ("sponsors",), 11: ("days", "hours"), 15: ("present", "yes"),
               17: ("delay_reason",), 23: ("present", "yes")}


@login_required
def cases(request):
    stage = request.GET.get("stage", "")
    stage = stage if stage in Stage.values else ""
    waiting = request.GET.get("waiting", "")
    waiting = waiting if waiting in ("upper", "branch") else ""
    due = clock.today() if request.GET.get("due") == "1" else None
    qs = selectors.case_list(actor=request.user, stage=stage, waiting=waiting, q=request.GET.get("q", ""), due=due)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "partydevelopment/cases.html", {
        "page": page, "stages": Stage.choices, "pipeline": selectors.pipeline(actor=request.user),
        "branches": [o for o in party_selectors.orgs_for_choice(actor=request.user) if o.kind in BRANCH_KINDS],
        "today": clock.today()})


@login_required
@require_POST
def case_open(request):
    """Step 1 from the list page: the applicant by ID number, the branch, the date."""
    from django.shortcuts import redirect

    from grassroots.core.errors import ApplicationError

    p = request.POST
    try:
        branch = or_404(party_selectors.org_detail, actor=request.user, pk=int_param(p.get("branch"), minimum=1) or 0)
        person = party_selectors.person_by_id_number(actor=request.user, id_number=p.get("id_number", "").strip())
        case = services.case_open(actor=request.user, person=person, branch=branch,
                                  applied_on=date_param(p.get("applied_on")), done_by=p.get("done_by", ""))
    except ApplicationError as exc:
        from django.contrib import messages

        messages.error(request, exc.message)
        return redirect("partydevelopment:cases")
    return redirect("partydevelopment:case_detail", case.pk)


@login_required
def case_detail(request, pk: int):
    case = or_404(selectors.case_detail, actor=request.user, pk=pk)
    nxt = selectors.next_step_due(case, clock.today())
    may = bool(nxt) and (permissions.can_upper(request.user, case.branch) if nxt["upper"]
                         else permissions.can_branch(request.user, case.branch))
    return render(request, "partydevelopment/case_detail.html", {
        "case": case, "steps": selectors.case_steps(actor=request.user, case=case), "next": nxt, "may": may,
        "fields": STEP_FIELDS.get(nxt["number"], ()) if nxt else (), "labels": STEPS,
        "upper_steps": UPPER_STEPS, "today": clock.today(),
        "can_notice": case.last_step in (12, 23) and permissions.can_branch(request.user, case.branch)})


@login_required
@require_POST
def step_record(request, pk: int):
    case = or_404(selectors.case_detail, actor=request.user, pk=pk)
    p = request.POST
    data = {}
    for key in ("contacts", "sponsors"):
        if key in p:
            data[key] = [x.strip() for x in p.get(key, "").replace("，", ",").split(",") if x.strip()]
    for key in ("days", "hours", "present", "yes"):
        if key in p:
            data[key] = int_param(p.get(key), minimum=0) or 0
    if "delay_reason" in p:
        data["delay_reason"] = p.get("delay_reason", "")
    return post_action(request, lambda: services.step_record(
        actor=request.user, case=case, number=int_param(p.get("number"), minimum=1) or 0,
        done_on=date_param(p.get("done_on")), done_by=p.get("done_by", ""), note=p.get("note", ""), data=data,
        upload=request.FILES.get("document")), _("已记录"), reverse("partydevelopment:case_detail", args=[pk]))


@login_required
@require_POST
def notice_publish(request, pk: int):
    case = or_404(selectors.case_detail, actor=request.user, pk=pk)
    return post_action(request, lambda: services.notice_publish(actor=request.user, case=case),
                       _("已发布公示"), reverse("partydevelopment:case_detail", args=[pk]))


@login_required
@require_POST
def case_extend(request, pk: int):
    case = or_404(selectors.case_detail, actor=request.user, pk=pk)
    return post_action(request, lambda: services.case_extend(
        actor=request.user, case=case, months=request.POST.get("months"), reason=request.POST.get("reason", "")),
        _("已延长预备期"), reverse("partydevelopment:case_detail", args=[pk]))
