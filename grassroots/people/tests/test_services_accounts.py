"""Accounts for residents: invitations, registration with a phone code (automatic and staff match), phone
sign-in and password reset; their refusals, limits and scope."""

import datetime as dt
import re

import pytest

from grassroots.core import clock, notifications
from grassroots.core.errors import NotFound, NotPermitted, RateLimited, ValidationFailed
from grassroots.core.models import Event, PolicySetting
from grassroots.core.scope import scope_for
from grassroots.people import selectors, services
from grassroots.people.models import AccountClaim, ClaimStatus

pytestmark = pytest.mark.django_db
PHONE = "13912345678"
ID_NUMBER = "370502198005010014"
PASSWORD = "Resident#2026"


@pytest.fixture
def roster(world):
    """A person on the roster of 安泰社区 (world.c1) with phone and ID number, and no account."""
    return services.person_create(actor=world.community_secretary, name="王居民", id_number=ID_NUMBER,
                                  phone=PHONE, building=world.b1, room="101")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)
    return run


def code_sent(phone=PHONE, digits=6) -> str:
    message = next(m for m in notifications.phone_outbox() if m.phone == phone)
    return re.search(r"\b[0-9A-Z]{" + str(digits) + r",10}\b", message.text).group(0)


def register(world, commit, *, id_number="", name="王居民", username="wang", phone=PHONE):
    commit(services.send_phone_code, phone=phone, purpose="register")
    return services.register(phone=phone, code=code_sent(phone), name=name, community=world.c1, username=username,
                             password=PASSWORD, id_number=id_number)


def test_id_number_and_verified_phone_match_the_person_at_once(world, roster, commit):
    claim = register(world, commit, id_number=ID_NUMBER)
    assert claim.status == ClaimStatus.CONFIRMED and claim.person == roster
    assert claim.user.person == roster
    scope = scope_for(claim.user)
    assert scope.person_id == roster.pk and scope.region_paths == () and scope.has_role("resident")


def test_without_an_id_number_the_registration_waits_for_staff_and_sees_nobody(world, roster, commit):
    claim = register(world, commit)
    assert claim.status == ClaimStatus.PENDING and claim.user.person is None
    assert scope_for(claim.user).person_id is None
    assert not selectors.person_visible(actor=claim.user).exists()


def test_staff_of_the_community_confirm_the_match_from_their_queue(world, roster, commit):
    claim = register(world, commit)
    staff = world.community_staff
    assert [c.pk for c in selectors.claim_list(actor=staff)] == [claim.pk]
    assert selectors.claim_candidates(actor=staff, claim=claim)[0] == roster
    services.claim_confirm(actor=staff, claim=claim, person=roster)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED and claim.user.person == roster
    assert list(selectors.person_visible(actor=claim.user)) == [roster]
    assert Event.objects.filter(verb="claim.confirm", actor=staff).exists()


def test_staff_of_another_community_neither_see_nor_confirm_the_registration(world, roster, commit):
    claim = register(world, commit)
    assert not selectors.claim_list(actor=world.other_staff).exists()
    with pytest.raises(NotFound):
        selectors.claim_get(actor=world.other_staff, pk=claim.pk)
    with pytest.raises(NotPermitted):
        services.claim_confirm(actor=world.other_staff, claim=claim, person=roster)
    with pytest.raises(NotPermitted):
        services.claim_confirm(actor=world.grid_worker, claim=claim, person=roster)


def test_a_decided_registration_cannot_be_decided_again(world, roster, commit):
    claim = register(world, commit)
    services.claim_reject(actor=world.community_staff, claim=claim, reason="查无此人")
    from grassroots.core.errors import Conflict

    with pytest.raises(Conflict):
        services.claim_confirm(actor=world.community_staff, claim=claim, person=roster)
    with pytest.raises(ValidationFailed):
        services.claim_reject(actor=world.community_staff, claim=claim, reason="")


def test_a_person_with_an_account_cannot_be_matched_again(world, roster, commit):
    register(world, commit, id_number=ID_NUMBER)
    other = register(world, commit, name="冒名者", username="other", phone="13700000000")
    with pytest.raises(ValidationFailed):
        services.claim_confirm(actor=world.community_staff, claim=other, person=roster)


def test_a_phone_with_an_account_cannot_register_again(world, roster, commit):
    register(world, commit, id_number=ID_NUMBER)
    with pytest.raises(ValidationFailed) as err:
        services.send_phone_code(phone=PHONE, purpose="register")
    assert err.value.code == "phone_has_account"


