"""Public notice pages: the list, a notice with its objections and answers (public), the printable PDF, submitting
an objection (signed in) and answering one (who may publish the kind)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.edges import or_404, post_action

from . import pdf, registry, selectors, services


def notice_list(request):
    g = request.GET
    qs = selectors.notices(actor=request.user, region_code=g.get("region", g.get("community", "")),
                           kind=g.get("kind", ""), q=g.get("q", "").strip(), open_only=g.get("open") == "1",
                           mine=g.get("mine") == "1", ending_soon=g.get("ending") == "1")
    page = Paginator(qs, 30).get_page(g.get("page"))
    for n in page:
        n.kind_label = registry.label(n.kind)
    return render(request, "notices/notice_list.html", {
        "page": page, "kinds": registry.choices(), "regions": selectors.regions_with_notices(actor=request.user)})


@login_required
def objections_waiting(request):
    """Objections without an answer on the notices the user's posts answer for, oldest first."""
    page = Paginator(selectors.objections_waiting(actor=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notices/objections_waiting.html", {"page": page})


def notice_detail(request, pk: int):
    notice = or_404(selectors.notice_detail, actor=request.user, pk=pk)
    kind = registry.get(notice.kind)
    subject = notice.subject
    return render(request, "notices/notice_detail.html", {
        "notice": notice, "kind_label": registry.label(notice.kind),
        "subject_url": kind.subject_url(subject) if kind and subject is not None else "",
        "objections": selectors.notice_objections(actor=request.user, notice=notice),
        "open": services.is_open(notice), "can_answer": services.can_answer(request.user, notice)})


def notice_pdf(request, pk: int):
    notice = or_404(selectors.notice_detail, actor=request.user, pk=pk)
    url = request.build_absolute_uri(reverse("notices:notice_detail", args=[notice.pk]))
    response = HttpResponse(pdf.notice(notice, url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
    return response


@login_required
@require_POST
def objection_submit(request, pk: int):
    notice = or_404(selectors.notice_detail, actor=request.user, pk=pk)
    return post_action(request, lambda: services.objection_submit(actor=request.user, notice=notice,
                                                                  text=request.POST.get("text", "")),
                       _("异议已提交，工作人员将答复"), reverse("notices:notice_detail", args=[pk]))


@login_required
@require_POST
def objection_answer(request, pk: int):
    objection = or_404(selectors.objection_to_answer, actor=request.user, pk=pk)
    return post_action(request, lambda: services.objection_answer(actor=request.user, objection=objection,
                                                                  answer=request.POST.get("answer", "")),
                       _("已答复"), reverse("notices:notice_detail", args=[objection.notice_id]))
