"""Key-project pages: the list with this month's lights, a project's page (its "1+4" team, lists, plans, investment
by month with year-to-date and since-start, progress with photos, key nodes, problems, the lights of the year with
their reasons), the forms, the monthly dispatch report (page, PDF, Excel). Thin edges: parse, call a selector or a
service, render."""

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

from . import exports, permissions, report, selectors, services
from .states import Level, Light, ListKind, Phase, TrackClass


def _period(request) -> tuple[int, int]:
    today = clock.today()
    year = int_param(request.GET.get("year"), minimum=2000, maximum=today.year) or today.year
    month = int_param(request.GET.get("month"), minimum=1, maximum=12) or (today.month if year == today.year else 12)
    if (year, month) > (today.year, today.month):
        month = today.month
    return year, month


def _rules(request):
    code = request.GET.get("rules", "")[:30]
    return selectors.rule_set(code if code in {r.code for r in selectors.rule_sets()} else None)


def _filters(request) -> dict:
    g = request.GET
    return {"list_kind": g.get("list_kind", "") if g.get("list_kind", "") in ListKind.values else "",
            "level": g.get("level", "") if g.get("level", "") in Level.values else "",
            "phase": g.get("phase", "") if g.get("phase", "") in Phase.values else "",
            "q": g.get("q", "")[:60].strip(), "soe": bool_param(g.get("soe")),
            "task_force": int_param(g.get("task_force"), minimum=1)}


@login_required
def project_list(request):
    year, month = _period(request)
    rules = _rules(request)
    f = _filters(request)
    if request.GET.get("unreported") == "1":
        qs = selectors.unreported(actor=request.user, today=clock.today())
    elif request.GET.get("nodes_due") == "1":
        qs = selectors.projects_with_nodes_due(actor=request.user, today=clock.today())
    else:
        qs = selectors.project_list(actor=request.user, year=year if f["list_kind"] else None, **f)
    light = request.GET.get("light", "") if request.GET.get("light", "") in Light.values else ""
    if light:
        verdicts = selectors.lights_for(list(qs.values_list("pk", flat=True)), year, month, rules=rules)
        qs = qs.filter(pk__in=[pk for pk, v in verdicts.items() if v.light == light])
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    verdicts = selectors.lights_for([p.pk for p in page], year, month, rules=rules)
    for p in page:
        p.verdict = verdicts[p.pk]
    return render(request, "keyprojects/list.html", {
        "page": page, "year": year, "month": month, "rules": rules, "rule_sets": selectors.rule_sets(),
        "list_kinds": ListKind.choices, "levels": Level.choices, "phases": Phase.choices, "lights": Light.choices,
        "light": light, "f": f, "months": range(1, 13), "years": range(clock.today().year, 2017, -1),
        "may_create": selectors.registrable_regions(actor=request.user).exists()})


@login_required
def project_export(request):
    year, _month = _period(request)
    f = {k: v for k, v in _filters(request).items() if v not in ("", None)}
    if f.get("list_kind"):
        f["year"] = year
    return export_response(request, exports.PROJECTS.key, f)


def _form_values(request, region) -> dict:
    p = request.POST
    values = {k: p.get(k, "") for k in ("name", "level", "phase", "track_class", "industry", "total_investment_wan",
                                        "completed_before_wan", "patron_leader", "plan_summary")}
    values["soe_led"] = p.get("soe_led") == "1"
    values["in_fai_stats"] = p.get("in_fai_stats") == "1"
    for key in ("planned_start", "actual_start", "planned_end", "actual_end", "in_stats_date"):
        values[key] = date_param(p.get(key))
    values["owner_unit"] = (selectors.organization_get(region=region, pk=p.get("owner_unit"))
                            if p.get("owner_unit") else None)
    values["office"] = selectors.organization_get(region=region, pk=p.get("office")) if p.get("office") else None
    values["commissioner"] = (selectors.commissioner_get(region=region, pk=p.get("commissioner"))
                              if p.get("commissioner") else None)
    values["task_force"] = (selectors.task_force_get(actor=request.user, pk=p.get("task_force"))
                            if p.get("task_force") else None)
    return values


