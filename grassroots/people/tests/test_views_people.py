import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core.models import Event
from grassroots.people import services
from tests.support.world import login_verified, scope_test

from .factories import person, resident_id
from .xlsx import workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(world):
    return person(world, name="爱丽丝", phone="13812345678", room="1-101", relation_to_head="户主", tags=["志愿者"])


@pytest.fixture
def faraway(world):
    return person(world, name="远方", building=world.b4, actor=world.other_staff)


@scope_test("people:person_list")
def test_people_list_shows_persons_in_scope_masked_and_leaves_others_out(client, world, alice, faraway):
    client.force_login(world.community_staff)
    page = client.get(reverse("people:person_list")).content.decode()
    assert "爱丽丝" in page and "远方" not in page
    assert alice.id_number not in page and alice.id_number[:4] + "*" * 10 + alice.id_number[-4:] in page
    assert "138****5678" in page and "13812345678" not in page
    client.force_login(world.department_handler)
    assert "爱丽丝" not in client.get(reverse("people:person_list")).content.decode()


def test_people_list_searches_and_filters(client, world, alice):
    client.force_login(world.community_staff)
    assert "爱丽丝" in client.get(reverse("people:person_list"), {"q": "爱丽"}).content.decode()
    assert "爱丽丝" not in client.get(reverse("people:person_list"), {"q": "无此人"}).content.decode()
    assert "爱丽丝" in client.get(reverse("people:person_list"), {"tag": "志愿者", "region": world.g1.pk}).content.decode()
    page = client.get(reverse("people:person_list"), {"region": world.g2.pk}).content.decode()
    assert "爱丽丝" not in page and "没有符合条件的人员" in page


@scope_test("people:person_lookup")
def test_people_are_looked_up_by_number_by_post_only_and_within_scope(client, world, alice, faraway):
    client.force_login(world.community_staff)
    page = client.get(reverse("people:person_list")).content.decode()
    assert f'action="{reverse("people:person_lookup")}"' in page and 'method="post"' in page
    assert "爱丽丝" not in client.get(reverse("people:person_list"), {"q": alice.id_number}).content.decode()
    found = client.post(reverse("people:person_lookup"), {"number": alice.id_number}).content.decode()
    assert "爱丽丝" in found and alice.id_number not in found
    assert "远方" not in client.post(reverse("people:person_lookup"), {"number": faraway.id_number}).content.decode()
    assert client.get(reverse("people:person_lookup"), {"number": alice.id_number}).status_code == 405


def test_people_list_runs_a_constant_number_of_queries(client, world):
    client.force_login(world.community_staff)
    client.get(reverse("people:person_list"))  # warm up session and scope

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("people:person_list")).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        person(world, room="9-901")
    two = count()
    for _ in range(18):
        person(world, building=world.b2, room="2-202")
    assert count() == two


@scope_test("people:person_detail")
def test_person_detail_is_masked_and_404_outside_scope(client, world, alice, faraway):
    client.force_login(world.community_staff)
    page = client.get(reverse("people:person_detail", args=[alice.pk])).content.decode()
    assert "138****5678" in page and "查看完整号码" in page and alice.id_number not in page
    assert client.get(reverse("people:person_detail", args=[faraway.pk])).status_code == 404
    client.force_login(world.grid_worker)
    page = client.get(reverse("people:person_detail", args=[alice.pk])).content.decode()
    assert "查看完整号码" not in page


@scope_test("people:person_reveal")
def test_reveal_posts_show_the_number_and_write_an_audit_event(client, world, alice, faraway):
    client.force_login(world.community_secretary)
    response = client.post(reverse("people:person_reveal", args=[alice.pk]), {"field": "phone"})
    assert response.status_code == 200 and "13812345678" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert Event.objects.filter(verb="person.reveal", actor=world.community_secretary, outcome="success").exists()
    assert client.get(reverse("people:person_reveal", args=[alice.pk])).status_code == 405
    assert client.post(reverse("people:person_reveal", args=[faraway.pk]), {"field": "phone"}).status_code == 404
    client.force_login(world.grid_worker)
    denied = client.post(reverse("people:person_reveal", args=[alice.pk]), {"field": "phone"})
    assert denied.status_code == 403 and "13812345678" not in denied.content.decode()


