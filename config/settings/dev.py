"""Embedded mode on one machine: SQLite, in-process background work, the demo zone."""

from .base import *  # noqa: F401,F403
from .base import ENV

DEBUG = ENV.DEBUG
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
