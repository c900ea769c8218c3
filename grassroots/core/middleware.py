"""Request context for audit rows, idle timeout, and the second-factor requirement for privileged roles."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import clock, context


def client_ip(request) -> str | None:
    # Behind a reverse proxy, configure it to set X-Real-IP; we do not trust X-Forwarded-For chains blindly.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.set_current(
            context.RequestContext(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:200])
        )
        try:
            return self.get_response(request)
        finally:
            context.reset(token)


class IdleTimeoutMiddleware:
    """Sign a user out after SESSION_IDLE_SECONDS without a request (等保: 超时自动退出)."""

    KEY = "last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(clock.now().timestamp())
            last = request.session.get(self.KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_SECONDS:
                from grassroots.core import events

                events.record(user, "auth.idle_timeout", user)
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('login')}?{urlencode({'next': request.path, 'timeout': '1'})}")
            request.session[self.KEY] = now
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Users holding a role that requires TOTP must verify it before any page but sign-in, sign-out and the 2FA page.

    API calls are refused by the API's session authentication instead (401). Creating API tokens is not allowed
    before verification: a token would bypass the second factor.
    """

    ALLOWED_PREFIXES = ("/static/", "/i18n/", "/healthz")
    ALLOWED_URL_NAMES = ("login", "logout", "otp_setup")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        allowed_paths = {reverse(name) for name in self.ALLOWED_URL_NAMES}
        if (user is not None and user.is_authenticated and not request.path.startswith(self.ALLOWED_PREFIXES)
                and request.path not in allowed_paths and not request.path.startswith("/api/")):
            from grassroots.people.security import needs_second_factor

            if needs_second_factor(user) and not user.is_verified():
                return redirect(f"{reverse('otp_setup')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
