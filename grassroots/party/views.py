"""Party pages: the organisation chart, organisation and member details, member list (search, filters, export,
import), member and unit report-ins, liaisons. Thin: parse, call one selector or service, render."""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import clock
from grassroots.core.errors import ApplicationError, NotFound

from . import imports, permissions, selectors, services
from .models import Liaison, MembershipStatus, ReportInStatus

PAGE_SIZE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def not_found_is_404(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from None

    return wrapper


def _flag(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


# ----------------------------------------------------------------------------------------------- organisations

@login_required
def org_tree(request):
    tree = selectors.org_tree(actor=request.user)
    return render(request, "party/org_tree.html", {"tree": tree})


@login_required
@not_found_is_404
def org_detail(request, pk: int):
    org = selectors.org_detail(actor=request.user, pk=pk)
    members = selectors.member_list(actor=request.user, org=org)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    parent = None
    if org.parent_id:
        try:
            parent = selectors.org_detail(actor=request.user, pk=org.parent_id)
        except NotFound:
            parent = None
    children = list(selectors.org_children(actor=request.user, org=org))
    for child in children:
        child.flagged = selectors.is_flagged(child)
    return render(request, "party/org_detail.html", {
        "org": org, "parent": parent, "flagged": selectors.is_flagged(org), "page": page, "children": children,
        "linked": list(org.linked_organizations.all()), "today": clock.today(),
        "can_manage": permissions.can_manage_org(request.user, org)})


# ----------------------------------------------------------------------------------------------- members

def _member_filters(request, actor) -> tuple[dict, dict]:
    org = None
    org_id = _int(request.GET.get("org"))
    if org_id:
        try:
            org = selectors.org_detail(actor=actor, pk=org_id)
        except NotFound:
            org = None
    status = request.GET.get("status") or ""
    filters = {"org": org, "q": (request.GET.get("q") or "").strip(),
               "status": status if status in MembershipStatus.values else "",
               "in_service": _flag(request.GET.get("in_service")), "flagged": _flag(request.GET.get("flagged"))}
    return filters, {"org_id": org.pk if org else None}


@login_required
def member_list(request):
    filters, extra = _member_filters(request, request.user)
    qs = selectors.member_list(actor=request.user, **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "party/member_list.html", {
        "page": page, "filters": filters, "today": clock.today(), "statuses": MembershipStatus.choices,
        "orgs": selectors.orgs_for_choice(actor=request.user), "filtering": any(
            v not in (None, "") for v in filters.values()), "can_import": permissions.can_import(request.user),
        **extra})


@login_required
def member_export(request):
    filters, _extra = _member_filters(request, request.user)
    data = services.member_export(actor=request.user, **filters)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="party-members-{clock.today():%Y%m%d}.xlsx"'
    return response


@login_required
@not_found_is_404
def member_detail(request, pk: int):
    membership = selectors.member_detail(actor=request.user, pk=pk)
    return render(request, "party/member_detail.html", {
        "m": membership, "today": clock.today(),
        "history": selectors.membership_history(actor=request.user, membership=membership),
        "report_ins": selectors.report_in_list(actor=request.user).filter(person_id=membership.person_id),
        "can_manage": permissions.can_manage_org(request.user, membership.org)})


@login_required
@require_POST
@not_found_is_404
def member_promote(request, pk: int):
    membership = selectors.member_detail(actor=request.user, pk=pk)
    try:
        services.membership_promote(actor=request.user, membership=membership,
                                    full_member_date=_date(request.POST.get("full_member_date")) or clock.today())
        messages.success(request, _("已转为正式党员"))
    except ApplicationError as err:
        messages.error(request, err.message)
    return redirect("party:member_detail", pk=pk)


@login_required
def member_import(request):
    if not permissions.can_import(request.user):
        raise Http404()
    report = None
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("请选择 .xlsx 文件")
        else:
            try:
                report = services.member_import(actor=request.user, file=upload,
                                                dry_run=request.POST.get("dry_run") == "1")
            except ApplicationError as err:
                error = err.message
    return render(request, "party/member_import.html", {"report": report, "error": error,
                                                         "columns": imports.COLUMNS})


@login_required
def member_import_template(request):
    if not permissions.can_import(request.user):
        raise Http404()
    response = HttpResponse(imports.template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="party-members-template.xlsx"'
    return response


# ----------------------------------------------------------------------------------------------- report-ins

@login_required
def report_in_list(request):
    communities = selectors.communities_for(actor=request.user)
    community = None
    cid = _int(request.GET.get("community"))
    if cid:
        community = communities.filter(pk=cid).first()
    status = request.GET.get("status", ReportInStatus.ACTIVE)
    status = status if status in ReportInStatus.values else ""
    q = (request.GET.get("q") or "").strip()
    qs = selectors.report_in_list(actor=request.user, community=community, q=q, status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "party/report_in_list.html", {
        "page": page, "communities": communities, "community": community, "status": status, "q": q,
        "statuses": ReportInStatus.choices})


@login_required
@require_POST
@not_found_is_404
def report_in_end(request, pk: int):
    report_in = selectors.report_in_detail(actor=request.user, pk=pk)
    try:
        services.report_in_end(actor=request.user, report_in=report_in)
        messages.success(request, _("报到已结束"))
    except ApplicationError as err:
        messages.error(request, err.message)
    return redirect("party:report_in_list")


@login_required
def org_report_in_list(request):
    communities = selectors.communities_for(actor=request.user)
    community = None
    cid = _int(request.GET.get("community"))
    if cid:
        community = communities.filter(pk=cid).first()
    status = request.GET.get("status", ReportInStatus.ACTIVE)
    status = status if status in ReportInStatus.values else ""
    q = (request.GET.get("q") or "").strip()
    qs = selectors.org_report_in_list(actor=request.user, community=community, q=q, status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "party/org_report_in_list.html", {
        "page": page, "communities": communities, "community": community, "status": status, "q": q,
        "statuses": ReportInStatus.choices})


# ----------------------------------------------------------------------------------------------- liaisons

@login_required
def liaison_list(request):
    kind = request.GET.get("kind") or ""
    kind = kind if kind in Liaison.Kind.values else ""
    current = request.GET.get("current", "1")
    q = (request.GET.get("q") or "").strip()
    qs = selectors.liaison_list(actor=request.user, kind=kind, current=_flag(current), q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(row, permissions.can_manage_liaison(request.user, region=row.region, compound=row.compound))
            for row in page]
    return render(request, "party/liaison_list.html", {
        "page": page, "rows": rows, "kind": kind, "current": current, "q": q, "kinds": Liaison.Kind.choices})


@login_required
@require_POST
@not_found_is_404
def liaison_end(request, pk: int):
    liaison = selectors.liaison_detail(actor=request.user, pk=pk)
    try:
        services.liaison_end(actor=request.user, liaison=liaison)
        messages.success(request, _("联系关系已结束"))
    except ApplicationError as err:
        messages.error(request, err.message)
    return redirect("party:liaison_list")


