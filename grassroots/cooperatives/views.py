"""Pages of the cooperatives: the list (a member sees their own accounts), the cooperative with its charter, posts,
register and forms for the books, a member's account with their dividends and how each was worked (made for a
phone), and the year's plan from the trial to the payout, printed and exported."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import clock, printing
from grassroots.core.edges import date_param, int_param, or_404, post_action
from grassroots.core.errors import ApplicationError, NotFound
from grassroots.core.export_views import export_response
from grassroots.notices.services import latest_about
from grassroots.people.models import Organization

from . import selectors, services
from .models import ContributionKind, MemberKind, Plan, QuantifiedBy, Subsidy
from .permissions import can_create, can_keep, can_read_all
from .states import WAITING


@login_required
def coop_list(request):
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.cooperatives(actor=request.user, q=q), 30).get_page(request.GET.get("page"))
    return render(request, "cooperatives/coop_list.html", {
        "page": page, "q": q, "mine": selectors.my_memberships(actor=request.user),
        "can_create": can_create(request.user),
        "candidates": Organization.objects.filter(kind=Organization.Kind.COOPERATIVE, cooperative__isnull=True,
                                                  active=True).order_by("name")[:200] if can_create(request.user)
        else []})


@login_required
@require_POST
def coop_register(request):
    p = request.POST
    try:
        org = Organization.objects.filter(kind=Organization.Kind.COOPERATIVE,
                                          pk=int_param(p.get("organization"), minimum=1) or 0).first()
        if org is None:
            raise NotFound("没有这个合作社组织", "No such cooperative organisation")
        coop = services.cooperative_register(
            actor=request.user, organization=org, founded_on=date_param(p.get("founded_on")) or clock.today(),
            business=p.get("business", ""), greenhouses=int_param(p.get("greenhouses"), minimum=0) or 0,
            charter={"reserve_rate": p.get("reserve_rate") or "0.10", "refund_rate": p.get("refund_rate") or "0.60"})
    except NotFound:
        messages.error(request, _("没有这个合作社组织"))
        return redirect("cooperatives:list")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("cooperatives:list")
    messages.success(request, _("已登记合作社"))
    return redirect("cooperatives:detail", coop.pk)


@login_required
def coop_detail(request, pk: int):
    coop = or_404(selectors.cooperative, actor=request.user, pk=pk)
    full = can_read_all(request.user, coop)
    q = request.GET.get("q", "").strip()[:100]
    members = selectors.members(actor=request.user, coop=coop, q=q)
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    accounts = selectors.accounts_of(coop) if full else {}
    rows = [(m, accounts.get(m.pk, {})) for m in page]
    counts = services.register_counts(coop)
    charter = coop.charters.order_by("-adopted_on", "-id").first()
    return render(request, "cooperatives/coop_detail.html", {
        "coop": coop, "full": full, "keep": can_keep(request.user, coop), "page": page, "rows": rows, "q": q,
        "charter": charter, "charters": coop.charters.order_by("-adopted_on", "-id")[:10],
        "counts": counts, "problems": [p[1] if request.LANGUAGE_CODE.startswith("zh") else p[2]
                                       for p in services.limit_problems(counts)],
        "extra_cap": counts["members"] // 5,
        "posts": selectors.posts_of(coop) if full else [],
        "plans": selectors.plans(actor=request.user, coop=coop)[:20],
        "member_kinds": MemberKind.choices, "contribution_kinds": ContributionKind.choices,
        "quantified_by": QuantifiedBy.choices, "subsidy_sources": Subsidy.Source.choices,
        "subsidy_ways": Subsidy.Quantified.choices,
        "active_members": selectors.members(actor=request.user, coop=coop, active_only=True) if full else [],
        "units": Organization.objects.exclude(kind__in=services.PUBLIC_DUTY_KINDS).exclude(pk=coop.organization_id)
        .filter(active=True).order_by("name")[:200] if full else [],
        "year": clock.today().year - 1})


def _coop_for_write(request, pk):
    return or_404(selectors.cooperative, actor=request.user, pk=pk)


def _find_person(coop, name: str, id_number: str = ""):
    """A person named on the page, found in the people register within the cooperative's region."""
    from grassroots.rolls.services import find_person

    return find_person(coop.roll, name, id_number)


@login_required
@require_POST
def member_join(request, pk: int):
    coop = _coop_for_write(request, pk)
    p = request.POST

    def act():
        kind = p.get("kind", "")
        person = representative = organization = None
        if kind == MemberKind.UNIT:
            organization = Organization.objects.filter(pk=int_param(p.get("organization"), minimum=1) or 0).first()
            if p.get("name", "").strip():
                representative = _find_person(coop, p.get("name", ""), p.get("id_number", ""))
        elif p.get("name", "").strip():
            person = _find_person(coop, p.get("name", ""), p.get("id_number", ""))
        services.member_join(actor=request.user, coop=coop, kind=kind, person=person, organization=organization,
                             representative=representative, joined_on=date_param(p.get("joined_on")),
                             extra_votes=int_param(p.get("extra_votes"), minimum=0) or 0)

    return post_action(request, act, _("成员已入社"), reverse("cooperatives:detail", args=[pk]))


