"""Notices on the workbench: notices ending soon and objections waiting for an answer, for the publisher side only;
each count equals the list it links to, and the query count does not grow with the notices."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.core import clock
from grassroots.core.roles import Role
from grassroots.core.scope import forget
from grassroots.notices import services
from grassroots.notices.models import Objection
from grassroots.party.posts import party_post_create
from grassroots.people.models import Organization
from tests.support.party import build_party
from tests.support.world import login_verified, make_user, scope_test

from .test_api import party_notice_kind  # noqa: F401

pytestmark = pytest.mark.django_db


def tally_map(client, user):
    login_verified(client, user)
    response = client.get("/")
    assert response.status_code == 200
    return {t.key: t for post in response.context["posts"] for t in post["tallies"] if t.key.startswith("notices.")}


def listed(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


@pytest.fixture
def noticed(world, org_notice_kind, party_notice_kind):  # noqa: F811
    w = world
    w.p = build_party(w)
    clock.freeze(dt.datetime(2026, 11, 23, 9, 0))  # a Monday
    coop = Organization.objects.create(name="安泰蔬菜合作社", kind=Organization.Kind.COOPERATIVE, region=w.c1)
    w.coop = coop
    w.short = services.notice_publish(actor=w.community_staff, kind="test_org", subject=coop, title="短期公示",
                                      body="一天", working_days=1)
    w.long = services.notice_publish(actor=w.community_staff, kind="test_org", subject=coop, title="长期公示",
                                     body="十天", working_days=10)
    w.officer = make_user("c1_officer")
    party_post_create(actor=w.admin, user=w.officer, role=Role.PARTY_COMMITTEE_OFFICER, org=w.p.c1)
    w.sibling = make_user("g2_secretary")
    party_post_create(actor=w.admin, user=w.sibling, role=Role.PARTY_BRANCH_SECRETARY, org=w.p.g2)
    forget(w.officer)
    forget(w.sibling)
    w.party_notice = services.notice_publish(actor=w.officer, kind="test_party", subject=w.p.g1, title="发展对象公示",
                                             body="赵一", working_days=2)
    services.objection_submit(actor=w.resident3, notice=w.long, text="名单有误")
    services.objection_submit(actor=w.resident3, notice=w.party_notice, text="请说明")
    answered = services.objection_submit(actor=w.resident3, notice=w.short, text="已答复的")
    services.objection_answer(actor=w.community_staff, objection=answered, answer="已核实")
    return w


@scope_test("notices:objections_waiting")
def test_each_notice_count_equals_its_list_for_the_publisher_side_only(client, noticed):
    w = noticed
    staff = tally_map(client, w.community_staff)
    assert staff["notices.ending_soon"].count == 1  # the one-day notice; the ten-day one runs on
    assert staff["notices.objections_waiting"].count == 1
    for tally in staff.values():
        assert listed(client, tally.url) == tally.count, tally.key
    body = client.get(reverse("notices:objections_waiting")).content.decode()
    assert "名单有误" in body and "请说明" not in body and "已答复的" not in body

    officer = tally_map(client, w.officer)
    assert officer["notices.ending_soon"].count == 0  # two working days: not within two days yet
    assert officer["notices.objections_waiting"].count == 1
    for tally in officer.values():
        assert listed(client, tally.url) == tally.count, tally.key
    assert "请说明" in client.get(reverse("notices:objections_waiting")).content.decode()

    sibling = tally_map(client, w.sibling)  # a sibling branch's secretary answers for nothing here
    assert sibling["notices.objections_waiting"].count == 0 == listed(client, reverse("notices:objections_waiting"))
    assert tally_map(client, w.resident) == {}  # no publisher post, no notices part
    client.logout()
    assert client.get(reverse("notices:objections_waiting")).status_code == 302
    for user in (w.other_staff, w.grid_worker):
        login_verified(client, user)
        assert listed(client, reverse("notices:objections_waiting")) == 0
        assert listed(client, f"{reverse('notices:notices')}?mine=1&ending=1") == 0

    clock.freeze(w.party_notice.ends_at - dt.timedelta(days=1))  # the short one is over; the party one ends soon
    assert tally_map(client, w.community_staff)["notices.ending_soon"].count == 0
    officer = tally_map(client, w.officer)
    assert officer["notices.ending_soon"].count == 1 == listed(client, officer["notices.ending_soon"].url)


def test_the_notices_part_costs_the_same_queries_with_more_notices(client, noticed):
    w = noticed
    login_verified(client, w.community_staff)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for i in range(4):
        n = services.notice_publish(actor=w.community_staff, kind="test_org", subject=w.coop, title=f"公示{i}",
                                    body="内容", working_days=1)
        services.objection_submit(actor=w.resident3, notice=n, text=f"异议{i}")
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(few) == len(many)
    assert Objection.objects.filter(answered_at__isnull=True).count() == 6
