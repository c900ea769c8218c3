"""The second-factor requirement for privileged roles (``security.needs_second_factor``) on every page."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .security import needs_second_factor


class SecondFactorRequiredMiddleware:
    """Users holding a role that requires TOTP must verify it before any page but sign-in, sign-out and the 2FA page.

    API calls are refused by the API's session authentication instead (401). Creating API tokens is not allowed
    before verification: a token would bypass the second factor.
    """

    ALLOWED_PREFIXES = ("/static/", "/i18n/", "/healthz", "/livez", "/readyz", "/metrics")
    ALLOWED_URL_NAMES = ("login", "logout", "otp_setup")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        allowed_paths = {reverse(name) for name in self.ALLOWED_URL_NAMES}
        if (user is not None and user.is_authenticated and not request.path.startswith(self.ALLOWED_PREFIXES)
                and request.path not in allowed_paths and not request.path.startswith("/api/")):
            if needs_second_factor(user) and not user.is_verified():
                return redirect(f"{reverse('otp_setup')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
