"""Catalogue staff (posts at the zone) keep an item's everyday names and keywords, on the page, through the API
and in the admin; everyone else may read them but not change them."""

import pytest
from django.urls import reverse

from grassroots.core.errors import NotPermitted, ValidationFailed
from grassroots.core.models import Event
from grassroots.lifecircle import selectors, services
from grassroots.lifecircle.models import ServiceItem
from tests.support.world import issue_token, login_verified, scope_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(world):
    return ServiceItem.objects.create(code="370571-RS-0001", name="社会保障卡补换", item_type="public_service",
                                      competent_department="人力资源部", implementing_body="社区党群服务中心")


def test_zone_staff_set_words_that_the_finder_then_finds(world, item):
    assert list(selectors.service_items(actor=None, q="医保卡丢了")) == []
    services.service_item_set_words(actor=world.zone_leader, item=item, aliases="社保卡补办\n医保卡补办",
                                    keywords=["丢了", "补卡"])
    item.refresh_from_db()
    assert item.aliases == "社保卡补办\n医保卡补办" and item.keywords == "丢了\n补卡"
    assert [i.pk for i in selectors.service_items(actor=None, q="医保卡丢了")] == [item.pk]
    event = Event.objects.get(verb="service_item.words")
    assert event.actor_id == world.zone_leader.pk and event.payload["aliases"] == ["社保卡补办", "医保卡补办"]


@pytest.mark.parametrize("who", ["community_staff", "subdistrict_officer", "grid_worker", "resident",
                                 "department_handler", "admin"])
def test_only_staff_at_the_zone_may_set_words(world, item, who):
    with pytest.raises(NotPermitted):
        services.service_item_set_words(actor=getattr(world, who), item=item, aliases="社保卡", keywords="")
    item.refresh_from_db()
    assert item.aliases == "" and not Event.objects.filter(verb="service_item.words").exists()


def test_bad_words_write_nothing(world, item):
    with pytest.raises(ValidationFailed) as err:
        services.service_item_set_words(actor=world.zone_leader, item=item, aliases="社保卡", keywords="长" * 31)
    assert err.value.field == "keywords"
    item.refresh_from_db()
    assert item.aliases == "" and not Event.objects.filter(verb="service_item.words").exists()


@scope_test("lifecircle:item_words")
def test_the_words_page_is_for_zone_staff_only(client, world, item):
    url = reverse("lifecircle:item_words", args=[item.pk])
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    client.force_login(world.community_staff)
    assert client.get(url).status_code == 403
    assert client.post(url, {"aliases": "社保卡补办"}).status_code == 403
    assert "编辑俗称和关键词" not in client.get(reverse("lifecircle:item_detail", args=[item.pk])).content.decode()
    login_verified(client, world.zone_leader)
    assert client.get(reverse("lifecircle:item_words", args=[999999])).status_code == 404
    assert "编辑俗称和关键词" in client.get(reverse("lifecircle:item_detail", args=[item.pk])).content.decode()
    response = client.post(url, {"aliases": "社保卡补办\n补办社保卡", "keywords": "丢了、补卡"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.aliases == "社保卡补办\n补办社保卡" and item.keywords == "丢了\n补卡"
    page = client.get(reverse("lifecircle:item_detail", args=[item.pk])).content.decode()
    assert "补办社保卡" in page
    page = client.post(url, {"aliases": "长" * 31, "keywords": ""}).content.decode()
    assert "超过 30 个字" in page
    item.refresh_from_db()
    assert item.aliases == "社保卡补办\n补办社保卡"


@scope_test("lifecircle_item_words")
def test_the_words_api_is_for_zone_staff_only(client, world, item):
    url = f"/api/lifecircle/items/{item.pk}/words"
    body = {"aliases": ["社保卡补办"], "keywords": ["丢了"]}
    assert client.put(url, body, content_type="application/json").status_code == 401

    def put(user, target=url, data=body):
        return client.put(target, data, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}")

    assert put(world.community_staff).status_code == 403
    assert put(world.resident).status_code == 403
    assert put(world.zone_leader, target="/api/lifecircle/items/999999/words").status_code == 404
    response = put(world.zone_leader)
    assert response.status_code == 200 and response.json()["aliases"] == ["社保卡补办"]
    bad = put(world.zone_leader, data={"aliases": ["长" * 31], "keywords": []})
    assert bad.status_code == 400 and bad.json()["field"] == "aliases"
    item.refresh_from_db()
    assert item.aliases == "社保卡补办" and item.keywords == "丢了"


def test_the_admin_cleans_words_like_the_page(client, world, item):
    from grassroots.lifecircle.admin import ServiceItemAdminForm

    data = {f: getattr(item, f) for f in ServiceItemAdminForm._meta.fields}
    data.update(legal_basis="[]", materials="[]", steps="[]", legal_days="", promised_days="",
                aliases="社保卡补办, 补办社保卡,社保卡补办", keywords="丢了")
    form = ServiceItemAdminForm(data, instance=item)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["aliases"] == "社保卡补办\n补办社保卡"
    form = ServiceItemAdminForm({**data, "aliases": "长" * 31}, instance=item)
    assert not form.is_valid() and "aliases" in form.errors
