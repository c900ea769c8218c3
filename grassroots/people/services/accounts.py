"""Accounts for the people the platform serves (residents, party members, cooperative members, villagers), tied
to their person record (docs/personal-data.md § Accounts for residents):

* **invite**: staff of the person's community (or their grid worker) make a one-time invitation code, printed on
  a slip or sent to the person's phone; the person redeems it with a username and a password;
* **register**: a person verifies their phone with a code (``core.phonecodes``), and is matched to their record
  at once when the ID number and that phone both match one person without an account, else waits in the staff
  queue of their community (``AccountClaim``), which confirms the match with a person or rejects it;
* **phone sign-in** and **password reset** by a phone code, for accounts without posts only (staff sign in with
  password and, where their post needs it, the second factor).

An account sees no more than its person (the resident scope of ``core.scope``); an unmatched account sees only
what is public. Every step is an audit event; failed invitation codes are counted per client address and refused
past the policy limit (``account.invite_failures_per_ip_per_hour``).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from grassroots.core import clock, context, crypto, events, notifications, phonecodes, policy
from grassroots.core.errors import NotPermitted, RateLimited, ValidationFailed
from grassroots.core.models import Event
from grassroots.core.scope import active_posts_q, forget
from grassroots.core.transitions import compare_and_set
from grassroots.territory.models import Level, Region

from .. import idnumbers, permissions
from ..models import AccountClaim, AccountInvite, ClaimStatus, Person, Post, User
from ..states import CLAIM_LABELS, CLAIM_TRANSITIONS

INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
INVITE_LENGTH = 10
DEFAULTS = {"account.invite_days": 14, "account.invite_failures_per_ip_per_hour": 20}
COMMUNITY_LEVELS = (Level.COMMUNITY, Level.VILLAGE, Level.PARK)


def _limit(key: str) -> int:
    return int(policy.setting(key, DEFAULTS[key]))


def _invite_hash(code: str) -> str:
    return crypto.blind_index(code, purpose="account_invite")


def _check_new_account(username: str, password: str) -> str:
    username = (username or "").strip()
    if not username or len(username) > 150 or not all(c.isalnum() or c in "@.+-_" for c in username):
        raise ValidationFailed("用户名须为 1–150 个字母、数字或 @.+-_", "The username must be 1–150 letters, digits or @.+-_",
                               code="username_format", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed("该用户名已被使用", "This username is taken", code="username_taken", field="username")
    try:
        validate_password(password or "", User(username=username))
    except DjangoValidationError as exc:
        raise ValidationFailed("；".join(exc.messages), " ".join(exc.messages), code="password_weak",
                               field="password") from None
    return username


def _create_user(username: str, password: str, *, person: Person | None, display_name: str) -> User:
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, password=password, person=person,
                                            display_name=display_name[:64])
    except IntegrityError:
        raise ValidationFailed("该用户名已被使用", "This username is taken", code="username_taken",
                               field="username") from None
    User.objects.filter(pk=user.pk).update(password_changed_at=clock.now())
    return user


def _has_account(person: Person) -> bool:
    return User.objects.filter(person=person).exists()


# Invitations ---------------------------------------------------------------------------------------------------

def invite_create(*, actor, person: Person, send_to_phone: bool = False) -> tuple[AccountInvite, str]:
    """A one-time invitation for ``person`` (seen by the actor); the code is returned once. Earlier open
    invitations of the person are revoked."""
    if not permissions.can_invite(actor, person):
        raise NotPermitted("只有该人员所在社区的工作人员或网格员可以邀请开通账号",
                           "Only staff of the person's community or their grid worker may invite them",
                           code="invite_denied")
    if not person.active:
        raise ValidationFailed("该人员已不在册", "The person is no longer on the roster", code="person_inactive")
    if _has_account(person):
        raise ValidationFailed("该人员已有账号", "The person already has an account", code="person_has_account")
    phone = person.phone if send_to_phone else ""
    if send_to_phone:
        try:
            phone = phonecodes.normalize_mobile(phone)
        except ValidationFailed:
            raise ValidationFailed("该人员没有登记手机号，请打印邀请单", "The person has no mobile number; print the slip",
                                   code="person_no_mobile", field="send_to_phone") from None
    code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))
    now = clock.now()
    with transaction.atomic():
        AccountInvite.objects.filter(person=person, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now)
        invite = AccountInvite.objects.create(
            person=person, code_hash=_invite_hash(code), created_by=actor if getattr(actor, "pk", None) else None,
            expires_at=now + dt.timedelta(days=_limit("account.invite_days")), sent_to_phone=bool(phone))
        events.record(actor, "invite.create", invite, payload={"person": person.pk, "sent_to_phone": bool(phone)})
        if phone:
            text = f"【基层治理】{person.name}，您的账号开通邀请码为 {code}，有效期 {_limit('account.invite_days')} 天。"
            transaction.on_commit(lambda: notifications.backend().send_to_phone(phone, text))
    return invite, code


def _refuse_if_too_many_failures(ip: str | None) -> None:
    if not ip:
        return
    since = clock.now() - dt.timedelta(hours=1)
    failures = Event.objects.filter(verb="invite.redeem", outcome=Event.Outcome.FAILURE, ip=ip, at__gt=since).count()
    if failures >= _limit("account.invite_failures_per_ip_per_hour"):
        raise RateLimited("尝试次数过多，请稍后再试", "Too many attempts; try again later", code="invite_rate_limited")


def invite_redeem(*, code: str, username: str, password: str) -> User:
    """Open the invited person's account with ``username`` and ``password``."""
    ip = context.current().ip
    _refuse_if_too_many_failures(ip)
    normalized = "".join(str(code or "").split()).upper()
    now = clock.now()
    invite = AccountInvite.objects.select_related("person").filter(code_hash=_invite_hash(normalized)).first() \
        if normalized else None
    if invite is None or invite.used_at or invite.revoked_at or invite.expires_at <= now:
        events.record(None, "invite.redeem", invite, outcome=Event.Outcome.FAILURE, label=username[:150],
                      payload={"reason": "invalid" if invite is None else "used_or_expired"})
        raise ValidationFailed("邀请码无效或已过期", "The invitation code is invalid or expired", code="invite_invalid",
                               field="code")
    username = _check_new_account(username, password)
    with transaction.atomic():
        if _has_account(invite.person):
            raise ValidationFailed("该人员已有账号", "The person already has an account", code="person_has_account",
                                   field="code")
        user = _create_user(username, password, person=invite.person, display_name=invite.person.name)
        used = AccountInvite.objects.filter(pk=invite.pk, used_at__isnull=True, revoked_at__isnull=True).update(
            used_at=now, account=user)
        if used != 1:
            raise ValidationFailed("邀请码已使用", "The invitation code was used", code="invite_invalid", field="code")
        events.record(user, "invite.redeem", invite, payload={"person": invite.person_id, "account": user.pk})
    return user


