"""The signed links' API: staff issue, list and revoke the links of an object they may issue links for; anyone else
finds nothing (404), as the page does."""

import json

import pytest

from grassroots.links import services
from grassroots.links.models import SignedLink
from grassroots.rectification.public import PURPOSE
from tests.support.world import login_verified, scope_test

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@scope_test("links_list", "links_issue", "links_revoke")
def test_staff_issue_list_and_revoke_links_of_objects_in_their_scope_and_others_find_nothing(client, ledger_world):
    w = ledger_world
    item = w.dept_item
    login_verified(client, w.zone_leader)
    first = post(client, "/api/links/links", {"purpose": PURPOSE, "target_id": item.pk})
    assert first.status_code == 201
    body = first.json()
    assert body["version"] == 1 and body["valid"] and body["path"] == f"/s/{body['address']}/"
    again = post(client, "/api/links/links", {"purpose": PURPOSE, "target_id": item.pk})
    assert again.status_code == 200 and again.json()["id"] == body["id"]  # the current link, not a new one
    v2 = post(client, "/api/links/links", {"purpose": PURPOSE, "target_id": item.pk, "new_version": True,
                                           "days": 30})
    assert v2.status_code == 201 and v2.json()["version"] == 2
    listed = client.get(f"/api/links/links?purpose={PURPOSE}&target_id={item.pk}").json()
    assert [x["version"] for x in listed] == [2, 1]
    bad = post(client, "/api/links/links", {"purpose": PURPOSE, "target_id": item.pk, "days": 0,
                                            "new_version": True})
    assert bad.status_code == 400 and bad.json()["field"] == "days"
    assert post(client, "/api/links/links", {"purpose": "no.such", "target_id": item.pk}).status_code == 404
    assert post(client, "/api/links/links", {"purpose": PURPOSE, "target_id": 999999}).status_code == 404

    # outside the scope: the object and its links are not found, and nothing is written or revoked
    for outsider in (w.other_staff, w.resident3):
        login_verified(client, outsider)
        assert client.get(f"/api/links/links?purpose={PURPOSE}&target_id={item.pk}").status_code == 404
        assert post(client, "/api/links/links", {"purpose": PURPOSE, "target_id": item.pk}).status_code == 404
        assert post(client, f"/api/links/links/{body['id']}/revoke", {"reason": "x"}).status_code == 404
    assert SignedLink.objects.count() == 2 and not SignedLink.objects.filter(revoked_at__isnull=False).exists()
    client.logout()
    assert client.get(f"/api/links/links?purpose={PURPOSE}&target_id={item.pk}").status_code == 401

    login_verified(client, w.zone_leader)
    revoked = post(client, f"/api/links/links/{body['id']}/revoke", {"reason": "换发新版"})
    assert revoked.status_code == 200 and not revoked.json()["valid"] and revoked.json()["revoked_reason"] == "换发新版"
    assert client.get(f"/s/{body['address']}/").status_code == 404
    link, target = services.resolve(v2.json()["address"], purpose=PURPOSE)  # the other version still opens
    assert target == item
