"""Core pages: the audit log (auditors only), attachment downloads and the demo's phone outbox (administrator)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from .attachments import attachment_get
from .edges import DB_BIGINT_MAX, int_param, or_404
from .errors import NotPermitted
from .export_views import export_response
from .forms import AuditFilterForm
from .selectors import event_page, phone_outbox


@login_required
@require_GET
def audit(request):
    form = AuditFilterForm(request.GET or None)
    try:
        page = event_page(actor=request.user, filters=form.filters(),
                          before=int_param(request.GET.get("before"), maximum=DB_BIGINT_MAX),
                          after=int_param(request.GET.get("after"), maximum=DB_BIGINT_MAX))
    except NotPermitted as err:
        return render(request, "core/forbidden.html", {"error": err}, status=403)
    return render(request, "core/audit.html", {"form": form, "page": page})


@login_required
@require_POST
def audit_export(request):
    form = AuditFilterForm(request.POST)
    return export_response(request, "core.audit", form.filters().as_dict())


@login_required
@require_GET
def attachment_file(request, pk: int):
    attachment = or_404(attachment_get, actor=request.user, pk=pk)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type,
                            filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response


@login_required
@require_GET
def outbox(request):
    """The demo's phone outbox: codes the embedded backend kept instead of sending (administrator only)."""
    messages = or_404(phone_outbox, actor=request.user)
    return render(request, "core/outbox.html", {"messages": messages[:100]})
