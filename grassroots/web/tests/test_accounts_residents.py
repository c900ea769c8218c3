"""The residents' account pages and API (people.signup_views, people.views.accounts, people.api): registration
with a phone code, phone sign-in, password reset, invitations, the community office's match queue; who sees what."""

import io
import re

import pytest
from pypdf import PdfReader

from grassroots.core import notifications
from grassroots.people import services
from grassroots.people.models import AccountClaim, ClaimStatus, User
from tests.support.world import scope_test

pytestmark = pytest.mark.django_db
PHONE = "13912345678"
PASSWORD = "Resident#2026"


@pytest.fixture
def roster(world):
    return services.person_create(actor=world.community_secretary, name="王居民", phone=PHONE, building=world.b1,
                                  room="101")


def code_in_outbox(phone=PHONE) -> str:
    return re.search(r"\d{6}", next(m for m in notifications.phone_outbox() if m.phone == phone).text).group(0)


def register_by_page(client, world, commit, phone=PHONE, name="王居民", username="wang"):
    with commit(execute=True):
        page = client.post("/accounts/register/", {"action": "send", "phone": phone})
    assert page.status_code == 200
    return client.post("/accounts/register/", {
        "action": "register", "phone": phone, "code": code_in_outbox(phone), "name": name,
        "community": world.c1.pk, "username": username, "password": PASSWORD})


@scope_test("signup_register")
def test_a_registration_page_signs_the_new_account_in_and_it_sees_only_public_pages(
        client, world, roster, django_capture_on_commit_callbacks):
    response = register_by_page(client, world, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    claim = AccountClaim.objects.get()
    assert claim.status == ClaimStatus.PENDING
    assert client.get(f"/people/{roster.pk}/").status_code == 404  # not matched yet: no person, no one else


def test_a_registration_with_a_wrong_code_shows_the_error_at_the_code(client, world, roster,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/register/", {"action": "send", "phone": PHONE})
    wrong = "000000" if code_in_outbox() != "000000" else "111111"
    page = client.post("/accounts/register/", {"action": "register", "phone": PHONE, "code": wrong, "name": "王",
                                               "community": world.c1.pk, "username": "wang", "password": PASSWORD})
    assert page.status_code == 400 and "验证码不正确" in page.content.decode()
    assert not User.objects.filter(username="wang").exists()


@scope_test("people:claim_list", "people:claim_detail", "people:claim_confirm", "people:claim_reject")
def test_the_match_queue_belongs_to_the_registrants_community_office(client, world, roster,
                                                                     django_capture_on_commit_callbacks):
    register_by_page(client, world, django_capture_on_commit_callbacks)
    claim = AccountClaim.objects.get()
    for outsider in (world.other_staff, world.grid_worker, world.resident3):
        client.force_login(outsider)
        assert "王居民" not in client.get("/people/claims/").content.decode()
        assert client.get(f"/people/claims/{claim.pk}/").status_code == 404
        assert client.post(f"/people/claims/{claim.pk}/confirm/", {"person": roster.pk}).status_code == 404
        assert client.post(f"/people/claims/{claim.pk}/reject/", {"reason": "x"}).status_code == 404
    client.force_login(world.community_staff)
    assert "王居民" in client.get("/people/claims/").content.decode()
    detail = client.get(f"/people/claims/{claim.pk}/").content.decode()
    assert f'value="{roster.pk}"' in detail and "手机号一致" in detail
    assert client.post(f"/people/claims/{claim.pk}/confirm/", {"person": roster.pk}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED and claim.user.person_id == roster.pk
    assert client.post(f"/people/claims/{claim.pk}/reject/", {"reason": "x"}).status_code == 409


@scope_test("people:person_invite", "signup_invite")
def test_an_invitation_slip_opens_the_persons_account(client, world, roster):
    client.force_login(world.other_staff)
    assert client.post(f"/people/{roster.pk}/invite/").status_code == 404
    client.force_login(world.community_staff)
    slip = client.post(f"/people/{roster.pk}/invite/", {"send": "print"})
    assert slip["Content-Type"] == "application/pdf" and slip["Cache-Control"] == "no-store"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(slip.content)).pages).replace("\x00", "")
    code = re.search(r"邀请码：\s*([0-9A-Z]+)", text).group(1)
    assert roster.name in text and "/accounts/invite/" in text.replace("\n", "")
    signed = re.search(r"(/s/[0-9A-Z]+\.[0-9a-f]+/)", text.replace("\n", "")).group(1)  # the QR's address
    client.logout()
    assert client.get(signed)["Location"] == "/accounts/invite/"  # the signed link opens the invitation page
    assert client.post("/accounts/invite/", {"code": code, "username": "wang", "password": PASSWORD}).status_code \
        == 302
    assert User.objects.get(username="wang").person_id == roster.pk
    assert client.get(f"/people/{roster.pk}/").status_code == 200  # their own record
    assert client.get(f"/people/{world.person3.pk}/").status_code == 404
    client.logout()
    assert client.get(signed).status_code == 404  # the invitation is used: its link opens nothing more


@scope_test("signup_phone_login", "signup_reset")
def test_phone_sign_in_and_reset_open_only_the_account_of_that_phone(client, world, roster,
                                                                     django_capture_on_commit_callbacks):
    import datetime as dt

    from grassroots.core import clock

    _invite, code = services.invite_create(actor=world.community_staff, person=roster)
    services.invite_redeem(code=code, username="wang", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/login/phone/", {"action": "send", "phone": PHONE})
    assert client.post("/accounts/login/phone/", {"action": "login", "phone": PHONE,
                                                  "code": code_in_outbox()}).status_code == 302
    assert client.get(f"/people/{world.person3.pk}/").status_code == 404
    client.logout()
    clock.shift(dt.timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/reset/", {"action": "send", "phone": PHONE})
    assert client.post("/accounts/reset/", {"action": "reset", "phone": PHONE, "code": code_in_outbox(),
                                            "password": "NewPass#2027"}).status_code == 302
    assert User.objects.get(username="wang").check_password("NewPass#2027")
    # a phone without an account: the same answer, no code sent
    notifications.clear_phone_outbox()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/accounts/login/phone/", {"action": "send", "phone": "13600000000"})
    assert page.status_code == 200 and notifications.phone_outbox() == []


@scope_test("people_account_phone_code", "people_account_register", "people_claim_list", "people_claim_confirm",
            "people_claim_reject")
def test_the_api_registers_and_the_community_office_confirms(client, world, roster,
                                                               django_capture_on_commit_callbacks):
    from tests.support.world import issue_token

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/api/people/account/phone-code", {"phone": PHONE, "purpose": "register"},
                           content_type="application/json").status_code == 202
    made = client.post("/api/people/account/register", {
        "phone": PHONE, "code": code_in_outbox(), "name": "王居民", "community_id": world.c1.pk, "username": "wang",
        "password": PASSWORD}, content_type="application/json")
    assert made.status_code == 201 and made.json()["status"] == "pending"
    claim_id = made.json()["id"]
    other = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world.other_staff)}"}
    assert client.get("/api/people/claims", **other).json()["items"] == []
    assert client.post(f"/api/people/claims/{claim_id}/confirm", {"person_id": roster.pk},
                       content_type="application/json", **other).status_code == 404
    mine = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world.community_staff)}"}
    assert [c["id"] for c in client.get("/api/people/claims", **mine).json()["items"]] == [claim_id]
    done = client.post(f"/api/people/claims/{claim_id}/confirm", {"person_id": world.person3.pk},
                       content_type="application/json", **mine)
    assert done.status_code == 404  # a person of another community looks missing
    done = client.post(f"/api/people/claims/{claim_id}/confirm", {"person_id": roster.pk},
                       content_type="application/json", **mine)
    assert done.status_code == 200 and done.json()["person_id"] == roster.pk
    assert client.post(f"/api/people/claims/{claim_id}/reject", {"reason": "x"}, content_type="application/json",
                       **mine).status_code == 409


