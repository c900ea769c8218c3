"""The roster import: upload and check (the file is kept encrypted until confirmed), confirm, the empty template."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import crypto
from grassroots.core.errors import ApplicationError

from .. import imports, permissions, services
from .common import xlsx_response

IMPORT_DIR = "people-imports"
MAX_UPLOAD = 10 * 1024 * 1024


def _import_path(token: str) -> Path:
    return Path(settings.MEDIA_ROOT) / IMPORT_DIR / f"{token}.xlsx"


def _clean_stale_imports(folder: Path, max_age_seconds: int = 3600) -> None:
    """Uploads never confirmed are removed after an hour."""
    limit = time.time() - max_age_seconds
    for stale in folder.glob("*.xlsx"):
        try:
            if stale.stat().st_mtime < limit:
                stale.unlink(missing_ok=True)
        except OSError:
            continue


@login_required
def person_import(request):
    if not permissions.can_import_people(request.user):
        raise Http404()
    context = {"columns": imports.COLUMNS}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or not upload.name.lower().endswith(".xlsx"):
            context["error"] = _("请选择 Excel .xlsx 文件")
        elif upload.size > MAX_UPLOAD:
            context["error"] = _("文件过大（最大 10 MB）")
        else:
            data = upload.read()
            try:
                report = services.person_import(actor=request.user, file=data, dry_run=True)
            except ApplicationError as exc:
                context["error"] = exc.message
            else:
                context["report"] = report
                context["filename"] = upload.name
                if report.ok:
                    token = secrets.token_urlsafe(16)
                    path = _import_path(token)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    _clean_stale_imports(path.parent)
                    path.write_bytes(crypto.cipher().encrypt(data))  # personal data: never plaintext on disk
                    request.session["people_import"] = {"token": token, "name": upload.name}
                    context["token"] = token
                    context["preview"] = [
                        {"row": r.row, "name": r["name"], "id_number": r["_person"].id_number_masked,
                         "building_code": r["building_code"], "room": r.get("room") or "",
                         "relation_to_head": r.get("relation_to_head") or ""} for r in report.rows[:20]]
    return render(request, "people/person_import.html", context)


@login_required
@require_POST
def person_import_confirm(request):
    if not permissions.can_import_people(request.user):
        raise Http404()
    pending = request.session.get("people_import") or {}
    token = request.POST.get("token", "")
    if not token or pending.get("token") != token or not _import_path(token).exists():
        messages.error(request, _("导入已过期，请重新上传文件"))
        return redirect("people:person_import")
    path = _import_path(token)
    try:
        report = services.person_import(actor=request.user, file=crypto.cipher().decrypt(path.read_bytes()))
    except (ApplicationError, InvalidToken) as exc:
        messages.error(request, exc.message if isinstance(exc, ApplicationError) else _("导入已过期，请重新上传文件"))
        return redirect("people:person_import")
    finally:
        path.unlink(missing_ok=True)
        request.session.pop("people_import", None)
    if not report.ok:
        return render(request, "people/person_import.html", {"columns": imports.COLUMNS, "report": report,
                                                             "filename": pending.get("name", "")})
    messages.success(request, _("已导入 %(n)d 人") % {"n": report.written})
    return redirect("people:person_list")


@login_required
def person_import_template(request):
    if not permissions.can_import_people(request.user):
        raise Http404()
    return xlsx_response(imports.template(), "people-template.xlsx")
