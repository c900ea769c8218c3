import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.core.clock import freeze
from grassroots.core.models import Event
from grassroots.property.models import JointMeeting, OwnersCommittee, ServiceContract
from grassroots.territory.services import compound_create
from tests.support.world import scope_test

from .conftest import D

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_d():
    import datetime as dt
    from zoneinfo import ZoneInfo

    freeze(dt.datetime(D.year, D.month, D.day, 10, tzinfo=ZoneInfo("Asia/Shanghai")))


@scope_test("property:rates", "property:rates_export")
def test_rates_page_and_export_show_the_actors_scope(client, rated_world):
    w = rated_world
    client.force_login(w.community_staff)
    page = client.get(reverse("property:rates")).content.decode()
    assert "25.00%" in page and "安泰社区" in page and "新华社区" not in page
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("property:rates_export")).content)).active
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["安泰社区"]
    assert Event.objects.filter(verb="property_rate.export", actor=w.community_staff).exists()
    client.force_login(w.resident)
    assert client.get(reverse("property:rates")).status_code == 404


@scope_test("property:compounds", "property:compound_detail")
def test_compound_list_filters_and_keeps_a_constant_number_of_queries(client, rated_world):
    w = rated_world
    client.force_login(w.community_staff)
    url = reverse("property:compounds")
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert "安泰一小区" in page and "新华小区" not in page
    for i in range(15):
        compound_create(actor=w.community_staff, community=w.c1, name=f"新建小区{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
    unmanaged = client.get(url, {"managed": "no"}).content.decode()
    assert "安泰一小区" not in unmanaged and "安泰四小区" in unmanaged
    assert client.get(reverse("property:compound_detail", args=[w.k1.pk])).status_code == 200
    assert client.get(reverse("property:compound_detail", args=[w.k5.pk])).status_code == 404


@scope_test("property:contract_add", "property:contract_terminate", "property:committee_add", "property:meeting_add")
def test_staff_record_contracts_committees_and_meetings_through_forms(client, rated_world):
    w = rated_world
    client.force_login(w.community_staff)
    r = client.post(reverse("property:committee_add", args=[w.k4.pk]),
                    {"kind": "owners", "formed_on": "2026-06-01", "term_years": 5})
    assert r.status_code == 302 and OwnersCommittee.objects.filter(compound=w.k4).exists()
    r = client.post(reverse("property:committee_add", args=[w.k4.pk]),
                    {"kind": "owners", "formed_on": "2026-06-02", "term_years": 5}, follow=True)
    assert "已有在任" in r.content.decode()
    r = client.post(reverse("property:meeting_add", args=[w.k1.pk]),
                    {"held_on": "2026-06-20", "topic": "电动车充电桩", "minutes": "五方商议", "firm_attended": "on",
                     "party_org_attended": "on", "residents_committee_attended": "on"})
    assert JointMeeting.objects.get(topic="电动车充电桩").parties_present == 3
    contract = ServiceContract.objects.get(compound=w.k1)
    r = client.post(reverse("property:contract_terminate", args=[w.k1.pk, contract.pk]),
                    {"on": "2026-06-29", "reason": "合同到期不续"})
    contract.refresh_from_db()
    assert contract.terminated_on is not None
    r = client.post(reverse("property:contract_add", args=[w.k1.pk]),
                    {"kind": "owners_hired", "firm": w.firm_b.pk, "start_date": "2026-06-30"})
    assert ServiceContract.objects.filter(compound=w.k1, firm=w.firm_b).exists()
    # another community's compound looks missing
    assert client.post(reverse("property:committee_add", args=[w.k5.pk]),
                       {"kind": "owners", "formed_on": "2026-06-01", "term_years": 5}).status_code == 404


@scope_test("property:firms", "property:meetings")
def test_firm_and_meeting_lists_are_scoped(client, rated_world):
    w = rated_world
    client.force_login(w.community_staff)
    firms = client.get(reverse("property:firms")).content.decode()
    assert "红帆物业" in firms and "新华物业" not in firms
    client.force_login(w.grid_worker3)  # 新华社区's grid
    firms = client.get(reverse("property:firms")).content.decode()
    assert "新华物业" in firms and "红帆物业" not in firms and "未覆盖" in firms
    assert client.get(reverse("property:meetings")).status_code == 200
    client.force_login(w.department_handler)
    assert client.get(reverse("property:meetings")).status_code == 404


@scope_test("property_compound_list", "property_compound_detail", "property_firm_list", "property_meeting_list",
            "property_rates")
def test_api_is_scoped(client, rated_world):
    w = rated_world
    client.force_login(w.community_staff)
    codes = [c["code"] for c in client.get("/api/property/compounds").json()["items"]]
    assert w.k1.code in codes and w.k5.code not in codes
    assert client.get(f"/api/property/compounds/{w.k1.pk}").json()["firms"] == ["红帆物业"]
    assert client.get(f"/api/property/compounds/{w.k5.pk}").status_code == 404
    assert [f["name"] for f in client.get("/api/property/firms").json()["items"]] == ["红帆物业"]
    assert client.get("/api/property/meetings").json()["count"] == 0
    rates = {r["code"]: r for r in client.get("/api/property/rates", {"on": "2026-06-30"}).json()}
    assert (rates["owners_committee_formation"]["numerator"], rates["owners_committee_formation"]["denominator"]) == (1, 4)
    client.force_login(w.resident)
    assert client.get("/api/property/rates").status_code == 404


@scope_test("property:member_add", "property:firm_coverage")
def test_committee_members_and_firm_coverage_through_forms(client, rated_world):
    from grassroots.people.services import person_create

    w = rated_world
    client.force_login(w.community_staff)
    person = person_create(actor=w.community_secretary, name="业主乙", id_type="resident_id",
                           id_number="110101199003074514", building=w.b1)
    committee = OwnersCommittee.objects.get(compound=w.k1)
    url = reverse("property:member_add", args=[w.k1.pk, committee.pk])
    client.post(url, {"id_number": "110101199003074514", "role": "chair", "start_date": "2026-06-01"})
    assert committee.members.filter(person=person, role="chair").exists()
    page = client.post(url, {"id_number": "110101199003074514", "role": "member", "start_date": "2026-06-01"},
                       follow=True).content.decode()
    assert "已是该业委会成员" in page
    # firm coverage is set by subdistrict or zone staff, for firms serving their scope
    assert client.post(reverse("property:firm_coverage", args=[w.firm_c.pk]),
                       {"mode": "instructor", "instructor_username": w.party_instructor.username,
                        "start_date": "2026-06-01"}).status_code == 404
    client.force_login(w.subdistrict_officer)
    from tests.support.world import login_verified

    login_verified(client, w.subdistrict_officer)
    client.post(reverse("property:firm_coverage", args=[w.firm_c.pk]),
                {"mode": "instructor", "instructor_username": w.party_instructor.username, "start_date": "2026-06-01"})
    assert w.firm_c.party_coverages.filter(mode="instructor").exists()
