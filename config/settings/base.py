"""Settings shared by every deployment. Environment variables come from config.env only."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, ENV

SECRET_KEY = ENV.SECRET_KEY
DEBUG = ENV.DEBUG
ALLOWED_HOSTS = ENV.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = ENV.CSRF_TRUSTED_ORIGINS

GRASSROOTS_APPS = [
    "grassroots.core",
    "grassroots.territory",
    "grassroots.people",
    "grassroots.rolls",
    "grassroots.notices",
    "grassroots.party",
    "grassroots.cases",
    "grassroots.metrics",
    "grassroots.deliberation",
    "grassroots.projects",
    "grassroots.lifecircle",
    "grassroots.property",
    "grassroots.grading",
    "grassroots.rectification",
    "grassroots.links",
    "grassroots.partylife",
    "grassroots.partydues",
    "grassroots.partydevelopment",
    "grassroots.partyhonours",
    "grassroots.partybrands",
    "grassroots.serviceprojects",
    "grassroots.cooperatives",
    "grassroots.village",
    "grassroots.keyprojects",
    "grassroots.park",
    "grassroots.web",
    "grassroots.demo",
]

INSTALLED_APPS = [
    "grassroots.core.admin_site.GrassrootsAdminConfig",  # django.contrib.admin, auditors refused
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "ninja",
    *GRASSROOTS_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "grassroots.core.input_guard.InputGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "grassroots.core.middleware.RequestContextMiddleware",
    "grassroots.core.middleware.IdleTimeoutMiddleware",
    "grassroots.people.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "grassroots.web.context_processors.navigation",
            ],
        },
    },
]


def database_from_url(url: str) -> dict:
    db = dj_database_url.parse(url, conn_max_age=0 if url.startswith("sqlite") else 60, conn_health_checks=True)
    if db["ENGINE"] == "django.db.backends.sqlite3":
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True) if db["NAME"] != ":memory:" else None
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    return db


DATABASES = {"default": database_from_url(ENV.DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "grassroots.people.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout by username: a community office shares one NAT address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours = 15 minutes
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "grassroots.core.middleware.client_ip"
# axes.W006 asks for ip_address in the lockout parameters; we lock by username on purpose (shared NAT address).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

SESSION_IDLE_SECONDS = ENV.SESSION_IDLE_SECONDS
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "grassroots" / "locale"]
TIME_ZONE = ENV.TIME_ZONE
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = ENV.STATIC_ROOT
MEDIA_URL = "/media/"
MEDIA_ROOT = ENV.MEDIA_ROOT
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MAX_PIXELS = 1920  # longest side of a stored photo

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": ENV.REDIS_URL}
        if ENV.REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "grassroots"}
    )
}

CELERY_BROKER_URL = ENV.REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = ENV.CELERY_ALWAYS_EAGER
CELERY_TIMEZONE = TIME_ZONE
# A worker takes one task at a time: with the sweeps acknowledged late (after they finish; a worker lost mid-task
# gives its task back to the broker, which delivers it again), no prefetched task waits behind a long one.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE: dict = {
    # cases: escalate breached deadlines, flag 督办, resume suspended cases (the same function as `grassroots sweep`)
    "cases-sweep": {"task": "grassroots.cases.sweep", "schedule": 60.0},
    # rectification ledgers: mark items past their deadline overdue (`grassroots rectification_sweep`)
    "rectification-sweep": {"task": "grassroots.rectification.sweep", "schedule": 3600.0},
    # party life: rhythm missed, members six months inactive, terms ending (`grassroots partylife_sweep`)
    "partylife-sweep": {"task": "grassroots.partylife.sweep", "schedule": 6 * 3600.0},
    # village collective: remind staff of rents falling due (`grassroots village_rent_reminders`)
    "village-rent-reminders": {"task": "grassroots.village.remind_rents", "schedule": 24 * 3600.0},
    # park: alert the park's keepers once of an enterprise not entered into a grid in time
    "park-entry-alerts": {"task": "grassroots.park.entry_alerts", "schedule": 24 * 3600.0},
    # core: delete the files of expired export jobs (embedded mode sweeps each time a job starts)
    "exports-sweep": {"task": "grassroots.core.sweep_exports", "schedule": 3600.0},
}

# Content Security Policy: everything from our own origin; htmx runs without inline styles or hx-on.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"] + ([ENV.MAP_TILE_URL.split("/{")[0]] if ENV.MAP_TILE_URL else []),
        "connect-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

X_FRAME_OPTIONS = "DENY"  # no page is meant to be framed (check --deploy: security.W019)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

MAP_TILE_URL = ENV.MAP_TILE_URL
MAP_TILE_CRS = ENV.MAP_TILE_CRS.upper()
FIELD_ENCRYPTION_KEYS = ENV.FIELD_ENCRYPTION_KEYS
BLIND_INDEX_KEY = ENV.BLIND_INDEX_KEY
NOTIFICATION_BACKEND = ENV.NOTIFICATION_BACKEND
SMS_GATEWAY_URL = ENV.SMS_GATEWAY_URL
SMS_GATEWAY_TOKEN = ENV.SMS_GATEWAY_TOKEN
SMS_SIGN_NAME = ENV.SMS_SIGN_NAME
WECOM_API_BASE = ENV.WECOM_API_BASE
WECOM_CORP_ID = ENV.WECOM_CORP_ID
WECOM_CORP_SECRET = ENV.WECOM_CORP_SECRET
WECOM_AGENT_ID = ENV.WECOM_AGENT_ID
PHONE_OUTBOX_PAGE = ENV.PHONE_OUTBOX_PAGE

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "grassroots.core.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "grassroots.core.observability.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json" if ENV.LOG_FORMAT == "json"
                             else "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": ENV.LOG_LEVEL},
    "loggers": {"axes": {"level": "WARNING"}},
}

METRICS_TOKEN = ENV.METRICS_TOKEN

SITE_NAME = _("基层治理平台")

# The live KPI rollup (metrics.rollup) builds in a background thread: no request waits for a full build. Off where
# threads cannot share the database (the in-memory SQLite of the tests): the build then runs in the request.
KPI_ROLLUP_BACKGROUND = True
