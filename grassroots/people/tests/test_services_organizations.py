import datetime as dt

import pytest
from django.utils import translation

from grassroots.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from grassroots.core.models import Event
from grassroots.people import dissolution, idnumbers, services
from grassroots.people.models import Organization, Post

pytestmark = pytest.mark.django_db

Kind = Organization.Kind


def credit_code(first17: str = "91370500MA3C0000X") -> str:
    return first17 + idnumbers.credit_code_check_character(first17)


def social(world, actor=None, **kw):
    kw.setdefault("name", "安泰社区志愿服务队")
    kw.setdefault("kind", Kind.SOCIAL_ORGANIZATION)
    kw.setdefault("region", world.g1)
    return services.organization_create(actor=actor or world.community_staff, **kw)


@pytest.mark.parametrize("role,kind,region", [
    ("admin", Kind.DEPARTMENT, None),
    ("zone_leader", Kind.AGENCY, "zone"),
    ("subdistrict_officer", Kind.SUBDISTRICT_OFFICE, "s1"),
    ("subdistrict_officer", Kind.PROPERTY_FIRM, "g2"),
    ("community_staff", Kind.PROPERTY_FIRM, "c1"),
    ("community_secretary", Kind.SOCIAL_ORGANIZATION, "g1"),
])
def test_posts_that_keep_organisations_register_them_in_their_area(world, role, kind, region):
    actor = getattr(world, role)
    org = services.organization_create(actor=actor, name="新单位", kind=kind,
                                       region=getattr(world, region) if region else None)
    assert org.active and org.kind == kind
    event = Event.objects.get(verb="organization.create", object_id=str(org.pk))
    assert event.actor == actor and event.to_state == "active"
    assert event.payload["name"] == "新单位" and event.payload["kind"] == kind


@pytest.mark.parametrize("role", ["grid_worker", "hotline_operator", "department_handler", "enterprise_contact",
                                  "party_instructor", "resident", "auditor"])
def test_other_posts_may_not_register_organisations(world, role):
    with pytest.raises(NotPermitted) as exc:
        services.organization_create(actor=getattr(world, role), name="新单位", kind=Kind.SOCIAL_ORGANIZATION,
                                     region=world.g1)
    assert exc.value.status == 403
    assert not Organization.objects.filter(name="新单位").exists()


def test_community_staff_keep_only_their_community_and_local_kinds(world):
    with pytest.raises(NotPermitted) as outside:
        social(world, region=world.g4)
    assert outside.value.code == "organization_denied" and outside.value.field == "region"
    with pytest.raises(NotPermitted) as kind:
        social(world, kind=Kind.DEPARTMENT)
    assert kind.value.code == "organization_kind_denied" and "职能部门" in kind.value.zh
    with pytest.raises(ValidationFailed) as nowhere:
        social(world, region=None)
    assert nowhere.value.code == "organization_region_required"
    with pytest.raises(NotPermitted):
        services.organization_create(actor=world.subdistrict_officer, name="新局", kind=Kind.DEPARTMENT,
                                     region=world.s1)


def test_validation_messages_in_both_languages(world):
    with pytest.raises(ValidationFailed) as name:
        social(world, name="  ")
    assert (name.value.zh, name.value.en, name.value.field) == ("请填写组织名称", "The name is required", "name")
    with pytest.raises(ValidationFailed) as kind:
        social(world, kind="club")
    assert kind.value.field == "kind" and kind.value.en == "Choose the kind of organisation"
    with pytest.raises(ValidationFailed) as long_name:
        social(world, name="长" * 151)
    assert long_name.value.code == "name_length"
    with pytest.raises(ValidationFailed) as code:
        social(world, credit_code=credit_code()[:-1] + ("0" if credit_code()[-1] != "0" else "1"))
    assert code.value.field == "credit_code" and "校验码" in code.value.zh and "check character" in code.value.en
    with translation.override("en"):
        assert code.value.message.startswith("The unified social credit code is not valid")


