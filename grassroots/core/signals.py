"""Audit events for sign-in, failed sign-in, sign-out and lockout (with the client address)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from . import context, events
from .middleware import client_ip


def _with_request_context(request, fn):
    """Signals may fire outside RequestContextMiddleware (test client login); bind the request's address."""
    if request is None or context.current().ip:
        return fn()
    token = context.set_current(context.RequestContext(ip=client_ip(request),
                                                       user_agent=request.META.get("HTTP_USER_AGENT", "")[:200]))
    try:
        return fn()
    finally:
        context.reset(token)


def on_logged_in(sender, request, user, **kwargs):
    _with_request_context(request, lambda: events.record(user, "auth.login", user))


def on_logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    _with_request_context(request, lambda: events.record(user, "auth.logout", user))


def _user_named(username: str):
    User = get_user_model()
    return User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")[:150]
    user = _user_named(username)
    _with_request_context(request, lambda: events.record(
        None, "auth.login_failed", user, outcome="failure",
        object_type="people.user", object_id=user.pk if user else "", label=username, payload={"username": username}))


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    user = _user_named(username or "")
    _with_request_context(request, lambda: events.record(
        None, "auth.locked_out", user, outcome="denied", object_type="people.user",
        object_id=user.pk if user else "", label=username or "",
        payload={"username": username or "", "ip": ip_address or ""}))


def connect() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(on_logged_in, dispatch_uid="grassroots_audit_login")
    user_logged_out.connect(on_logged_out, dispatch_uid="grassroots_audit_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="grassroots_audit_login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="grassroots_audit_locked_out")