@scope_test("people_person_invite", "people_account_invite_redeem", "people_account_password_reset")
def test_the_api_invites_from_the_roster_and_resets_with_a_phone_code(client, world, roster,
                                                                        django_capture_on_commit_callbacks):
    from tests.support.world import issue_token

    other = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world.other_staff)}"}
    assert client.post(f"/api/people/persons/{roster.pk}/invite", {}, content_type="application/json",
                       **other).status_code == 404
    mine = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world.grid_worker)}"}
    made = client.post(f"/api/people/persons/{roster.pk}/invite", {}, content_type="application/json", **mine)
    assert made.status_code == 201
    assert client.post("/api/people/account/invite", {"code": "WRONG00000", "username": "w", "password": PASSWORD},
                       content_type="application/json").status_code == 400
    assert client.post("/api/people/account/invite", {"code": made.json()["code"], "username": "wang",
                                                      "password": PASSWORD},
                       content_type="application/json").status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/api/people/account/phone-code", {"phone": PHONE, "purpose": "reset"},
                    content_type="application/json")
    assert client.post("/api/people/account/password-reset", {"phone": PHONE, "code": code_in_outbox(),
                                                              "password": "NewPass#2027"},
                       content_type="application/json").status_code == 200
    assert client.post("/api/people/account/phone-code", {"phone": PHONE, "purpose": "reset"},
                       content_type="application/json").status_code == 429  # resend throttled
