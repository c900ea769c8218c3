"""Channel pages: grid patrol, 信息直通车 (anonymous, tracking code), hotline, 有呼必应, staff entry."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from PIL import Image

from grassroots.cases.models import Case
from grassroots.cases.states import Channel, Status
from grassroots.cases.tests.factories import make_case, make_category
from tests.support.world import centre, scope_test

pytestmark = pytest.mark.django_db


def login(client, world, user):
    client.force_login(user)
    return client


def photo(name="p.jpg"):
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buf, "JPEG")
    buf.seek(0)
    buf.name = name
    return buf


def request_id(response) -> str:
    return re.search(r'name="client_request_id" value="([^"]+)"', response.content.decode()).group(1)


@scope_test("cases:patrol_new")
def test_grid_worker_reports_with_position_and_photo_and_the_grid_comes_from_the_position(client, world):
    category = make_category("0102", name="积存垃圾渣土")
    login(client, world, world.grid_worker)
    page = client.get(reverse("cases:patrol_new"))
    html = page.content.decode()
    assert 'accept="image/*"' in html and 'capture="environment"' in html and "patrol.js" in html
    lon, lat = centre(0)
    response = client.post(reverse("cases:patrol_new"), {
        "client_request_id": request_id(page), "category": "0102 积存垃圾渣土", "title": "渣土堆放",
        "lon": lon, "lat": lat, "crs": "wgs84", "photos": [photo()]})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert case.region == world.g1 and case.channel == Channel.GRID_PATROL and case.category == category
    assert case.reporter == world.grid_worker


def test_patrol_page_is_missing_for_a_resident_and_asks_anonymous_visitors_to_sign_in(client, world):
    response = client.get(reverse("cases:patrol_new"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    login(client, world, world.resident)
    assert client.get(reverse("cases:patrol_new")).status_code == 404


def test_grid_worker_without_gps_picks_a_building_of_own_grid(client, world):
    make_category("0102", name="积存垃圾渣土")
    login(client, world, world.grid_worker)
    page = client.get(reverse("cases:patrol_new"))
    html = page.content.decode()
    assert f'value="{world.b1.pk}"' in html and f'value="{world.b3.pk}"' not in html
    client.post(reverse("cases:patrol_new"), {"client_request_id": request_id(page), "category": "0102",
                                              "title": "渣土", "region": world.b1.pk})
    assert Case.objects.get().region == world.g1


def test_a_double_submit_creates_one_case(client, world):
    make_category("0102", name="积存垃圾渣土")
    login(client, world, world.grid_worker)
    rid = request_id(client.get(reverse("cases:patrol_new")))
    data = {"client_request_id": rid, "category": "0102", "title": "渣土", "region": world.g1.pk}
    first = client.post(reverse("cases:patrol_new"), data)
    second = client.post(reverse("cases:patrol_new"), data)
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_missing_position_is_shown_next_to_the_grid_field(client, world):
    make_category("0102", name="积存垃圾渣土")
    login(client, world, world.grid_worker)
    rid = request_id(client.get(reverse("cases:patrol_new")))
    response = client.post(reverse("cases:patrol_new"), {"client_request_id": rid, "category": "0102",
                                                         "title": "渣土"})
    assert response.status_code == 200 and Case.objects.count() == 0
    assert "请在地图上标出位置或选择网格" in response.content.decode()
    assert response.context["form"].errors["region"]


def test_unknown_category_is_refused_on_the_field(client, world):
    login(client, world, world.grid_worker)
    rid = request_id(client.get(reverse("cases:patrol_new")))
    response = client.post(reverse("cases:patrol_new"), {"client_request_id": rid, "category": "nothing",
                                                         "title": "x", "region": world.g1.pk})
    assert "category" in response.context["form"].errors and Case.objects.count() == 0


@scope_test("cases:report_new", "cases:report_done", "cases:track")
def test_anonymous_resident_reports_gets_a_tracking_code_and_follows_it(client, world):
    make_category("0102", name="积存垃圾渣土")
    page = client.get(reverse("cases:report_new"))
    lon, lat = centre(0)
    response = client.post(reverse("cases:report_new"), {
        "client_request_id": request_id(page), "category": "0102 积存垃圾渣土", "title": "楼下垃圾",
        "description": "我家楼下", "anonymous": "on", "privacy_requested": "on", "lon": lon, "lat": lat,
        "reporter_name": "不应保存", "reporter_contact": "13800001111"})
    assert response["Location"] == reverse("cases:report_done")
    case = Case.objects.get()
    assert case.anonymous and case.privacy_requested and not case.is_public
    assert case.reporter_name == "" and case.reporter_contact == "" and case.reporter is None
    done = client.get(reverse("cases:report_done")).content.decode()
    assert case.tracking_code in done
    # another visitor follows with the code (case-insensitive, spaces allowed)
    other = type(client)()
    tracked = other.post(reverse("cases:track"), {"code": case.tracking_code.lower()[:6] + " " +
                                                  case.tracking_code.lower()[6:]})
    html = tracked.content.decode()
    assert "楼下垃圾" in html and "待受理" in html and "我家楼下" not in html
    assert "satisfaction" not in html  # not closed yet: no rating form


def test_unknown_tracking_code_is_an_error_on_the_field(client, world):
    response = client.post(reverse("cases:track"), {"code": "ABCDEFGHJKMN"})
    assert response.context["form"].errors["code"]


def test_resident_rates_a_closed_case_with_the_tracking_code_once(client, world):
    case = make_case(world, Status.CLOSED, channel=Channel.RESIDENT, reporter=world.resident)
    response = client.post(reverse("cases:track"), {"code": case.tracking_code})
    assert 'name="satisfaction"' in response.content.decode()
    client.post(reverse("cases:track"), {"code": case.tracking_code, "resolved": "1",
                                         "satisfaction": "satisfied", "comment": "很快"})
    rating = case.ratings.get()
    assert rating.resolved and rating.satisfaction == "satisfied" and rating.source == "tracking_code"
    again = client.post(reverse("cases:track"), {"code": case.tracking_code, "resolved": "0",
                                                 "satisfaction": "unsatisfied"})
    assert case.ratings.count() == 1 and 'name="satisfaction"' not in again.content.decode()


def test_emergency_category_carries_the_notice_on_the_form_and_after_submission(client, world):
    make_category("0401", name="路面塌陷", emergency=True, emergency_service="110")
    page = client.get(reverse("cases:report_new"))
    html = page.content.decode()
    assert 'data-emergency="1"' in html and "110" in html
    response = client.post(reverse("cases:report_new"), {"client_request_id": request_id(page),
                                                         "category": "0401", "title": "路面塌了",
                                                         "region": world.g1.pk}, follow=True)
    assert "110" in response.content.decode()


@scope_test("cases:hotline_new")
def test_hotline_operator_files_for_a_caller_whose_number_is_masked_to_staff(client, world):
    make_category("0102", name="积存垃圾渣土")
    login(client, world, world.hotline_operator)
    page = client.get(reverse("cases:hotline_new"))
    client.post(reverse("cases:hotline_new"), {"client_request_id": request_id(page), "category": "0102",
                                               "title": "来电反映垃圾", "region": world.g1.pk,
                                               "reporter_name": "王先生", "reporter_contact": "13912345678"})
    case = Case.objects.get()
    assert case.channel == Channel.HOTLINE and case.filed_by == world.hotline_operator
    login(client, world, world.community_staff)
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "139****5678" in html and "13912345678" not in html


def test_hotline_page_is_missing_for_grid_workers(client, world):
    login(client, world, world.grid_worker)
    assert client.get(reverse("cases:hotline_new")).status_code == 404


@scope_test("cases:appeal_new")
def test_enterprise_contact_files_an_appeal_for_own_enterprise_and_it_is_not_public(client, world):
    make_category("S01", name="企业诉求", kind="social", public_allowed=False)
    login(client, world, world.enterprise_contact)
    page = client.get(reverse("cases:appeal_new"))
    assert world.other_enterprise.name not in page.content.decode()
    client.post(reverse("cases:appeal_new"), {"client_request_id": request_id(page), "category": "S01",
                                              "title": "用电增容", "enterprise": world.enterprise.pk})
    case = Case.objects.get()
    assert case.enterprise == world.enterprise and case.region == world.e1 and not case.is_public


def test_appeal_page_is_missing_for_residents(client, world):
    login(client, world, world.resident)
    assert client.get(reverse("cases:appeal_new")).status_code == 404


@scope_test("cases:staff_new")
def test_subdistrict_officer_enters_an_inspection_finding(client, world):

    make_category("0102", name="积存垃圾渣土")
    user = world.community_staff
    login(client, world, user)
    page = client.get(reverse("cases:staff_new"))
    html = page.content.decode()
    assert 'value="inspection"' not in html  # community staff: 代报 only
    client.post(reverse("cases:staff_new"), {"client_request_id": request_id(page), "category": "0102",
                                             "title": "检查发现", "region": world.g1.pk, "source": "staff"})
    assert Case.objects.get().channel == Channel.STAFF


def test_staff_entry_outside_own_community_is_refused(client, world):
    make_category("0102", name="积存垃圾渣土")
    login(client, world, world.community_staff)
    page = client.get(reverse("cases:staff_new"))
    assert f'value="{world.g4.pk}"' not in page.content.decode()
    response = client.post(reverse("cases:staff_new"), {"client_request_id": request_id(page), "category": "0102",
                                                        "title": "x", "lon": centre(3)[0], "lat": centre(3)[1],
                                                        "source": "staff"})
    assert Case.objects.count() == 0 and response.status_code == 200
    assert response.context["form"].non_field_errors()


@scope_test("cases:channels")
def test_channel_page_lists_only_the_visitors_channels(client, world):
    assert reverse("cases:patrol_new") not in client.get(reverse("cases:channels")).content.decode()
    login(client, world, world.grid_worker)
    html = client.get(reverse("cases:channels")).content.decode()
    assert reverse("cases:patrol_new") in html and reverse("cases:hotline_new") not in html
