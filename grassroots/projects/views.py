"""Pages for micro-projects (application to closing), the community fund (public ledger, staff ledger, donations,
tranches, corrections, reconciliation, Excel export), red partners, volunteers and talents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.edges import field_error, or_404, post_action
from grassroots.core.errors import ApplicationError, ValidationFailed
from grassroots.core.export_views import export_response

from . import exports, selectors, services
from . import fund as fundsvc
from .forms import DonationForm, HoursForm, MilestoneForm, ProjectForm, ReviewForm, TrancheForm
from .models import REVIEW_CRITERIA, LedgerEntry
from .states import ProjectStatus


def _form_post(request, form, act, success: str, back: str):
    """A POSTed form for one service call: the form's own errors as messages, else ``act(cleaned_data)`` through
    ``post_action``; back to ``back`` either way."""
    if not form.is_valid():
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label} {'；'.join(errs)}".strip())
        return redirect(back)
    return post_action(request, lambda: act(form.cleaned_data), success, back)


# --- micro-projects -------------------------------------------------------------------------------------------------
@login_required
def project_list(request):
    g = request.GET
    qs = selectors.projects(actor=request.user, status=g.get("status", ""), community_code=g.get("community", ""),
                            q=g.get("q", "").strip())
    page = Paginator(qs, 20).get_page(g.get("page"))
    return render(request, "projects/project_list.html", {
        "page": page, "statuses": ProjectStatus.choices, "communities": selectors.communities(actor=request.user)})


@login_required
def project_new(request):
    choices = selectors.application_communities(actor=request.user)
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        community = next((c for c in choices if str(c.pk) == request.POST.get("community")), None)
        try:
            if community is None:
                raise ValidationFailed("请选择社区", "Choose the community", field="community")
            project = services.project_create(actor=request.user, community=community, title=d["title"],
                                              background=d["background"], goals=d["goals"],
                                              activities=d["activities"], beneficiaries=d["beneficiaries"],
                                              beneficiary_count=d["beneficiary_count"], budget_lines=d["budget"])
        except ApplicationError as exc:
            field_error(form, exc)
        else:
            messages.success(request, _("已保存草稿，确认后请提交申报"))
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "communities": choices})


@login_required
def project_detail(request, pk: int):
    project = or_404(selectors.project_detail, actor=request.user, pk=pk)
    ctx = selectors.project_page(actor=request.user, project=project)
    return render(request, "projects/project_detail.html", {
        "project": project, **ctx, "criteria": REVIEW_CRITERIA, "review_form": ReviewForm(),
        "milestone_form": MilestoneForm(), "tranche_form": TrancheForm(),
        "is_applicant": project.applicant_id == request.user.pk,
        "remaining": project.approved_amount - project.disbursed_total})


ACTIONS = {
    "submit": (lambda a, p, post: services.project_submit(actor=a, project=p), _("已提交申报")),
    "withdraw": (lambda a, p, post: services.project_withdraw(actor=a, project=p), _("已撤回")),
    "start_review": (lambda a, p, post: services.project_start_review(actor=a, project=p), _("已进入评审")),
    "approve": (lambda a, p, post: services.project_approve(actor=a, project=p,
                                                            approved_amount=post.get("approved_amount", ""),
                                                            note=post.get("note", "")), _("已批准立项并发布公示")),
    "reject": (lambda a, p, post: services.project_reject(actor=a, project=p, note=post.get("note", "")),
               _("已决定不予立项")),
    "start": (lambda a, p, post: services.project_start(actor=a, project=p), _("项目开始实施")),
    "accept": (lambda a, p, post: services.project_accept(actor=a, project=p, note=post.get("note", "")),
               _("已验收")),
    "publish_closing": (lambda a, p, post: services.project_publish_closing(actor=a, project=p), _("已发布结项公示")),
    "close": (lambda a, p, post: services.project_close(actor=a, project=p), _("已结项")),
}


@login_required
@require_POST
def project_action(request, pk: int, verb: str):
    if verb not in ACTIONS:
        raise Http404
    project = or_404(selectors.project_detail, actor=request.user, pk=pk)
    fn, success = ACTIONS[verb]
    return post_action(request, lambda: fn(request.user, project, request.POST), success,
                reverse("projects:project_detail", args=[pk]))


@login_required
@require_POST
def project_review(request, pk: int):
    project = or_404(selectors.project_detail, actor=request.user, pk=pk)
    scores = {k: request.POST.get(k) for k, _label in REVIEW_CRITERIA}
    return post_action(request, lambda: services.review_submit(actor=request.user, project=project, scores=scores,
                                                        comment=request.POST.get("comment", "")),
                _("评分已提交"), reverse("projects:project_detail", args=[pk]))


@login_required
@require_POST
def milestone_add(request, pk: int):
    project = or_404(selectors.project_detail, actor=request.user, pk=pk)
    form = MilestoneForm(request.POST, request.FILES)

    def act():
        if not form.is_valid():
            raise ValidationFailed("请填写进展、日期和进度", "Title, date and progress are required", field="title")
        d = form.cleaned_data
        services.milestone_add(actor=request.user, project=project, title=d["title"], happened_on=d["happened_on"],
                               progress=d["progress"], photo=d.get("photo"))

    return post_action(request, act, _("已登记进展"), reverse("projects:project_detail", args=[pk]))


@login_required
@require_POST
def tranche_pay(request, pk: int):
    """A tranche payment to the project, recorded in the community fund's ledger."""
    project = or_404(selectors.project_detail, actor=request.user, pk=pk)

    def act():
        fund = selectors.project_fund(actor=request.user, project=project)
        fundsvc.disbursement_record(actor=request.user, fund=fund, project=project,
                                    amount=request.POST.get("amount", ""), purpose=request.POST.get("purpose", ""),
                                    receipt_no=request.POST.get("receipt_no", "").strip())

    return post_action(request, act, _("已拨付并记入基金台账"), reverse("projects:project_detail", args=[pk]))