def _form_context(request, region, **extra) -> dict:
    return {"regions": selectors.registrable_regions(actor=request.user), "region": region,
            "organizations": selectors.organization_choices(region=region)[:1000] if region else [],
            "commissioners": selectors.commissioner_choices(region=region)[:500] if region else [],
            "task_forces": selectors.task_forces(actor=request.user), "levels": Level.choices,
            "phases": Phase.choices, "classes": TrackClass.choices, **extra}


@login_required
def project_create(request):
    regions = selectors.registrable_regions(actor=request.user)
    if not regions.exists():
        raise Http404()
    region_pk = request.POST.get("region") or request.GET.get("region")
    region = selectors.region_get(actor=request.user, pk=region_pk) if region_pk else regions.first()
    error = None
    if request.method == "POST":
        try:
            project = services.project_create(actor=request.user, region=region, **_form_values(request, region))
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("重点项目已登记"))
            return redirect("keyprojects:detail", pk=project.pk)
    return render(request, "keyprojects/form.html", _form_context(request, region, error=error,
                                                                  values=request.POST, project=None))


@login_required
def project_edit(request, pk: int):
    project = or_404(selectors.project_detail, actor=request.user, pk=pk)
    if not permissions.can_keep(request.user, project):
        raise Http404()
    error = None
    if request.method == "POST":
        try:
            services.project_update(actor=request.user, project=project, **_form_values(request, project.region))
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("已保存"))
            return redirect("keyprojects:detail", pk=project.pk)
    values = request.POST if request.method == "POST" else _initial(project)
    return render(request, "keyprojects/form.html", _form_context(request, project.region, error=error,
                                                                  values=values, project=project))


def _initial(project) -> dict:
    out = {f: getattr(project, f) for f in ("name", "level", "phase", "track_class", "industry",
                                            "total_investment_wan", "completed_before_wan", "patron_leader",
                                            "plan_summary")}
    for f in ("planned_start", "actual_start", "planned_end", "actual_end", "in_stats_date"):
        value = getattr(project, f)
        out[f] = value.isoformat() if value else ""
    out.update(owner_unit=str(project.owner_unit_id), office=str(project.office_id or ""),
               commissioner=str(project.commissioner_id or ""), task_force=str(project.task_force_id or ""),
               soe_led="1" if project.soe_led else "", in_fai_stats="1" if project.in_fai_stats else "")
    return out


@login_required
def project_detail(request, pk: int):
    project = or_404(selectors.project_detail, actor=request.user, pk=pk)
    year, month = _period(request)
    rules = _rules(request)
    verdict = selectors.lights_for([project.pk], year, month, rules=rules)[project.pk]
    keep = permissions.can_keep(request.user, project)
    return render(request, "keyprojects/detail.html", {
        "project": project, "year": year, "month": month, "rules": rules, "verdict": verdict,
        "history": selectors.light_history(project, year, upto=month, rules=rules),
        "table": selectors.year_table(project, year), "listings": project.listings.order_by("-year", "kind"),
        "plans": project.plans.order_by("-year"), "progress": selectors.progress_list(project),
        "nodes": project.nodes.order_by("done_on", "due"), "problems": selectors.problems(actor=request.user,
                                                                                          project=project)[:50],
        "keep": keep, "report": permissions.can_report(request.user, project), "list_kinds": ListKind.choices,
        "organizations": selectors.organization_choices(region=project.region)[:1000] if keep else [],
        "today": clock.today(), "months": range(1, 13), "years": range(clock.today().year, 2017, -1),
        "report_due": selectors.report_due(year, month)})


