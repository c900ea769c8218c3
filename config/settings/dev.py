"""Embedded mode on one machine: SQLite, in-process background work, the demo zone."""

from .base import *  # noqa: F401,F403
from .base import ENV

DEBUG = ENV.DEBUG
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The demo shows phone codes of the embedded backend to the administrator (no SMS is sent).
PHONE_OUTBOX_PAGE = True