# --- funds ------------------------------------------------------------------------------------------------------------
def fund_list(request):
    return render(request, "projects/fund_list.html", {
        "funds": selectors.funds(actor=request.user),
        "mine": list(selectors.funds_for_staff(actor=request.user)) if request.user.is_authenticated else []})


def fund_public(request, code: str):
    """No sign-in needed: balance, totals by month / donor kind / project, recent entries (anonymous donors hidden)."""
    fund = or_404(selectors.fund_public, actor=request.user, community_code=code)
    summary = selectors.fund_summary(actor=request.user, fund=fund)
    page = _ledger_page(request, fund)
    rows = [selectors.public_entry(e) for e in page]
    return render(request, "projects/fund_public.html", {**summary, "page": page, "rows": rows})


def _ledger_page(request, fund):
    """The ledger page the cursor names; a cursor edited by hand into nonsense shows the first page."""
    try:
        return selectors.ledger_page(actor=request.user, fund=fund, cursor=request.GET.get("cursor"))
    except ValidationFailed:
        return selectors.ledger_page(actor=request.user, fund=fund)


@login_required
def fund_ledger(request, pk: int):
    fund = or_404(selectors.fund_for_staff, actor=request.user, pk=pk)
    page = _ledger_page(request, fund)
    return render(request, "projects/fund_ledger.html", {
        "fund": fund, "page": page, "donation_form": DonationForm(),
        "staff": selectors.is_staff_for(request.user, fund.region)})


@login_required
@require_POST
def donation_add(request, pk: int):
    fund = or_404(selectors.fund_for_staff, actor=request.user, pk=pk)
    return _form_post(request, DonationForm(request.POST), lambda d: fundsvc.donation_record(
        actor=request.user, fund=fund, amount=d["amount"], donor_kind=d["donor_kind"], donor_name=d["donor_name"],
        anonymous=d["anonymous"], intended_use=d["intended_use"], receipt_no=d["receipt_no"].strip()),
        _("已登记捐赠"), reverse("projects:fund_ledger", args=[pk]))


@login_required
@require_POST
def entry_correct(request, pk: int):
    entry = or_404(selectors.ledger_entry_for_staff, actor=request.user, pk=pk)
    return post_action(request, lambda: fundsvc.correction_record(actor=request.user, entry=entry,
                                                           reason=request.POST.get("reason", "")),
                _("已冲正"), reverse("projects:fund_ledger", args=[entry.fund_id]))


@login_required
def fund_reconcile(request, pk: int):
    fund = or_404(selectors.fund_for_staff, actor=request.user, pk=pk)
    report = or_404(selectors.reconcile_report, actor=request.user, fund=fund)
    return render(request, "projects/fund_reconcile.html", {"fund": fund, "report": report})


@login_required
def ledger_export(request, pk: int):
    return export_response(request, exports.LEDGER.key, {"fund": pk})


# --- partners, volunteers ---------------------------------------------------------------------------------------------
@login_required
def partner_list(request):
    g = request.GET
    qs = selectors.partners(actor=request.user, community_code=g.get("community", ""), q=g.get("q", "").strip())
    page = Paginator(qs, 20).get_page(g.get("page"))
    return render(request, "projects/partner_list.html", {"page": page,
                                                          "communities": selectors.communities(actor=request.user)})


@login_required
def partner_detail(request, pk: int):
    partner = or_404(selectors.partner_detail, actor=request.user, pk=pk)
    return render(request, "projects/partner_detail.html", {
        "partner": partner, "contributions": selectors.partner_contributions(actor=request.user, partner=partner)})


@login_required
def volunteer_list(request):
    g = request.GET
    qs = selectors.volunteers(actor=request.user, community_code=g.get("community", ""), q=g.get("q", "").strip(),
                              talent=g.get("talent", ""), skill=g.get("skill", "").strip())
    page = Paginator(qs, 30).get_page(g.get("page"))
    return render(request, "projects/volunteer_list.html", {"page": page, "hours_form": HoursForm(),
                                                            "communities": selectors.staff_communities(actor=request.user)})


@login_required
@require_POST
def hours_add(request, pk: int):
    volunteer = or_404(selectors.volunteer_detail, actor=request.user, pk=pk)
    return _form_post(request, HoursForm(request.POST), lambda d: services.service_hours_record(
        actor=request.user, volunteer=volunteer, **d), _("已登记服务时长"), reverse("projects:volunteers"))


@login_required
def leaderboard(request):
    board = selectors.leaderboard(actor=request.user, community_code=request.GET.get("community", ""))
    return render(request, "projects/leaderboard.html", {**board, "kinds": LedgerEntry.Kind.choices})
