"""Small helpers shared by the apps' views (thin edges: call one selector or service, show its error)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect

from grassroots.core.errors import ApplicationError, NotFound


def or_404(fn, **kwargs):
    """Call a selector; missing or out of scope becomes the 404 page."""
    try:
        return fn(**kwargs)
    except NotFound:
        raise Http404


def field_error(form, exc: ApplicationError) -> None:
    """Show a service's error next to the field it names (or above the form)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def post_action(request, action, success: str, back: str):
    """Run one service call from a POST; its error or ``success`` comes back as a message on ``back``."""
    try:
        action()
    except NotFound:
        raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(back)
