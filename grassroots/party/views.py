"""Party pages: the organisation chart, organisation and member details, member list (search, filters, export,
import), member and unit report-ins, liaisons. Thin: parse, call one selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import clock
from grassroots.core.edges import bool_param, date_param, field_error, int_param, or_404, post_action
from grassroots.core.errors import ApplicationError, NotFound
from grassroots.core.export_views import export_response

from . import exports, imports, panels, permissions, selectors, services
from .forms import (
    LiaisonForm,
    MemberAddForm,
    OrgCreateForm,
    OrgReportInForm,
    ReportInForm,
    ServicePostForm,
    ServiceRecordForm,
    TransferForm,
    TransferInForm,
)
from .models import Liaison, MembershipStatus, ReportInStatus, TransferState

PAGE_SIZE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ----------------------------------------------------------------------------------------------- organisations

@login_required
def org_tree(request):
    tree = selectors.org_tree(actor=request.user)
    return render(request, "party/org_tree.html", {"tree": tree})


@login_required
def org_detail(request, pk: int):
    org = or_404(selectors.org_detail, actor=request.user, pk=pk)
    members = selectors.member_list(actor=request.user, org=org)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    parent = selectors.org_visible(actor=request.user, pk=org.parent_id)
    children = list(selectors.org_children(actor=request.user, org=org))
    for child in children:
        child.flagged = selectors.is_flagged(child)
    return render(request, "party/org_detail.html", {
        "org": org, "parent": parent, "flagged": selectors.is_flagged(org), "page": page, "children": children,
        "linked": list(org.linked_organizations.all()), "today": clock.today(),
        "posts": selectors.org_posts(actor=request.user, org=org),
        "panels": panels.org_panels(request.user, org),
        "can_manage": permissions.can_manage_org(request.user, org)})


# ----------------------------------------------------------------------------------------------- members

def _member_filters(request, actor) -> tuple[dict, dict]:
    org = selectors.org_visible(actor=actor, pk=int_param(request.GET.get("org"), minimum=1))
    status = request.GET.get("status") or ""
    filters = {"org": org, "q": (request.GET.get("q") or "").strip(),
               "status": status if status in MembershipStatus.values else "",
               "in_service": bool_param(request.GET.get("in_service")),
               "flagged": bool_param(request.GET.get("flagged"))}
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
    return export_response(request, exports.MEMBERS.key, exports.filters_json(filters))


@login_required
def member_detail(request, pk: int):
    membership = or_404(selectors.member_detail, actor=request.user, pk=pk)
    return render(request, "party/member_detail.html", {
        "m": membership, "today": clock.today(),
        "history": selectors.membership_history(actor=request.user, membership=membership),
        "report_ins": selectors.report_in_list(actor=request.user).filter(person_id=membership.person_id),
        "panels": panels.member_panels(request.user, membership),
        "can_manage": permissions.can_manage_org(request.user, membership.org)})


@login_required
@require_POST
def member_promote(request, pk: int):
    membership = or_404(selectors.member_detail, actor=request.user, pk=pk)
    on = date_param(request.POST.get("full_member_date")) or clock.today()
    return post_action(request, lambda: services.membership_promote(actor=request.user, membership=membership,
                                                                    full_member_date=on),
                       _("已转为正式党员"), reverse("party:member_detail", args=[pk]))


@login_required
@require_POST
def member_end(request, pk: int):
    membership = or_404(selectors.member_detail, actor=request.user, pk=pk)
    on = date_param(request.POST.get("on"))
    return post_action(request, lambda: services.membership_end(
        actor=request.user, membership=membership, on=on, reason=request.POST.get("reason", ""),
        note=request.POST.get("note", "")), _("已终止党籍"), reverse("party:member_detail", args=[pk]))


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
    return _xlsx(imports.template(), "party-members-template.xlsx")


# ----------------------------------------------------------------------------------------------- report-ins

def _report_in_page(request, select, template: str):
    """A report-in list (members' or organisations'): community, status and text filters, paginated."""
    communities = selectors.communities_for(actor=request.user)
    cid = int_param(request.GET.get("community"), minimum=1)
    community = communities.filter(pk=cid).first() if cid else None
    status = request.GET.get("status", ReportInStatus.ACTIVE)
    status = status if status in ReportInStatus.values else ""
    q = (request.GET.get("q") or "").strip()
    qs = select(actor=request.user, community=community, q=q, status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {
        "page": page, "communities": communities, "community": community, "status": status, "q": q,
        "statuses": ReportInStatus.choices})


@login_required
def report_in_list(request):
    return _report_in_page(request, selectors.report_in_list, "party/report_in_list.html")


@login_required
@require_POST
def report_in_end(request, pk: int):
    report_in = or_404(selectors.report_in_detail, actor=request.user, pk=pk)
    return post_action(request, lambda: services.report_in_end(actor=request.user, report_in=report_in),
                       _("报到已结束"), reverse("party:report_in_list"))


@login_required
def org_report_in_list(request):
    return _report_in_page(request, selectors.org_report_in_list, "party/org_report_in_list.html")


# ----------------------------------------------------------------------------------------------- liaisons

@login_required
def liaison_list(request):
    kind = request.GET.get("kind") or ""
    kind = kind if kind in Liaison.Kind.values else ""
    current = request.GET.get("current", "1")
    q = (request.GET.get("q") or "").strip()
    qs = selectors.liaison_list(actor=request.user, kind=kind, current=bool_param(current), q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(row, permissions.can_manage_liaison(request.user, region=row.region, compound=row.compound))
            for row in page]
    return render(request, "party/liaison_list.html", {
        "page": page, "rows": rows, "kind": kind, "current": current, "q": q, "kinds": Liaison.Kind.choices})


@login_required
@require_POST
def liaison_end(request, pk: int):
    liaison = or_404(selectors.liaison_detail, actor=request.user, pk=pk)
    return post_action(request, lambda: services.liaison_end(actor=request.user, liaison=liaison),
                       _("联系关系已结束"), reverse("party:liaison_list"))


# ----------------------------------------------------------------------------------------------- write pages

def _save(request, form, write, success: str, then, renamed: dict | None = None):
    """Run one service call for a valid form: on success a message and a redirect to ``then(result)``; on its error
    the message beside the field it names (``renamed`` maps a service's field to the form's) and None."""
    try:
        result = write()
    except ApplicationError as err:
        if renamed and err.field in renamed:
            err.field = renamed[err.field]
        field_error(form, err)
        return None
    messages.success(request, success)
    return redirect(then(result))


def _render_form(request, form, *, title: str, back: str, submit: str = "", intro: str = ""):
    return render(request, "party/form.html", {"form": form, "title": title, "back": back,
                                               "submit": submit or _("保存"), "intro": intro})


def _managed_org(request, pk: int):
    """The organisation of a write page: visible and manageable by the actor, else the 404 page."""
    org = or_404(selectors.org_detail, actor=request.user, pk=pk)
    if not permissions.can_manage_org(request.user, org):
        raise Http404()
    return org


def _person(form, actor, id_number: str):
    """The registered person with this ID number in the actor's scope, or None with the error beside the field."""
    try:
        return selectors.person_by_id_number(actor=actor, id_number=id_number)
    except NotFound as err:
        form.add_error("id_number", err.message)
        return None


