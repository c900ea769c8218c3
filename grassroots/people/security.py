"""Account security rules: who must use a second factor."""

from __future__ import annotations

from grassroots.core.roles import SECOND_FACTOR
from grassroots.core.scope import scope_for


def needs_second_factor(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return scope_for(user).has_role(*SECOND_FACTOR)
