"""Rolls on the workbench: representatives whose term runs out soon, counted for those who keep the roll; the count
equals the list it links to, and the query count does not grow with the entries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.core import clock
from grassroots.core.models import PolicySetting
from grassroots.rolls import services
from grassroots.rolls.models import RollKind
from tests.support.world import login_verified, scope_test

pytestmark = pytest.mark.django_db


def tally(client, user):
    login_verified(client, user)
    posts = client.get("/").context["posts"]
    return next((t for post in posts for t in post["tallies"] if t.key == "rolls.terms_ending"), None)


def listed(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


@scope_test("rolls:terms_ending")
def test_terms_ending_soon_are_counted_for_the_keepers_and_equal_their_list(client, roll_world):
    w = roll_world
    clock.freeze(dt.datetime(2026, 11, 23, 9, 0))
    roll = services.roll_create(actor=w.community_staff, kind=RollKind.REPRESENTATIVES, region=w.c1)
    ends = [dt.date(2026, 11, 30), dt.date(2027, 1, 22), dt.date(2027, 1, 23), dt.date(2028, 12, 31), dt.date(2026, 12, 15)]
    entries = [services.entry_add(actor=w.community_staff, roll=roll, person=w.people[i], start_date=dt.date(2024, 1, 1),
                                  term_ends=end) for i, end in enumerate(ends)]
    services.entry_end(actor=w.community_staff, entry=entries[4], reason="迁出")  # left already: not to renew
    t = tally(client, w.community_staff)
    assert t.count == 2 == listed(client, t.url)  # 11-30 and 01-22 (the 60th day); 01-23 is a day too late
    page = client.get(t.url).content.decode()
    assert w.people[0].name in page and "2026-11-30" in page
    PolicySetting.objects.create(key="rolls.term_ending_days", value=10, note="试点")
    t = tally(client, w.community_staff)
    assert t.count == 1 == listed(client, t.url)
    for outsider in (w.other_staff, w.grid_worker):
        login_verified(client, outsider)
        assert listed(client, reverse("rolls:terms_ending")) == 0
    assert tally(client, w.resident) is None
    client.logout()
    assert client.get(reverse("rolls:terms_ending")).status_code == 302

    login_verified(client, w.community_staff)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for p in w.people[5:]:
        services.entry_add(actor=w.community_staff, roll=roll, person=p, start_date=dt.date(2024, 1, 1),
                           term_ends=dt.date(2026, 12, 1))
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(few) == len(many)
