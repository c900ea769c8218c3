import pytest
from django.urls import reverse

from grassroots.partybrands import services
from grassroots.partybrands.models import Brand
from tests.support.world import login_verified, scope_test

from .conftest import full_brand, png

pytestmark = pytest.mark.django_db


@scope_test("partybrands:list", "partybrands:create", "partybrands:detail", "partybrands:edit",
            "partybrands:action", "partybrands:matrix", "partybrands:export")
def test_a_brand_through_the_pages_from_draft_to_the_matrix(client, b):
    login_verified(client, b.secretary)
    page = client.get(reverse("partybrands:create")).content.decode()
    assert "五有" in page and b.p.g1.name in page
    response = client.post(reverse("partybrands:create"), {"org": b.p.g1.pk, "sector": "community", "name": ""})
    assert response.status_code == 200 and "请填写品牌名称" in response.content.decode()
    response = client.post(reverse("partybrands:create"), {
        "org": b.p.g1.pk, "sector": "community", "name": "先锋网格", "connotation": "内涵", "carriers": "载体",
        "results": "成效", "logo": png()})
    brand = Brand.objects.get(name="先锋网格")
    assert response.status_code == 302 and brand.logo_id
    detail = reverse("partybrands:detail", args=[brand.pk])
    client.post(reverse("partybrands:edit", args=[brand.pk]), {"results": "成效：居民满意度 98%"})
    client.post(reverse("partybrands:action", args=[brand.pk, "apply"]))
    brand.refresh_from_db()
    assert brand.status == "applied" and brand.results == "成效：居民满意度 98%"
    login_verified(client, b.officer)
    page = client.get(detail).content.decode()
    assert "组织评审" in page and b.reviewers[0].username in page
    client.post(reverse("partybrands:action", args=[brand.pk, "open"]), {"reviewers": [u.pk for u in b.reviewers]})
    for u in b.reviewers:
        login_verified(client, u)
        assert "提交评审意见" in client.get(detail).content.decode()  # a reviewer sees the brand they review
        client.post(reverse("partybrands:action", args=[brand.pk, "review"]), {"score": "90", "opinion": "好"})
    login_verified(client, b.officer)
    client.post(reverse("partybrands:action", args=[brand.pk, "rate"]), {"level": "demonstration"})
    brand.refresh_from_db()
    assert brand.status == "rated"
    matrix = client.get(reverse("partybrands:matrix")).content.decode()
    assert "先锋网格" in matrix and "示范品牌" in matrix
    assert client.get(reverse("partybrands:export")).status_code == 200
    assert client.post(reverse("partybrands:action", args=[brand.pk, "explode"])).status_code == 404
    # outside: another branch's secretary and a resident see nothing of it
    for other in (b.stranger, b.w.resident):
        login_verified(client, other)
        assert client.get(detail).status_code == 404
        assert client.post(reverse("partybrands:edit", args=[brand.pk]), {"name": "x"}).status_code == 404
        assert client.post(reverse("partybrands:action", args=[brand.pk, "revoke"]),
                           {"reason": "x"}).status_code == 404
        assert "先锋网格" not in client.get(reverse("partybrands:list")).content.decode()
        assert "先锋网格" not in client.get(reverse("partybrands:matrix")).content.decode()
    login_verified(client, b.w.resident)
    assert client.get(reverse("partybrands:create")).status_code == 404


@scope_test("party_brand_list", "party_brand_detail", "party_brand_reviews", "party_brand_create",
            "party_brand_update", "party_brand_logo", "party_brand_apply", "party_brand_review_open",
            "party_brand_review", "party_brand_return", "party_brand_rate", "party_brand_revoke")
