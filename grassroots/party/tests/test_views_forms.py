import pytest
from django.urls import reverse

from grassroots.party.models import Liaison, Membership, OrgReportIn, PartyOrg, ReportIn, ServicePostClaim
from grassroots.party.services import report_in_create, service_post_create
from grassroots.people.idnumbers import with_check_character
from grassroots.people.services import person_create
from grassroots.territory.models import Level
from grassroots.territory.services import compound_create, region_create
from tests.support.party import add_members
from tests.support.world import scope_test


def ident(n: int) -> str:
    return with_check_character(f"37050219800101{n:03d}")


@scope_test("party:org_create")
def test_org_create_page_builds_a_grid_branch_and_hides_other_communities(client, world, party, frozen_now):
    grid = region_create(actor=None, level=Level.GRID, name="安泰三网格", parent=world.c1, record_event=False)
    client.force_login(world.community_staff)
    url = reverse("party:org_create", args=[party.c1.pk])
    assert "安泰三网格" in client.get(url).content.decode()
    response = client.post(url, {"kind": "grid_branch", "name": "安泰三网格党支部", "region": grid.pk})
    assert response.status_code == 302
    assert PartyOrg.objects.get(region=grid).parent == party.c1
    assert client.get(reverse("party:org_create", args=[party.c3.pk])).status_code == 404


def test_org_create_page_shows_the_rule_next_to_the_field(client, world, party, frozen_now):
    client.force_login(world.community_staff)
    response = client.post(reverse("party:org_create", args=[party.c1.pk]), {"kind": "grid_branch", "name": "无区域"})
    assert response.status_code == 200 and "必须对应一个" in response.content.decode()


@scope_test("party:member_add")
def test_member_add_page_finds_the_person_by_id_number(client, world, party, frozen_now):
    person = person_create(actor=world.community_staff, name="新党员", id_number=ident(7), building=world.b1)
    client.force_login(world.community_staff)
    url = reverse("party:member_add", args=[party.g1.pk])
    response = client.post(url, {"id_number": ident(8), "status": "probationary", "admission_date": "2026-06-01"})
    assert "未找到该证件号码" in response.content.decode()
    response = client.post(url, {"id_number": ident(7), "status": "full", "admission_date": "2026-06-01"})
    assert "正式党员需要填写转正日期" in response.content.decode()
    response = client.post(url, {"id_number": ident(7), "status": "probationary", "admission_date": "2026-06-01"})
    assert response.status_code == 302 and Membership.objects.get(person=person).org == party.g1
    assert client.get(reverse("party:member_add", args=[party.g4.pk])).status_code == 404


@scope_test("party:member_transfer")
def test_member_transfer_page_moves_a_member_within_scope(client, world, party, frozen_now):
    (m,) = add_members(party.g1, 1)
    (outside,) = add_members(party.g4, 1)
    client.force_login(world.community_staff)
    response = client.post(reverse("party:member_transfer", args=[m.pk]), {"to_org": party.g2.pk})
    assert response.status_code == 302
    assert Membership.objects.get(person=m.person, active=True).org == party.g2
    assert client.get(reverse("party:member_transfer", args=[outside.pk])).status_code == 404


@scope_test("party:report_in_create")
def test_report_in_page_for_the_member_themself_and_the_refusal_elsewhere(client, world, party, frozen_now):
    from grassroots.party.services import membership_add

    membership_add(actor=None, person=world.person1, org=party.enterprise_branch, status="full",
                   admission_date=frozen_now.date().replace(year=2010), full_member_date=frozen_now.date().replace(
                       year=2011), in_service=True, employer=world.enterprise)
    client.force_login(world.resident)
    url = reverse("party:report_in_create")
    response = client.post(url, {"community": world.c3.pk})
    assert "居住地社区" in response.content.decode()
    response = client.post(url, {"community": world.c1.pk})
    assert response.status_code == 302 and ReportIn.objects.get().person == world.person1
    # staff of another community cannot file for a person they do not see
    client.force_login(world.other_staff)
    response = client.post(url, {"community": world.c1.pk, "id_number": ident(1)})
    assert "未找到该证件号码的党员" in response.content.decode()


@pytest.fixture
def reported(world, party, frozen_now):
    (m,) = add_members(party.enterprise_branch, 1, region=world.g1, in_service=True, employer=world.enterprise)
    (m4,) = add_members(party.enterprise_branch, 1, region=world.g4, in_service=True, employer=world.enterprise,
                        prefix="银河")
    r = report_in_create(actor=None, membership=m, community=world.c1, reported_on=frozen_now.date().replace(day=1))
    r4 = report_in_create(actor=None, membership=m4, community=world.c3)
    post = service_post_create(actor=None, community=world.c1, name="楼道清洁岗", capacity=1)
    post4 = service_post_create(actor=None, community=world.c3, name="银河岗")
    return {"r": r, "r4": r4, "post": post, "post4": post4}


