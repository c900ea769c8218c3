from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.defaults import page_not_found

from grassroots.core import notifications
from grassroots.core.edges import DB_BIGINT_MAX, int_param
from grassroots.core.scope import scope_for

from .workbench import workbench


@login_required
def home(request):
    """The workbench (web.workbench): waiting work by post and urgency, large buttons, notifications, figures."""
    scope = scope_for(request.user)
    return render(request, "web/home.html", {"scope": scope, **workbench(request.user, scope)})


@login_required
def notification_list(request):
    qs = notifications.inbox(actor=request.user, unread_only=request.GET.get("unread") == "1")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "web/notifications.html", {"page": page})


@login_required
@require_POST
def notification_mark_read(request):
    raw = request.POST.getlist("id")
    ids = [n for n in (int_param(i, minimum=0, maximum=DB_BIGINT_MAX) for i in raw) if n is not None]
    if raw and not ids:
        return redirect("notifications")
    notifications.mark_read(actor=request.user, ids=ids or None)
    return redirect("notifications")


def healthz(request):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def not_found(request, exception=None):
    """404 for a URL nothing matches: the API's error format under /api/ (a malformed id there matches no route),
    the 404 page elsewhere."""
    if request.path.startswith("/api/"):
        from grassroots.core.openapi import error_body

        response = JsonResponse(error_body("not_found", "对象不存在", "Not found"), status=404)
        response["Cache-Control"] = "no-store"
        return response
    return page_not_found(request, exception)
