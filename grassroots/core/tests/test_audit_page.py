import datetime as dt
import io
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core import events
from grassroots.core.models import Event
from grassroots.core.selectors import EventFilters, event_page
from tests.support.world import login_verified, scope_test

BJ = ZoneInfo("Asia/Shanghai")


def add_events(n, *, verb="case.report", actor=None, at=None, outcome="success", object_id=1):
    for _ in range(n):
        events.record(actor, verb, object_type="cases.case", object_id=object_id, outcome=outcome,
                      at=at or dt.datetime(2026, 11, 20, 10, 0, tzinfo=BJ))


@scope_test("core:audit")
def test_only_auditors_open_the_audit_page(client, world):
    add_events(1, actor=world.grid_worker)
    login_verified(client, world.auditor)
    response = client.get(reverse("core:audit"))
    assert response.status_code == 200 and "case.report" in response.content.decode()
    for user in (world.admin, world.zone_leader, world.grid_worker):
        login_verified(client, user)
        response = client.get(reverse("core:audit"))
        assert response.status_code == 403
        assert "case.report" not in response.content.decode()


def test_the_audit_page_filters_by_actor_verb_object_outcome_and_dates(client, world):
    add_events(2, verb="case.report", actor=world.grid_worker, object_id=7)
    add_events(1, verb="case.accept", actor=world.community_staff, object_id=7,
               at=dt.datetime(2026, 11, 22, 9, 0, tzinfo=BJ))
    add_events(1, verb="auth.login_failed", outcome="failure", object_id=99)
    auditor = world.auditor

    def rows(**kw):
        return [e.verb for e in event_page(actor=auditor, filters=EventFilters(**kw)).rows]

    assert rows(actor="grid1") == ["case.report", "case.report"]
    assert rows(verb="case.") == ["case.accept", "case.report", "case.report"]
    assert rows(verb="case.accept") == ["case.accept"]
    assert rows(object_type="cases.case", object_id="99") == ["auth.login_failed"]
    assert rows(outcome="failure") == ["auth.login_failed"]
    assert rows(date_from=dt.date(2026, 11, 21), date_to=dt.date(2026, 11, 22)) == ["case.accept"]
    login_verified(client, auditor)
    page = client.get(reverse("core:audit"), {"actor": "staff1"}).content.decode()
    assert "case.accept" in page and "case.report" not in page


def test_the_audit_page_pages_by_key_without_counting(world):
    add_events(7)
    ids = list(Event.objects.order_by("-id").values_list("id", flat=True))
    first = event_page(actor=world.auditor, filters=EventFilters(), size=3)
    assert [e.id for e in first.rows] == ids[:3] and first.newer_than is None and first.older_than == ids[2]
    second = event_page(actor=world.auditor, filters=EventFilters(), before=first.older_than, size=3)
    assert [e.id for e in second.rows] == ids[3:6] and second.newer_than == ids[3]
    last = event_page(actor=world.auditor, filters=EventFilters(), before=second.older_than, size=3)
    assert [e.id for e in last.rows] == ids[6:] and last.older_than is None
    back = event_page(actor=world.auditor, filters=EventFilters(), after=second.newer_than, size=3)
    assert [e.id for e in back.rows] == ids[:3] and back.newer_than is None


def test_the_audit_page_runs_the_same_queries_for_2_and_20_rows_and_never_counts(client, world):
    login_verified(client, world.auditor)
    client.get(reverse("core:audit"))  # warm the session
    counts = []
    for n in (2, 18):
        add_events(n, actor=world.grid_worker)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("core:audit")).status_code == 200
        assert not any("COUNT(" in q["sql"].upper() and "core_event" in q["sql"] for q in ctx.captured_queries)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


@scope_test("core:audit_export")
def test_the_export_contains_the_filtered_rows_and_is_itself_audited(client, world):
    add_events(3, verb="case.report", actor=world.grid_worker)
    add_events(2, verb="case.accept", actor=world.community_staff)
    login_verified(client, world.auditor)
    response = client.post(reverse("core:audit_export"), {"verb": "case.report"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    ws = load_workbook(io.BytesIO(response.content)).active
    values = list(ws.values)
    assert values[0][0] == "编号" and len(values) == 4
    assert {row[3] for row in values[1:]} == {"case.report"}
    export = Event.objects.get(verb="audit.export")
    assert export.actor_id == world.auditor.pk
    assert export.payload["rows"] == 3 and export.payload["filters"] == {"verb": "case.report"}


def test_an_administrator_cannot_export_the_audit_log(client, world):
    add_events(1)
    login_verified(client, world.admin)
    assert client.post(reverse("core:audit_export"), {}).status_code == 403
    assert not Event.objects.filter(verb="audit.export").exists()


def test_a_page_key_that_is_not_an_event_id_shows_the_newest_page(client, world):
    add_events(2, actor=world.grid_worker)
    login_verified(client, world.auditor)
    for key in ("abc", "1.5", str(2**70)):
        response = client.get(reverse("core:audit"), {"before": key, "after": key})
        assert response.status_code == 200 and "case.report" in response.content.decode()