@login_required
@require_POST
def member_leave(request, pk: int):
    member = or_404(selectors.member, actor=request.user, pk=pk)
    return post_action(request, lambda: services.member_leave(
        actor=request.user, member=member, left_on=date_param(request.POST.get("left_on")),
        reason=request.POST.get("reason", "")), _("成员已退社"), reverse("cooperatives:member", args=[pk]))


@login_required
@require_POST
def contribution_add(request, pk: int):
    member = or_404(selectors.member, actor=request.user, pk=pk)
    p = request.POST
    return post_action(request, lambda: services.contribution_record(
        actor=request.user, member=member, kind=p.get("kind", ""), amount=p.get("amount"), mu=p.get("mu"),
        description=p.get("description", ""), valued_by=p.get("valued_by", ""),
        valuation_method=p.get("valuation_method", ""), resolution=p.get("resolution", ""),
        contributed_on=date_param(p.get("contributed_on"))), _("已登记出资"),
        reverse("cooperatives:member", args=[pk]))


@login_required
@require_POST
def transaction_add(request, pk: int):
    coop = _coop_for_write(request, pk)
    p = request.POST

    def act():
        member = None
        mid = int_param(p.get("member"), minimum=1)
        if mid:
            member = selectors.member(actor=request.user, pk=mid)
            if member.cooperative_id != coop.pk:
                raise NotFound()
        services.transaction_record(actor=request.user, coop=coop, member=member, amount=p.get("amount"),
                                    occurred_on=date_param(p.get("occurred_on")), real_name=p.get("real_name", ""),
                                    product=p.get("product", ""))

    return post_action(request, act, _("已登记交易"), reverse("cooperatives:detail", args=[pk]))


@login_required
def transaction_import(request, pk: int):
    coop = _coop_for_write(request, pk)
    if not can_keep(request.user, coop):
        raise Http404
    report, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("请选择 .xlsx 文件")
        else:
            try:
                report = services.transaction_import(actor=request.user, coop=coop, file=upload,
                                                     dry_run=request.POST.get("dry_run") == "1")
            except ApplicationError as exc:
                error = exc.message
    return render(request, "cooperatives/transaction_import.html", {
        "coop": coop, "report": report, "error": error, "columns": services.transaction_columns()})


