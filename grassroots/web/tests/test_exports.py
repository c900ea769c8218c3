"""Every export of the platform goes through the one exporter (``core.exports``): each answers a workbook whose
data rows are what its one audit event counts, with the page's filters; CSV on request; none is left
hand-written (no app writes a workbook of data itself)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.cases.states import Status
from grassroots.cases.tests.factories import make_case
from grassroots.core import exports
from grassroots.core.models import Event
from tests.support.world import login_verified

# (url name, user, query, audit verb, filters the event records)
EXPORTS = [
    ("cases:case_export", "community_staff", {"status": "reported"}, "case.export", {"status": "reported"}),
    ("metrics:kpi_export", "zone_leader", {"unit": "community", "month": "2026-11"}, "kpi.export",
     {"unit": "community", "start": "2026-11-01", "end": "2026-11-30", "channel": ""}),
    ("territory:compound_export", "community_secretary", {"q": "小区"}, "territory.compound_export",
     {"q": "小区", "community": ""}),
    ("people:person_export", "community_secretary", {"q": "张"}, "person.export", {"q": "张", "active": "1"}),
    ("party:member_export", "community_staff", {"q": "张"}, "membership.export", {"q": "张"}),
    ("property:rates_export", "community_staff", {"on": "2026-11-30"}, "property_rate.export",
     {"on": "2026-11-30"}),
]


@pytest.mark.parametrize("name, user, query, verb, filters", EXPORTS, ids=[e[0] for e in EXPORTS])
def test_each_export_answers_its_rows_and_writes_one_audit_event_with_filters_and_row_count(
        client, world, name, user, query, verb, filters):
    make_case(world, Status.REPORTED)
    login_verified(client, getattr(world, user))
    response = client.get(reverse(name), query)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == exports.XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    event = Event.objects.get(verb=verb)
    assert event.actor_id == getattr(world, user).pk and event.outcome == "success"
    assert event.payload["rows"] == sheet.max_row - 1 and event.payload["filters"] == filters
    response = client.get(reverse(name), {**query, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == sheet.max_row and Event.objects.filter(verb=verb).count() == 2


def test_the_audit_log_export_is_one_of_them(client, world):
    make_case(world, Status.REPORTED)
    login_verified(client, world.auditor)
    response = client.post(reverse("core:audit_export"), {"verb": "case.report", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    event = Event.objects.get(verb="audit.export")
    assert event.payload["rows"] == len(rows) - 1 == 1 and event.payload["filters"] == {"verb": "case.report"}


def test_no_app_writes_a_workbook_of_data_by_itself():
    """A new export must be an ``ExportKind``; only core's exporter (and the import reader) touch openpyxl."""
    root = Path(settings.BASE_DIR) / "grassroots"
    allowed = {root / "core" / "exports.py", root / "core" / "imports.py"}
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "tests" not in p.parts and p not in allowed
                 and re.search(r"\bWorkbook\(", p.read_text(encoding="utf-8"))]
    assert offenders == []
