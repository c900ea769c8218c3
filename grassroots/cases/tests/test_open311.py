"""Open311 GeoReport v2 conformance (docs/rules/cases.md § Open311 GeoReport v2): every call in XML and JSON, the errors, and a
FixMyStreet-style client POST (form body with jurisdiction_id and api_key, ``attribute[x]``)."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import pytest

from grassroots.cases import services
from grassroots.cases.models import Case, Category
from grassroots.core import clock
from grassroots.people.tokens import token_create, token_revoke
from tests.support.world import centre, make_user, scope_test

from .kpi_fixture import category as make_category
from .kpi_fixture import through_dispatch

TZ = ZoneInfo("Asia/Shanghai")
BASE = "/open311/v2/"
FORMATS = ["xml", "json"]


def body(response, fmt):
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        return json.loads(response.content)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return ET.fromstring(response.content)


def errors_of(response, fmt):
    data = body(response, fmt)
    if fmt == "json":
        assert isinstance(data, list)
        return [(e["code"], e["description"]) for e in data]
    assert data.tag == "errors"
    return [(int(e.findtext("code")), e.findtext("description")) for e in data.findall("error")]


@pytest.fixture
def open311(world):
    clock.freeze(dt.datetime(2026, 11, 20, 9, 0, tzinfo=TZ))
    cat = make_category()
    private = Category.objects.create(code="S0101", name="邻里纠纷", kind="social", default_tier="grid",
                                      public_allowed=False, parent=Category.objects.create(
                                          code="S01", name="矛盾纠纷", kind="social"))
    cat.parent = Category.objects.create(code="E01", name="市容环境", kind="event")
    cat.save()
    public = through_dispatch(world, cat, dt.datetime(2026, 11, 20, 9, 0, tzinfo=TZ))
    lon, lat = centre(0)
    clock.freeze(dt.datetime(2026, 11, 20, 10, 0, tzinfo=TZ))
    hidden = services.case_report(actor=world.grid_worker, channel="grid_patrol", category=private,
                                  title="张家与李家因噪音争吵", description="联系人 13800000000",
                                  lon=lon, lat=lat).case
    owner = make_user("fms_client", role=None)
    _, key = token_create(actor=owner, name="open311:fixmystreet")
    _, personal = token_create(actor=owner, name="personal")
    clock.freeze(dt.datetime(2026, 11, 21, 9, 0, tzinfo=TZ))
    return type("O", (), {"category": cat, "private": private, "public": public, "hidden": hidden,
                          "key": key, "personal_key": personal, "owner": owner})


@scope_test("open311:discovery")
@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_lists_the_v2_endpoint_in_both_formats(client, open311, fmt):
    data = body(client.get(f"{BASE}discovery.{fmt}"), fmt)
    if fmt == "json":
        endpoint = data["endpoints"][0]
        assert endpoint["specification"].endswith("GeoReport_v2") and endpoint["url"].endswith("/open311/v2/")
        assert "application/json" in endpoint["formats"] and data["changeset"].endswith("+08:00")
    else:
        assert data.tag == "discovery"
        assert data.find("endpoints/endpoint/url").text.endswith("/open311/v2/")
        assert [f.text for f in data.findall("endpoints/endpoint/formats/format")] == ["text/xml",
                                                                                      "application/json"]


@scope_test("open311:services")
@pytest.mark.parametrize("fmt", FORMATS)
def test_services_lists_active_categories_as_an_array(client, open311, fmt):
    data = body(client.get(f"{BASE}services.{fmt}"), fmt)
    if fmt == "json":
        assert isinstance(data, list)
        service = next(s for s in data if s["service_code"] == "E0102")
        assert service["service_name"] == "暴露垃圾" and service["group"] == "市容环境"
        assert service["metadata"] is True and service["type"] == "realtime"
        assert not any(s["service_code"] == "E01" for s in data)  # classes are groups, not services
    else:
        assert data.tag == "services"
        codes = [s.findtext("service_code") for s in data.findall("service")]
        assert "E0102" in codes and "E01" not in codes
        assert data.find("service/metadata").text == "true"


@scope_test("open311:service")
@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_describes_the_attributes(client, open311, fmt):
    data = body(client.get(f"{BASE}services/E0102.{fmt}"), fmt)
    if fmt == "json":
        assert data["service_code"] == "E0102"
        codes = [a["code"] for a in data["attributes"]]
        assert codes == ["anonymous", "private", "crs"]
        assert data["attributes"][0]["values"][0] == {"key": "true", "name": "是 / yes"}
    else:
        assert data.tag == "service_definition"
        assert data.find("attributes/attribute/datatype").text == "singlevaluelist"
        assert data.find("attributes/attribute/values/value/key").text == "true"


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_code_is_404_with_an_error_body(client, open311, fmt):
    response = client.get(f"{BASE}services/NOPE.{fmt}")
    assert response.status_code == 404
    assert errors_of(response, fmt)[0][0] == 404


@scope_test("open311:requests")
@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_lists_only_public_cases_with_public_fields(client, open311, fmt):
    response = client.get(f"{BASE}requests.{fmt}")
    assert response.status_code == 200
    data = body(response, fmt)
    if fmt == "json":
        assert [r["service_request_id"] for r in data] == [open311.public.reference]
        item = data[0]
    else:
        assert data.tag == "service_requests"
        requests = data.findall("request")
        assert [r.findtext("service_request_id") for r in requests] == [open311.public.reference]
        item = {child.tag: child.text or "" for child in requests[0]}
    assert item["status"] == "open" and item["service_code"] == "E0102"
    assert item["description"] == "路口垃圾待清运"  # the staff-written summary, not the reporter's text
    assert "路边垃圾堆积" not in response.content.decode() and "东侧路口" not in response.content.decode()
    assert item["agency_responsible"] == "区级部门 / 城市管理局"
    assert item["requested_datetime"].endswith("+08:00") and item["expected_datetime"].endswith("+08:00")
    assert item["address"] == "东城街道 安泰社区 安泰一网格"
    assert float(item["lat"]) == round(centre(0)[1], 3)
    assert open311.hidden.reference not in response.content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_filters_by_id_code_status_and_dates(client, open311, fmt):
    def ids(query):
        data = body(client.get(f"{BASE}requests.{fmt}?{query}"), fmt)
        if fmt == "json":
            return [r["service_request_id"] for r in data]
        return [r.findtext("service_request_id") for r in data.findall("request")]

    ref = open311.public.reference
    assert ids(f"service_request_id={ref},{open311.hidden.reference}") == [ref]
    assert ids("status=closed") == []
    assert ids("status=open") == [ref]
    assert ids("service_code=E0102") == [ref]
    assert ids("start_date=2026-11-21T00:00:00%2B08:00&end_date=2026-11-21T23:00:00%2B08:00") == []
    assert ids("start_date=2026-11-19T00:00:00%2B08:00&end_date=2026-11-21T00:00:00%2B08:00") == [ref]
    # service_request_id overrides every other filter
    assert ids(f"service_request_id={ref}&status=closed") == [ref]
    # an empty jurisdiction_id counts as absent
    assert ids("jurisdiction_id=") == [ref]


@pytest.mark.parametrize("fmt", FORMATS)
def test_request_queries_refuse_long_spans_bad_dates_and_unknown_jurisdictions(client, open311, fmt):
    long_span = client.get(f"{BASE}requests.{fmt}?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z")
    assert long_span.status_code == 400 and errors_of(long_span, fmt)[0][0] == 400
    assert client.get(f"{BASE}requests.{fmt}?start_date=yesterday").status_code == 400
    assert client.get(f"{BASE}requests.{fmt}?status=pending").status_code == 400
    assert client.get(f"{BASE}requests.{fmt}?service_code=NOPE").status_code == 404
    wrong = client.get(f"{BASE}requests.{fmt}?jurisdiction_id=110000")
    assert wrong.status_code == 404 and errors_of(wrong, fmt)[0][0] == 404
    assert client.get(f"{BASE}requests.{fmt}?jurisdiction_id=370571").status_code == 200


@scope_test("open311:request")
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_single_request_is_an_array_of_one_and_private_ones_are_404(client, open311, fmt):
    data = body(client.get(f"{BASE}requests/{open311.public.reference}.{fmt}"), fmt)
    if fmt == "json":
        assert len(data) == 1 and data[0]["service_request_id"] == open311.public.reference
    else:
        assert len(data.findall("request")) == 1
    hidden = client.get(f"{BASE}requests/{open311.hidden.reference}.{fmt}")
    assert hidden.status_code == 404
    assert client.get(f"{BASE}requests/2099-999999.{fmt}").status_code == 404


@scope_test("open311:token")
@pytest.mark.parametrize("fmt", FORMATS)
def test_tokens_resolve_to_the_request_id(client, open311, fmt):
    case = open311.public
    data = body(client.get(f"{BASE}tokens/{case.tracking_code}.{fmt}"), fmt)
    if fmt == "json":
        assert data == [{"service_request_id": case.reference, "token": case.tracking_code}]
    else:
        assert data.find("request/service_request_id").text == case.reference
    assert client.get(f"{BASE}tokens/NOSUCHTOKEN.{fmt}").status_code == 404


@scope_test("open311:updates")
@pytest.mark.parametrize("fmt", FORMATS)
def test_servicerequestupdates_lists_public_status_changes(client, open311, fmt):
    response = client.get(f"{BASE}servicerequestupdates.{fmt}?start_date=2026-11-19T00:00:00%2B08:00"
                          f"&end_date=2026-11-21T09:00:00%2B08:00")
    data = body(response, fmt)
    if fmt == "json":
        statuses = [(u["service_request_id"], u["status"]) for u in data]
        assert all(u["updated_datetime"].endswith("+08:00") for u in data)
    else:
        assert data.tag == "service_request_updates"
        statuses = [(u.findtext("service_request_id"), u.findtext("status")) for u in data.findall("request_update")]
    ref = open311.public.reference
    assert statuses == [(ref, "for_triage"), (ref, "investigating"), (ref, "action_scheduled")]
    assert open311.hidden.reference not in response.content.decode()


def _post(client, fmt, open311, **extra):
    lon, lat = centre(1)
    form = {"jurisdiction_id": "370571", "api_key": open311.key, "service_code": "E0102", "lat": str(lat),
            "long": str(lon), "description": "小区门口垃圾桶满溢\n已三天未清运", "first_name": "三",
            "last_name": "王", "phone": "13900001111", "attribute[anonymous]": "false"}
    form.update(extra)
    return client.post(f"{BASE}requests.{fmt}", form)


def test_a_fixmystreet_style_post_files_a_resident_report_and_answers_in_xml(client, open311):
    response = _post(client, "xml", open311)
    assert response.status_code == 200, response.content
    data = body(response, "xml")
    assert data.tag == "service_requests"
    reference = data.find("request/service_request_id").text
    case = Case.objects.get(reference=reference)
    assert case.channel == "resident" and case.filed_by == open311.owner
    assert case.region.name == "安泰二网格"
    assert case.description.startswith("小区门口垃圾桶满溢") and case.reporter_contact == "13900001111"
    assert case.reporter_name == "王 三"
    # the new request is not public until staff write a summary, but reads never show the reporter's text
    listing = client.get(f"{BASE}requests.json?service_request_id={reference}")
    assert "垃圾桶满溢" not in listing.content.decode()


def test_a_json_post_answers_with_an_array_and_honours_the_privacy_attribute(client, open311):
    response = _post(client, "json", open311, **{"attribute[private]": "true", "attribute[crs]": "WGS84"})
    assert response.status_code == 201
    data = body(response, "json")
    assert isinstance(data, list) and set(data[0]) == {"service_request_id", "service_notice", "account_id"}
    assert Case.objects.get(reference=data[0]["service_request_id"]).is_public is False


def test_the_api_key_may_come_in_the_query_string(client, open311):
    lon, lat = centre(1)
    response = client.post(f"{BASE}requests.json?api_key={open311.key}",
                           {"service_code": "E0102", "lat": str(lat), "long": str(lon), "description": "x"})
    assert response.status_code == 201


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_without_a_valid_open311_key_is_403(client, open311, fmt):
    assert _post(client, fmt, open311, api_key="").status_code == 403
    bad = _post(client, fmt, open311, api_key="gr_wrong")
    assert bad.status_code == 403 and errors_of(bad, fmt)[0] == (403, "Invalid api_key")
    # a personal token that is not an Open311 client key is refused too
    assert _post(client, fmt, open311, api_key=open311.personal_key).status_code == 403
    assert Case.objects.count() == 2


def test_a_revoked_key_is_refused(client, open311):
    from grassroots.people.models import ApiToken

    token = ApiToken.objects.get(name="open311:fixmystreet")
    token_revoke(actor=open311.owner, token=token)
    refused = _post(client, "xml", open311)
    assert refused.status_code == 403 and errors_of(refused, "xml") == [(403, "Invalid or expired api_key")]


def test_token_named_finds_client_keys_by_secret_and_prefix(open311):
    from grassroots.people.tokens import token_named

    assert token_named(open311.key, "open311:").name == "open311:fixmystreet"
    assert token_named(open311.personal_key, "open311:") is None
    assert token_named("gr_wrong", "open311:") is None and token_named("", "open311:") is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_errors_unknown_service_missing_location_long_text_and_outside_the_zone(client, open311, fmt):
    unknown = _post(client, fmt, open311, service_code="NOPE")
    assert unknown.status_code == 404
    no_place = _post(client, fmt, open311, lat="", long="")
    assert no_place.status_code == 400 and errors_of(no_place, fmt)[0][0] == 400
    assert _post(client, fmt, open311, lat="", long="", address_string="东城路 1 号").status_code == 400
    assert _post(client, fmt, open311, description="长" * 4001).status_code == 400
    assert _post(client, fmt, open311, lat="39.9", long="116.4").status_code == 400  # Beijing: no grid there
    assert _post(client, fmt, open311, **{"attribute[colour]": "red"}).status_code == 400
    assert _post(client, fmt, open311, jurisdiction_id="110000").status_code == 404
    assert Case.objects.count() == 2


def test_a_grid_code_as_address_id_places_the_request(client, open311, world):
    response = _post(client, "json", open311, lat="", long="", address_id=world.g3.code)
    assert response.status_code == 201
    assert Case.objects.get(reference=body(response, "json")[0]["service_request_id"]).region == world.g3


def test_post_needs_no_csrf_token(open311):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert _post(strict, "xml", open311).status_code == 200


def test_other_methods_are_refused(client, open311):
    assert client.delete(f"{BASE}requests.json").status_code == 405
    assert client.post(f"{BASE}services.json").status_code == 405
