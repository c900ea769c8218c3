"""Test settings: SQLite in memory by default, PostgreSQL when DATABASE_URL says so."""

import os

from .base import *  # noqa: F401,F403
from .base import DATABASES, database_from_url

if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url("sqlite:///:memory:")}
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Parallel runs on one server must not share a test database.
    DATABASES["default"]["TEST"] = {"NAME": f"test_grassroots_{os.getpid()}"}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.Argon2PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
MEDIA_ROOT = "/tmp/grassroots-test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
NOTIFICATION_BACKEND = "grassroots.core.notifications.MemoryBackend"
LANGUAGE_CODE = "zh-hans"
STATIC_ROOT = "/tmp/grassroots-test-static"
os.makedirs(STATIC_ROOT, exist_ok=True)
# The in-memory SQLite database is not shared with other threads: the KPI rollup builds inline.
KPI_ROLLUP_BACKGROUND = False

PHONE_OUTBOX_PAGE = True
# Export jobs run inline in tests (the same function a worker or a thread runs).
EXPORT_JOBS_BACKGROUND = False