@scope_test("party:report_in_detail")
def test_report_in_detail_records_hours_and_404s_outside(client, world, party, reported):
    client.force_login(world.community_staff)
    url = reverse("party:report_in_detail", args=[reported["r"].pk])
    response = client.post(url, {"date": "2026-11-20", "hours": "2.5", "description": "清理楼道"})
    assert response.status_code == 302
    assert "2.5" in client.get(url).content.decode()
    response = client.post(url, {"date": "2026-11-20", "hours": "30", "description": "太长"})
    assert "0 到 24" in response.content.decode()
    assert client.get(reverse("party:report_in_detail", args=[reported["r4"].pk])).status_code == 404


@scope_test("party:service_post_claim")
def test_claim_page_respects_capacity_and_scope(client, world, party, reported):
    client.force_login(world.community_staff)
    url = reverse("party:service_post_claim", args=[reported["r"].pk])
    client.post(url, {"post": reported["post"].pk})
    assert ServicePostClaim.objects.filter(report_in=reported["r"], active=True).count() == 1
    response = client.post(url, {"post": reported["post4"].pk})
    assert response.status_code == 404
    assert client.post(reverse("party:service_post_claim", args=[reported["r4"].pk]),
                       {"post": reported["post"].pk}).status_code == 404


@scope_test("party:service_post_list")
def test_service_post_list_shows_own_communitys_posts_and_creates(client, world, party, reported):
    client.force_login(world.community_staff)
    page = client.get(reverse("party:service_post_list")).content.decode()
    assert "楼道清洁岗" in page and "银河岗" not in page
    response = client.post(reverse("party:service_post_list"), {"community": world.c1.pk, "name": "防汛岗",
                                                                "capacity": 3})
    assert response.status_code == 302
    response = client.post(reverse("party:service_post_list"), {"community": world.c3.pk, "name": "越权岗",
                                                                "capacity": 3})
    assert response.status_code == 200  # c3 is not a choice for this actor


@scope_test("party:org_report_in_create")
def test_org_report_in_page_records_needs_and_pledges(client, world, party, frozen_now):
    client.force_login(world.community_staff)
    response = client.post(reverse("party:org_report_in_create"), {
        "organization": world.dept_city.pk, "community": world.c1.pk, "needs": "加装电梯\n雨污分流",
        "pledges": "执法力量下沉"})
    assert response.status_code == 302
    row = OrgReportIn.objects.get()
    assert row.needs == ["加装电梯", "雨污分流"] and row.pledges == ["执法力量下沉"]
    response = client.post(reverse("party:org_report_in_create"), {"organization": world.dept_city.pk,
                                                                   "community": world.c3.pk})
    assert response.status_code == 200 and OrgReportIn.objects.count() == 1


@scope_test("party:liaison_create")
def test_liaison_page_links_a_department_head_to_a_compound(client, world, party, frozen_now):
    compound = compound_create(actor=None, community=world.c1, name="安泰小区")
    other = compound_create(actor=None, community=world.c3, name="银河小区")
    client.force_login(world.community_staff)
    response = client.post(reverse("party:liaison_create"), {
        "kind": "head_compound", "user": world.department_handler.pk, "organization": world.dept_city.pk,
        "compound": compound.pk})
    assert response.status_code == 302 and Liaison.objects.get().compound == compound
    response = client.post(reverse("party:liaison_create"), {
        "kind": "head_compound", "user": world.department_handler.pk, "compound": other.pk})
    assert response.status_code == 200 and Liaison.objects.count() == 1


@scope_test("party:transfer_in")
def test_transfer_in_page_takes_a_member_from_outside_on_a_valid_letter(client, world, party, frozen_now):
    from grassroots.party.models import Transfer

    person = person_create(actor=world.community_staff, name="外来党员", id_number=ident(9), building=world.b1)
    client.force_login(world.community_staff)
    url = reverse("party:transfer_in", args=[party.g1.pk])
    assert "介绍信编号" in client.get(url).content.decode()
    form = {"id_number": ident(9), "outside_org": "外地某党支部", "letter_no": "外-2026-01",
            "letter_issued_on": "2026-08-25", "status": "full", "admission_date": "2010-01-01",
            "full_member_date": "2011-01-01"}
    response = client.post(url, form)  # today is 2026-11-25: a letter of 25 August expired yesterday
    assert response.status_code == 200 and "介绍信已于 2026-11-24 过期" in response.content.decode()
    assert not Membership.objects.filter(person=person).exists()
    response = client.post(url, {**form, "letter_issued_on": "2026-10-01"})
    assert response.status_code == 302
    t = Transfer.objects.get(person=person)
    assert t.kind == "in" and t.outside_org == "外地某党支部" and t.new_membership.org == party.g1
    assert client.get(reverse("party:transfer_in", args=[party.g4.pk])).status_code == 404  # not their community
    client.force_login(world.resident)
    assert client.get(url).status_code == 404
