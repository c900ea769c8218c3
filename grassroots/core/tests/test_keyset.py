"""Keyed paging (core.keyset) over a real table: every row once, both ways, ties in the first key, the last page
directly, and refusals of malformed cursors. The ledger is the first user; its tests are in projects."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.core import keyset
from grassroots.core.errors import ValidationFailed
from grassroots.core.models import Event

pytestmark = pytest.mark.django_db
ORDER = ("-at", "-id")
T0 = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def rows():
    # 23 rows; every third pair shares its time, so the tie-breaker decides between them.
    for i in range(23):
        Event.objects.create(verb="test.row", object_type="test", object_id=str(i),
                             at=T0 + dt.timedelta(minutes=(i // 2) * 5))
    return list(Event.objects.filter(verb="test.row").order_by(*ORDER).values_list("pk", flat=True))


def walk(qs, cursor, size, step):
    seen, pages = [], 0
    while True:
        page = keyset.paginate(qs, order=ORDER, cursor=cursor, size=size)
        seen.extend(e.pk for e in page)
        pages += 1
        cursor = getattr(page, step)
        if cursor is None:
            return seen, pages


def test_walking_forward_reads_every_row_once_in_order_with_ties(rows):
    qs = Event.objects.filter(verb="test.row")
    seen, pages = walk(qs, None, 5, "next")
    assert seen == rows and pages == 5


def test_the_last_page_and_walking_back_read_every_row_once(rows):
    qs = Event.objects.filter(verb="test.row")
    last = keyset.paginate(qs, order=ORDER, cursor=keyset.encode(keyset.LAST, None), size=5)
    assert [e.pk for e in last] == rows[-5:] and last.next is None and last.previous
    seen, pages = [], 0
    page = last
    while True:
        seen[:0] = [e.pk for e in page]
        pages += 1
        if page.previous is None:
            break
        page = keyset.paginate(qs, order=ORDER, cursor=page.previous, size=5)
    assert seen == rows and pages == 5
    # walking back from the last page ends on the 3 newest rows; "next" from there goes forward again
    assert [e.pk for e in page] == rows[:3]
    again = keyset.paginate(qs, order=ORDER, cursor=page.next, size=5)
    assert [e.pk for e in again] == rows[3:8]


def test_every_page_reads_the_same_number_of_rows_with_one_query(rows):
    qs = Event.objects.filter(verb="test.row")
    first = keyset.paginate(qs, order=ORDER, cursor=None, size=5)
    for cursor in (None, first.next, keyset.encode(keyset.LAST, None)):
        with CaptureQueriesContext(connection) as q:
            keyset.paginate(qs, order=ORDER, cursor=cursor, size=5)
        assert len(q) == 1
        assert "OFFSET" not in q[0]["sql"].upper() and "LIMIT 6" in q[0]["sql"].upper()


def test_the_first_page_has_no_previous_and_a_short_table_no_next(rows):
    qs = Event.objects.filter(verb="test.row", object_id__in=["1", "2"])
    page = keyset.paginate(qs, order=ORDER, cursor=None, size=5)
    assert len(page) == 2 and page.next is None and page.previous is None


def test_a_cursor_past_the_end_gives_an_empty_page_with_the_way_back(rows):
    qs = Event.objects.filter(verb="test.row")
    beyond = keyset.encode(keyset.AFTER, (T0 - dt.timedelta(days=1), 1))
    page = keyset.paginate(qs, order=ORDER, cursor=beyond, size=5)
    assert list(page) == [] and page.next is None and page.previous


@pytest.mark.parametrize("cursor", [
    "not base64 at all!", "eyJkIjoiYiJ9",  # {"d":"b"} without a key
    keyset.encode(keyset.BEFORE, None), "x" * 600, "eyJkIjoicSIsImsiOlsxLDJdfQ",  # {"d":"q",...}: no such direction
])
def test_malformed_cursors_are_refused_naming_the_cursor(rows, cursor):
    qs = Event.objects.filter(verb="test.row")
    with pytest.raises(ValidationFailed) as refused:
        keyset.paginate(qs, order=ORDER, cursor=cursor, size=5)
    assert refused.value.field == "cursor"


def test_an_after_cursor_without_a_key_is_the_first_page(rows):
    qs = Event.objects.filter(verb="test.row")
    first = keyset.paginate(qs, order=ORDER, cursor=None, size=5)
    again = keyset.paginate(qs, order=ORDER, cursor=keyset.encode(keyset.AFTER, None), size=5)
    assert again.items == first.items and again.previous is None and again.next == first.next


def test_naive_times_and_huge_numbers_are_refused():
    import base64
    import json

    for doc in ({"d": "a", "k": [{"t": "2026-11-01T08:00:00"}, 1]}, {"d": "b", "k": [{"t": "2026-11-01T08:00:00+00:00"},
                                                                                     2**70]}):
        raw = base64.urlsafe_b64encode(json.dumps(doc).encode()).decode()
        with pytest.raises(ValidationFailed):
            keyset.decode(raw)
