"""Key-project pages and API: the job done through them, and out of scope every project looks missing."""

import datetime as dt

import pytest
from django.urls import reverse

from grassroots.keyprojects.models import InvestmentReport, KeyNode, Project
from tests.support.world import login_verified, scope_test

pytestmark = pytest.mark.django_db


@scope_test("keyprojects:list", "keyprojects:create", "keyprojects:detail", "keyprojects:edit", "keyprojects:action",
            "keyprojects:node_done", "keyprojects:export", "keyprojects:task_forces", "keyprojects:dispatch",
            "keyprojects:dispatch_pdf", "keyprojects:dispatch_export")
def test_a_project_through_the_pages_and_outsiders_find_it_missing(client, kp):
    w = kp.w
    login_verified(client, kp.staff)
    form = {"region": w.p1.pk, "name": "新能源电池材料项目", "level": "municipal", "phase": "new_start",
            "track_class": "assessed", "industry": "新能源", "owner_unit": w.other_enterprise.pk, "soe_led": "1",
            "total_investment_wan": "0", "patron_leader": "张志强", "commissioner": kp.commissioner.pk,
            "task_force": kp.force.pk, "office": w.dept_city.pk, "planned_start": "2026-03-01",
            "actual_start": "2026-03-05"}
    r = client.post(reverse("keyprojects:create"), form)
    assert r.status_code == 200 and "金额须大于 0" in r.content.decode()
    r = client.post(reverse("keyprojects:create"), {**form, "total_investment_wan": "30000"})
    p = Project.objects.get(name="新能源电池材料项目")
    assert r.status_code == 302 and p.commissioner == kp.commissioner and p.soe_led
    act = lambda verb, data: client.post(reverse("keyprojects:action", args=[p.pk, verb]), data)  # noqa: E731
    act("listing", {"year": "2026", "kinds": ["municipal"]})
    act("plan", {"year": "2026", "planned_wan": "1200", "image_target": "厂房封顶"})
    act("report", {"year": "2026", "month": "10", "xun": "0", "planned_wan": "100", "completed_wan": "80"})
    act("node", {"name": "取得施工许可", "due": "2026-12-01", "responsible": "东凯"})
    act("problem", {"title": "用电指标待落实", "owner": w.dept_city.pk, "deadline": "2026-12-20"})
    r = act("report", {"year": "2026", "month": "12", "planned_wan": "1", "completed_wan": "1"})
    assert r.status_code == 302  # refused with a message, nothing written
    assert InvestmentReport.objects.filter(project=p).count() == 1
    page = client.get(reverse("keyprojects:detail", args=[p.pk]) + "?year=2026&month=10").content.decode()
    assert "用电指标待落实" in page and "取得施工许可" in page and 'data-light="red"' in page
    assert "开工 7 个月仍未入库纳统" in page
    r = client.post(reverse("keyprojects:edit", args=[p.pk]), {**form, "total_investment_wan": "31000",
                                                                "in_fai_stats": "1", "in_stats_date": "2026-04-01"})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.in_fai_stats and p.total_investment_wan == 31000
    node = KeyNode.objects.get(project=p)
    assert client.post(reverse("keyprojects:node_done", args=[node.pk]), {"note": "已取得"}).status_code == 302
    listed = client.get(reverse("keyprojects:list") + "?year=2026&month=10").content.decode()
    assert "新能源电池材料项目" in listed and "高端陶瓷粉体项目" in listed
    only = client.get(reverse("keyprojects:list") + "?year=2026&month=10&list_kind=provincial").content.decode()
    assert "高端陶瓷粉体项目" in only and "新能源电池材料项目" not in only
    d = client.get(reverse("keyprojects:dispatch") + "?year=2026&month=10")
    assert d.status_code == 200 and "新能源电池材料项目" in d.content.decode()
    pdf = client.get(reverse("keyprojects:dispatch_pdf") + "?year=2026&month=10")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("keyprojects:dispatch_export") + "?year=2026&month=10")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert client.get(reverse("keyprojects:export")).content.startswith(b"PK")
    assert client.get(reverse("keyprojects:task_forces")).status_code == 200
    assert act("explode", {}).status_code == 404

    login_verified(client, kp.commissioner)  # reports, does not keep
    assert client.get(reverse("keyprojects:detail", args=[p.pk])).status_code == 200
    assert client.get(reverse("keyprojects:edit", args=[p.pk])).status_code == 404
    assert client.get(reverse("keyprojects:create")).status_code == 404
    for other in (w.other_staff, kp.other_commissioner, w.enterprise_contact, w.resident):
        login_verified(client, other)
        assert client.get(reverse("keyprojects:detail", args=[p.pk])).status_code == 404
        assert act("report", {"year": "2026", "month": "9", "planned_wan": "1", "completed_wan": "1"}).status_code \
            == 404
        assert client.post(reverse("keyprojects:node_done", args=[node.pk])).status_code == 404
        assert "新能源电池材料项目" not in client.get(reverse("keyprojects:list")).content.decode()
        assert "新能源电池材料项目" not in client.get(reverse("keyprojects:dispatch")).content.decode()
    assert InvestmentReport.objects.filter(project=p).count() == 1


