"""Brand pages: the list with filters and export, the matrix by sector, a new brand, a brand's page with the step
its reader may take. Each view parses input, calls one selector or service and renders (thin edges)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.edges import date_param, or_404, post_action
from grassroots.core.errors import ApplicationError
from grassroots.core.export_views import export_response

from . import exports, permissions, selectors, services
from .states import BrandStatus, Level, Sector

VERBS = {"apply", "open", "review", "return", "rate", "revoke"}


def _choice(value: str, allowed) -> str:
    return value if value in allowed else ""


def _filters(request) -> dict:
    g = request.GET
    return {"sector": _choice(g.get("sector", ""), Sector.values), "status": _choice(g.get("status", ""),
                                                                                   BrandStatus.values),
            "level": _choice(g.get("level", ""), Level.values), "q": g.get("q", "")[:60].strip()}


@login_required
def brand_list(request):
    f = _filters(request)
    waiting = request.GET.get("waiting", "")
    if waiting == "rate":
        qs = selectors.to_rate(actor=request.user)
    elif waiting == "review":
        qs = selectors.to_review(actor=request.user)
    else:
        qs = selectors.brand_list(actor=request.user, **f)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "partybrands/list.html", {
        "page": page, "sectors": Sector.choices, "statuses": BrandStatus.choices, "levels": Level.choices,
        "waiting": waiting, "may_create": selectors.keepable_orgs(actor=request.user).exists()})


@login_required
def brand_export(request):
    return export_response(request, exports.BRANDS.key, {k: v for k, v in _filters(request).items() if v})


@login_required
def brand_matrix(request):
    rows = selectors.matrix(actor=request.user)
    return render(request, "partybrands/matrix.html", {
        "sectors": [(value, label, rows.get(value, [])) for value, label in Sector.choices]})


@login_required
def brand_create(request):
    orgs = selectors.keepable_orgs(actor=request.user)[:2000]
    if not orgs:
        raise Http404()
    error, p = None, request.POST
    if request.method == "POST":
        try:
            org = selectors.keepable_org(actor=request.user, pk=p.get("org", ""))
            brand = services.brand_create(actor=request.user, org=org, sector=p.get("sector", ""),
                                          name=p.get("name", ""), connotation=p.get("connotation", ""),
                                          carriers=p.get("carriers", ""), results=p.get("results", ""),
                                          logo=request.FILES.get("logo"))
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("品牌已保存，五有齐全后即可申报"))
            return redirect("partybrands:detail", pk=brand.pk)
    return render(request, "partybrands/form.html", {"orgs": orgs, "sectors": Sector.choices, "error": error,
                                                     "values": p})


@login_required
def brand_detail(request, pk: int):
    brand = or_404(selectors.brand_detail, actor=request.user, pk=pk)
    keep, rate = permissions.can_keep(request.user, brand.org), permissions.can_rate(request.user, brand)
    reviews = list(selectors.reviews(brand=brand))
    return render(request, "partybrands/detail.html", {
        "brand": brand, "reviews": reviews, "keep": keep and brand.status == BrandStatus.DRAFT, "rate": rate,
        "review": permissions.can_review(request.user, brand), "levels": Level.choices, "sectors": Sector.choices,
        "missing": services.missing_five(brand),
        "all_reviewed": all(r.reviewed_at for r in reviews),
        "candidates": selectors.reviewer_candidates(actor=request.user, brand=brand)
        if rate and brand.status == BrandStatus.APPLIED else []})


@login_required
@require_POST
def brand_edit(request, pk: int):
    brand = or_404(selectors.brand_detail, actor=request.user, pk=pk)
    p = request.POST
    return post_action(request, lambda: services.brand_update(
        actor=request.user, brand=brand, name=p.get("name"), sector=p.get("sector"),
        connotation=p.get("connotation"), carriers=p.get("carriers"), results=p.get("results"),
        logo=request.FILES.get("logo")), _("已保存"), reverse("partybrands:detail", args=[brand.pk]))


@login_required
@require_POST
def brand_action(request, pk: int, verb: str):
    if verb not in VERBS:
        raise Http404()
    brand = or_404(selectors.brand_detail, actor=request.user, pk=pk)
    p, actor = request.POST, request.user
    run = {
        "apply": lambda: services.brand_apply(actor=actor, brand=brand),
        "open": lambda: services.brand_review_open(actor=actor, brand=brand, reviewer_ids=p.getlist("reviewers")),
        "review": lambda: services.brand_review_submit(actor=actor, brand=brand, score=p.get("score"),
                                                       opinion=p.get("opinion", "")),
        "return": lambda: services.brand_return(actor=actor, brand=brand, reason=p.get("reason", "")),
        "rate": lambda: services.brand_rate(actor=actor, brand=brand, level=p.get("level", ""),
                                            rated_on=date_param(p.get("rated_on")),
                                            rated_by_body=p.get("rated_by_body", "")),
        "revoke": lambda: services.brand_revoke(actor=actor, brand=brand, reason=p.get("reason", "")),
    }[verb]
    done = {"apply": _("已申报"), "open": _("已组织评审"), "review": _("已提交评审意见"), "return": _("已退回修改"),
            "rate": _("已命名"), "revoke": _("已撤销命名")}[verb]
    return post_action(request, run, done, reverse("partybrands:detail", args=[brand.pk]))
