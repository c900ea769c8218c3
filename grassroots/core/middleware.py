"""Request context for audit rows and the idle timeout. (The second-factor requirement is people's:
``people.middleware``.)"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import clock, context, observability


def client_ip(request) -> str | None:
    # Behind a reverse proxy, configure it to set X-Real-IP; we do not trust X-Forwarded-For chains blindly.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    """Client address and user agent for audit rows; the request id for log lines, tasks and the answer's
    ``X-Request-ID``; the request's latency by route for ``/metrics`` (core.observability)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request_id = observability.accept_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        token = context.set_current(
            context.RequestContext(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
                                   request_id=request_id)
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response[observability.REQUEST_ID_HEADER] = request_id
        observability.observe_request(request, response.status_code, time.monotonic() - started)
        return response


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