def test_the_brand_api_runs_the_same_steps_in_scope(client, b):
    login_verified(client, b.secretary)
    r = client.post("/api/party/brands", {"org_id": b.p.g1.pk, "sector": "community", "name": "先锋网格",
                                          "connotation": "内涵", "carriers": "载体", "results": "成效"},
                    content_type="application/json")
    assert r.status_code == 201
    pk = r.json()["id"]
    r = client.post(f"/api/party/brands/{pk}/apply")
    assert r.status_code == 400 and r.json()["field"] == "logo"
    assert client.post(f"/api/party/brands/{pk}/logo", {"logo": png()}).json()["has_logo"] is True
    assert client.patch(f"/api/party/brands/{pk}", {"results": "更多成效"},
                        content_type="application/json").json()["results"] == "更多成效"
    assert client.post(f"/api/party/brands/{pk}/apply").json()["status"] == "applied"
    # outsiders: 404 for every operation on the brand
    login_verified(client, b.stranger)
    assert client.get("/api/party/brands").json()["count"] == 0
    assert client.get(f"/api/party/brands/{pk}").status_code == 404
    assert client.get(f"/api/party/brands/{pk}/reviews").status_code == 404
    assert client.patch(f"/api/party/brands/{pk}", {"name": "x"}, content_type="application/json").status_code == 404
    assert client.post(f"/api/party/brands/{pk}/logo", {"logo": png()}).status_code == 404
    assert client.post(f"/api/party/brands/{pk}/apply").status_code == 404
    for verb, body in (("review-open", {"reviewer_ids": [1]}), ("review", {"score": 90, "opinion": "x"}),
                       ("return", {"reason": "x"}), ("rate", {"level": "demonstration"}),
                       ("revoke", {"reason": "x"})):
        assert client.post(f"/api/party/brands/{pk}/{verb}", body,
                           content_type="application/json").status_code == 404
    assert client.post("/api/party/brands", {"org_id": b.p.g1.pk, "sector": "community", "name": "y"},
                       content_type="application/json").status_code == 404
    # the committee above opens the review, the reviewers give their opinions, it returns, reopens and rates
    login_verified(client, b.officer)
    ids = [u.pk for u in b.reviewers]
    r = client.post(f"/api/party/brands/{pk}/return", {"reason": "补充材料"}, content_type="application/json")
    assert r.json()["status"] == "draft"
    brand = Brand.objects.get(pk=pk)
    services.brand_apply(actor=b.secretary, brand=brand)
    r = client.post(f"/api/party/brands/{pk}/review-open", {"reviewer_ids": ids}, content_type="application/json")
    assert r.json()["status"] == "reviewing"
    for u in b.reviewers:
        login_verified(client, u)
        r = client.post(f"/api/party/brands/{pk}/review", {"score": 91, "opinion": "好"},
                        content_type="application/json")
        assert r.status_code == 200 and r.json()["score"] == 91
    login_verified(client, b.officer)
    assert len(client.get(f"/api/party/brands/{pk}/reviews").json()) == 3
    r = client.post(f"/api/party/brands/{pk}/rate", {"level": "cultivation"}, content_type="application/json")
    assert r.json()["level"] == "cultivation"
    r = client.post(f"/api/party/brands/{pk}/revoke", {"reason": "不再符合"}, content_type="application/json")
    assert r.json()["status"] == "revoked"


def test_the_workbench_counts_equal_their_lists(client, b):
    from grassroots.core import clock
    from grassroots.core.scope import scope_for
    from grassroots.partybrands import workbench

    brand = full_brand(b)
    services.brand_apply(actor=b.secretary, brand=brand)
    other = full_brand(b, name="第二个品牌")
    services.brand_apply(actor=b.secretary, brand=other)
    services.brand_review_open(actor=b.officer, brand=other, reviewer_ids=[u.pk for u in b.reviewers])
    tallies = {t.key: t for t in workbench.tallies(b.officer, scope_for(b.officer), clock.now())}
    assert tallies["partybrands.to_rate"].count == 2
    login_verified(client, b.officer)
    page = client.get(tallies["partybrands.to_rate"].url).content.decode()
    assert "先锋网格" in page and "第二个品牌" in page
    mine = {t.key: t for t in workbench.tallies(b.reviewers[0], scope_for(b.reviewers[0]), clock.now())}
    assert mine["partybrands.to_review"].count == 1
    login_verified(client, b.reviewers[0])
    page = client.get(mine["partybrands.to_review"].url).content.decode()
    assert "第二个品牌" in page and "先锋网格" not in page
    assert {t.key: t for t in workbench.tallies(b.stranger, scope_for(b.stranger), clock.now())}[
        "partybrands.to_review"].count == 0
