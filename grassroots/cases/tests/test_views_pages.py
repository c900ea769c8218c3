"""Inboxes, the case list, case detail with its htmx actions, the map, "my reports", public pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.cases import services
from grassroots.cases.models import Case
from grassroots.cases.states import Channel, Status
from grassroots.cases.tests.factories import make_case, make_category
from grassroots.cases.tests.test_views_intake import photo
from grassroots.core import clock
from tests.support.world import login_verified, scope_test

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def as_user(client, user):
    client.force_login(user)
    return client


# --- inbox ------------------------------------------------------------------------------------------------------

@scope_test("cases:inbox")
def test_inbox_shows_own_community_cases_to_accept_and_leaves_out_others(client, world):
    mine = make_case(world, Status.REPORTED)
    other = make_case(world, Status.REPORTED, grid_index=3, reporter=world.hotline_operator, channel=Channel.HOTLINE)
    html = as_user(client, world.community_staff).get(reverse("cases:inbox") + "?queue=to_accept").content.decode()
    assert mine.reference in html and other.reference not in html
    assert "剩余" in html


def test_inbox_puts_overdue_first_with_human_readable_time_and_supervision_flag(client, world, frozen_now):
    late = make_case(world, Status.REPORTED)
    clock.freeze(frozen_now + dt.timedelta(hours=1))
    fresh = make_case(world, Status.REPORTED)
    clock.freeze(frozen_now + dt.timedelta(days=2, hours=3))
    services.case_supervise(actor=world.subdistrict_officer, case=late, reason="群众多次反映")
    html = as_user(client, world.community_staff).get(reverse("cases:inbox") + "?queue=to_accept").content.decode()
    assert html.index(late.reference) < html.index(fresh.reference)
    assert "超时 2 天" in html and "督办" in html


def test_department_handler_sees_cases_to_acknowledge(client, world):
    case = make_case(world, Status.DISPATCHED)
    html = as_user(client, world.department_handler).get(reverse("cases:inbox")).content.decode()
    assert case.reference in html and 'data-queue="to_acknowledge"' in html
    html2 = as_user(client, world.department_handler2).get(reverse("cases:inbox")).content.decode()
    assert case.reference not in html2


def test_inbox_refuses_unknown_queue(client, world):
    assert as_user(client, world.community_staff).get(reverse("cases:inbox") + "?queue=nope").status_code == 404


# --- list ---------------------------------------------------------------------------------------------------------

@scope_test("cases:case_list")
def test_case_list_filters_and_leaves_out_cases_outside_scope(client, world):
    a = make_case(world, Status.ACCEPTED)
    b = make_case(world, Status.REPORTED)
    outside = make_case(world, Status.REPORTED, grid_index=3, reporter=world.hotline_operator,
                        channel=Channel.HOTLINE)
    client = as_user(client, world.community_staff)
    html = client.get(reverse("cases:case_list")).content.decode()
    assert a.reference in html and b.reference in html and outside.reference not in html
    html = client.get(reverse("cases:case_list") + "?status=accepted").content.decode()
    assert a.reference in html and b.reference not in html
    html = client.get(reverse("cases:case_list") + "?channel=hotline").content.decode()
    assert a.reference not in html and "没有符合条件的事件" in html


def _constant_queries(client, world, url, monkeypatch, django_assert_num_queries, marker='data-case="'):
    """The page runs the same number of queries for 2 and for 20 rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grassroots.cases import policy

    monkeypatch.setattr(policy, "RECHECK_SECONDS", 1e9)  # the policy cache's timed re-check is not per row
    category = make_category()
    for _ in range(2):
        make_case(world, Status.REPORTED, category=category)
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).content.decode().count(marker) == 2
    for _ in range(18):
        make_case(world, Status.REPORTED, category=category)
    with django_assert_num_queries(len(two.captured_queries)):
        assert client.get(url).content.decode().count(marker) == 20


def test_case_list_runs_a_constant_number_of_queries(client, world, monkeypatch, django_assert_num_queries):
    as_user(client, world.community_staff)
    _constant_queries(client, world, reverse("cases:case_list"), monkeypatch, django_assert_num_queries)


