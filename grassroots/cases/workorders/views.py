"""Work-order import page for hotline operators: upload a 12345 / provincial-platform file, check it, import it.

Thin edge over ``workorders.intake.import_work_orders``: the whole file is checked first; every bad row is listed with its
line and reason and nothing is imported while any row is bad; work orders imported before are skipped and counted.
"Check only" runs the same validation without writing.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from grassroots.core.errors import ApplicationError

from .. import permissions
from ..states import Channel
from . import intake

MAX_BYTES = 10 * 1024 * 1024


class ImportForm(forms.Form):
    source = forms.ChoiceField(label=_("来源平台"), choices=[("12345", _("12345 热线")), ("provincial", _("省级平台"))])
    file = forms.FileField(label=_("工单文件（.xlsx 或 .csv）"))
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False)


@login_required
@require_http_methods(["GET", "POST"])
def import_work_orders(request):
    if not permissions.can_import_work_orders(request.user, Channel.IMPORT_12345):
        raise Http404
    report = errors = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", _("文件不能超过 10 MB"))
        else:
            try:
                report = intake.import_work_orders(
                    actor=request.user, name=upload.name, data=upload.read(),
                    source=form.cleaned_data["source"], dry_run=form.cleaned_data["dry_run"])
            except intake.WorkOrdersInvalid as exc:
                errors = exc.report.errors
                form.add_error(None, exc.message)
            except ApplicationError as exc:
                form.add_error("file" if exc.field == "file" else None, exc.message)
    return render(request, "cases/import_work_orders.html", {
        "form": form, "report": report, "errors": errors, "columns": [names[0] for names in
                                                                    intake.COLUMNS.values()]})
