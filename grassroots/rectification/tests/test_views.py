import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.rectification.models import Item
from tests.support.world import login_verified, scope_test

pytestmark = pytest.mark.django_db


def get(client, user, name, *args, query=""):
    login_verified(client, user)
    return client.get(reverse(f"rectification:{name}", args=args) + query)


@scope_test("rectification:items", "rectification:counts", "rectification:export")
def test_the_ledger_its_counts_and_export_show_only_items_in_scope(client, ledger_world):
    w = ledger_world
    body = get(client, w.community_staff, "items").content.decode()
    assert "楼道堆物" in body and "占道经营" not in body and "安全培训" not in body
    body = get(client, w.zone_leader, "items", query="?source=audit").content.decode()
    assert "安全培训台账缺失" in body and "楼道堆物" not in body
    counts = get(client, w.zone_leader, "counts", query="?year=2026").content.decode()
    assert "城市管理局" in counts and "国瓷材料有限公司" in counts
    assert "城市管理局" not in get(client, w.community_staff, "counts").content.decode()
    rows = list(load_workbook(io.BytesIO(get(client, w.enterprise_contact, "export").content)).active
                .iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["安全培训台账缺失"]
    assert "楼道堆物" not in get(client, w.other_staff, "items").content.decode()
    assert get(client, w.other_staff, "items", query="?year=abc&owner=x&quarter=9").status_code == 200


@scope_test("rectification:item_detail", "rectification:item_action", "rectification:measures_set",
            "rectification:milestone_add", "rectification:milestone_done", "rectification:evidence_add")
def test_the_item_page_and_its_actions_are_404_outside_scope(client, ledger_world):
    w = ledger_world
    pk = w.c1_item.pk
    login_verified(client, w.community_staff)
    assert "开始整改" in client.get(reverse("rectification:item_detail", args=[pk])).content.decode()
    client.post(reverse("rectification:item_action", args=[pk, "start"]))
    client.post(reverse("rectification:measures_set", args=[pk]), {"measures": "清理楼道"})
    client.post(reverse("rectification:milestone_add", args=[pk]), {"title": "通知住户", "due_on": "2026-11-20"})
    m = Item.objects.get(pk=pk).milestones.get()
    client.post(reverse("rectification:milestone_done", args=[pk, m.pk]))
    upload = SimpleUploadedFile("整改前后.pdf", b"%PDF-1.4\n%x\n", content_type="application/pdf")
    client.post(reverse("rectification:evidence_add", args=[pk]), {"file": upload})
    client.post(reverse("rectification:item_action", args=[pk, "submit"]))
    r = client.post(reverse("rectification:item_action", args=[pk, "verify"]), follow=True)
    assert "不能验收" in r.content.decode()
    item = Item.objects.get(pk=pk)
    assert item.status == "submitted" and item.measures == "清理楼道" and item.milestones.get().done_on
    login_verified(client, w.other_staff)
    for name, args in (("item_detail", [pk]), ("item_action", [pk, "verify"]), ("measures_set", [pk]),
                       ("milestone_add", [pk]), ("milestone_done", [pk, m.pk]), ("evidence_add", [pk])):
        url = reverse(f"rectification:{name}", args=args)
        assert (client.get(url) if name == "item_detail" else client.post(url, {})).status_code == 404
    login_verified(client, w.subdistrict_officer)
    client.post(reverse("rectification:item_action", args=[pk, "verify"]))
    assert Item.objects.get(pk=pk).status == "closed"


@scope_test("rectification:item_create")
def test_staff_raise_items_on_the_page_within_their_region(client, ledger_world):
    w = ledger_world
    login_verified(client, w.subdistrict_officer)
    client.post(reverse("rectification:item_create"), {"title": "垃圾分类不规范", "source": "inspection",
                                                      "owner": w.org_c1.pk, "deadline": "2026-12-15",
                                                      "case_id": "42"})
    item = Item.objects.get(title="垃圾分类不规范")
    assert item.case_id == 42 and item.region == w.c1
    login_verified(client, w.other_staff)  # the organisation is not theirs to see: nothing is written
    client.post(reverse("rectification:item_create"), {"title": "越权", "source": "inspection", "owner": w.org_c1.pk,
                                                      "deadline": "2026-12-15"})
    assert not Item.objects.filter(title="越权").exists()


@scope_test("rectification_item_list", "rectification_counts", "rectification_item_detail",
            "rectification_item_create", "rectification_item_move")
def test_the_api_follows_the_same_scope_and_rules(client, ledger_world):
    w = ledger_world
    login_verified(client, w.department_handler)
    assert [i["title"] for i in client.get("/api/rectification/items").json()["items"]] == ["占道经营整治不到位"]
    assert client.get(f"/api/rectification/items/{w.c1_item.pk}").status_code == 404
    assert client.get("/api/rectification/counts?year=2026").json()[0]["owner_name"] == "城市管理局"

    def post(url, body):
        return client.post(url, json.dumps(body), content_type="application/json")

    assert post(f"/api/rectification/items/{w.dept_item.pk}/start", {}).json()["status"] == "in_rectification"
    assert post(f"/api/rectification/items/{w.dept_item.pk}/submit", {"measures": "完成"}).status_code == 200
    refused = post(f"/api/rectification/items/{w.dept_item.pk}/verify", {})
    assert refused.status_code == 403 and refused.json()["code"] == "owner_cannot_verify"
    assert post(f"/api/rectification/items/{w.c1_item.pk}/start", {}).status_code == 404
    assert post("/api/rectification/items/", {}).status_code in (400, 404, 405)
    login_verified(client, w.zone_leader)
    assert post(f"/api/rectification/items/{w.dept_item.pk}/verify", {}).json()["status"] == "closed"
    created = post("/api/rectification/items", {"title": "窗口服务超时", "source": "mass_opinion",
                                               "owner_id": w.dept_housing.pk, "deadline": "2026-12-20"})
    assert created.status_code == 201 and created.json()["region_code"] == w.zone.code
    bad = post("/api/rectification/items", {"title": "x", "source": "inspection", "owner_id": w.dept_housing.pk,
                                           "deadline": "2020-01-01"})
    assert bad.status_code == 400 and bad.json()["field"] == "deadline"
    login_verified(client, w.other_staff)
    assert post("/api/rectification/items", {"title": "x", "source": "inspection", "owner_id": w.org_c1.pk,
                                             "deadline": "2026-12-20"}).status_code == 404
    assert client.get("/api/rectification/items").json()["count"] == 0


@scope_test("rectification_measures_set", "rectification_milestone_list", "rectification_milestone_add",
            "rectification_milestone_done")
def test_the_api_records_measures_and_milestones_on_the_owner_side_only(client, ledger_world):
    w = ledger_world
    pk = w.dept_item.pk

    def send(method, url, body=None):
        return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")

    login_verified(client, w.department_handler)
    assert send("put", f"/api/rectification/items/{pk}/measures", {"measures": "清理占道摊点"}).json()["measures"] \
        == "清理占道摊点"
    made = send("post", f"/api/rectification/items/{pk}/milestones", {"title": "约谈商户", "due_on": "2026-12-10"})
    assert made.status_code == 201 and made.json()["done_on"] is None
    mid = made.json()["id"]
    assert send("post", f"/api/rectification/items/{pk}/milestones/{mid}/done").json()["done_on"]
    assert [m["title"] for m in client.get(f"/api/rectification/items/{pk}/milestones").json()] == ["约谈商户"]
    assert send("post", f"/api/rectification/items/{pk}/milestones", {"title": "", "due_on": "2026-12-10"}) \
        .status_code == 400
    login_verified(client, w.other_staff)
    assert client.get(f"/api/rectification/items/{pk}/milestones").status_code == 404
    assert send("put", f"/api/rectification/items/{pk}/measures", {"measures": "x"}).status_code == 404
    assert send("post", f"/api/rectification/items/{pk}/milestones", {"title": "x", "due_on": "2026-12-10"}) \
        .status_code == 404
    assert send("post", f"/api/rectification/items/{pk}/milestones/{mid}/done").status_code == 404
    assert Item.objects.get(pk=pk).measures == "清理占道摊点"
