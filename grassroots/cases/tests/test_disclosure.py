"""One rule for what the reporter sees of a case's timeline (page and API alike), and one rule for what is public
(public list, public page and Open311 alike)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.cases import selectors, services
from grassroots.cases.tests.factories import make_category
from grassroots.cases.tests.kpi_fixture import _photo
from tests.support.world import centre

pytestmark = pytest.mark.django_db

INTERNAL_NOTE = "户主老王脾气大，先联系物业李经理"
INSTRUCTIONS = "请核实下水道产权单位"


@pytest.fixture
def handled(world):
    category = make_category("0102", name="积存垃圾渣土")
    lon, lat = centre(0)
    case = services.case_report(actor=world.resident, channel="resident", category=category, title="垃圾堆积",
                                lon=lon, lat=lat).case
    services.case_accept(actor=world.community_staff, case=case, tier="zone", public_summary="路口垃圾待清运")
    services.case_dispatch(actor=world.hotline_operator, case=case, lead=world.dept_city, instructions=INSTRUCTIONS)
    services.case_acknowledge(actor=world.department_handler, case=case)
    services.case_note(actor=world.department_handler, case=case, text=INTERNAL_NOTE)
    services.case_handle(actor=world.department_handler, case=case, result="已清运，费用由物业承担",
                         evidence=[_photo(world.department_handler)])
    return case


def staff_names(world) -> list[str]:
    return [str(u) for u in (world.community_staff, world.hotline_operator, world.department_handler)] + [
        u.username for u in (world.community_staff, world.hotline_operator, world.department_handler)]


def test_the_reporter_sees_units_and_moves_but_no_staff_names_or_notes_on_the_page_and_in_the_api(
        client, world, api, handled):
    client.force_login(world.resident)
    page = client.get(reverse("cases:case_detail", args=[handled.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "城市管理局" in html  # the unit that handles it
    assert INTERNAL_NOTE not in html and "已清运，费用由物业承担" not in html and INSTRUCTIONS not in html
    for name in staff_names(world):
        assert f">{name}<" not in html and f"muted\">{name}" not in html
    detail = api(world.resident).get(f"/{handled.pk}").json()
    timeline = api(world.resident).get(f"/{handled.pk}/timeline").json()
    assert detail["timeline"] == timeline
    assert [e["verb"] for e in timeline] == ["report", "accept", "dispatch", "acknowledge", "handle"]
    assert {e["actor"] for e in timeline} <= {"", "城市管理局", world.c1.name}
    assert all(e["payload"] == {} for e in timeline)
    text = str(timeline)
    assert INTERNAL_NOTE not in text and INSTRUCTIONS not in text
    assert not any(name in text for name in staff_names(world))


def test_staff_see_who_acted_and_the_internal_notes(client, world, api, handled):
    rows = selectors.timeline_for(actor=world.community_staff, case=handled)
    assert "note" in [r["verb"] for r in rows]
    assert INTERNAL_NOTE in [r["note"] for r in rows]
    assert str(world.department_handler) in [r["actor"] for r in rows]
    client.force_login(world.community_staff)
    html = client.get(reverse("cases:case_detail", args=[handled.pk])).content.decode()
    assert INTERNAL_NOTE in html and str(world.department_handler) in html


def test_the_reporter_reads_the_reason_a_report_was_not_accepted(world, api):
    category = make_category("0102")
    lon, lat = centre(0)
    case = services.case_report(actor=world.resident, channel="resident", category=category, title="垃圾",
                                lon=lon, lat=lat).case
    services.case_reject(actor=world.community_staff, case=case, reason="不属于本平台受理范围")
    timeline = api(world.resident).get(f"/{case.pk}/timeline").json()
    assert timeline[-1]["verb"] == "reject" and timeline[-1]["note"] == "不属于本平台受理范围"
    assert timeline[-1]["actor"] == world.c1.name


def test_a_rejected_report_is_public_nowhere_and_a_duplicate_shows_with_its_original(client, world, api):
    category = make_category("0102", parent=make_category("E01", name="市容环境"))
    lon, lat = centre(0)

    def report(title):
        return services.case_report(actor=world.grid_worker, channel="grid_patrol", category=category, title=title,
                                    lon=lon, lat=lat).case

    original, duplicate, invalid = report("垃圾"), report("垃圾又来了"), report("无效")
    services.case_accept(actor=world.community_staff, case=original, public_summary="路口垃圾待清运")
    services.case_mark_duplicate(actor=world.community_staff, case=duplicate, original=original)
    services.case_reject(actor=world.community_staff, case=invalid, reason="无效上报")
    listed = {r["reference"]: r for r in api().get("/public").json()["items"]}
    assert set(listed) == {original.reference, duplicate.reference}
    assert listed[duplicate.reference]["duplicate_of_reference"] == original.reference
    assert listed[original.reference]["duplicate_of_reference"] == ""
    open311 = client.get("/open311/v2/requests.json").json()
    assert {r["service_request_id"] for r in open311} == {original.reference, duplicate.reference}
    notes = {r["service_request_id"]: r["status_notes"] for r in open311}
    assert original.reference in notes[duplicate.reference]
    assert client.get(f"/open311/v2/requests/{invalid.reference}.json").status_code == 404
    page = client.get(reverse("cases:public_detail", args=[duplicate.pk])).content.decode()
    assert reverse("cases:public_detail", args=[original.pk]) in page
    assert client.get(reverse("cases:public_detail", args=[invalid.pk])).status_code == 404
