"""Signed links, tested with the rectification notice as the registered purpose (the links app itself knows none)."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from grassroots.core import clock
from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed
from grassroots.links import purposes, services
from grassroots.links.models import SignedLink
from grassroots.rectification.public import PURPOSE
from tests.support.world import login_verified, scope_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(ledger_world):
    w = ledger_world
    w.link = services.link_issue(actor=w.zone_leader, purpose=PURPOSE, target=w.dept_item)
    w.token = services.token_of(w.link)
    return w


def test_a_link_resolves_to_its_own_target_and_is_short(linked):
    w = linked
    link, target = services.resolve(w.token, purpose=PURPOSE)
    assert link == w.link and target == w.dept_item
    assert len(w.token) == 25 and services.path_of(w.link) == f"/s/{w.token}/"
    # asking again gives the same link; a new version is another link beside it
    assert services.link_issue(actor=w.zone_leader, purpose=PURPOSE, target=w.dept_item) == w.link
    v2 = services.link_issue(actor=w.zone_leader, purpose=PURPOSE, target=w.dept_item, new_version=True)
    assert v2.version == 2 and services.resolve(services.token_of(v2))[1] == w.dept_item
    assert services.resolve(w.token)[1] == w.dept_item  # the old version keeps working until revoked


def flip(ch):
    return "0" if ch != "0" else "1"


def test_tampered_expired_revoked_and_wrong_purpose_links_all_refuse(linked):
    w = linked
    token_id, sig = w.token.split(".")
    for bad in (f"{token_id}.{sig[:-1]}{flip(sig[-1])}", f"{token_id[:-1]}{'A' if token_id[-1] != 'A' else 'B'}.{sig}",
                f"{token_id}.{sig}0", "", "x.y", f"{token_id}{sig}"):
        with pytest.raises(NotFound):
            services.resolve(bad)
    with pytest.raises(NotFound):  # the wrong purpose
        services.resolve(w.token, purpose="enterprise.card")
    SignedLink.objects.filter(pk=w.link.pk).update(target_id=w.c1_item.pk)  # the row changed since signing
    with pytest.raises(NotFound):
        services.resolve(w.token)
    SignedLink.objects.filter(pk=w.link.pk).update(target_id=w.dept_item.pk)
    with override_settings(SECRET_KEY="another-deployment-secret-key-0123456789abcdef"):
        with pytest.raises(NotFound):
            services.resolve(w.token)
    services.resolve(w.token)
    clock.freeze(w.link.expires_at)  # expired at the instant of expiry
    with pytest.raises(NotFound):
        services.resolve(w.token)
    clock.freeze(w.link.expires_at - dt.timedelta(seconds=1))
    services.resolve(w.token)
    services.link_revoke(actor=w.zone_leader, link=w.link, reason="公示结束")
    with pytest.raises(NotFound):
        services.resolve(w.token)


def test_a_link_opens_only_its_object(linked):
    w = linked
    assert services.require(w.token, purpose=PURPOSE, target=w.dept_item) == w.link
    with pytest.raises(NotFound):
        services.require(w.token, purpose=PURPOSE, target=w.c1_item)


def test_only_those_who_may_issue_issue_and_revoke(linked):
    w = linked
    with pytest.raises(NotPermitted):
        services.link_issue(actor=w.other_staff, purpose=PURPOSE, target=w.dept_item)
    with pytest.raises(NotPermitted):
        services.link_revoke(actor=w.resident3, link=w.link)
    with pytest.raises(ValidationFailed):
        services.link_issue(actor=w.zone_leader, purpose="no.such.purpose", target=w.dept_item)
    with pytest.raises(ValidationFailed):  # a purpose names its target model
        services.link_issue(actor=w.zone_leader, purpose=PURPOSE, target=w.dept_city)
    with pytest.raises(ValidationFailed):
        services.link_issue(actor=w.zone_leader, purpose=PURPOSE, target=w.dept_item, days=0, new_version=True)
    assert purposes.get(PURPOSE).label_zh == "整改公示"


@scope_test("links:open")
def test_the_public_address_shows_the_notice_and_nothing_more_and_refuses_as_not_found(client, linked):
    w = linked
    r = client.get(f"/s/{w.token}/")
    body = r.content.decode()
    assert r.status_code == 200 and "占道经营整治不到位" in body and "城市管理局" in body
    assert "楼道堆物" not in body and r["Cache-Control"] == "no-store"
    token_id, sig = w.token.split(".")
    assert client.get(f"/s/{token_id}.{sig[:-1]}{flip(sig[-1])}/").status_code == 404
    services.link_revoke(actor=w.zone_leader, link=w.link)
    assert client.get(f"/s/{w.token}/").status_code == 404


@scope_test("links:revoke", "rectification:notice_pdf")
def test_the_notice_is_printed_with_its_qr_and_revoked_by_those_who_may(client, linked):
    import io

    from pypdf import PdfReader

    w = linked
    login_verified(client, w.department_handler)
    r = client.post(reverse("rectification:notice_pdf", args=[w.dept_item.pk]))
    assert r["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(r.content)).pages[0].extract_text().replace("\x00", "")
    assert "整改公示" in text and f"/s/{w.token}/" in text.replace("\n", "")
    login_verified(client, w.other_staff)
    assert client.post(reverse("rectification:notice_pdf", args=[w.dept_item.pk])).status_code == 404
    assert client.post(reverse("links:revoke", args=[w.link.pk])).status_code == 404
    assert SignedLink.objects.get(pk=w.link.pk).revoked_at is None
    login_verified(client, w.zone_leader)
    client.post(reverse("links:revoke", args=[w.link.pk]), {"next": "https://evil.example/"})
    assert SignedLink.objects.get(pk=w.link.pk).revoked_at is not None
