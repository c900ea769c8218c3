"""Dues pages: the member's own dues with the calculator, the branch's bills (issue, record payments, export),
reductions to approve, and the yearly summary per organisation."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import clock
from grassroots.core.edges import date_param, int_param, or_404, post_action
from grassroots.core.errors import ApplicationError
from grassroots.core.export_views import export_response
from grassroots.party import selectors as party_selectors
from grassroots.party.models import Membership

from . import exports, permissions, selectors, services
from .states import BillStatus, ReductionStatus


@login_required
def mine(request):
    """The member's own bills and the calculator (category and base → the month's amount)."""
    quote = error = None
    category, base = request.GET.get("category", ""), request.GET.get("base", "")
    if category:
        try:
            quote = services.quote(category_code=category, base=base)
        except ApplicationError as exc:
            error = exc.message
    return render(request, "partydues/mine.html", {
        "bills": selectors.my_bills(actor=request.user)[:24], "categories": selectors.categories(),
        "quote": quote, "error": error, "category": category, "base": base})


@login_required
def bills(request):
    month = date_param(request.GET.get("month"))
    status = request.GET.get("status", "")
    status = status if status in BillStatus.values else ""
    qs = selectors.bill_list(actor=request.user, month=month.replace(day=1) if month else None, status=status,
                             q=request.GET.get("q", ""))
    if request.GET.get("arrears") == "1":
        qs = qs.filter(status=BillStatus.OPEN, month__lt=clock.today().replace(day=1))
    member = Membership.objects.filter(person_id=OuterRef("person_id"), active=True).values("pk")[:1]
    page = Paginator(qs.annotate(membership_id=Subquery(member)), 30).get_page(request.GET.get("page"))
    return render(request, "partydues/bills.html", {
        "page": page, "statuses": BillStatus.choices, "today": clock.today(),
        "orgs": party_selectors.orgs_for_choice(actor=request.user)})


@login_required
def bills_export(request):
    return export_response(request, exports.BILLS.key, {"status": request.GET.get("status", ""),
                                                        "q": request.GET.get("q", "")})


@login_required
@require_POST
def bills_issue(request):
    org = or_404(party_selectors.org_detail, actor=request.user, pk=int_param(request.POST.get("org"), minimum=1) or 0)
    month = date_param(request.POST.get("month")) or clock.today()
    return post_action(request, lambda: services.bills_issue(actor=request.user, org=org, month=month),
                       _("已生成党费账单"), reverse("partydues:bills"))


@login_required
@require_POST
def bill_pay(request, pk: int):
    bill = or_404(selectors.bill_detail, actor=request.user, pk=pk)
    p = request.POST
    return post_action(request, lambda: services.bill_pay(
        actor=request.user, bill=bill, receipt_no=p.get("receipt_no", ""), paid_on=date_param(p.get("paid_on")),
        amount=p.get("amount") or None), _("已登记交纳"), reverse("partydues:bills"))


@login_required
def reductions(request):
    status = request.GET.get("status", "")
    status = status if status in ReductionStatus.values else ""
    approvable = {r.pk for r in selectors.reductions_to_approve(actor=request.user)}
    qs = selectors.reduction_list(actor=request.user, status=status)
    if request.GET.get("approvable") == "1":
        qs = qs.filter(pk__in=sorted(approvable))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "partydues/reductions.html", {"page": page, "statuses": ReductionStatus.choices,
                                                         "approvable": approvable})


@login_required
@require_POST
def reduction_decide(request, pk: int, decision: str):
    row = or_404(selectors.reduction_detail, actor=request.user, pk=pk)
    return post_action(request, lambda: services.reduction_decide(actor=request.user, reduction=row,
                                                                   approve=decision == "approve"),
                       _("已审批"), reverse("partydues:reductions"))


@login_required
def summary(request):
    year = int_param(request.GET.get("year"), minimum=1900, maximum=2999) or clock.today().year
    return render(request, "partydues/summary.html", {
        "rows": selectors.yearly_summary(actor=request.user, year=year), "year": year})


@login_required
def member(request, pk: int):
    """A member's dues: category and base with history, bills, and the branch's forms (set the base, propose a
    reduction)."""
    membership = or_404(party_selectors.member_detail, actor=request.user, pk=pk)
    return render(request, "partydues/member.html", {
        "m": membership, "history": selectors.base_history(actor=request.user, person_id=membership.person_id),
        "bills": selectors.bill_list(actor=request.user).filter(person_id=membership.person_id)[:24],
        "categories": selectors.categories(), "today": clock.today(),
        "can_manage": permissions.can_manage(request.user, membership.org)})


@login_required
@require_POST
def base_set(request, pk: int):
    membership = or_404(party_selectors.member_detail, actor=request.user, pk=pk)
    p = request.POST
    return post_action(request, lambda: services.base_set(
        actor=request.user, person=membership.person, category=services.category_for_code(p.get("category", "")),
        base=p.get("base") or None, flat_amount=p.get("flat_amount") or None,
        valid_from=date_param(p.get("valid_from")) or clock.today(), note=p.get("note", "")),
        _("已核定党费基数"), reverse("partydues:member", args=[pk]))


@login_required
@require_POST
def reduction_propose(request, pk: int):
    membership = or_404(party_selectors.member_detail, actor=request.user, pk=pk)
    p = request.POST
    return post_action(request, lambda: services.reduction_propose(
        actor=request.user, person=membership.person, month_from=date_param(p.get("month_from")) or clock.today(),
        month_to=date_param(p.get("month_to")) or clock.today(), amount=p.get("amount", ""),
        reason=p.get("reason", "")), _("已提出减免，待上级党委审批"), reverse("partydues:member", args=[pk]))