@scope_test("people:person_export")
def test_export_is_masked_by_default_unmasked_only_for_the_secretary_with_a_purpose_and_audited(
        client, world, alice, faraway):
    client.force_login(world.subdistrict_officer)
    # subdistrict officers need the second factor for pages
    login_verified(client, world.subdistrict_officer)
    ws = load_workbook(io.BytesIO(client.get(reverse("people:person_export")).content)).active
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert "远方" not in rows and rows["爱丽丝"][6] == "138****5678"
    denied = client.post(reverse("people:person_export"), {"unmask": "1", "purpose": "核对身份信息"})
    assert denied.status_code == 403 and b"3705" not in denied.content
    client.force_login(world.community_secretary)
    ws = load_workbook(io.BytesIO(client.get(reverse("people:person_export")).content)).active
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["爱丽丝"][5] == "3705**********" + alice.id_number[-4:] and rows["爱丽丝"][6] == "138****5678"
    assert client.post(reverse("people:person_export"), {"unmask": "1", "purpose": ""}).status_code == 400
    by_link = client.get(reverse("people:person_export"), {"unmask": "1", "purpose": "入户核对"})  # never by a link
    rows = {r[0]: r for r in load_workbook(io.BytesIO(by_link.content)).active.iter_rows(min_row=2, values_only=True)}
    assert rows["爱丽丝"][5] != alice.id_number and rows["爱丽丝"][5].endswith(alice.id_number[-4:])
    response = client.post(reverse("people:person_export"), {"unmask": "1", "purpose": "入户核对 人口台账"})
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["爱丽丝"][5] == alice.id_number and rows["爱丽丝"][6] == "13812345678"
    events = list(Event.objects.filter(verb="person.export").order_by("id"))
    assert [e.outcome for e in events] == ["success", "denied", "success", "success", "success"]
    assert [e.payload.get("unmasked_rows") for e in events] == [None, None, None, None, 2]
    assert events[-1].payload["purpose"] == "入户核对 人口台账" and events[-1].payload["rows"] == 2
    client.force_login(world.grid_worker)
    assert client.get(reverse("people:person_export")).status_code == 403