@login_required
def transaction_template(request, pk: int):
    coop = _coop_for_write(request, pk)
    if not can_keep(request.user, coop):
        raise Http404
    response = HttpResponse(services.transaction_template(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="coop-transactions-template.xlsx"'
    return response


@login_required
@require_POST
def subsidy_add(request, pk: int):
    coop = _coop_for_write(request, pk)
    p = request.POST
    return post_action(request, lambda: services.subsidy_record(
        actor=request.user, coop=coop, name=p.get("name", ""), amount=p.get("amount"),
        received_on=date_param(p.get("received_on")), source=p.get("source", ""), quantified=p.get("quantified", "")),
        _("已登记补助并量化到成员"), reverse("cooperatives:detail", args=[pk]))


@login_required
@require_POST
def charter_add(request, pk: int):
    coop = _coop_for_write(request, pk)
    p = request.POST
    return post_action(request, lambda: services.charter_adopt(
        actor=request.user, coop=coop, adopted_on=date_param(p.get("adopted_on")), resolution=p.get("resolution", ""),
        reserve_rate=p.get("reserve_rate", ""), refund_rate=p.get("refund_rate", ""),
        reserve_quantified_by=p.get("reserve_quantified_by", ""),
        reserve_by_transactions_share=p.get("reserve_by_transactions_share") or "1",
        land_value_per_mu=p.get("land_value_per_mu") or "8000", share_value=p.get("share_value") or "1",
        labour_valuation=p.get("labour_valuation", ""), extra_votes_rule=p.get("extra_votes_rule", "")),
        _("已通过新章程"), reverse("cooperatives:detail", args=[pk]))


@login_required
@require_POST
def plan_trial(request, pk: int):
    coop = _coop_for_write(request, pk)
    p = request.POST
    try:
        plan = services.plan_trial(actor=request.user, coop=coop, year=p.get("year"), surplus=p.get("surplus"),
                                   loss_to_cover=p.get("loss_to_cover") or "0", income=p.get("income") or "0")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("cooperatives:detail", pk)
    messages.success(request, _("已完成试算"))
    return redirect("cooperatives:plan", plan.pk)


@login_required
def member_detail(request, pk: int):
    member = or_404(selectors.member, actor=request.user, pk=pk)
    coop = member.cooperative
    lines = (member.plan_lines.filter(plan__in=selectors.plans(actor=request.user, coop=coop))
             .select_related("plan").order_by("-plan__year"))
    return render(request, "cooperatives/member_detail.html", {
        "member": member, "coop": coop, "account": selectors.account(member), "lines": lines,
        "contributions": member.contributions.all(), "reserve_entries": member.reserve_entries.all(),
        "transactions": member.transactions.order_by("-occurred_on", "-id")[:50],
        "subsidy_shares": member.subsidy_shares.select_related("subsidy"),
        "keep": can_keep(request.user, coop), "contribution_kinds": ContributionKind.choices})


@login_required
def plan_list(request):
    status = request.GET.get("status", "")
    status = status if status in Plan.Status.values else ""
    page = Paginator(selectors.plans(actor=request.user, status=status), 30).get_page(request.GET.get("page"))
    return render(request, "cooperatives/plan_list.html", {"page": page, "status": status,
                                                           "statuses": Plan.Status.choices})


@login_required
def plan_detail(request, pk: int):
    plan = or_404(selectors.plan, actor=request.user, pk=pk)
    coop = plan.cooperative
    lines = selectors.plan_lines(actor=request.user, plan=plan)
    keep = can_keep(request.user, coop)
    return render(request, "cooperatives/plan_detail.html", {
        "plan": plan, "coop": coop, "lines": lines, "keep": keep, "full": can_read_all(request.user, coop),
        "notice": latest_about(plan, services.NOTICE_KIND), "next": WAITING.get(plan.status),
        "totals": services.group_totals(lines),
        "assembly_members": selectors.members(actor=request.user, coop=coop, active_only=True)
        if keep and plan.status == Plan.Status.NOTICED else [],
        "extra_total": sum(ln.member.extra_votes for ln in lines)})


@login_required
@require_POST
def plan_action(request, pk: int, verb: str):
    plan = or_404(selectors.plan, actor=request.user, pk=pk)
    p = request.POST
    back = reverse("cooperatives:plan", args=[pk])
    if verb == "publish":
        return post_action(request, lambda: services.plan_publish(
            actor=request.user, plan=plan, working_days=int_param(p.get("working_days"), minimum=0)),
            _("方案已公示"), back)
    if verb == "decide":
        return post_action(request, lambda: services.plan_decide(
            actor=request.user, plan=plan, held_on=date_param(p.get("held_on")), present=p.getlist("present"),
            yes=p.getlist("yes"), note=p.get("note", "")), _("已记录成员大会表决结果"), back)
    if verb == "pay":
        return post_action(request, lambda: services.plan_pay(
            actor=request.user, plan=plan, paid_on=date_param(p.get("paid_on"))), _("已记录兑付"), back)
    raise Http404


@login_required
def plan_export(request, pk: int):
    or_404(selectors.plan, actor=request.user, pk=pk)
    return export_response(request, "cooperatives.plan", {"plan": pk})


@login_required
def members_export(request, pk: int):
    or_404(selectors.cooperative, actor=request.user, pk=pk)
    return export_response(request, "cooperatives.member", {"cooperative": pk})


@login_required
def plan_pdf(request, pk: int):
    plan = or_404(selectors.plan, actor=request.user, pk=pk)
    coop = plan.cooperative
    title = f"{coop.name}{plan.year}年度盈余分配方案"
    pdf = printing.document(title)
    printing.line(pdf, f"状态：{plan.get_status_display()}")
    printing.line(pdf, services.notice_body(plan))
    if plan.assembly_on:
        printing.line(pdf, f"成员大会：{plan.assembly_on}，应到 {plan.due_heads} 人（表决权 {plan.due_votes} 票），"
                           f"到会 {plan.present_heads} 人，赞成 {plan.yes_votes} 票。")
    printing.line(pdf, "")
    printing.line(pdf, "成员 | 分配基数 | 交易额 | 按交易量返还 | 按出资等分配 | 应分现金 | 新增公积金份额")
    for ln in selectors.plan_lines(actor=request.user, plan=plan).iterator(chunk_size=1000):
        printing.line(pdf, f"{ln.member.code} {ln.member.display_name} | {ln.basis} | {ln.transactions} | {ln.refund} | "
                           f"{ln.by_basis} | {ln.cash} | {ln.reserve_share_added}", h=6)
    printing.line(pdf, "")
    printing.line(pdf, "尾差规则：各项按分计算，先取每人应得的整分，余下的分按余数从大到小逐一分配，余数相同按成员编号。", h=6)
    response = HttpResponse(printing.output(pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="coop-plan-{plan.pk}.pdf"'
    return response
