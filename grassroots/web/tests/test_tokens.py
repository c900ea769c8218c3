import datetime as dt

from django.urls import reverse

from grassroots.core import clock
from grassroots.core.models import Event
from grassroots.people import tokens
from grassroots.people.models import ApiToken
from tests.support.world import scope_test


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_creating_a_token_shows_the_secret_once(client, world):
    client.force_login(world.grid_worker)
    response = client.post(reverse("tokens"), {"name": "巡查终端", "valid_days": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=world.grid_worker)
    page = response.content.decode()
    secret = page.split('<code class="secret">')[1].split("</code>")[0]
    assert secret.startswith("gr_" + token.prefix)
    assert token.key_hash != secret and secret not in token.key_hash
    assert secret not in client.get(reverse("tokens")).content.decode()
    assert Event.objects.filter(verb="api_token.create", actor=world.grid_worker).exists()


def test_a_token_needs_a_purpose(client, world):
    client.force_login(world.grid_worker)
    response = client.post(reverse("tokens"), {"name": "", "valid_days": "30"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


@scope_test("tokens")
def test_the_token_list_shows_only_ones_own_tokens(client, world):
    tokens.token_create(actor=world.grid_worker, name="我的终端")
    tokens.token_create(actor=world.community_staff, name="别人的终端")
    client.force_login(world.grid_worker)
    page = client.get(reverse("tokens")).content.decode()
    assert "我的终端" in page and "别人的终端" not in page
    assert "data-confirm" in page


@scope_test("token_revoke")
def test_revoking_someone_elses_token_is_not_found(client, world):
    other, _ = tokens.token_create(actor=world.community_staff, name="别人的终端")
    client.force_login(world.grid_worker)
    assert client.post(reverse("token_revoke", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_bearer_token_authenticates_api_calls_until_revoked(client, world):
    token, secret = tokens.token_create(actor=world.grid_worker, name="巡查终端")
    response = client.get("/api/core/me", **bearer(secret))
    assert response.status_code == 200 and response.json()["username"] == "grid1"
    token.refresh_from_db()
    assert token.last_used_at is not None
    client.force_login(world.grid_worker)
    assert client.get(reverse("tokens")).status_code == 200
    assert client.post(reverse("token_revoke", args=[token.pk])).status_code == 302
    client.logout()
    assert client.get("/api/core/me", **bearer(secret)).status_code == 401
    assert Event.objects.filter(verb="api_token.revoke", object_id=str(token.pk)).exists()


def test_an_expired_or_wrong_token_is_refused(client, world):
    _token, secret = tokens.token_create(actor=world.grid_worker, name="短期", valid_days=1)
    assert client.get("/api/core/me", **bearer(secret + "x")).status_code == 401
    assert client.get("/api/core/me", HTTP_AUTHORIZATION=secret).status_code == 401
    clock.shift(dt.timedelta(days=2))
    assert client.get("/api/core/me", **bearer(secret)).status_code == 401
