"""What the people pages share: list page size, the .xlsx response, the 403 page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from grassroots.core.errors import NotPermitted

PAGE_SIZE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def forbidden_page(request, exc: NotPermitted):
    return render(request, "core/forbidden.html", {"error": exc}, status=403)
