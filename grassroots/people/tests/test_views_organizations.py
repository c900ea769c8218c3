import pytest
from django.urls import reverse

from grassroots.core.models import Event
from grassroots.people import idnumbers, services
from grassroots.people.models import Organization
from tests.support.world import login_verified, scope_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(world):
    return services.organization_create(actor=world.community_staff, name="安泰社区志愿服务队",
                                        kind=Organization.Kind.SOCIAL_ORGANIZATION, region=world.g1)


def _form(world, **kw):
    data = {"name": "安泰物业", "kind": "property_firm", "region": world.c1.pk, "address": "安泰路 2 号"}
    data.update(kw)
    return data


@scope_test("people:organization_create")
def test_new_organisation_page_registers_in_scope_and_shows_errors_next_to_the_field(client, world):
    client.force_login(world.community_staff)
    page = client.get(reverse("people:organization_create")).content.decode()
    assert "安泰社区" in page and "银河社区" not in page  # regions of the staff's community only
    assert 'value="property_firm"' in page and 'value="department"' not in page
    bad = client.post(reverse("people:organization_create"), _form(world, name="", credit_code="91370500MA3C00000"))
    assert bad.status_code == 400 and not Organization.objects.filter(kind="property_firm").exists()
    wrong_code = client.post(reverse("people:organization_create"), _form(world, credit_code="91370500MA3C00000A"))
    assert wrong_code.status_code == 400 and "统一社会信用代码不正确" in wrong_code.content.decode()
    outside = client.post(reverse("people:organization_create"), _form(world, region=world.c3.pk))
    assert outside.status_code == 400 and not Organization.objects.filter(name="安泰物业").exists()
    code = "91370500MA3C00000"
    code += idnumbers.credit_code_check_character(code)
    ok = client.post(reverse("people:organization_create"), _form(world, credit_code=code))
    org = Organization.objects.get(name="安泰物业")
    assert ok.status_code == 302 and ok["Location"] == reverse("people:organization_detail", args=[org.pk])
    assert org.region == world.c1 and org.credit_code == code
    assert Event.objects.filter(verb="organization.create", object_id=str(org.pk)).exists()
    duplicate = client.post(reverse("people:organization_create"), _form(world))
    assert duplicate.status_code == 400 and "已有名为「安泰物业」的物业企业" in duplicate.content.decode()
    for role in ("grid_worker", "department_handler", "resident"):
        client.force_login(getattr(world, role))
        assert client.get(reverse("people:organization_create")).status_code == 403
        assert client.post(reverse("people:organization_create"), _form(world, name="越权物业")).status_code == 403
    assert not Organization.objects.filter(name="越权物业").exists()


def test_new_organisation_page_speaks_english(client, world):
    client.force_login(world.community_staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("people:organization_create"), _form(world, credit_code="123"))
    page = response.content.decode()
    assert response.status_code == 400 and "The unified social credit code is not valid" in page
    assert "Register an organisation" in page


def test_list_and_detail_link_to_the_new_and_edit_pages_for_keepers_only(client, world, team):
    client.force_login(world.community_staff)
    assert reverse("people:organization_create") in client.get(reverse("people:organization_list")).content.decode()
    detail = client.get(reverse("people:organization_detail", args=[team.pk])).content.decode()
    assert reverse("people:organization_edit", args=[team.pk]) in detail
    assert detail.count(reverse("people:organization_dissolve", args=[team.pk])) == 1 and "data-confirm" in detail
    assert "<title>安泰社区志愿服务队" in detail
    client.force_login(world.grid_worker)
    assert reverse("people:organization_create") not in client.get(reverse("people:organization_list")).content.decode()
    detail = client.get(reverse("people:organization_detail", args=[team.pk])).content.decode()
    assert "安泰社区志愿服务队" in detail and reverse("people:organization_edit", args=[team.pk]) not in detail
    assert reverse("people:organization_dissolve", args=[team.pk]) not in detail


@scope_test("people:organization_edit")
def test_edit_page_changes_in_scope_403_for_others_404_outside(client, world, team):
    client.force_login(world.community_secretary)
    page = client.get(reverse("people:organization_edit", args=[team.pk]))
    assert page.status_code == 200 and "安泰社区志愿服务队" in page.content.decode()
    ok = client.post(reverse("people:organization_edit", args=[team.pk]),
                     {"name": "安泰社区志愿服务队", "kind": "social_organization", "region": world.g2.pk,
                      "short_name": "志愿队"})
    assert ok.status_code == 302
    team.refresh_from_db()
    assert team.short_name == "志愿队" and team.region == world.g2
    event = Event.objects.get(verb="organization.update", object_id=str(team.pk))
    assert event.payload["changed"] == ["region", "short_name"]
    bad = client.post(reverse("people:organization_edit", args=[team.pk]),
                      {"name": "安泰社区志愿服务队", "kind": "social_organization", "lon": "118.6"})
    assert bad.status_code == 400 and "经纬度不完整" in bad.content.decode()
    assert client.get(reverse("people:organization_edit", args=[world.enterprise.pk])).status_code == 404
    client.force_login(world.other_staff)
    assert client.get(reverse("people:organization_edit", args=[team.pk])).status_code == 404
    client.force_login(world.department_handler)
    assert client.get(reverse("people:organization_edit", args=[world.dept_city.pk])).status_code == 403
    login_verified(client, world.zone_leader)
    ok = client.post(reverse("people:organization_edit", args=[world.dept_city.pk]),
                     {"name": "城市管理局", "kind": "department", "region": world.zone.pk, "phone": "0546-12319"})
    assert ok.status_code == 302
    world.dept_city.refresh_from_db()
    assert world.dept_city.phone == "0546-12319"


@scope_test("people:organization_dissolve")
def test_dissolve_from_the_page_with_reason_refusals_and_scope(client, world, team):
    login_verified(client, world.subdistrict_officer)
    empty = client.post(reverse("people:organization_dissolve", args=[team.pk]), {"reason": ""})
    assert empty.status_code == 400 and "请填写撤销原因" in empty.content.decode()
    client.force_login(world.other_staff)
    assert client.post(reverse("people:organization_dissolve", args=[team.pk]), {"reason": "x"}).status_code == 404
    client.force_login(world.grid_worker)
    assert client.post(reverse("people:organization_dissolve", args=[team.pk]), {"reason": "x"}).status_code == 403
    login_verified(client, world.admin)
    blocked = client.post(reverse("people:organization_dissolve", args=[world.dept_city.pk]), {"reason": "改革"})
    assert blocked.status_code == 409 and "1 个在任岗位" in blocked.content.decode()
    login_verified(client, world.subdistrict_officer)
    done = client.post(reverse("people:organization_dissolve", args=[team.pk]), {"reason": "队伍解散"})
    assert done.status_code == 302
    team.refresh_from_db()
    assert not team.active and team.dissolved_reason == "队伍解散"
    detail = client.get(reverse("people:organization_detail", args=[team.pk])).content.decode()
    assert "已撤销" in detail and "队伍解散" in detail
    assert reverse("people:organization_dissolve", args=[team.pk]) not in detail
    closed = client.get(reverse("people:organization_edit", args=[team.pk]))
    assert closed.status_code == 302 and closed["Location"] == reverse("people:organization_detail", args=[team.pk])
    again = client.post(reverse("people:organization_dissolve", args=[team.pk]), {"reason": "再次"})
    assert again.status_code == 409
    listed = client.get(reverse("people:organization_list"), {"active": "0"}).content.decode()
    assert "安泰社区志愿服务队" in listed
