"""Pages of the rectification ledger: the list with filters, counts per organisation and period, the item page
with its actions, and the Excel export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import clock
from grassroots.core.attachments import attachments_for
from grassroots.core.edges import date_param, int_param, or_404, post_action
from grassroots.core.errors import ApplicationError
from grassroots.links.selectors import links_for

from . import public, selectors, services
from .permissions import can_rectify, can_supervise
from .states import Source, Status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def item_list(request):
    f = selectors.filters_from(request.GET)
    page = Paginator(selectors.items(actor=request.user, filters=f), 30).get_page(request.GET.get("page"))
    return render(request, "rectification/item_list.html", {
        "page": page, "statuses": Status.choices, "sources": Source.choices,
        "owners": selectors.owner_choices(actor=request.user), "today": clock.today()})


@login_required
def counts(request):
    f = selectors.filters_from(request.GET)
    year = f.year or clock.today().year
    return render(request, "rectification/counts.html", {
        "rows": selectors.counts(actor=request.user, filters=f), "year": year,
        "months": selectors.counts_by_month(actor=request.user, year=year)})


@login_required
def ledger_export(request):
    body = services.ledger_export(actor=request.user, filters=selectors.filters_from(request.GET))
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rectification-{clock.today():%Y%m%d}.xlsx"'
    return response


@login_required
@require_POST
def item_create(request):
    p = request.POST
    try:
        owner = selectors.owner_get(actor=request.user, pk=int_param(p.get("owner"), minimum=1) or 0)
        responsible_id = int_param(p.get("responsible"), minimum=1)
        responsible = selectors.responsible_get(actor=request.user, pk=responsible_id) if responsible_id else None
        item = services.item_create(
            actor=request.user, title=p.get("title", ""), source=p.get("source", ""), owner=owner,
            responsible=responsible, deadline=date_param(p.get("deadline")), description=p.get("description", ""),
            requirement=p.get("requirement", ""), case_id=int_param(p.get("case_id"), minimum=1),
            long_term=p.get("long_term") == "1")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("rectification:items")
    messages.success(request, _("已登记整改事项"))
    return redirect("rectification:item_detail", item.pk)


@login_required
def item_detail(request, pk: int):
    item = or_404(selectors.item_get, actor=request.user, pk=pk)
    return render(request, "rectification/item_detail.html", {
        "item": item, "actions": services.can_see_actions(request.user, item),
        "can_rectify": can_rectify(request.user, item), "can_supervise": can_supervise(request.user, item),
        "milestones": item.milestones.all(), "evidence": attachments_for(actor=request.user, obj=item),
        "links": links_for(actor=request.user, target=item, purpose=public.PURPOSE),
        "can_print": public.can_issue(request.user, item)})


@login_required
@require_POST
def item_action(request, pk: int, verb: str):
    item = or_404(selectors.item_get, actor=request.user, pk=pk)
    p = request.POST
    return post_action(request, lambda: services.item_move(
        actor=request.user, item=item, verb=verb, reason=p.get("reason", ""), deadline=date_param(p.get("deadline")),
        measures=p.get("measures") if "measures" in p else None),
        _("已更新整改事项"), reverse("rectification:item_detail", args=[pk]))


@login_required
@require_POST
def measures_set(request, pk: int):
    item = or_404(selectors.item_get, actor=request.user, pk=pk)
    return post_action(request, lambda: services.measures_set(actor=request.user, item=item,
                                                              measures=request.POST.get("measures", "")),
                       _("已保存整改措施"), reverse("rectification:item_detail", args=[pk]))


@login_required
@require_POST
def milestone_add(request, pk: int):
    item = or_404(selectors.item_get, actor=request.user, pk=pk)
    return post_action(request, lambda: services.milestone_add(
        actor=request.user, item=item, title=request.POST.get("title", ""),
        due_on=date_param(request.POST.get("due_on"))), _("已添加整改节点"),
        reverse("rectification:item_detail", args=[pk]))


@login_required
@require_POST
def milestone_done(request, pk: int, milestone_id: int):
    item = or_404(selectors.item_get, actor=request.user, pk=pk)
    milestone = or_404(selectors.milestone_get, actor=request.user, item=item, pk=milestone_id)
    return post_action(request, lambda: services.milestone_done(actor=request.user, milestone=milestone),
                       _("节点已完成"), reverse("rectification:item_detail", args=[pk]))


@login_required
@require_POST
def notice_pdf(request, pk: int):
    """Issue (or reuse) the item's notice link and print it as a QR on an A4 notice."""
    from grassroots.links import services as links

    item = or_404(selectors.item_get, actor=request.user, pk=pk)
    try:
        link = links.link_issue(actor=request.user, purpose=public.PURPOSE, target=item)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("rectification:item_detail", pk)
    body = public.notice_pdf(item, request.build_absolute_uri(links.path_of(link)))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rectification-notice-{item.pk}.pdf"'
    return response


@login_required
@require_POST
def evidence_add(request, pk: int):
    item = or_404(selectors.item_get, actor=request.user, pk=pk)
    upload = request.FILES.get("file")
    back = reverse("rectification:item_detail", args=[pk])
    if upload is None:
        messages.error(request, _("请选择文件"))
        return redirect(back)
    return post_action(request, lambda: services.evidence_add(actor=request.user, item=item, upload=upload),
                       _("已上传整改材料"), back)


