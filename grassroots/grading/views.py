"""Pages of grading: schemes (indicator tree, grade bands, targets), the entry form, results with ranking."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.attachments import attachments_for
from grassroots.core.edges import int_param, or_404, post_action
from grassroots.core.errors import ApplicationError, NotFound

from . import selectors, services, targets
from .permissions import can_assess, can_manage_scheme
from .states import SCHEME_TRANSITIONS, IndicatorKind, Method

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scheme(request, pk):
    return or_404(selectors.scheme_get, actor=request.user, pk=pk)


@login_required
def scheme_list(request):
    year = int_param(request.GET.get("year"), minimum=1900, maximum=2999)
    qs = or_404(selectors.schemes, actor=request.user, year=year, target_type=request.GET.get("target_type", ""))
    return render(request, "grading/scheme_list.html", {"schemes": qs, "kinds": targets.all_kinds()})


@login_required
@require_POST
def scheme_create(request):
    from grassroots.territory.models import Region

    region = Region.objects.filter(code=request.POST.get("region", "").strip()).first()
    try:
        scheme = services.scheme_create(
            actor=request.user, name=request.POST.get("name", ""), year=int_param(request.POST.get("year")) or 0,
            target_type=request.POST.get("target_type", ""), region=region,
            bonus_limit=request.POST.get("bonus_limit"), deduction_limit=request.POST.get("deduction_limit"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("grading:schemes")
    messages.success(request, _("已创建考核方案"))
    return redirect("grading:scheme_detail", scheme.pk)


@login_required
def scheme_detail(request, pk: int):
    scheme = _scheme(request, pk)
    manage = can_manage_scheme(request.user, scheme)
    return render(request, "grading/scheme_detail.html", {
        "scheme": scheme, "tree": selectors.indicator_tree(actor=request.user, scheme=scheme),
        "bands": scheme.bands.all(), "assessments": selectors.assessments(actor=request.user, scheme=scheme),
        "can_manage": manage, "kind": targets.get(scheme.target_type),
        "choices": selectors.target_choices(actor=request.user, scheme=scheme) if manage else (),
        "groups": scheme.indicators.filter(method=Method.GROUP), "methods": Method.choices,
        "indicator_kinds": IndicatorKind.choices, "moves": [m for m in SCHEME_TRANSITIONS.values()
                                                              if scheme.status in m.sources]})


@login_required
@require_POST
def scheme_move(request, pk: int, verb: str):
    scheme = _scheme(request, pk)
    actions = {"open": services.scheme_open, "close": services.scheme_close, "reopen": services.scheme_reopen}
    if verb not in actions:
        raise Http404
    return post_action(request, lambda: actions[verb](actor=request.user, scheme=scheme), _("已更新方案状态"),
                       reverse("grading:scheme_detail", args=[pk]))


@login_required
@require_POST
def indicator_add(request, pk: int):
    scheme = _scheme(request, pk)
    parent_id = int_param(request.POST.get("parent"))
    parent = scheme.indicators.filter(pk=parent_id).first() if parent_id else None
    p = request.POST
    return post_action(request, lambda: services.indicator_add(
        actor=request.user, scheme=scheme, code=p.get("code", ""), name=p.get("name", ""), method=p.get("method", ""),
        kind=p.get("kind", "standard"), max_score=p.get("max_score"), unit_score=p.get("unit_score") or 0,
        parent=parent, guidance=p.get("guidance", ""), order=int_param(p.get("order"), minimum=0) or 0),
        _("已添加指标"), reverse("grading:scheme_detail", args=[pk]))


@login_required
@require_POST
def band_set(request, pk: int):
    scheme = _scheme(request, pk)
    p = request.POST
    return post_action(request, lambda: services.band_set(
        actor=request.user, scheme=scheme, code=p.get("code", ""), name=p.get("name", ""),
        min_score=p.get("min_score")), _("已保存评价等次"), reverse("grading:scheme_detail", args=[pk]))


@login_required
@require_POST
def scheme_limits(request, pk: int):
    scheme = _scheme(request, pk)
    p = request.POST
    band_id = int_param(p.get("veto_grade"), minimum=1)
    veto = scheme.bands.filter(pk=band_id).first() if band_id else None
    return post_action(request, lambda: services.scheme_limits_set(
        actor=request.user, scheme=scheme, bonus_limit=p.get("bonus_limit"), deduction_limit=p.get("deduction_limit"),
        veto_grade=veto), _("已保存加减分上限和否决等次"), reverse("grading:scheme_detail", args=[pk]))


@login_required
@require_POST
def assessment_add(request, pk: int):
    scheme = _scheme(request, pk)
    target_id = int_param(request.POST.get("target_id"), minimum=1)
    return post_action(request, lambda: services.assessment_add(actor=request.user, scheme=scheme,
                                                                target_id=target_id or 0),
                       _("已加入考核对象"), reverse("grading:scheme_detail", args=[pk]))


@login_required
def assessment_detail(request, pk: int):
    """The assessment's breakdown and, for an assessor, the entry form (POST saves the entries)."""
    assessment = or_404(selectors.assessment_get, actor=request.user, pk=pk)
    back = reverse("grading:assessment_detail", args=[pk])
    if request.method == "POST":
        values = {k.removeprefix("value_"): v for k, v in request.POST.items() if k.startswith("value_")}
        notes = {k.removeprefix("note_"): v for k, v in request.POST.items() if k.startswith("note_")}
        return post_action(request, lambda: services.entries_record(actor=request.user, assessment=assessment,
                                                                    values=values, notes=notes),
                           _("已保存评分"), back)
    entries = list(selectors.entries(actor=request.user, assessment=assessment))
    for e in entries:
        e.evidence = list(attachments_for(actor=request.user, obj=e))
    mine = {e.indicator_id: e for e in entries if e.assessor_id == request.user.pk}
    scores = services.indicator_scores(actor=request.user, assessment=assessment)
    tree = [(i, depth, scores.get(i.pk), mine.get(i.pk))
            for i, depth in selectors.indicator_tree(actor=request.user, scheme=assessment.scheme)]
    return render(request, "grading/assessment_detail.html", {
        "assessment": assessment, "scheme": assessment.scheme, "tree": tree, "entries": entries,
        "can_assess": can_assess(request.user, assessment), "mine": [e for e in entries
                                                                     if e.assessor_id == request.user.pk]})


@login_required
@require_POST
def evidence_add(request, pk: int, entry_id: int):
    assessment = or_404(selectors.assessment_get, actor=request.user, pk=pk)
    entry = selectors.entries(actor=request.user, assessment=assessment).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    upload = request.FILES.get("file")
    back = reverse("grading:assessment_detail", args=[pk])
    if upload is None:
        messages.error(request, _("请选择文件"))
        return redirect(back)
    return post_action(request, lambda: services.evidence_add(actor=request.user, entry=entry, upload=upload),
                       _("已上传佐证材料"), back)


@login_required
def results(request, pk: int):
    scheme = _scheme(request, pk)
    return render(request, "grading/results.html", {
        "scheme": scheme, "rows": selectors.results(actor=request.user, scheme=scheme)})


@login_required
def results_export(request, pk: int):
    scheme = _scheme(request, pk)
    try:
        body = services.results_export(actor=request.user, scheme=scheme)
    except NotFound:
        raise Http404
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="grading-{scheme.year}-{scheme.pk}.xlsx"'
    return response
