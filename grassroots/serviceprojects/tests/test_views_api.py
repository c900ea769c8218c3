import datetime as dt

import pytest
from django.urls import reverse

from grassroots.core import clock
from grassroots.links import services as links
from grassroots.serviceprojects import public, services
from grassroots.serviceprojects.models import ServiceProject, ServiceRating
from tests.support.world import login_verified, scope_test

from .conftest import project

pytestmark = pytest.mark.django_db


@scope_test("serviceprojects:list", "serviceprojects:create", "serviceprojects:detail", "serviceprojects:action",
            "serviceprojects:milestone_done", "serviceprojects:notice", "serviceprojects:export")
def test_a_project_through_the_pages_and_outsiders_find_it_missing(client, sp):
    login_verified(client, sp.secretary)
    today = clock.today()
    response = client.post(reverse("serviceprojects:create"), {
        "org": sp.p.g1.pk, "title": "楼道照明维修", "source": "grid_visit", "owner": "张伟",
        "start": today.isoformat(), "due": (today - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 200 and "计划办结日期不能早于开始日期" in response.content.decode()
    client.post(reverse("serviceprojects:create"), {
        "org": sp.p.g1.pk, "title": "楼道照明维修", "source": "grid_visit", "owner": "张伟", "hearts": "1",
        "start": today.isoformat(), "due": (today + dt.timedelta(days=3)).isoformat()})
    p = ServiceProject.objects.get(title="楼道照明维修")
    assert p.hearts
    act = lambda verb, data: client.post(reverse("serviceprojects:action", args=[p.pk, verb]), data)  # noqa: E731
    act("milestone", {"title": "采购灯具", "due_on": today.isoformat()})
    act("progress", {"progress": "50", "note": "灯具已到"})
    milestone = p.milestones.get()
    client.post(reverse("serviceprojects:milestone_done", args=[milestone.pk]))
    act("finish", {"result": "全部更换完毕"})
    p.refresh_from_db()
    assert p.status == "done"
    page = client.get(reverse("serviceprojects:list")).content.decode()
    assert "楼道照明维修" in page and "100.0%" in page
    pdf = client.get(reverse("serviceprojects:notice", args=[p.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("serviceprojects:export")).status_code == 200
    assert act("explode", {}).status_code == 404
    login_verified(client, sp.officer)  # the committee above sees it, and may not keep it
    assert client.get(reverse("serviceprojects:detail", args=[p.pk])).status_code == 200
    for other in (sp.stranger, sp.w.resident):
        login_verified(client, other)
        assert client.get(reverse("serviceprojects:detail", args=[p.pk])).status_code == 404
        assert act("cancel", {"reason": "x"}).status_code == 404
        assert client.get(reverse("serviceprojects:notice", args=[p.pk])).status_code == 404
        assert client.post(reverse("serviceprojects:milestone_done", args=[milestone.pk])).status_code == 404
        assert "楼道照明维修" not in client.get(reverse("serviceprojects:list")).content.decode()


def test_the_notice_qr_rates_once_per_phone_with_a_code_or_once_per_account(client, sp,
                                                                            django_capture_on_commit_callbacks):
    p = project(sp)
    p = services.project_progress(actor=sp.secretary, project=p, progress=30)
    url = links.path_of(links.link_issue(actor=sp.secretary, purpose=public.PURPOSE, target=p))
    page = client.get(url).content.decode()
    assert p.title in page and "获取验证码" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"step": "code", "phone": "13800138000"})
    code = _last_code()
    response = client.post(url, {"step": "rate", "phone": "13800138000", "code": "000000", "rating": "satisfied"})
    assert not ServiceRating.objects.exists()  # a wrong code rates nothing
    client.post(url, {"step": "rate", "phone": "13800138000", "code": code, "rating": "satisfied"})
    assert ServiceRating.objects.count() == 1
    clock.freeze(clock.now() + dt.timedelta(minutes=2))  # past the resend wait
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"step": "code", "phone": "13800138000"})
    response = client.post(url, {"step": "rate", "phone": "13800138000", "code": _last_code(), "rating": "unsatisfied"},
                           follow=True)
    assert "只能评价一次" in response.content.decode() and ServiceRating.objects.count() == 1
    login_verified(client, sp.w.resident)  # signed in: the account, no phone needed
    client.post(url, {"step": "rate", "rating": "basically"})
    client.post(url, {"step": "rate", "rating": "basically"})
    assert ServiceRating.objects.count() == 2
    links.link_revoke(actor=sp.secretary, link=links.resolve(url.strip("/").split("/")[-1])[0], reason="重印")
    assert client.get(url).status_code == 404


def _last_code() -> str:
    """The code the phone outbox (the test backend) received last."""
    import re

    from grassroots.core import notifications

    return re.search(r"(\d{6})", notifications.phone_outbox()[0].text).group(1)


@scope_test("party_service_project_list", "party_service_project_completion", "party_service_project_detail",
            "party_service_project_create", "party_service_project_progress", "party_service_project_milestone_add",
            "party_service_project_milestone_done", "party_service_project_finish", "party_service_project_cancel")
def test_the_api_keeps_projects_in_scope(client, sp):
    login_verified(client, sp.secretary)
    today = clock.today()
    r = client.post("/api/party/service-projects", {
        "org_id": sp.p.g1.pk, "title": "义诊", "source": "pledge", "owner": "王芳", "start": today.isoformat(),
        "due": (today + dt.timedelta(days=9)).isoformat()}, content_type="application/json")
    assert r.status_code == 201
    pk = r.json()["id"]
    r = client.post(f"/api/party/service-projects/{pk}/milestones", {"title": "联系医生", "due_on": today.isoformat()},
                    content_type="application/json")
    mid = r.json()["id"]
    assert client.post(f"/api/party/service-projects/{pk}/progress", {"progress": 20},
                       content_type="application/json").json()["status"] == "in_progress"
    assert client.post(f"/api/party/service-projects/{pk}/finish", {"result": "完成"},
                       content_type="application/json").status_code == 400  # the milestone is open
    assert client.post(f"/api/party/service-projects/milestones/{mid}/done").json()["done_on"]
    assert client.post(f"/api/party/service-projects/{pk}/finish", {"result": "完成"},
                       content_type="application/json").json()["status"] == "done"
    assert client.get("/api/party/service-projects/completion").json()[0]["rate"] == 100.0
    other = project(sp, title="另一个")
    login_verified(client, sp.stranger)
    assert client.get("/api/party/service-projects").json()["count"] == 0
    assert client.get("/api/party/service-projects/completion").json() == []
    assert client.get(f"/api/party/service-projects/{pk}").status_code == 404
    for path, body in ((f"{other.pk}/progress", {"progress": 1}), (f"{other.pk}/cancel", {"reason": "x"}),
                       (f"{other.pk}/finish", {"result": "x"}), (f"{other.pk}/milestones",
                                                                 {"title": "x", "due_on": today.isoformat()}),
                       (f"milestones/{mid}/done", {})):
        assert client.post(f"/api/party/service-projects/{path}", body,
                           content_type="application/json").status_code == 404
    assert client.post("/api/party/service-projects", {
        "org_id": sp.p.g1.pk, "title": "x", "source": "pledge", "owner": "x", "start": today.isoformat(),
        "due": today.isoformat()}, content_type="application/json").status_code == 404