@scope_test("park_key_project_list", "park_key_project_lights", "park_key_project_dispatch",
            "park_key_project_detail", "park_key_project_create", "park_key_project_update",
            "park_key_project_listings", "park_key_project_plan", "park_key_project_report", "park_key_project_year",
            "park_key_project_nodes", "park_key_project_node_add", "park_key_project_node_done",
            "park_key_project_problems", "park_key_project_problem_raise")
def test_the_api_keeps_projects_in_scope(client, kp):
    w = kp.w
    login_verified(client, kp.staff)
    body = {"region_id": w.p1.pk, "name": "氢能储运项目", "level": "zone", "phase": "continuing", "industry": "新能源",
            "owner_unit_id": w.enterprise.pk, "total_investment_wan": "8000", "patron_leader": "刘红梅",
            "commissioner_id": kp.commissioner.pk, "planned_start": "2025-06-01", "actual_start": "2025-06-01"}
    r = client.post("/api/park/key-projects", body, content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    j = lambda method, path, data=None: getattr(client, method)(  # noqa: E731
        f"/api/park/key-projects{path}", data, content_type="application/json")
    assert j("put", f"/{pk}", {**body, "in_fai_stats": True, "in_stats_date": "2025-07-01"}).json()["in_fai_stats"]
    assert j("put", f"/{pk}/listings", {"year": 2026, "kinds": ["zone"]}).json() == ["zone"]
    assert j("put", f"/{pk}/plans", {"year": 2026, "planned_wan": "1200"}).status_code == 200
    for m in range(1, 11):
        assert j("post", f"/{pk}/reports", {"year": 2026, "month": m, "planned_wan": "100",
                                            "completed_wan": "100"}).status_code == 201
    r = j("post", f"/{pk}/reports", {"year": 2026, "month": 11, "planned_wan": "100", "completed_wan": "-5"})
    assert r.status_code == 400
    year = j("get", f"/{pk}/years/2026").json()
    assert year["ytd"] == "1000.00" and year["months"][-1]["ytd_pct"] == "83.3"
    lights = {x["project_id"]: x for x in j("get", "/lights?year=2026&month=10").json()["items"]}
    assert lights[pk]["light"] == "green" and lights[pk]["rule_set"] == "yinchuan"
    assert j("get", "/lights?year=2026&month=10&rules=jinxiang").json()["items"]
    assert j("get", "/lights?rules=nope").status_code == 400
    assert j("get", "?year=40000").status_code in (400, 422)  # out of the years: refused, never a server error
    bad = {**body, "name": "极大金额", "total_investment_wan": "1e100000"}
    assert j("post", "", bad).status_code == 400
    assert j("get", "/lights?year=2026&month=12").status_code == 400  # a month to come
    d = j("get", "/dispatch?year=2026&month=10").json()
    assert {r["project_id"] for r in d["rows"]} == {pk, kp.project.pk, kp.other.pk}
    node = j("post", f"/{pk}/nodes", {"name": "竣工验收", "due": "2026-12-30", "responsible": "业主"}).json()
    assert j("get", f"/{pk}/nodes").json()[0]["id"] == node["id"]
    problem = j("post", f"/{pk}/problems", {"title": "融资未到位", "owner_id": w.dept_city.pk,
                                            "deadline": "2026-12-31"})
    assert problem.status_code == 201
    assert [x["title"] for x in j("get", f"/{pk}/problems").json()] == ["融资未到位"]
    assert j("get", "").json()["count"] == 3

    login_verified(client, kp.commissioner)
    assert j("post", f"/nodes/{node['id']}/done", {"note": "完成"}).json()["done_on"] == "2026-11-25"
    assert j("put", f"/{pk}/plans", {"year": 2026, "planned_wan": "1"}).status_code == 403
    assert j("get", "").json()["count"] == 2  # the commissioner's two projects

    for other in (w.other_staff, kp.other_commissioner, w.resident):
        login_verified(client, other)
        assert j("get", f"/{pk}").status_code == 404
        assert pk not in {x["id"] for x in j("get", "").json()["items"]}
        assert pk not in {x["project_id"] for x in j("get", "/lights").json()["items"]}
        assert pk not in {x["project_id"] for x in j("get", "/dispatch").json()["rows"]}
        for method, path, data in (("put", f"/{pk}", body), ("put", f"/{pk}/listings", {"year": 2026, "kinds": []}),
                                   ("put", f"/{pk}/plans", {"year": 2026, "planned_wan": "1"}),
                                   ("post", f"/{pk}/reports", {"year": 2026, "month": 1, "planned_wan": "1",
                                                               "completed_wan": "1"}),
                                   ("get", f"/{pk}/years/2026", None), ("get", f"/{pk}/nodes", None),
                                   ("post", f"/{pk}/nodes", {"name": "x", "due": "2026-12-01", "responsible": "x"}),
                                   ("post", f"/nodes/{node['id']}/done", {}), ("get", f"/{pk}/problems", None),
                                   ("post", f"/{pk}/problems", {"title": "x", "owner_id": w.dept_city.pk,
                                                                "deadline": "2026-12-31"})):
            assert j(method, path, data).status_code == 404, (other, method, path)
    login_verified(client, w.other_staff)
    assert j("post", "", body).status_code == 404  # the park is not among the regions they register in
    assert InvestmentReport.objects.filter(project_id=pk).count() == 10
    assert Project.objects.filter(pk=pk, name="氢能储运项目").exists()
    _ = dt
