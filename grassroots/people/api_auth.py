"""API authentication: the session (pages and htmx) or a personal API token (``Authorization: Bearer <token>``).

It reads accounts, their second factor and their tokens, so it lives with them in people; ``config/api.py`` sets
``api_auth`` on the whole API and an app's router may name ``session_auth`` / ``bearer_auth`` itself.
"""

from __future__ import annotations

from ninja.security import APIKeyHeader, SessionAuth

from .security import needs_second_factor
from .tokens import user_for_token


class SessionOrAnonymous(SessionAuth):
    """Session auth that lets anonymous callers through; endpoints decide via the actor's scope."""

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if needs_second_factor(user) and not user.is_verified():
                return None
            return user
        return None


class BearerToken(APIKeyHeader):
    param_name = "Authorization"

    def authenticate(self, request, key):
        if not key or not key.startswith("Bearer "):
            return None
        user = user_for_token(key[len("Bearer "):].strip())
        if user is not None:
            request.user = user
            request.credential = "token"
        return user


session_auth = SessionOrAnonymous()
bearer_auth = BearerToken()
# Bearer first: a token client sends no CSRF cookie, and session auth would refuse its POSTs before it was tried.
api_auth = [bearer_auth, session_auth]
