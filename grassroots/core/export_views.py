"""The pages of the exporter: ``export_response`` (every app's export URL answers through it), my exports with
their progress, and the download of a finished job (only its owner; anyone else gets a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import export_jobs, exports
from .edges import or_404
from .errors import ApplicationError, NotFound, NotPermitted
from .models import ExportJob


def export_request_options(request) -> dict:
    """The format (``format=csv`` or xlsx), and full numbers: only asked for in a POST, with a purpose."""
    data = request.POST if request.method == "POST" else request.GET
    options = {"format": (data.get("format") or "xlsx").strip().lower()[:8]}
    if request.method == "POST" and request.POST.get("unmask") == "1":
        options.update(unmask=True, purpose=request.POST.get("purpose", "")[:exports.PURPOSE_MAX_LENGTH + 50])
    return options


def export_response(request, key: str, filters: dict):
    """Run the export ``key`` for the signed-in actor: the file at once, or (a large one) a background job and the
    page of my exports. A refusal shows its reason: 404 out of scope, 403 not permitted, 400 bad input."""
    try:
        result = exports.export(key, actor=request.user, filters=filters, **export_request_options(request))
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        status = 403 if isinstance(exc, NotPermitted) else 400
        return render(request, "core/export_refused.html", {"error": exc}, status=status)
    if isinstance(result, ExportJob):
        messages.info(request, _("导出的行数较多，已转入后台进行；完成后可在“我的导出”下载。"))
        return redirect("core:export_list")
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export_list(request):
    jobs = list(export_jobs.job_list(actor=request.user)[:50])
    context = {"jobs": jobs, "pending": any(j.pending for j in jobs), "keep_hours": export_jobs.keep_hours()}
    template = "core/export_jobs_table.html" if request.headers.get("HX-Request") else "core/export_list.html"
    return render(request, template, context)


@login_required
@require_GET
def export_download(request, pk: int):
    job, path = or_404(export_jobs.job_file, actor=request.user, pk=pk)
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=job.filename,  # noqa: SIM115
                            content_type=exports.CONTENT_TYPES.get(job.format, "application/octet-stream"))
    response["Cache-Control"] = "private, no-store"
    return response
