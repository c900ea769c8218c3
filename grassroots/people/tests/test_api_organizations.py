import json

import pytest

from grassroots.core.models import Event
from grassroots.people import idnumbers
from grassroots.people.models import Organization
from tests.support.world import login_verified, scope_test

pytestmark = pytest.mark.django_db

URL = "/api/people/organizations"


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


@scope_test("people_organization_create")
def test_create_api_registers_in_scope_and_refuses_others(client, world):
    client.force_login(world.community_staff)
    code = "52370500MJ0000001"
    code += idnumbers.credit_code_check_character(code)
    created = _post(client, URL, {"name": "安泰社区志愿服务队", "kind": "social_organization", "region_id": world.g1.pk,
                                  "credit_code": code})
    assert created.status_code == 201
    body = created.json()
    assert body["region_id"] == world.g1.pk and body["credit_code"] == code and body["active"] is True
    assert Event.objects.filter(verb="organization.create", object_id=str(body["id"])).exists()
    duplicate = _post(client, URL, {"name": "安泰社区志愿服务队", "kind": "social_organization", "region_id": world.g1.pk})
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "organization_duplicate"
    bad = _post(client, URL, {"name": "", "kind": "social_organization", "region_id": world.g1.pk})
    assert bad.status_code == 400 and bad.json()["field"] == "name"
    assert bad.json()["message_en"] == "The name is required"
    outside = _post(client, URL, {"name": "银河物业", "kind": "property_firm", "region_id": world.g4.pk})
    assert outside.status_code == 404
    parent_outside = _post(client, URL, {"name": "分队", "kind": "social_organization", "region_id": world.g1.pk,
                                         "parent_id": world.enterprise.pk})
    assert parent_outside.status_code == 404
    kind = _post(client, URL, {"name": "新局", "kind": "department", "region_id": world.g1.pk})
    assert kind.status_code == 403 and kind.json()["code"] == "organization_kind_denied"
    client.force_login(world.grid_worker)
    refused = _post(client, URL, {"name": "越权", "kind": "social_organization", "region_id": world.g1.pk})
    assert refused.status_code == 403
    assert not Organization.objects.filter(name__in=["银河物业", "分队", "新局", "越权"]).exists()


@scope_test("people_organization_update")
def test_update_api_changes_sent_fields_only(client, world):
    login_verified(client, world.zone_leader)
    response = _patch(client, f"{URL}/{world.enterprise.pk}", {"phone": "0546-8888888", "parent_id": None})
    assert response.status_code == 200 and response.json()["phone"] == "0546-8888888"
    world.enterprise.refresh_from_db()
    assert world.enterprise.name == "国瓷材料有限公司" and world.enterprise.region == world.e1
    bad = _patch(client, f"{URL}/{world.enterprise.pk}", {"credit_code": "123"})
    assert bad.status_code == 400 and bad.json()["field"] == "credit_code"
    client.force_login(world.community_staff)
    assert _patch(client, f"{URL}/{world.enterprise.pk}", {"phone": "1"}).status_code == 404
    client.force_login(world.enterprise_contact)
    assert _patch(client, f"{URL}/{world.enterprise.pk}", {"phone": "1"}).status_code == 403


@scope_test("people_organization_dissolve")
def test_dissolve_api_names_what_blocks_it(client, world):
    login_verified(client, world.admin)
    blocked = _post(client, f"{URL}/{world.dept_city.pk}/dissolve", {"reason": "机构改革"})
    assert blocked.status_code == 409
    assert blocked.json()["code"] == "organization_in_use" and blocked.json()["details"]["blockers"] == {"posts": 1}
    done = _post(client, f"{URL}/{world.dept_housing.pk}/dissolve", {"reason": "机构改革"})
    assert done.status_code == 409  # the housing department's handler is still in post
    client.force_login(world.community_staff)
    assert _post(client, f"{URL}/{world.enterprise.pk}/dissolve", {"reason": "x"}).status_code == 404
    team = _post(client, URL, {"name": "志愿队", "kind": "social_organization", "region_id": world.g1.pk}).json()
    done = _post(client, f"{URL}/{team['id']}/dissolve", {"reason": "队伍解散"})
    assert done.status_code == 200 and done.json()["active"] is False
    assert done.json()["dissolved_reason"] == "队伍解散" and done.json()["dissolved_on"]
    assert _post(client, f"{URL}/{team['id']}/dissolve", {"reason": "再次"}).status_code == 409
    client.force_login(world.department_handler)
    assert _post(client, f"{URL}/{world.dept_city.pk}/dissolve", {"reason": "x"}).status_code == 403
