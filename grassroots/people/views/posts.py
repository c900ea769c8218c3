"""Posts: list, detail, and ending a post with the handover to a successor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import clock
from grassroots.core.edges import date_param, int_param, or_404
from grassroots.core.errors import ApplicationError, NotFound, ValidationFailed

from .. import party_targets, permissions, selectors, services
from ..models import Role
from .common import PAGE_SIZE


@login_required
def post_list(request):
    g = request.GET
    q, role, current = g.get("q", "").strip()[:64], g.get("role", ""), g.get("current", "1")
    qs = selectors.post_list(actor=request.user, q=q, role=role, current=current)
    page = Paginator(qs, PAGE_SIZE).get_page(g.get("page"))
    return render(request, "people/post_list.html", {
        "page": page, "q": q, "role": role, "current": current, "roles": Role.choices,
        "can_manage": permissions.can_manage_posts(request.user),
    })


def _post_context(request, post, **extra):
    return {"post": post, "can_end": permissions.can_end_post(request.user, post) and post.end_date is None,
            "candidates": selectors.successor_candidates(actor=request.user, post=post),
            "party_org_name": party_targets.names([post.party_org_path]).get(post.party_org_path, ""),
            "today": clock.today(), **extra}


@login_required
def post_detail(request, pk: int):
    post = or_404(selectors.post_get, actor=request.user, pk=pk)
    return render(request, "people/post_detail.html", _post_context(request, post))


@login_required
@require_POST
def post_end(request, pk: int):
    post = or_404(selectors.post_get, actor=request.user, pk=pk)
    successor = None
    successor_id = int_param(request.POST.get("successor"))
    raw_end = request.POST.get("end_date")
    end_date = date_param(raw_end) if raw_end else clock.today()
    try:
        if end_date is None:
            raise ValidationFailed("结束日期格式不正确", "The end date is not valid", field="end_date")
        if successor_id:
            successor = selectors.successor_get(actor=request.user, post=post, pk=successor_id)
            if successor is None:
                raise ValidationFailed("接任人不存在", "Successor not found", field="successor")
        services.post_end(actor=request.user, post=post, end_date=end_date, successor=successor,
                          note=request.POST.get("note", "")[:2000])
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        return render(request, "people/post_detail.html",
                      _post_context(request, post, error=exc, form=request.POST), status=exc.status)
    messages.success(request, _("岗位已结束"))
    return redirect("people:post_detail", pk=post.pk)