# Registration with a verified phone ----------------------------------------------------------------------------

def _accounts_with_phone(index: str):
    """Accounts already holding this phone: through their person, or a pending or confirmed registration."""
    by_person = User.objects.filter(person__phone_index=index)
    by_claim = User.objects.filter(claim__phone_index=index).exclude(claim__status=ClaimStatus.REJECTED)
    return by_person.union(by_claim)


def register(*, phone: str, code: str, name: str, community: Region, username: str, password: str,
             id_number: str = "") -> AccountClaim:
    """Open an account with a verified phone. Matched at once to the person whose ID number and phone both match
    (and who has no account); otherwise the claim waits for staff of ``community``."""
    name = " ".join(str(name or "").split())[:64]
    if not name:
        raise ValidationFailed("请填写姓名", "Enter your name", code="name_required", field="name")
    if community is None or community.level not in COMMUNITY_LEVELS or not community.active:
        raise ValidationFailed("请选择居住的社区或村", "Choose the community or village you live in",
                               code="community_required", field="community")
    phone = phonecodes.normalize_mobile(phone)
    index = phonecodes.phone_index(phone)
    id_index = id_last4 = ""
    if id_number:
        number = idnumbers.validate(Person.IdType.RESIDENT_ID, id_number)
        id_index, id_last4 = crypto.blind_index(number, purpose="id_number"), number[-4:]
    if _accounts_with_phone(index).exists():
        raise ValidationFailed("该手机号已开通账号，请直接登录或找回密码",
                               "This phone already has an account; sign in or reset the password",
                               code="phone_has_account", field="phone")
    username = _check_new_account(username, password)
    phonecodes.check_code(phone=phone, purpose=phonecodes.PURPOSES.REGISTER, code=code)
    match = None
    if id_index:
        match = (Person.objects.filter(id_number_index=id_index, phone_index=index, active=True, user__isnull=True)
                 .first())
    with transaction.atomic():
        user = _create_user(username, password, person=match, display_name=name)
        status = ClaimStatus.CONFIRMED if match else ClaimStatus.PENDING
        claim = AccountClaim.objects.create(
            user=user, name=name, community=community, phone_index=index, phone_last4=phone[-4:],
            id_number_index=id_index, id_number_last4=id_last4, status=status, person=match,
            decided_at=clock.now() if match else None, reason="证件号码与手机号自动匹配" if match else "")
        events.record(user, "claim.create", claim, to_state=status,
                      payload={"community": community.pk, "matched_by": "id_number_and_phone" if match else "",
                               "person": getattr(match, "pk", None)})
    return claim


