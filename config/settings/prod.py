"""Production: PostgreSQL, Redis, Celery workers behind gunicorn. Refuses development keys."""

from django.core.exceptions import ImproperlyConfigured

from config.env import DEV_BLIND_INDEX_KEY, DEV_FIELD_KEY, DEV_SECRET_KEY

from .base import *  # noqa: F401,F403
from .base import ENV

DEBUG = False
if ENV.SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production")
if DEV_FIELD_KEY in ENV.FIELD_ENCRYPTION_KEYS or ENV.BLIND_INDEX_KEY == DEV_BLIND_INDEX_KEY:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY must be set in production")

SESSION_COOKIE_SECURE = ENV.SECURE_COOKIES
CSRF_COOKIE_SECURE = ENV.SECURE_COOKIES
SECURE_SSL_REDIRECT = ENV.SECURE_COOKIES
SECURE_HSTS_SECONDS = 31536000 if ENV.SECURE_COOKIES else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = ENV.SECURE_COOKIES
SECURE_HSTS_PRELOAD = ENV.SECURE_COOKIES
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CELERY_TASK_ALWAYS_EAGER = ENV.CELERY_ALWAYS_EAGER and not ENV.REDIS_URL
