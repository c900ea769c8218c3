"""Account security rules: who must use a second factor, and what that means for each credential.

Posts in ``core.roles.SECOND_FACTOR``, upper-committee officers at subdistrict or zone level
(``SECOND_FACTOR_PARTY_DEPTH``) and superusers must pass a TOTP second factor on every credential:
- a session passes it when the second factor was entered at sign-in (django-otp marks the session verified);
- a personal API token may only be created from a session that passed it, and works only while its user has a
  confirmed TOTP device. A token made before its user gained such a post stops working until the user enrols a
  device (and works again after that, since it was the user's own, revocable credential); see
  ``docs/personal-data.md`` (credentials).
"""

from __future__ import annotations

from grassroots.core.roles import SECOND_FACTOR, SECOND_FACTOR_PARTY_DEPTH, Role
from grassroots.core.scope import scope_for


def needs_second_factor(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    scope = scope_for(user)
    if scope.has_role(*SECOND_FACTOR):
        return True
    # Officers of an upper committee at subdistrict or zone level (the zone's 工委, a 街道党工委).
    return any(p.count("/") - 1 <= SECOND_FACTOR_PARTY_DEPTH
               for p in scope.party_paths_by_role.get(Role.PARTY_COMMITTEE_OFFICER, ()))


def has_enrolled_second_factor(user) -> bool:
    """The user has a confirmed TOTP device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def passed_second_factor(user) -> bool:
    """This request's session passed the second factor (django-otp's ``is_verified`` on the request's user)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def token_usable(user) -> bool:
    """A personal API token of ``user`` works now: no second factor is required, or one is enrolled."""
    return not needs_second_factor(user) or has_enrolled_second_factor(user)