def test_a_wrong_registration_code_creates_no_account(world, roster, commit):
    commit(services.send_phone_code, phone=PHONE, purpose="register")
    with pytest.raises(ValidationFailed):
        services.register(phone=PHONE, code="000000" if code_sent() != "000000" else "111111", name="王居民",
                          community=world.c1, username="wang", password=PASSWORD)
    assert not AccountClaim.objects.exists()
    from grassroots.people.models import User

    assert not User.objects.filter(username="wang").exists()


def test_a_weak_password_or_a_taken_username_is_refused_before_the_code_is_spent(world, roster, commit):
    commit(services.send_phone_code, phone=PHONE, purpose="register")
    code = code_sent()
    for username, password, field in (("wang", "short", "password"), ("resident1", PASSWORD, "username")):
        with pytest.raises(ValidationFailed) as err:
            services.register(phone=PHONE, code=code, name="王", community=world.c1, username=username,
                              password=password)
        assert err.value.field == field
    assert services.register(phone=PHONE, code=code, name="王", community=world.c1, username="wang",
                             password=PASSWORD)


def test_an_invitation_opens_the_persons_account_once(world, roster, commit):
    invite, code = services.invite_create(actor=world.grid_worker, person=roster)
    user = services.invite_redeem(code=code.lower(), username="wang", password=PASSWORD)
    assert user.person == roster
    with pytest.raises(ValidationFailed):
        services.invite_redeem(code=code, username="wang2", password=PASSWORD)


def test_an_invitation_sent_to_the_phone_reaches_the_backend(world, roster, commit):
    _invite, code = commit(services.invite_create, actor=world.community_staff, person=roster, send_to_phone=True)
    assert code in notifications.phone_outbox()[0].text


def test_an_invitation_expires_and_a_new_one_revokes_the_old(world, roster, frozen_now):
    _old, old_code = services.invite_create(actor=world.community_staff, person=roster)
    _new, new_code = services.invite_create(actor=world.community_staff, person=roster)
    with pytest.raises(ValidationFailed):
        services.invite_redeem(code=old_code, username="wang", password=PASSWORD)
    clock.freeze(frozen_now + dt.timedelta(days=15))
    with pytest.raises(ValidationFailed):
        services.invite_redeem(code=new_code, username="wang", password=PASSWORD)


def test_only_the_persons_own_register_keepers_invite(world, roster):
    for actor in (world.other_staff, world.grid_worker3, world.subdistrict_officer, world.resident):
        with pytest.raises(NotPermitted):
            services.invite_create(actor=actor, person=roster)


def test_failed_invitation_codes_from_one_address_are_limited(world, roster):
    from grassroots.core import context

    PolicySetting.objects.create(key="account.invite_failures_per_ip_per_hour", value=2)
    token = context.set_current(context.RequestContext(ip="10.1.1.1"))
    try:
        for _ in range(2):
            with pytest.raises(ValidationFailed):
                services.invite_redeem(code="WRONGCODE1", username="x", password=PASSWORD)
        _invite, code = services.invite_create(actor=world.community_staff, person=roster)
        with pytest.raises(RateLimited):
            services.invite_redeem(code=code, username="wang", password=PASSWORD)
    finally:
        context.reset(token)


def test_a_phone_code_signs_in_the_residents_account_only(world, roster, commit):
    claim = register(world, commit, id_number=ID_NUMBER)
    clock.shift(dt.timedelta(minutes=2))
    commit(services.send_phone_code, phone=PHONE, purpose="sign_in")
    assert services.sign_in_with_code(phone=PHONE, code=code_sent()) == claim.user


def test_no_code_is_sent_to_a_phone_without_an_account_and_the_answer_is_the_same(world, roster, commit):
    commit(services.send_phone_code, phone="13600000000", purpose="sign_in")
    assert notifications.phone_outbox() == []
    with pytest.raises(ValidationFailed):
        services.sign_in_with_code(phone="13600000000", code="123456")


def test_accounts_with_posts_cannot_sign_in_or_reset_by_phone(world, commit):
    services.person_update(actor=world.community_secretary, person=world.person1, phone=PHONE)
    world.resident.person = None
    world.resident.save()
    world.community_staff.person = world.person1  # a staff account tied to a person with this phone
    world.community_staff.save()
    commit(services.send_phone_code, phone=PHONE, purpose="reset")
    assert notifications.phone_outbox() == []


def test_a_password_is_reset_with_a_phone_code(world, roster, commit):
    claim = register(world, commit, id_number=ID_NUMBER)
    clock.shift(dt.timedelta(minutes=2))
    commit(services.send_phone_code, phone=PHONE, purpose="reset")
    services.reset_password(phone=PHONE, code=code_sent(), password="NewPass#2027")
    claim.user.refresh_from_db()
    assert claim.user.check_password("NewPass#2027")
    assert Event.objects.filter(verb="account.password_reset", actor=claim.user).exists()