def claim_confirm(*, actor, claim: AccountClaim, person: Person) -> AccountClaim:
    """Staff of the claim's community tie the account to ``person`` (who has no account yet)."""
    if not permissions.can_decide_claim(actor, claim):
        raise NotPermitted("只有该社区的工作人员可以确认注册", "Only the community's staff may confirm a registration",
                           code="claim_denied")
    if not permissions.can_invite(actor, person):
        raise ValidationFailed("该人员不在您管理的社区", "The person is not in your community", code="claim_person",
                               field="person")
    with transaction.atomic():
        if _has_account(person):
            raise ValidationFailed("该人员已有账号", "The person already has an account", code="person_has_account",
                                   field="person")
        compare_and_set(AccountClaim, claim.pk, from_states=CLAIM_TRANSITIONS["claim.confirm"].sources,
                        to_state=CLAIM_TRANSITIONS["claim.confirm"].target, labels=CLAIM_LABELS, person=person,
                        decided_by=actor, decided_at=clock.now(), updated_at=clock.now())
        try:
            with transaction.atomic():
                linked = User.objects.filter(pk=claim.user_id, person__isnull=True).update(person=person)
        except IntegrityError:  # another account was tied to the person in the meantime
            raise ValidationFailed("该人员已有账号", "The person already has an account", code="person_has_account",
                                   field="person") from None
        if linked != 1:
            raise ValidationFailed("该账号已关联人员", "The account is already tied to a person", code="claim_linked")
        events.record(actor, "claim.confirm", claim, from_state=ClaimStatus.PENDING, to_state=ClaimStatus.CONFIRMED,
                      payload={"person": person.pk, "account": claim.user_id})
    claim.refresh_from_db()
    forget(claim.user)
    return claim