def test_credit_code_is_checked_and_normalised(world):
    code = credit_code()
    org = social(world, credit_code=" " + code.lower() + " ")
    assert org.credit_code == code


def test_names_are_unique_within_a_kind(world):
    social(world)
    with pytest.raises(ValidationFailed) as exc:
        social(world, name=" 安泰社区志愿服务队 ")
    assert exc.value.code == "organization_duplicate" and "安泰社区志愿服务队" in exc.value.zh
    other = social(world, kind=Kind.COOPERATIVE)  # same name, other kind
    assert other.pk


def test_update_records_what_changed_from_and_to(world):
    org = social(world)
    services.organization_update(actor=world.community_secretary, organization=org, short_name="志愿队",
                                 region=world.g2)
    org.refresh_from_db()
    assert org.short_name == "志愿队" and org.region == world.g2
    event = Event.objects.get(verb="organization.update", object_id=str(org.pk))
    assert event.payload["changed"] == ["region", "short_name"]
    assert event.payload["before"] == {"region": world.g1.pk, "short_name": ""}
    assert event.payload["after"] == {"region": world.g2.pk, "short_name": "志愿队"}


def test_update_follows_scope_and_permissions(world):
    with pytest.raises(NotFound):  # outside the staff's view
        services.organization_update(actor=world.community_staff, organization=world.enterprise, phone="1")
    with pytest.raises(NotPermitted):  # sees its department, may not change it
        services.organization_update(actor=world.department_handler, organization=world.dept_city, phone="1")
    org = social(world)
    with pytest.raises(NotPermitted):
        services.organization_update(actor=world.community_staff, organization=org, kind=Kind.AGENCY)
    with pytest.raises(ValidationFailed):
        services.organization_update(actor=world.community_staff, organization=org, active=False)
    services.organization_update(actor=world.zone_leader, organization=world.dept_city, phone="0546-1234567")
    world.dept_city.refresh_from_db()
    assert world.dept_city.phone == "0546-1234567"


def test_dissolve_keeps_the_row_with_date_and_reason_and_an_event(world):
    org = social(world)
    services.organization_dissolve(actor=world.community_staff, organization=org, reason="队伍解散")
    org.refresh_from_db()
    assert not org.active and org.dissolved_reason == "队伍解散" and org.dissolved_on is not None
    event = Event.objects.get(verb="organization.dissolve", object_id=str(org.pk))
    assert (event.from_state, event.to_state) == ("active", "dissolved")
    assert event.payload["reason"] == "队伍解散"
    with pytest.raises(Conflict):
        services.organization_dissolve(actor=world.community_staff, organization=org, reason="再撤一次")
    with pytest.raises(Conflict) as edit:
        services.organization_update(actor=world.community_staff, organization=org, phone="1")
    assert edit.value.code == "organization_dissolved"


def test_dissolve_needs_a_reason_and_permission(world):
    org = social(world)
    with pytest.raises(ValidationFailed) as exc:
        services.organization_dissolve(actor=world.community_staff, organization=org, reason=" ")
    assert exc.value.zh == "请填写撤销原因" and exc.value.en == "The reason is required"
    with pytest.raises(ValidationFailed):
        services.organization_dissolve(actor=world.community_staff, organization=org, reason="x",
                                       on=dt.date(2999, 1, 1))
    with pytest.raises(NotPermitted):
        services.organization_dissolve(actor=world.grid_worker, organization=org, reason="x")
    with pytest.raises(NotFound):
        services.organization_dissolve(actor=world.other_staff, organization=org, reason="x")
    assert Organization.objects.get(pk=org.pk).active


