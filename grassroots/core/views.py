"""Core pages: the audit log (auditors only) and attachment downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from . import clock, services
from .attachments import attachment_get
from .errors import NotFound, NotPermitted
from .forms import AuditFilterForm
from .selectors import event_page


def _int_or_none(raw):
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


@login_required
@require_GET
def audit(request):
    form = AuditFilterForm(request.GET or None)
    try:
        page = event_page(actor=request.user, filters=form.filters(),
                          before=_int_or_none(request.GET.get("before")), after=_int_or_none(request.GET.get("after")))
    except NotPermitted as err:
        return render(request, "core/forbidden.html", {"error": err}, status=403)
    return render(request, "core/audit.html", {"form": form, "page": page})


@login_required
@require_POST
def audit_export(request):
    form = AuditFilterForm(request.POST)
    try:
        content, _count = services.audit_export(actor=request.user, filters=form.filters())
    except NotPermitted as err:
        return render(request, "core/forbidden.html", {"error": err}, status=403)
    response = HttpResponse(content,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="audit-{clock.now():%Y%m%d-%H%M}.xlsx"'
    return response


@login_required
@require_GET
def attachment_file(request, pk: int):
    try:
        attachment = attachment_get(actor=request.user, pk=pk)
    except NotFound:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type,
                            filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response