@scope_test("people:person_import", "people:person_import_confirm", "people:person_import_template")
def test_import_page_previews_all_errors_then_confirms(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(world.community_staff)
    assert client.get(reverse("people:person_import_template")).status_code == 200
    bad = workbook_bytes([["甲", "", "370502198001010018", "", world.b1.code, "", "", ""],
                          ["乙", "", resident_id(), "", world.b4.code, "", "", ""]])
    page = client.post(reverse("people:person_import"),
                       {"file": _upload("bad.xlsx", bad)}).content.decode()
    assert "发现 2 处错误" in page and "<td>2</td>" in page and "<td>3</td>" in page
    assert reverse("people:person_import_confirm") not in page
    good = workbook_bytes([["丙", "", resident_id(), "13800001111", world.b1.code, "3-303", "户主", ""]])
    page = client.post(reverse("people:person_import"), {"file": _upload("good.xlsx", good)}).content.decode()
    assert "全部通过检查" in page
    from grassroots.people.models import Person

    assert not Person.objects.filter(name="丙").exists()
    token = client.session["people_import"]["token"]
    assert client.post(reverse("people:person_import_confirm"), {"token": "forged"}).status_code == 302
    assert not Person.objects.filter(name="丙").exists()
    client.post(reverse("people:person_import"), {"file": _upload("good.xlsx", good)})
    token = client.session["people_import"]["token"]
    response = client.post(reverse("people:person_import_confirm"), {"token": token})
    assert response.status_code == 302 and Person.objects.filter(name="丙", region=world.g1).exists()
    # roles without the right see nothing
    client.force_login(world.grid_worker)
    assert client.get(reverse("people:person_import")).status_code == 404
    assert client.get(reverse("people:person_import_template")).status_code == 404
    assert client.post(reverse("people:person_import_confirm"), {"token": token}).status_code == 404


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@scope_test("people:organization_list", "people:organization_detail")
def test_organisation_pages_follow_scope(client, world):
    client.force_login(world.department_handler)
    page = client.get(reverse("people:organization_list")).content.decode()
    assert "城市管理局" in page and "住房和城乡建设局" not in page
    assert client.get(reverse("people:organization_detail", args=[world.dept_city.pk])).status_code == 200
    assert client.get(reverse("people:organization_detail", args=[world.dept_housing.pk])).status_code == 404
    client.force_login(world.hotline_operator)
    assert "住房和城乡建设局" in client.get(reverse("people:organization_list")).content.decode()


@scope_test("people:post_list", "people:post_detail")
def test_post_pages_follow_scope(client, world):
    client.force_login(world.community_staff)
    page = client.get(reverse("people:post_list")).content.decode()
    assert "grid1" in page and "grid3" not in page
    other = world.grid_worker3.posts.get()
    assert client.get(reverse("people:post_detail", args=[other.pk])).status_code == 404
    mine = world.grid_worker.posts.get()
    page = client.get(reverse("people:post_detail", args=[mine.pk])).content.decode()
    assert "结束岗位" not in page


@scope_test("people:post_end")
def test_admin_ends_a_post_with_a_successor_from_the_page(client, world):
    from grassroots.people import handover
    from tests.support.world import make_user

    successor = make_user("grid1b", role="grid_worker", region=world.g1)
    post = world.grid_worker.posts.get()
    handover.register("page-test", lambda *, actor, post, successor: 1)  # one open task, moved when handed over
    try:
        login_verified(client, world.admin)
        page = client.get(reverse("people:post_detail", args=[post.pk])).content.decode()
        assert "grid1b" in page and "data-confirm" in page
        refused = client.post(reverse("people:post_end", args=[post.pk]), {"end_date": "2026-01-01"})
        assert refused.status_code == 400 and "接任人" in refused.content.decode()
        done = client.post(reverse("people:post_end", args=[post.pk]),
                           {"end_date": "2026-01-01", "successor": successor.pk, "note": "交接完毕"})
        assert done.status_code == 302
    finally:
        handover.unregister("page-test")
    post.refresh_from_db()
    assert post.successor == successor and post.handover_note == "交接完毕"
    client.force_login(world.community_secretary)
    assert client.post(reverse("people:post_end", args=[world.grid_worker3.posts.get().pk]),
                       {"end_date": "2026-01-01"}).status_code == 404
    assert client.post(reverse("people:post_end", args=[successor.posts.get().pk]),
                       {"end_date": "2026-01-01"}).status_code == 403


def test_minor_is_shown_with_a_badge(client, world):
    from grassroots.people import idnumbers

    person(world, name="小朋友", id_number=idnumbers.with_check_character("37050220200101002"))
    client.force_login(world.community_staff)
    assert "未成年" in client.get(reverse("people:person_list"), {"minors": "1"}).content.decode()


def test_menu_shows_people_to_staff_and_not_to_departments(client, world):
    client.force_login(world.community_staff)
    link = f'href="{reverse("people:person_list")}"'
    assert link in client.get(reverse("home")).content.decode()
    client.force_login(world.department_handler)
    assert link not in client.get(reverse("home")).content.decode()


def test_service_level_update_keeps_page_in_sync(client, world, alice):
    services.person_update(actor=world.community_staff, person=alice, name="爱丽丝二")
    client.force_login(world.community_staff)
    assert "爱丽丝二" in client.get(reverse("people:person_detail", args=[alice.pk])).content.decode()


def test_pending_upload_is_encrypted_on_disk(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(world.community_staff)
    number = resident_id()
    good = workbook_bytes([["丁", "", number, "", world.b1.code, "", "", ""]])
    client.post(reverse("people:person_import"), {"file": _upload("good.xlsx", good)})
    stored = list((tmp_path / "people-imports").glob("*.xlsx"))
    assert len(stored) == 1 and stored[0].read_bytes() != good and b"PK" not in stored[0].read_bytes()[:4]


@pytest.mark.parametrize("url_name", ["people:organization_list", "people:post_list"])
def test_organisation_and_post_lists_run_a_constant_number_of_queries(client, world, url_name):
    from grassroots.people.models import Organization
    from tests.support.world import make_user

    login_verified(client, world.admin)
    client.get(reverse(url_name))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(url_name)).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(18):
        Organization.objects.create(name=f"单位{i}", kind="department", region=world.zone, parent=world.dept_city)
        make_user(f"extra{i}", role="grid_worker", region=world.g2)
    assert count() == before


@scope_test("people:person_create")
def test_register_page_creates_a_person_and_shows_errors_next_to_the_field(client, world):
    from grassroots.people.models import Person

    client.force_login(world.grid_worker)
    page = client.get(reverse("people:person_create")).content.decode()
    assert world.b1.code in page and world.b2.code not in page  # only buildings of the worker's grid
    bad = client.post(reverse("people:person_create"), {"name": "新人", "id_type": "resident_id",
                                                        "id_number": "370502198001010018", "building": world.b1.pk})
    assert bad.status_code == 400 and "校验位" in bad.content.decode()
    outside = client.post(reverse("people:person_create"), {"name": "新人", "id_type": "resident_id",
                                                            "id_number": resident_id(), "building": world.b2.pk})
    assert outside.status_code == 400 and not Person.objects.filter(name="新人").exists()
    number = resident_id()
    ok = client.post(reverse("people:person_create"), {"name": "新人", "id_type": "resident_id", "id_number": number,
                                                       "phone": "13700001111", "building": world.b1.pk,
                                                       "room": "1-102", "tags": "志愿者"})
    created = Person.objects.get(name="新人")
    assert ok.status_code == 302 and created.region == world.g1 and created.id_number == number
    client.force_login(world.department_handler)
    assert client.get(reverse("people:person_create")).status_code == 404


@scope_test("people:person_edit", "people:person_move")
def test_edit_and_move_pages(client, world, alice, faraway):
    client.force_login(world.community_staff)
    page = client.get(reverse("people:person_edit", args=[alice.pk]))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert client.get(reverse("people:person_edit", args=[faraway.pk])).status_code == 404
    bad = client.post(reverse("people:person_edit", args=[alice.pk]),
                      {"name": "爱丽丝", "id_type": "resident_id", "id_number": alice.id_number, "phone": "12"})
    assert bad.status_code == 400 and "手机号格式不正确" in bad.content.decode()
    ok = client.post(reverse("people:person_edit", args=[alice.pk]),
                     {"name": "爱丽丝", "id_type": "resident_id", "id_number": alice.id_number,
                      "phone": "13812345678", "tags": "志愿者、楼长", "active": "on"})
    assert ok.status_code == 302
    alice.refresh_from_db()
    assert alice.tags == ["志愿者", "楼长"]
    moved = client.post(reverse("people:person_move", args=[alice.pk]), {"building": world.b2.pk, "room": "5"})
    assert moved.status_code == 302
    alice.refresh_from_db()
    assert alice.region == world.g2
    assert client.post(reverse("people:person_move", args=[faraway.pk]), {"building": world.b1.pk}).status_code == 404
    client.force_login(world.grid_worker3)
    assert client.post(reverse("people:person_move", args=[alice.pk]), {"building": world.b3.pk}).status_code == 404