def _org_page(org) -> str:
    return reverse("party:org_detail", args=[org.pk])


def _member_page(membership) -> str:
    return reverse("party:member_detail", args=[membership.pk])


@login_required
def org_create(request, pk: int):
    parent = _managed_org(request, pk)
    form = OrgCreateForm(request.POST or None, regions=selectors.child_regions(actor=request.user, org=parent),
                         organizations=selectors.organization_choices(actor=request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = _save(request, form, lambda: services.party_org_create(
            actor=request.user, kind=d["kind"], name=d["name"], parent=parent, region=d["region"],
            organization=d["organization"], linked_organizations=list(d["linked_organizations"]),
            founded_on=d["founded_on"], term_end=d["term_end"], code=d["code"]), _("党组织已建立"), _org_page)
        if done:
            return done
    return _render_form(request, form, title=_("新建下级党组织") + f" · {parent.name}", back=_org_page(parent))


@login_required
def member_add(request, pk: int):
    org = _managed_org(request, pk)
    form = MemberAddForm(request.POST or None, organizations=selectors.organization_choices(actor=request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = _person(form, request.user, d["id_number"])
        if person is not None:
            done = _save(request, form, lambda: services.membership_add(
                actor=request.user, person=person, org=org, status=d["status"], admission_date=d["admission_date"],
                full_member_date=d["full_member_date"], in_service=d["in_service"], employer=d["employer"]),
                _("党员已编入"), _member_page, renamed={"person": "id_number"})
            if done:
                return done
    return _render_form(request, form, title=_("编入党员") + f" · {org.name}", back=_org_page(org))


@login_required
def transfer_in(request, pk: int):
    """A member coming in from outside the platform on an introduction letter, into this organisation."""
    org = _managed_org(request, pk)
    form = TransferInForm(request.POST or None, organizations=selectors.organization_choices(actor=request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = _person(form, request.user, d["id_number"])
        if person is not None:
            done = _save(request, form, lambda: services.transfer_in(
                actor=request.user, person=person, to_org=org, outside_org=d["outside_org"], letter_no=d["letter_no"],
                letter_issued_on=d["letter_issued_on"], status=d["status"], admission_date=d["admission_date"],
                full_member_date=d["full_member_date"], in_service=d["in_service"], employer=d["employer"]),
                _("已转入组织关系"), lambda t: reverse("party:transfer_list"), renamed={"person": "id_number"})
            if done:
                return done
    return _render_form(request, form, title=_("从外单位转入") + f" · {org.name}", back=_org_page(org),
                        intro=_("凭上级党组织开具、仍在有效期内的组织关系介绍信办理；办理后即编入本组织。"))


@login_required
def member_transfer(request, pk: int):
    membership = or_404(selectors.member_detail, actor=request.user, pk=pk)
    if not membership.active or not permissions.can_manage_org(request.user, membership.org):
        raise Http404()
    form = TransferForm(request.POST or None, orgs=selectors.orgs_for_choice(actor=request.user))
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, lambda: services.membership_transfer(
            actor=request.user, membership=membership, to_org=form.cleaned_data["to_org"],
            on=form.cleaned_data["on"]), _("组织关系已转接"), _member_page)
        if done:
            return done
    return _render_form(request, form, title=_("组织关系转接") + f" · {membership.person.name}",
                        back=_member_page(membership))


@login_required
def report_in_create(request):
    """双报到: a member reports in themselves; community staff may record it for a member of their community."""
    form = ReportInForm(request.POST or None, communities=selectors.report_in_communities(actor=request.user))
    mine = selectors.my_membership(actor=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        membership = mine
        if d["id_number"]:
            try:
                membership = selectors.membership_by_id_number(actor=request.user, id_number=d["id_number"])
            except NotFound as err:
                form.add_error("id_number", err.message)
                membership = None
        elif mine is None:
            form.add_error("id_number", _("您没有党组织关系；为他人办理请填写证件号码"))
        if membership is not None:
            done = _save(request, form, lambda: services.report_in_create(
                actor=request.user, membership=membership, community=d["community"], reported_on=d["reported_on"]),
                _("已报到"), lambda _row: reverse("party:report_in_list"),
                renamed={"membership": "id_number", "grid": "community"})
            if done:
                return done
    return _render_form(request, form, title=_("在职党员到社区报到"), back=reverse("party:report_in_list"),
                        submit=_("报到"), intro=_("在职党员到居住地社区报到，认领服务岗位、下沉网格。"))


@login_required
def report_in_detail(request, pk: int):
    report_in = or_404(selectors.report_in_detail, actor=request.user, pk=pk)
    posts = selectors.service_posts(actor=request.user, community=report_in.community)
    can_record = permissions.can_record_service(request.user, report_in)
    form = ServiceRecordForm(request.POST or None) if can_record else None
    if request.method == "POST" and form is not None and form.is_valid():
        done = _save(request, form, lambda: services.service_record_add(
            actor=request.user, report_in=report_in, **form.cleaned_data), _("服务时长已登记"),
            lambda _record: reverse("party:report_in_detail", args=[pk]))
        if done:
            return done
    return render(request, "party/report_in_detail.html", {
        "r": report_in, "posts": posts, "form": form,
        "claims": selectors.report_in_claims(actor=request.user, report_in=report_in),
        "records": selectors.service_records(actor=request.user, report_in=report_in)[:50],
        "can_claim": report_in.status == ReportInStatus.ACTIVE and permissions.can_manage_report_in(
            request.user, report_in)})


@login_required
@require_POST
def service_post_claim(request, pk: int):
    report_in = or_404(selectors.report_in_detail, actor=request.user, pk=pk)
    post = or_404(selectors.service_post_detail, actor=request.user,
                  pk=int_param(request.POST.get("post"), minimum=1) or 0)
    return post_action(request, lambda: services.service_post_claim(actor=request.user, report_in=report_in,
                                                                    post=post),
                       _("已认领岗位"), reverse("party:report_in_detail", args=[pk]))


@login_required
def service_post_list(request):
    communities = selectors.communities_for(actor=request.user)
    form = ServicePostForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, lambda: services.service_post_create(actor=request.user, **form.cleaned_data),
                     _("服务岗位已发布"), lambda _post: reverse("party:service_post_list"))
        if done:
            return done
    page = Paginator(selectors.service_posts(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "party/service_post_list.html", {"page": page, "form": form,
                                                             "can_create": communities.exists()})


@login_required
def org_report_in_create(request):
    form = OrgReportInForm(request.POST or None, orgs=selectors.orgs_for_choice(actor=request.user).filter(
        kind__in=selectors.ORGANISATIONAL), organizations=selectors.organization_choices(actor=request.user),
        communities=selectors.communities_for(actor=request.user))
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, lambda: services.org_report_in_create(actor=request.user, **form.cleaned_data),
                     _("单位报到已登记"), lambda _row: reverse("party:org_report_in_list"))
        if done:
            return done
    return _render_form(request, form, title=_("驻区单位党组织到社区报到"), back=reverse("party:org_report_in_list"),
                        submit=_("登记报到"))


@login_required
def liaison_create(request):
    form = LiaisonForm(request.POST or None, users=selectors.liaison_user_choices(actor=request.user),
                       organizations=selectors.organization_choices(actor=request.user),
                       regions=selectors.liaison_region_choices(actor=request.user),
                       compounds=selectors.compound_choices(actor=request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = _person(form, request.user, d["id_number"]) if d["id_number"] else None
        if not form.errors:
            done = _save(request, form, lambda: services.liaison_create(
                actor=request.user, kind=d["kind"], person=person, user=d["user"], organization=d["organization"],
                region=d["region"], compound=d["compound"], note=d["note"]), _("联系关系已建立"),
                lambda _row: reverse("party:liaison_list"), renamed={"person": "id_number"})
            if done:
                return done
    return _render_form(request, form, title=_("建立联系关系"), back=reverse("party:liaison_list"))


# ----------------------------------------------------------------------------------------------- transfers

@login_required
def transfer_list(request):
    to_receive = request.GET.get("to_receive") == "1"
    status = request.GET.get("status", "")
    qs = selectors.transfer_list(actor=request.user, status=status if status in TransferState.values else "",
                                 q=request.GET.get("q", ""), to_receive=to_receive)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "party/transfer_list.html", {
        "page": page, "statuses": TransferState.choices, "today": clock.today(), "to_receive": to_receive,
        "receivable": {t.pk for t in page if t.to_org_id and permissions.can_manage_org(request.user, t.to_org)}})


@login_required
@require_POST
def transfer_issue(request, pk: int):
    """From a member's page: a transfer to an organisation on the platform (received there) or out of it."""
    membership = or_404(selectors.member_detail, actor=request.user, pk=pk)
    to_org_id = int_param(request.POST.get("to_org"), minimum=1)
    to_org = selectors.receiving_orgs(actor=request.user).filter(pk=to_org_id).first() if to_org_id else None
    return post_action(request, lambda: services.transfer_issue(
        actor=request.user, membership=membership, to_org=to_org, outside_org=request.POST.get("outside_org", ""),
        note=request.POST.get("note", "")), _("已开具组织关系介绍信"), reverse("party:transfer_list"))


@login_required
@require_POST
def transfer_receive(request, pk: int):
    row = or_404(selectors.transfer_detail, actor=request.user, pk=pk)
    return post_action(request, lambda: services.transfer_receive(actor=request.user, transfer=row),
                       _("已接收组织关系"), reverse("party:transfer_list"))


@login_required
def transfer_letter(request, pk: int):
    row = or_404(selectors.transfer_detail, actor=request.user, pk=pk)
    response = HttpResponse(services.letter_pdf(row), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="transfer-{row.letter_no}.pdf"'
    return response
