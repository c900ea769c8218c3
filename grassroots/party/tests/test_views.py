import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from grassroots.party.imports import COLUMNS
from grassroots.party.models import Membership
from grassroots.party.services import liaison_create, org_report_in_create, report_in_create
from grassroots.people.idnumbers import with_check_character
from grassroots.people.services import person_create
from tests.support.party import add_members
from tests.support.world import login_verified, scope_test


@pytest.fixture
def data(world, party, frozen_now):
    g1 = add_members(party.g1, 2)
    g4 = add_members(party.g4, 3)
    ent = add_members(party.enterprise_branch, 1, region=world.g1, in_service=True, employer=world.enterprise)
    ent4 = add_members(party.enterprise_branch, 1, region=world.g4, in_service=True, employer=world.enterprise,
                       prefix="银河在职")
    r1 = report_in_create(actor=None, membership=ent[0], community=world.c1)
    r4 = report_in_create(actor=None, membership=ent4[0], community=world.c3)
    o1 = org_report_in_create(actor=None, community=world.c1, organization=world.dept_city, needs=["加装电梯"],
                              pledges=["执法力量下沉"])
    o4 = org_report_in_create(actor=None, community=world.c3, organization=world.dept_housing, needs=["银河需求"])
    l1 = liaison_create(actor=None, kind="member_grid", person=ent[0].person, region=world.g1)
    l4 = liaison_create(actor=None, kind="member_grid", person=ent4[0].person, region=world.g4)
    return {"g1": g1, "g4": g4, "r1": r1, "r4": r4, "o1": o1, "o4": o4, "l1": l1, "l4": l4}


@scope_test("party:org_tree")
def test_org_tree_shows_only_orgs_in_scope_with_flags(client, world, party, data):
    client.force_login(world.community_staff)
    page = client.get(reverse("party:org_tree")).content.decode()
    assert "安泰社区党委" in page and "安泰一网格党支部" in page
    assert "银河社区党委" not in page and "银河一网格党支部" not in page
    assert "正式党员不足3人" in page  # g1 has two full members
    assert 'id="party-tree-data"' in page


def test_org_tree_is_empty_for_a_post_without_party_scope(client, world, party):
    client.force_login(world.hotline_operator)
    page = client.get(reverse("party:org_tree")).content.decode()
    assert "暂无可查看的党组织" in page


@scope_test("party:org_detail")
def test_org_detail_lists_members_and_404s_outside_scope(client, world, party, data):
    client.force_login(world.community_staff)
    page = client.get(reverse("party:org_detail", args=[party.g1.pk])).content.decode()
    assert data["g1"][0].person.name in page
    assert client.get(reverse("party:org_detail", args=[party.g4.pk])).status_code == 404
    assert client.get(reverse("party:org_detail", args=[999999])).status_code == 404


@scope_test("party:member_list")
def test_member_list_shows_members_in_scope_and_filters(client, world, party, data):
    client.force_login(world.community_staff)
    page = client.get(reverse("party:member_list")).content.decode()
    assert data["g1"][0].person.name in page
    assert data["g4"][0].person.name not in page
    page = client.get(reverse("party:member_list"), {"q": data["g1"][1].person.name}).content.decode()
    assert data["g1"][1].person.name in page and data["g1"][0].person.name not in page
    page = client.get(reverse("party:member_list"), {"status": "probationary"}).content.decode()
    assert "没有符合条件的党员" in page
    page = client.get(reverse("party:member_list"), {"org": party.g4.pk}).content.decode()
    assert data["g4"][0].person.name not in page


def test_member_list_runs_a_constant_number_of_queries(client, world, party, frozen_now):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.zone_leader)
    login_verified(client, world.zone_leader)
    add_members(party.g1, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("party:member_list"), {"flagged": "1"}).status_code == 200
    add_members(party.g2, 18, status="probationary", in_service=True, employer=world.dept_city)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("party:member_list"), {"flagged": "1"})
    assert page.status_code == 200 and page.content.decode().count("/party/members/") >= 20
    assert len(many) == len(few)


@scope_test("party:member_detail")
def test_member_detail_404s_outside_scope(client, world, party, data):
    client.force_login(world.community_staff)
    assert client.get(reverse("party:member_detail", args=[data["g1"][0].pk])).status_code == 200
    assert client.get(reverse("party:member_detail", args=[data["g4"][0].pk])).status_code == 404


