import pytest
from django.urls import reverse

from grassroots.core.models import Event
from grassroots.people.models import Post
from tests.support.world import login_verified, make_user

from .factories import person

pytestmark = pytest.mark.django_db


def test_admin_lists_accounts_posts_and_organisations(client, world):
    login_verified(client, world.admin)
    for name in ("people_user_changelist", "people_post_changelist", "people_organization_changelist"):
        assert client.get(reverse(f"admin:{name}")).status_code == 200


def test_account_page_shows_no_personal_numbers(client, world):
    p = person(world, phone="13812345678")
    linked = make_user("linked", person=p)
    login_verified(client, world.admin)
    page = client.get(reverse("admin:people_user_change", args=[linked.pk])).content.decode()
    assert "13812345678" not in page and p.id_number not in page and "138****" not in page


def test_admin_post_creation_follows_the_post_rules_and_is_audited(client, world):
    newcomer = make_user("newcomer")
    login_verified(client, world.admin)
    url = reverse("admin:people_post_add")
    wrong = client.post(url, {"user": newcomer.pk, "role": "grid_worker", "region": world.c1.pk,
                              "start_date": "2026-01-01", "title": ""})
    assert wrong.status_code == 200 and not Post.objects.filter(user=newcomer).exists()
    ok = client.post(url, {"user": newcomer.pk, "role": "grid_worker", "region": world.g1.pk,
                           "start_date": "2026-01-01", "title": "专职网格员"})
    assert ok.status_code == 302
    post = Post.objects.get(user=newcomer)
    assert Event.objects.filter(verb="post.create", object_id=str(post.pk)).exists()


def test_organisation_admin_checks_the_credit_code(client, world):
    login_verified(client, world.admin)
    response = client.post(reverse("admin:people_organization_add"),
                           {"name": "某公司", "kind": "enterprise", "credit_code": "123", "active": "on"})
    assert response.status_code == 200 and "统一社会信用代码" in response.content.decode()