@login_required
@require_POST
def project_action(request, pk: int, verb: str):
    project = or_404(selectors.project_detail, actor=request.user, pk=pk)
    p, actor = request.POST, request.user
    today = clock.today()
    actions = {
        "listing": (lambda: services.listing_set(actor=actor, project=project, year=p.get("year"),
                                                 kinds=p.getlist("kinds")), _("已保存重点清单")),
        "plan": (lambda: services.plan_set(actor=actor, project=project, year=p.get("year"),
                                           planned_wan=p.get("planned_wan"), image_target=p.get("image_target", "")),
                 _("已保存年度计划")),
        "report": (lambda: services.report_submit(
            actor=actor, project=project, year=p.get("year") or today.year, month=p.get("month") or today.month,
            xun=p.get("xun") or 0, planned_wan=p.get("planned_wan"), completed_wan=p.get("completed_wan"),
            funds_in_place_wan=p.get("funds_in_place_wan"), note=p.get("note", "")), _("已填报投资完成情况")),
        "progress": (lambda: services.progress_submit(
            actor=actor, project=project, year=p.get("year") or today.year, month=p.get("month") or today.month,
            text=p.get("text", ""), photos=request.FILES.getlist("photos")), _("已填报形象进度")),
        "node": (lambda: services.node_add(actor=actor, project=project, name=p.get("name", ""),
                                           due=date_param(p.get("due")), responsible=p.get("responsible", ""),
                                           arrangement=p.get("arrangement", "")), _("已添加关键节点")),
        "problem": (lambda: services.problem_raise(
            actor=actor, project=project, title=p.get("title", ""),
            owner=selectors.organization_get(region=project.region, pk=p.get("owner")),
            deadline=date_param(p.get("deadline")), description=p.get("description", "")), _("已登记问题")),
    }
    if verb not in actions:
        raise Http404()
    run, done = actions[verb]
    return post_action(request, run, done, reverse("keyprojects:detail", args=[project.pk]))


@login_required
@require_POST
def node_done(request, pk: int):
    node = or_404(selectors.node_detail, actor=request.user, pk=pk)
    return post_action(request, lambda: services.node_done(actor=request.user, node=node,
                                                           note=request.POST.get("note", "")),
                       _("节点已完成"), reverse("keyprojects:detail", args=[node.project_id]))


@login_required
def dispatch(request):
    year, month = _period(request)
    rules = _rules(request)
    list_kind = request.GET.get("list_kind", "") if request.GET.get("list_kind", "") in ListKind.values else ""
    d = selectors.dispatch(actor=request.user, year=year, month=month, rules=rules, list_kind=list_kind)
    return render(request, "keyprojects/dispatch.html", {
        "d": d, "year": year, "month": month, "rule_sets": selectors.rule_sets(), "list_kinds": ListKind.choices,
        "list_kind": list_kind, "months": range(1, 13), "years": range(clock.today().year, 2017, -1)})


@login_required
def dispatch_pdf(request):
    year, month = _period(request)
    d = selectors.dispatch(actor=request.user, year=year, month=month, rules=_rules(request))
    body = report.dispatch_pdf(d, title=f"重点项目月调度 {year}年{month}月")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="key-projects-{year}-{month:02d}.pdf"'
    return response


@login_required
def dispatch_export(request):
    year, month = _period(request)
    filters = {"year": year, "month": month}
    if request.GET.get("rules"):
        filters["rules"] = _rules(request).code
    return export_response(request, exports.DISPATCH.key, filters)


@login_required
def task_forces(request):
    regions = selectors.registrable_regions(actor=request.user)
    if not regions.exists():
        raise Http404()
    error = None
    if request.method == "POST":
        try:
            region = selectors.region_get(actor=request.user, pk=request.POST.get("region"))
            services.task_force_create(actor=request.user, region=region, name=request.POST.get("name", ""),
                                       leader=request.POST.get("leader", ""))
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("专班已设立"))
            return redirect("keyprojects:task_forces")
    return render(request, "keyprojects/task_forces.html", {
        "task_forces": selectors.task_forces(actor=request.user), "regions": regions, "error": error,
        "values": request.POST})