@scope_test("party:member_promote")
def test_member_promote_works_in_scope_and_404s_outside(client, world, party, frozen_now):
    (mine,) = add_members(party.g1, 1, status="probationary")
    (theirs,) = add_members(party.g4, 1, status="probationary")
    client.force_login(world.community_secretary)
    page = client.get(reverse("party:member_detail", args=[mine.pk])).content.decode()
    assert "data-confirm" in page
    response = client.post(reverse("party:member_promote", args=[mine.pk]), {"full_member_date": "2026-11-01"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "full"
    assert client.post(reverse("party:member_promote", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "probationary"


def test_member_promote_shows_the_refusal(client, world, party, frozen_now):
    (mine,) = add_members(party.g1, 1, status="probationary")
    client.force_login(world.community_secretary)
    response = client.post(reverse("party:member_promote", args=[mine.pk]), {"full_member_date": "1990-01-01"},
                           follow=True)
    assert "转正日期不能早于入党日期" in response.content.decode()


@scope_test("party:member_export")
def test_member_export_contains_only_members_in_scope(client, world, party, data):
    client.force_login(world.community_staff)
    response = client.get(reverse("party:member_export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    exported = {row[0] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert data["g1"][0].person.name in exported
    assert data["g4"][0].person.name not in exported


def _sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in COLUMNS])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@scope_test("party:member_import")
def test_member_import_page_imports_in_scope_and_reports_rows_outside(client, world, party, frozen_now):
    from django.core.files.uploadedfile import SimpleUploadedFile

    number = with_check_character("37050219800101055")
    person_create(actor=world.community_staff, name="导入党员", id_number=number, building=world.b1)
    client.force_login(world.community_staff)
    bad = _sheet([[number, "", party.g4.code, "", "正式党员", "2005-07-01", "2006-07-01", "否", ""]])
    page = client.post(reverse("party:member_import"), {"file": SimpleUploadedFile("m.xlsx", bad)}).content.decode()
    assert "未写入任何数据" in page and "不存在或不在您的管辖范围内" in page
    assert not Membership.objects.exists()
    good = _sheet([[number, "", party.g1.code, "", "正式党员", "2005-07-01", "2006-07-01", "否", ""]])
    page = client.post(reverse("party:member_import"), {"file": SimpleUploadedFile("m.xlsx", good)}).content.decode()
    assert "已导入 1 名党员" in page
    client.force_login(world.resident)
    assert client.get(reverse("party:member_import")).status_code == 404


@scope_test("party:member_import_template")
def test_import_template_is_for_staff_only(client, world, party):
    client.force_login(world.community_staff)
    response = client.get(reverse("party:member_import_template"))
    headers = [c.value for c in load_workbook(io.BytesIO(response.content)).active[1]]
    assert headers[:2] == ["证件号码", "姓名"]
    client.force_login(world.department_handler)
    assert client.get(reverse("party:member_import_template")).status_code == 404


@scope_test("party:report_in_list")
def test_report_in_list_shows_the_communitys_report_ins(client, world, party, data):
    client.force_login(world.community_staff)
    page = client.get(reverse("party:report_in_list")).content.decode()
    assert data["r1"].person.name in page and data["r4"].person.name not in page


@scope_test("party:report_in_end")
def test_report_in_end_in_scope_and_404_outside(client, world, party, data):
    client.force_login(world.community_staff)
    assert client.post(reverse("party:report_in_end", args=[data["r4"].pk])).status_code == 404
    assert client.post(reverse("party:report_in_end", args=[data["r1"].pk])).status_code == 302
    data["r1"].refresh_from_db()
    data["r4"].refresh_from_db()
    assert data["r1"].status == "ended" and data["r4"].status == "active"


@scope_test("party:org_report_in_list")
def test_org_report_in_list_shows_needs_and_pledges_in_scope(client, world, party, data):
    client.force_login(world.community_staff)
    page = client.get(reverse("party:org_report_in_list")).content.decode()
    assert "加装电梯" in page and "执法力量下沉" in page and "银河需求" not in page
    client.force_login(world.department_handler)
    page = client.get(reverse("party:org_report_in_list")).content.decode()
    assert "城市管理局" in page and "银河需求" not in page


@scope_test("party:liaison_list")
def test_liaison_list_in_scope(client, world, party, data):
    client.force_login(world.community_staff)
    page = client.get(reverse("party:liaison_list")).content.decode()
    assert data["l1"].person.name in page and data["l4"].person.name not in page
    assert "data-confirm" in page


@scope_test("party:liaison_end")
def test_liaison_end_in_scope_and_404_outside(client, world, party, data):
    client.force_login(world.community_staff)
    assert client.post(reverse("party:liaison_end", args=[data["l4"].pk])).status_code == 404
    assert client.post(reverse("party:liaison_end", args=[data["l1"].pk])).status_code == 302
    data["l1"].refresh_from_db()
    data["l4"].refresh_from_db()
    assert data["l1"].end_date is not None and data["l4"].end_date is None


def test_navigation_shows_party_entries_to_staff(client, world, party):
    client.force_login(world.community_staff)
    page = client.get(reverse("home")).content.decode()
    assert reverse("party:org_tree") in page