def test_inbox_runs_a_constant_number_of_queries(client, world, monkeypatch, django_assert_num_queries):
    as_user(client, world.community_staff)
    _constant_queries(client, world, reverse("cases:inbox") + "?queue=to_accept", monkeypatch,
                      django_assert_num_queries)


def test_public_list_runs_a_constant_number_of_queries(client, world, monkeypatch, django_assert_num_queries):
    _constant_queries(client, world, reverse("cases:public_list"), monkeypatch, django_assert_num_queries,
                      marker="data-public-case=")


def test_my_reports_runs_a_constant_number_of_queries(client, world, monkeypatch, django_assert_num_queries):
    as_user(client, world.grid_worker)
    _constant_queries(client, world, reverse("cases:my_reports"), monkeypatch, django_assert_num_queries)


@scope_test("cases:case_export")
def test_export_has_the_cases_in_scope_only(client, world):
    mine = make_case(world, Status.REPORTED)
    outside = make_case(world, Status.REPORTED, grid_index=3, reporter=world.hotline_operator,
                        channel=Channel.HOTLINE)
    response = as_user(client, world.community_staff).get(reverse("cases:case_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    refs = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert refs == [mine.reference] and outside.reference not in refs


# --- detail and actions -----------------------------------------------------------------------------------------

@scope_test("cases:case_detail", "cases:case_panel")
def test_case_detail_is_missing_outside_scope(client, world):
    case = make_case(world, Status.REPORTED)
    assert as_user(client, world.other_staff).get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:case_panel", args=[case.pk])).status_code == 404
    assert as_user(client, world.community_staff).get(reverse("cases:case_panel", args=[case.pk])).status_code == 200


def test_detail_offers_the_actions_of_the_actor(client, world):
    case = make_case(world, Status.REPORTED)
    html = as_user(client, world.community_staff).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'data-action="accept"' in html and 'data-action="reject"' in html and 'data-action="handle"' not in html
    html = login_verified(client, world.zone_leader).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'data-action="accept"' not in html and 'data-action="supervise"' in html


def test_triage_shows_possible_duplicates_and_marks_one_in_a_click(client, world):
    category = make_category()
    original = make_case(world, Status.ACCEPTED, category=category)
    elsewhere = make_case(world, Status.REPORTED, category=category, grid_index=2, channel=Channel.HOTLINE)  # far
    new = make_case(world, Status.REPORTED, category=category)
    staff = as_user(client, world.community_staff)
    html = staff.get(reverse("cases:case_detail", args=[new.pk])).content.decode()
    assert "疑似重复" in html and original.reference in html and elsewhere.reference not in html
    assert 'data-action="mark_duplicate_of"' in html
    response = staff.post(reverse("cases:case_action", args=[new.pk, "mark_duplicate"]),
                          {"mark_duplicate-original": original.reference}, **HTMX)
    assert response.status_code == 200
    new.refresh_from_db()
    assert new.status == Status.REJECTED and new.duplicate_of_id == original.pk
    # Nobody who cannot mark duplicates sees the list (the department, or the case once it is marked).
    assert "疑似重复" not in response.content.decode()
    html = as_user(client, world.department_handler).get(
        reverse("cases:case_detail", args=[original.pk])).content.decode()
    assert "疑似重复" not in html


def test_triage_without_nearby_cases_shows_no_duplicate_section(client, world):
    new = make_case(world, Status.REPORTED)
    html = as_user(client, world.community_staff).get(reverse("cases:case_detail", args=[new.pk])).content.decode()
    assert "疑似重复" not in html and 'data-action="mark_duplicate"' in html


@scope_test("cases:case_action")
def test_htmx_accept_returns_the_refreshed_panel(client, world):
    case = make_case(world, Status.REPORTED)
    response = as_user(client, world.community_staff).post(
        reverse("cases:case_action", args=[case.pk, "accept"]),
        {"accept-tier": "community", "accept-public_summary": "清理垃圾"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="case-panel"' in html and "<html" not in html
    assert 'data-status="accepted"' in html and 'data-action="dispatch"' in html
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_action_out_of_scope_is_404(client, world):
    case = make_case(world, Status.REPORTED)
    response = as_user(client, world.other_staff).post(reverse("cases:case_action", args=[case.pk, "accept"]),
                                                       {"accept-tier": "community"}, **HTMX)
    assert response.status_code == 404 and Case.objects.get(pk=case.pk).status == Status.REPORTED


def test_missing_reason_is_shown_next_to_the_field(client, world):
    case = make_case(world, Status.REPORTED)
    response = as_user(client, world.community_staff).post(
        reverse("cases:case_action", args=[case.pk, "reject"]), {"reject-reason": ""}, **HTMX)
    assert response.context["actions"][[a["verb"] for a in response.context["actions"]].index("reject")][
        "form"].errors["reason"]
    assert Case.objects.get(pk=case.pk).status == Status.REPORTED


def test_conflict_shows_the_current_state(client, world):
    case = make_case(world, Status.REPORTED)
    client = as_user(client, world.community_staff)
    client.get(reverse("cases:case_detail", args=[case.pk]))
    services.case_reject(actor=world.community_secretary, case=case, reason="重复")
    response = client.post(reverse("cases:case_action", args=[case.pk, "accept"]), {"accept-tier": "community"},
                           **HTMX)
    html = response.content.decode()
    assert "data-conflict" in html and "不予立案" in html and 'data-status="rejected"' in html


def test_plain_form_post_redirects_back_to_the_case(client, world):
    case = make_case(world, Status.DISPATCHED)
    response = as_user(client, world.department_handler).post(
        reverse("cases:case_action", args=[case.pk, "acknowledge"]), {})
    assert response.status_code == 302 and Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS


def test_lead_handles_with_a_photo_upload(client, world):
    case = make_case(world, Status.IN_PROGRESS)
    client = as_user(client, world.department_handler)
    refused = client.post(reverse("cases:case_action", args=[case.pk, "handle"]),
                          {"handle-result": "已清理"}, **HTMX)
    assert refused.status_code == 200 and Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS
    done = client.post(reverse("cases:case_action", args=[case.pk, "handle"]),
                       {"handle-result": "已清理", "handle-evidence": [photo()]}, **HTMX)
    assert 'data-status="handled"' in done.content.decode()


def test_dispatch_with_a_co_handler(client, world):
    case = make_case(world, Status.ACCEPTED)
    as_user(client, world.community_staff).post(
        reverse("cases:case_action", args=[case.pk, "dispatch"]),
        {"dispatch-lead": world.dept_city.pk, "dispatch-co_handlers": [world.dept_housing.pk]}, **HTMX)
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED
    assert sorted(case.assignments.values_list("role", flat=True)) == ["co", "lead"]


def test_anonymous_reporter_who_hid_identity_stays_hidden_to_staff(client, world):
    category = make_category()
    intake = services.case_report(actor=world.resident, channel=Channel.RESIDENT, category=category,
                                  title="噪音", region=world.g1, anonymous=True, hide_identity_from_staff=True)
    html = as_user(client, world.community_staff).get(
        reverse("cases:case_detail", args=[intake.case.pk])).content.decode()
    assert "resident1" not in html and str(world.resident) not in html and "匿名" in html


# --- my reports, map, public ------------------------------------------------------------------------------------

@scope_test("cases:my_reports")
def test_my_reports_lists_own_reports_and_offers_rating(client, world):
    mine = make_case(world, Status.CLOSED, channel=Channel.RESIDENT, reporter=world.resident)
    other = make_case(world, Status.CLOSED, channel=Channel.RESIDENT, reporter=world.resident3, grid_index=1)
    client = as_user(client, world.resident)
    html = client.get(reverse("cases:my_reports")).content.decode()
    assert mine.reference in html and other.reference not in html and "去评价" in html
    detail = client.get(reverse("cases:case_detail", args=[mine.pk])).content.decode()
    assert 'data-action="rate"' in detail
    client.post(reverse("cases:case_action", args=[mine.pk, "rate"]),
                {"rate-resolved": "1", "rate-satisfaction": "basically"}, **HTMX)
    assert mine.ratings.get().source == "reporter"
    assert "已评价" in client.get(reverse("cases:my_reports")).content.decode()


@scope_test("cases:case_map", "cases:case_map_data")
def test_map_data_has_cases_and_grids_in_scope_only(client, world):
    mine = make_case(world, Status.REPORTED)
    outside = make_case(world, Status.REPORTED, grid_index=3, reporter=world.hotline_operator,
                        channel=Channel.HOTLINE)
    client = as_user(client, world.community_staff)
    assert b"data-case-map" in client.get(reverse("cases:case_map")).content
    data = client.get(reverse("cases:case_map_data")).json()
    assert [c["id"] for c in data["cases"]] == [mine.pk] and outside.pk not in [c["id"] for c in data["cases"]]
    assert {f["properties"]["name"] for f in data["grids"]["features"]} == {"安泰一网格", "安泰二网格"}


@scope_test("cases:public_list", "cases:public_detail", "cases:public_map_data")
def test_public_pages_show_public_fields_only(client, world):
    public = make_case(world, Status.ACCEPTED, channel=Channel.RESIDENT, reporter=world.resident,
                       description="我家住三楼，电话13800001111", reporter_name="张居民")
    private = make_case(world, Status.ACCEPTED, channel=Channel.RESIDENT, reporter=world.resident,
                        privacy_requested=True)
    html = client.get(reverse("cases:public_list")).content.decode()
    assert public.reference in html and private.reference not in html
    detail = client.get(reverse("cases:public_detail", args=[public.pk])).content.decode()
    assert "13800001111" not in detail and "张居民" not in detail and "三楼" not in detail
    assert public.title not in detail
    assert client.get(reverse("cases:public_detail", args=[private.pk])).status_code == 404
    points = client.get(reverse("cases:public_map_data")).json()["cases"]
    assert [p["id"] for p in points] == [public.pk]
    assert points[0]["lon"] == round(public.lon, 3) and points[0]["lon"] != public.lon


def test_menu_entries_follow_the_role(client, world):
    html = as_user(client, world.grid_worker).get(reverse("cases:inbox")).content.decode()
    assert html.count(f'href="{reverse("cases:patrol_new")}"') == 1 and reverse("cases:hotline_new") not in html
    html = as_user(client, world.resident).get(reverse("cases:my_reports")).content.decode()
    assert reverse("cases:report_new") in html and reverse("cases:inbox") not in html


def test_an_htmx_action_shows_its_confirmation_in_the_panel_at_once_and_not_on_the_next_page(client, world):
    case = make_case(world, Status.REPORTED)
    client = as_user(client, world.community_staff)
    response = client.post(reverse("cases:case_action", args=[case.pk, "accept"]),
                           {"accept-tier": "community", "accept-public_summary": "清理垃圾"}, **HTMX)
    html = response.content.decode()
    assert "data-flash" in html and "已完成：受理立案" in html
    assert "已完成：受理立案" not in client.get(reverse("cases:inbox")).content.decode()


def test_the_case_page_says_who_acts_next_and_by_when(client, world, frozen_now):
    case = make_case(world, Status.ACCEPTED, tier="zone")
    html = as_user(client, world.community_staff).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'data-next="dispatch"' in html and "区领导或热线坐席" in html
    assert "时限 2026-11-25 13:00" in html  # the built-in dispatch limit: 4 hours


def test_a_co_handler_equal_to_the_lead_is_refused_next_to_the_field(client, world):
    case = make_case(world, Status.ACCEPTED)
    response = as_user(client, world.community_staff).post(
        reverse("cases:case_action", args=[case.pk, "dispatch"]),
        {"dispatch-lead": world.dept_city.pk, "dispatch-co_handlers": [world.dept_city.pk]}, **HTMX)
    form = response.context["actions"][[a["verb"] for a in response.context["actions"]].index("dispatch")]["form"]
    assert "协办单位不能与主办单位相同" in str(form.errors)
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED
