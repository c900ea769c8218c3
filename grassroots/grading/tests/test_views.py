import json

import pytest
from django.urls import reverse

from grassroots.grading.models import Assessment, Scheme
from tests.support.world import login_verified, scope_test

pytestmark = pytest.mark.django_db


def page(client, user, name, *args):
    login_verified(client, user)
    return client.get(reverse(f"grading:{name}", args=args))


@scope_test("grading:schemes", "grading:scheme_detail", "grading:results", "grading:results_export")
def test_schemes_and_results_show_to_the_manager_and_to_those_who_see_a_target(client, grading_world):
    w = grading_world
    s = w.scheme.pk
    assert "社区工作考核" in page(client, w.zone_leader, "schemes").content.decode()
    r = page(client, w.community_staff, "results", s)
    assert r.status_code == 200 and "安泰社区居委会" in r.content.decode() and "银河社区居委会" not in r.content.decode()
    assert page(client, w.community_staff, "scheme_detail", s).status_code == 200
    assert page(client, w.zone_leader, "results_export", s)["Content-Type"].startswith("application/vnd.openxml")
    for user in (w.department_handler, w.resident, w.auditor):  # they see no target of the scheme
        assert "社区工作考核" not in page(client, user, "schemes").content.decode()
        for name in ("scheme_detail", "results", "results_export"):
            assert page(client, user, name, s).status_code == 404


@scope_test("grading:assessment_detail", "grading:evidence_add")
def test_the_entry_form_saves_values_and_evidence_and_is_404_out_of_scope(client, grading_world):
    w = grading_world
    login_verified(client, w.community_staff)
    url = reverse("grading:assessment_detail", args=[w.a1.pk])
    body = client.get(url).content.decode()
    assert f'name="value_{w.meetings.pk}"' in body and f'name="value_{w.basic.pk}"' not in body
    client.post(url, {f"value_{w.meetings.pk}": "1", f"note_{w.meetings.pk}": "每月召开"})
    a1 = Assessment.objects.get(pk=w.a1.pk)
    assert a1.total_score == 30
    r = client.post(url, {f"value_{w.survey.pk}": "101"}, follow=True)
    assert "0–100" in r.content.decode() or "0-100" in r.content.decode() or "100" in r.content.decode()
    assert Assessment.objects.get(pk=w.a1.pk).total_score == 30
    entry = a1.entries.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("记录.pdf", b"%PDF-1.4\n%x\n", content_type="application/pdf")
    client.post(reverse("grading:evidence_add", args=[w.a1.pk, entry.pk]), {"file": upload})
    from grassroots.core.models import Attachment

    assert Attachment.objects.filter(object_type="grading.entry", object_id=str(entry.pk)).count() == 1
    login_verified(client, w.other_staff)
    assert client.get(url).status_code == 404
    assert client.post(url, {f"value_{w.meetings.pk}": "0"}).status_code == 404
    assert client.post(reverse("grading:evidence_add", args=[w.a1.pk, entry.pk])).status_code == 404
    assert Assessment.objects.get(pk=w.a1.pk).total_score == 30


@scope_test("grading:scheme_create", "grading:indicator_add", "grading:band_set", "grading:assessment_add",
            "grading:scheme_move", "grading:scheme_limits")
def test_managers_build_a_scheme_through_the_pages_and_others_are_refused(client, grading_world):
    w = grading_world
    login_verified(client, w.zone_leader)
    client.post(reverse("grading:scheme_create"), {"name": "党建考核", "year": "2026", "target_type": "organization",
                                                   "region": w.zone.code})
    s = Scheme.objects.get(name="党建考核")
    client.post(reverse("grading:indicator_add", args=[s.pk]), {"code": "1", "name": "组织生活", "method": "checked",
                                                               "max_score": "100", "kind": "standard"})
    client.post(reverse("grading:band_set", args=[s.pk]), {"code": "ok", "name": "达标", "min_score": "76"})
    client.post(reverse("grading:assessment_add", args=[s.pk]), {"target_id": w.org_c1.pk})
    band = s.bands.get()
    client.post(reverse("grading:scheme_limits", args=[s.pk]), {"bonus_limit": "5", "deduction_limit": "",
                                                              "veto_grade": band.pk})
    client.post(reverse("grading:scheme_move", args=[s.pk, "open"]))
    s.refresh_from_db()
    assert s.veto_grade == band and s.bonus_limit == 5 and s.deduction_limit is None
    assert s.status == "open" and s.indicators.count() == 1 and s.bands.count() == 1 and s.assessments.count() == 1
    login_verified(client, w.community_staff)  # sees the scheme (a target is theirs) but may not manage it
    client.post(reverse("grading:scheme_move", args=[s.pk, "close"]))
    s.refresh_from_db()
    assert s.status == "open"
    login_verified(client, w.other_staff)  # sees nothing of it
    for name, args in (("indicator_add", [s.pk]), ("band_set", [s.pk]), ("assessment_add", [s.pk]),
                       ("scheme_move", [s.pk, "close"]), ("scheme_limits", [s.pk])):
        assert client.post(reverse(f"grading:{name}", args=args), {}).status_code == 404
    client.post(reverse("grading:scheme_create"), {"name": "越权", "year": "2026", "target_type": "organization",
                                                   "region": w.zone.code})
    assert not Scheme.objects.filter(name="越权").exists()


