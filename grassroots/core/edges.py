"""The edge helpers every app's views use (thin edges: parse input, call one selector or service, show its error).

They live in core so that domain apps use them without importing the page layer (``web``)."""

from __future__ import annotations

import datetime as dt

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


# Query-string values. A value that does not parse (or lies outside the given bounds) reads as absent: lists
# and filters then show their default instead of an error page.
DB_INT_MAX = 2**31 - 1  # what an integer column holds on every database we run on
DB_BIGINT_MAX = 2**63 - 1  # what a big integer column holds (primary keys: BigAutoField)


def int_param(value, *, minimum: int | None = None, maximum: int = DB_INT_MAX) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if (minimum is not None and number < minimum) or number > maximum:
        return None
    return number


def date_param(value) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(str(value).strip()) if value else None
    except ValueError:
        return None
    return day if day is None or MIN_DATE <= day <= MAX_DATE else None


def bool_param(value) -> bool | None:
    """"1" / "0" from a filter's select; anything else reads as no filter."""
    return {"1": True, "0": False}.get(value or "")


MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2999, 12, 31)