def claim_reject(*, actor, claim: AccountClaim, reason: str) -> AccountClaim:
    if not permissions.can_decide_claim(actor, claim):
        raise NotPermitted("只有该社区的工作人员可以处理注册", "Only the community's staff may decide a registration",
                           code="claim_denied")
    reason = " ".join(str(reason or "").split())[:200]
    if not reason:
        raise ValidationFailed("请填写不予匹配的原因", "Give the reason", code="reason_required", field="reason")
    with transaction.atomic():
        compare_and_set(AccountClaim, claim.pk, from_states=CLAIM_TRANSITIONS["claim.reject"].sources,
                        to_state=CLAIM_TRANSITIONS["claim.reject"].target, labels=CLAIM_LABELS, reason=reason,
                        decided_by=actor, decided_at=clock.now(), updated_at=clock.now())
        events.record(actor, "claim.reject", claim, from_state=ClaimStatus.PENDING, to_state=ClaimStatus.REJECTED,
                      payload={"reason": reason})
    claim.refresh_from_db()
    return claim


# Phone sign-in and password reset ------------------------------------------------------------------------------

def _account_for_phone(phone: str) -> User | None:
    """The one active account without posts that holds this phone (through its person or its registration)."""
    index = phonecodes.phone_index(phone)
    ids = set(User.objects.filter(person__phone_index=index, is_active=True).values_list("pk", flat=True))
    ids |= set(User.objects.filter(claim__phone_index=index, is_active=True).exclude(
        claim__status=ClaimStatus.REJECTED).values_list("pk", flat=True))
    with_posts = set(Post.objects.filter(active_posts_q(), user_id__in=ids).values_list("user_id", flat=True))
    candidates = ids - with_posts
    if len(candidates) != 1:
        return None
    return User.objects.get(pk=candidates.pop())


def send_phone_code(*, phone: str, purpose: str) -> None:
    """Send a sign-in or reset code. To a phone that opens no account nothing is sent, and the answer is the same
    (no one learns from it whether a phone has an account); registration codes go to any mobile number."""
    phone = phonecodes.normalize_mobile(phone)
    if purpose in (phonecodes.PURPOSES.SIGN_IN, phonecodes.PURPOSES.RESET) and _account_for_phone(phone) is None:
        events.record(None, "phonecode.no_account", None, outcome=Event.Outcome.FAILURE,
                      payload={"purpose": purpose, "phone_last4": phone[-4:]})
        return
    if purpose == phonecodes.PURPOSES.REGISTER and _accounts_with_phone(phonecodes.phone_index(phone)).exists():
        raise ValidationFailed("该手机号已开通账号，请直接登录或找回密码",
                               "This phone already has an account; sign in or reset the password",
                               code="phone_has_account", field="phone")
    phonecodes.send_code(phone=phone, purpose=purpose)


def _refused_code():
    return ValidationFailed("验证码不正确或已过期", "The code is wrong or has expired", code="phone_code_wrong",
                            field="code")


def sign_in_with_code(*, phone: str, code: str) -> User:
    """The account a phone code signs in (the caller logs it in)."""
    phone = phonecodes.normalize_mobile(phone)
    user = _account_for_phone(phone)
    if user is None:
        raise _refused_code()
    phonecodes.check_code(phone=phone, purpose=phonecodes.PURPOSES.SIGN_IN, code=code, actor=user)
    events.record(user, "auth.phone_code_login", user)
    return user


def reset_password(*, phone: str, code: str, password: str) -> User:
    phone = phonecodes.normalize_mobile(phone)
    user = _account_for_phone(phone)
    if user is None:
        raise _refused_code()
    try:
        validate_password(password or "", user)
    except DjangoValidationError as exc:
        raise ValidationFailed("；".join(exc.messages), " ".join(exc.messages), code="password_weak",
                               field="password") from None
    phonecodes.check_code(phone=phone, purpose=phonecodes.PURPOSES.RESET, code=code, actor=user)
    with transaction.atomic():
        user.set_password(password)
        user.password_changed_at = clock.now()
        user.save(update_fields=["password", "password_changed_at"])
        events.record(user, "account.password_reset", user, payload={"by": "phone_code"})
    return user
