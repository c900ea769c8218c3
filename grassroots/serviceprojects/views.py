"""为群众办实事 pages: the list with 办结率 and export, a new project, a project's page with its steps, the printed
notice with the rating QR. Thin edges: parse, call one selector or service, render."""

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
from grassroots.core.edges import bool_param, date_param, int_param, or_404, post_action
from grassroots.core.errors import ApplicationError
from grassroots.core.export_views import export_response

from . import exports, permissions, public, selectors, services
from .states import ProjectStatus, Source


def _filters(request) -> dict:
    g = request.GET
    return {"status": g.get("status", "") if g.get("status", "") in ProjectStatus.values else "",
            "source": g.get("source", "") if g.get("source", "") in Source.values else "",
            "q": g.get("q", "")[:60].strip(), "year": int_param(g.get("year"), minimum=2000, maximum=2999),
            "hearts": bool_param(g.get("hearts"))}


@login_required
def project_list(request):
    f = _filters(request)
    if request.GET.get("due") == "1":
        qs = selectors.due_soon(actor=request.user, today=clock.today())
    else:
        qs = selectors.project_list(actor=request.user, **f)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "serviceprojects/list.html", {
        "page": page, "statuses": ProjectStatus.choices, "sources": Source.choices,
        "totals": selectors.totals(actor=request.user, year=f["year"]),
        "by_org": selectors.completion(actor=request.user, year=f["year"])[:50],
        "may_create": selectors.keepable_orgs(actor=request.user).exists()})


@login_required
def project_export(request):
    f = {k: v for k, v in _filters(request).items() if v not in ("", None)}
    return export_response(request, exports.PROJECTS.key, f)


@login_required
def project_create(request):
    orgs = selectors.keepable_orgs(actor=request.user)[:2000]
    if not orgs:
        raise Http404()
    error, p = None, request.POST
    if request.method == "POST":
        try:
            org = selectors.keepable_org(actor=request.user, pk=p.get("org", ""))
            project = services.project_create(
                actor=request.user, org=org, title=p.get("title", ""), source=p.get("source", ""),
                owner=p.get("owner", ""), start=date_param(p.get("start")), due=date_param(p.get("due")),
                description=p.get("description", ""), source_ref=p.get("source_ref", ""),
                hearts=p.get("hearts") == "1")
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("实事项目已登记"))
            return redirect("serviceprojects:detail", pk=project.pk)
    return render(request, "serviceprojects/form.html", {"orgs": orgs, "sources": Source.choices, "error": error,
                                                         "values": p})


@login_required
def project_detail(request, pk: int):
    project = or_404(selectors.project_detail, actor=request.user, pk=pk)
    return render(request, "serviceprojects/detail.html", {
        "project": project, "milestones": project.milestones.all(), "counts": selectors.rating_counts(project),
        "keep": permissions.can_keep(request.user, project.org) and project.status in services.OPEN,
        "may_print": public.can_issue(request.user, project)})


@login_required
@require_POST
def project_action(request, pk: int, verb: str):
    project = or_404(selectors.project_detail, actor=request.user, pk=pk)
    p, actor = request.POST, request.user
    actions = {
        "progress": (lambda: services.project_progress(actor=actor, project=project, progress=p.get("progress"),
                                                       note=p.get("note", "")), _("已更新进度")),
        "milestone": (lambda: services.milestone_add(actor=actor, project=project, title=p.get("title", ""),
                                                     due_on=date_param(p.get("due_on"))), _("已添加节点")),
        "finish": (lambda: services.project_finish(actor=actor, project=project, result=p.get("result", ""),
                                                   done_on=date_param(p.get("done_on"))), _("已办结")),
        "cancel": (lambda: services.project_cancel(actor=actor, project=project, reason=p.get("reason", "")),
                   _("已取消")),
    }
    if verb not in actions:
        raise Http404()
    run, done = actions[verb]
    return post_action(request, run, done, reverse("serviceprojects:detail", args=[project.pk]))


@login_required
@require_POST
def milestone_done(request, pk: int):
    milestone = or_404(selectors.milestone_detail, actor=request.user, pk=pk)
    return post_action(request, lambda: services.milestone_done(actor=request.user, milestone=milestone),
                       _("节点已完成"), reverse("serviceprojects:detail", args=[milestone.project_id]))


@login_required
def notice(request, pk: int):
    """Issue (or reuse) the project's rating link and print it as a QR on an A4 notice."""
    from grassroots.links import services as links

    project = or_404(selectors.project_detail, actor=request.user, pk=pk)
    try:  # the current link is reused: a reprint shows the same QR
        link = links.link_issue(actor=request.user, purpose=public.PURPOSE, target=project)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("serviceprojects:detail", pk)
    body = public.notice_pdf(project, request.build_absolute_uri(links.path_of(link)))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="service-project-{project.pk}.pdf"'
    return response
