"""The sweep's breach lookup and the scope filter use their indexes on both databases."""

import datetime as dt

import pytest
from django.db import connection

from grassroots.cases.models import Case
from grassroots.cases.states import Status
from grassroots.cases.sweep import breached
from grassroots.cases.tests.factories import make_case
from grassroots.core.scope import scope_for

pytestmark = pytest.mark.django_db


def plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute("EXPLAIN " + sql, params)
        else:
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row) for row in cur.fetchall())


def test_the_breach_lookup_reads_the_partial_next_due_index(world, frozen_now):
    make_case(world, Status.ACCEPTED)
    now = frozen_now + dt.timedelta(days=1)
    assert len(breached(now)) == 1
    qs = Case.objects.filter(next_due__lte=now).order_by("next_due", "id").values_list("pk", "status", "tier")
    assert "case_next_due_idx" in plan(qs)


def test_the_scope_filter_is_a_range_on_the_region_path_index(world, frozen_now):
    make_case(world)
    qs = Case.objects.filter(scope_for(world.community_staff).region_q("region_path")).values_list("pk")
    text = plan(qs)
    assert "case_region_status_idx" in text
    assert "LIKE" not in text.upper()



def test_the_callback_queue_reads_recently_closed_cases_through_the_status_closed_index(world, frozen_now):
    from grassroots.cases import selectors

    make_case(world, Status.CLOSED, channel="hotline", reporter_name="王先生", reporter_contact="13800000000")
    hotline = world.hotline_operator
    qs = Case.objects.filter(selectors._queue_q(scope_for(hotline), "to_callback")).values_list("pk").order_by()
    assert qs.count() == 1  # the count the workbench reads (no order)
    text = plan(qs)
    # Never the whole table: one of the two indexes bounds the scan (which one depends on the table's statistics).
    assert "case_status_closed_idx" in text or "case_region_status_idx" in text