def test_dissolve_is_refused_while_posts_are_current_and_names_them(world):
    with pytest.raises(Conflict) as exc:
        services.organization_dissolve(actor=world.admin, organization=world.dept_city, reason="机构改革")
    assert exc.value.code == "organization_in_use" and exc.value.details["blockers"] == {"posts": 1}
    assert "1 个在任岗位" in exc.value.zh and "current posts (1)" in exc.value.en
    assert not Event.objects.filter(verb="organization.dissolve").exists()
    services.post_end(actor=world.admin, post=world.department_handler.posts.get(), end_date=dt.date(2026, 1, 1))
    services.organization_dissolve(actor=world.admin, organization=world.dept_city, reason="机构改革")
    with pytest.raises(ValidationFailed) as post:
        services.post_create(actor=world.admin, user=world.department_handler, role="department_handler",
                             organization=Organization.objects.get(pk=world.dept_city.pk))
    assert post.value.code == "post_organization_dissolved"


def test_dissolve_is_refused_with_active_sub_organisations_and_party_links(world):
    from grassroots.party.models import Liaison, OrgKind, PartyOrg

    org = social(world)
    child = social(world, name="志愿服务一分队", parent=org)
    liaison = Liaison.objects.create(kind=Liaison.Kind.LEADER_COMMUNITY, user=world.zone_leader, organization=org,
                                     region=world.c1, start_date=dt.date(2025, 1, 1))
    PartyOrg.objects.create(code="P1", name="志愿服务队党支部", kind=OrgKind.ZONE_WORKING_COMMITTEE, serial=1,
                            path="/0001/", region=world.zone, organization=org)
    with pytest.raises(Conflict) as exc:
        services.organization_dissolve(actor=world.community_staff, organization=org, reason="解散")
    assert exc.value.details["blockers"] == {"children": 1, "party_liaisons": 1, "party_orgs": 1}
    assert "在用的下级单位" in exc.value.zh and "在用的党组织" in exc.value.zh and "current liaisons (1)" in exc.value.en
    services.organization_dissolve(actor=world.community_staff, organization=child, reason="并入")
    Liaison.objects.filter(pk=liaison.pk).update(end_date=dt.date(2025, 6, 1))
    PartyOrg.objects.filter(organization=org).update(active=False)
    services.organization_dissolve(actor=world.community_staff, organization=org, reason="解散")


def test_apps_register_what_blocks_a_dissolution(world):
    org = social(world)
    dissolution.register("test-blocker", "待办事项", "open items", lambda organization, on: 2)
    try:
        with pytest.raises(Conflict) as exc:
            services.organization_dissolve(actor=world.community_staff, organization=org, reason="解散")
        assert "2 个待办事项" in exc.value.zh and "open items (2)" in exc.value.en
    finally:
        dissolution.unregister("test-blocker")
    assert Post.objects.filter(organization=org).count() == 0


def test_dissolve_is_refused_while_a_property_contract_runs(world):
    from grassroots.property.models import ServiceContract
    from grassroots.territory.services import compound_create

    firm = social(world, name="红帆物业", kind=Kind.PROPERTY_FIRM, region=world.c1)
    compound = compound_create(actor=world.zone_leader, community=world.c1, name="安泰一小区")
    contract = ServiceContract.objects.create(compound=compound, firm=firm, kind="owners_hired",
                                              start_date=dt.date(2025, 1, 1))
    with pytest.raises(Conflict) as exc:
        services.organization_dissolve(actor=world.community_staff, organization=firm, reason="退出")
    assert exc.value.details["blockers"] == {"property_contracts": 1}
    assert "履行中的物业服务合同" in exc.value.zh
    ServiceContract.objects.filter(pk=contract.pk).update(terminated_on=dt.date(2025, 12, 31))
    services.organization_dissolve(actor=world.community_staff, organization=firm, reason="退出")


def test_every_registered_counter_answers_for_a_fresh_organisation(world):
    org = social(world)
    names = {name for name in dissolution._counters}
    assert {"party_orgs", "party_report_ins", "party_liaisons", "property_contracts", "property_party_coverage",
            "case_assignments"} <= names
    assert services.organization_blockers(org) == []
