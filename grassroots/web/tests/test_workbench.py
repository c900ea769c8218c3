"""The workbench (web.workbench) and the menu by task (web.navigation): counts equal the lists they link to, each
post's part, urgency first, only allowed menu entries, and a query count that does not grow with the cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grassroots.cases.states import Status
from grassroots.cases.tests.factories import make_case
from grassroots.core import clock
from grassroots.deliberation import services as delib
from grassroots.deliberation.models import MeetingKind
from grassroots.people.models import Post
from grassroots.projects import services as projects
from grassroots.web.navigation import entries
from tests.support.world import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(world, frozen_now):
    """Cases in every state the queues hold, in two communities; a topic, a meeting and two applications."""
    w = world
    for status in (Status.REPORTED, Status.REPORTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS,
                   Status.HANDLED, Status.HANDLED, Status.CLOSED, Status.SUSPENDED):
        make_case(w, status)
    make_case(w, Status.REPORTED, grid_index=3, channel="hotline")  # 银河社区: other staff's
    make_case(w, Status.ACCEPTED, grid_index=3, channel="hotline")
    make_case(w, Status.REPORTED, channel="resident")  # the resident's own report
    delib.topic_create(actor=w.resident, scope_region=w.c1, title="楼道灯不亮", description="三号楼楼道灯坏了一个月")
    delib.load_meeting_kinds()
    delib.meeting_create(actor=w.community_staff, kind=MeetingKind.objects.get(code="residents_meeting"),
                         scope_region=w.c1, title="居民会议", scheduled_at=timezone.now() + dt.timedelta(days=3),
                         location="安泰社区党群服务中心")
    for title in ("楼道微更新", "口袋公园"):
        p = projects.project_create(actor=w.community_staff, community=w.c1, title=title, background="楼道杂物多",
                                    goals="清理并美化楼道", activities="清理、粉刷", beneficiaries="居民",
                                    budget_lines=[("材料", "物资", "3000")])
        projects.project_submit(actor=w.community_staff, project=p)
    return w


def workbench(client, user):
    login_verified(client, user)
    response = client.get("/")
    assert response.status_code == 200
    return response


def listed(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


@pytest.mark.parametrize("who", ["grid_worker", "community_staff", "community_secretary", "subdistrict_officer",
                                 "department_handler", "hotline_operator", "zone_leader", "resident",
                                 "other_staff", "enterprise_contact"])
def test_every_count_equals_the_list_it_links_to(client, busy, who):
    response = workbench(client, getattr(busy, who))
    tallies = [t for post in response.context["posts"] for t in post["tallies"]]
    for tally in tallies:
        assert listed(client, tally.url) == tally.count, tally.key
    if who in ("community_staff", "grid_worker", "department_handler", "resident"):
        assert any(t.count for t in tallies), "the fixture gives this role something to do"


def test_the_community_staff_see_their_queues_topics_and_applications(client, busy):
    tallies = {t.key: t for post in workbench(client, busy.community_staff).context["posts"] for t in post["tallies"]}
    assert tallies["cases.to_accept"].count == 3  # two patrol reports and the resident's, not 银河社区's
    assert tallies["cases.to_dispatch"].count == 1
    assert tallies[f"deliberation.topics_collected.{busy.c1.code}"].count == 1
    assert tallies["deliberation.meetings_planned"].count == 1
    assert tallies[f"projects.submitted.{busy.c1.code}"].count == 2


def test_overdue_and_about_to_be_due_work_comes_first(client, busy, frozen_now):
    clock.freeze(frozen_now + dt.timedelta(days=2))  # the reported cases' accept deadlines have passed
    post = workbench(client, busy.community_staff).context["posts"][0]
    first = post["tallies"][0]
    assert first.key == "cases.to_accept" and first.overdue == first.count == 3
    html = client.get("/").content.decode()
    assert "3 件超时" in html and 'class="wb-tally urgent"' in html


def test_a_user_with_two_posts_sees_each_posts_part(client, busy):
    Post.objects.create(user=busy.grid_worker, role="community_staff", region=busy.c1, start_date=dt.date(2020, 1, 1))
    response = workbench(client, busy.grid_worker)
    roles = [post["role"] for post in response.context["posts"]]
    assert roles == ["grid_worker", "community_staff"]
    html = response.content.decode()
    assert "网格员" in html and "社区工作者" in html


def test_the_large_buttons_put_each_roles_first_action_first(client, busy):
    assert workbench(client, busy.grid_worker).context["actions"][0]["url"] == reverse("cases:patrol_new")
    resident = workbench(client, busy.resident).context["actions"]
    assert resident[0]["primary"] and resident[0]["url"] == reverse("cases:report_new")


def test_the_month_figures_stand_beside_last_months(client, busy):
    figures = {f.key: f for f in workbench(client, busy.community_staff).context["figures"]}
    # 安泰社区's ten (nine patrol reports and the resident's), not 银河社区's two
    assert figures["cases.reported"].this_month == 10 and figures["cases.reported"].last_month == 0
    assert figures["cases.closed"].this_month == 1
    grid = {f.key: f for f in workbench(client, busy.grid_worker).context["figures"]}
    assert grid["cases.mine"].this_month == 9  # the patrol reports the factory files as grid1
    clock.freeze(clock.now() + dt.timedelta(days=10))  # into December
    moved = {f.key: f for f in workbench(client, busy.community_staff).context["figures"]}
    assert (moved["cases.reported"].this_month, moved["cases.reported"].last_month) == (0, 10)


def test_the_workbench_costs_the_same_queries_with_three_times_the_cases(client, busy):
    login_verified(client, busy.community_staff)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for _ in range(2):
        for status in (Status.REPORTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.HANDLED):
            make_case(busy, status)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(few) == len(many)


@pytest.mark.parametrize("who", ["grid_worker", "community_staff", "department_handler", "resident",
                                 "zone_leader", "admin", "auditor"])
def test_the_menu_shows_only_entries_the_posts_allow_grouped_by_task(client, busy, who):
    from grassroots.core.scope import scope_for

    user = getattr(busy, who)
    response = workbench(client, user)
    scope = scope_for(user)
    allowed = {e.url_name for e, _ in entries() if not e.roles or scope.has_role(*e.roles)}
    shown = {item["url_name"] for section in response.context["nav_sections"] for item in section["items"]}
    assert shown and shown <= allowed
    keys = [section["key"] for section in response.context["nav_sections"]]
    assert len(keys) == len(set(keys))
    if who == "grid_worker":
        assert "people:persons" not in shown and "cases:patrol_new" in shown


def test_the_section_of_the_current_page_is_open_and_the_menu_has_a_search_box(client, busy):
    login_verified(client, busy.community_staff)
    response = client.get("/cases/inbox/")
    sections = {s["key"]: s for s in response.context["nav_sections"]}
    assert sections["cases"]["open"] and not sections["civic"]["open"]
    assert [i["url_name"] for i in sections["cases"]["items"] if i["current"]] == ["cases:inbox"]
    html = response.content.decode()
    assert "data-menu-filter" in html and 'data-section="cases" open' in html