@scope_test("grading_scheme_list", "grading_scheme_detail", "grading_results", "grading_assessment_detail",
            "grading_entries_record")
def test_api_reads_and_entries_follow_the_same_scope(client, grading_world):
    w = grading_world
    login_verified(client, w.community_staff)
    assert client.get("/api/grading/schemes").json()["count"] == 1
    assert client.get(f"/api/grading/schemes/{w.scheme.pk}").json()["indicators"][0]["code"] == "1"
    r = client.post(f"/api/grading/assessments/{w.a1.pk}/entries", json.dumps(
        {"entries": [{"indicator_id": w.meetings.pk, "value": 1}]}), content_type="application/json")
    assert r.status_code == 200, r.content
    results = client.get(f"/api/grading/schemes/{w.scheme.pk}/results").json()["items"]
    assert [(x["target_label"], x["total_score"]) for x in results] == [("安泰社区居委会", "30.00")]
    assert client.get(f"/api/grading/assessments/{w.a3.pk}").status_code == 404
    bad = client.post(f"/api/grading/assessments/{w.a1.pk}/entries", json.dumps(
        {"entries": [{"indicator_id": w.meetings.pk, "value": 3}]}), content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == f"value_{w.meetings.pk}"
    login_verified(client, w.department_handler)
    assert client.get("/api/grading/schemes").json()["count"] == 0
    for url in (f"/api/grading/schemes/{w.scheme.pk}", f"/api/grading/schemes/{w.scheme.pk}/results",
                f"/api/grading/assessments/{w.a1.pk}"):
        assert client.get(url).status_code == 404
    assert client.post(f"/api/grading/assessments/{w.a1.pk}/entries", json.dumps({"entries": []}),
                       content_type="application/json").status_code == 404


@scope_test("grading_scheme_create", "grading_indicator_add", "grading_band_set", "grading_scheme_open",
            "grading_scheme_close", "grading_assessment_add", "grading_scheme_limits", "grading_scheme_reopen")
def test_api_builds_a_scheme_for_managers_only(client, grading_world):
    w = grading_world
    login_verified(client, w.zone_leader)

    def post(url, body=None):
        return client.post(url, json.dumps(body or {}), content_type="application/json")

    r = post("/api/grading/schemes", {"name": "述职评议", "year": 2026, "target_type": "organization",
                                      "region_code": w.zone.code})
    assert r.status_code == 201, r.content
    s = r.json()["id"]
    assert post(f"/api/grading/schemes/{s}/indicators", {"code": "1", "name": "述职", "method": "survey",
                                                         "max_score": 100}).status_code == 201
    band = post(f"/api/grading/schemes/{s}/bands", {"code": "good", "name": "好", "min_score": 90})
    assert band.status_code == 200
    limits = post(f"/api/grading/schemes/{s}/limits", {"bonus_limit": 2, "veto_grade_id": band.json()["id"]})
    assert limits.json()["veto_grade_id"] == band.json()["id"] and limits.json()["bonus_limit"] == "2.00"
    assert post(f"/api/grading/schemes/{s}/limits", {"veto_grade_id": 999999}).status_code == 404
    assert post(f"/api/grading/schemes/{s}/assessments", {"target_id": w.org_c3.pk}).status_code == 201
    assert post(f"/api/grading/schemes/{s}/open").json()["status"] == "open"
    login_verified(client, w.other_staff)  # sees the scheme (its target) but may not manage it
    assert post(f"/api/grading/schemes/{s}/close").status_code == 403
    login_verified(client, w.community_staff)  # sees nothing of it
    for url, body in ((f"/api/grading/schemes/{s}/indicators", {"code": "2", "name": "x", "method": "checked",
                                                                "max_score": 1}),
                      (f"/api/grading/schemes/{s}/bands", {"code": "x", "name": "x", "min_score": 1}),
                      (f"/api/grading/schemes/{s}/assessments", {"target_id": w.org_c1.pk}),
                      (f"/api/grading/schemes/{s}/close", None), (f"/api/grading/schemes/{s}/limits", {}),
                      (f"/api/grading/schemes/{s}/reopen", None)):
        assert post(url, body).status_code == 404
    assert post("/api/grading/schemes", {"name": "越权", "year": 2026, "target_type": "organization",
                                         "region_code": w.zone.code}).status_code == 403
    login_verified(client, w.zone_leader)
    assert post(f"/api/grading/schemes/{s}/reopen").status_code == 409  # open: nothing to reopen
    assert post(f"/api/grading/schemes/{s}/close").json()["status"] == "closed"
    assert post(f"/api/grading/schemes/{s}/reopen").json()["status"] == "open"
