"""Every environment variable the platform reads, declared once and typed.

Deployment settings only (docs/architecture.md § Conventions 6: policy lives in the database). Read with ``ENV.<name>``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _bool(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


@dataclass(frozen=True)
class Var:
    name: str
    cast: type | object
    default: object
    help: str

    def read(self):
        raw = os.environ.get(self.name)
        if raw is None or raw == "":
            return self.default
        if self.cast is bool:
            return _bool(raw)
        if self.cast is list:
            return _list(raw)
        return self.cast(raw)


# Development-only keys: production settings refuse to start with them.
DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me-0123456789abcdef"
DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LWNoYW5nZS1tZS0wMTI="  # 32 bytes, urlsafe base64
DEV_BLIND_INDEX_KEY = "dev-only-blind-index-key"

VARIABLES = [
    Var("DATABASE_URL", str, f"sqlite:///{BASE_DIR / 'var' / 'grassroots.sqlite3'}",
        "Database: sqlite:///path (embedded) or postgres://user:pass@host:5432/name"),
    Var("SECRET_KEY", str, DEV_SECRET_KEY, "Django secret key"),
    Var("DEBUG", bool, False, "Debug pages (never in production)"),
    Var("ALLOWED_HOSTS", list, ["127.0.0.1", "localhost"], "Comma-separated host names"),
    Var("CSRF_TRUSTED_ORIGINS", list, [], "Comma-separated origins, e.g. https://gov.example.cn"),
    Var("FIELD_ENCRYPTION_KEYS", list, [DEV_FIELD_KEY],
        "Fernet keys for personal data at rest, newest first (rotation: prepend, then run `grassroots rotate_keys`)"),
    Var("BLIND_INDEX_KEY", str, DEV_BLIND_INDEX_KEY, "HMAC key for exact-match lookups of encrypted fields"),
    Var("REDIS_URL", str, "", "Redis for cache and Celery; empty = in-process (embedded mode)"),
    Var("CELERY_ALWAYS_EAGER", bool, True, "Run background tasks in-process (embedded mode)"),
    Var("MEDIA_ROOT", str, str(BASE_DIR / "var" / "media"), "Uploaded files"),
    Var("STATIC_ROOT", str, str(BASE_DIR / "var" / "static"), "collectstatic target"),
    Var("MAP_TILE_URL", str, "", "Tile URL template for Leaflet (intranet tile server); empty = no base layer"),
    Var("MAP_TILE_CRS", str, "WGS84", "CRS of the tile layer: WGS84, GCJ02 or BD09 (geometry is converted on the way out)"),
    Var("SESSION_IDLE_SECONDS", int, 1800, "Idle timeout for signed-in sessions"),
    Var("TIME_ZONE", str, "Asia/Shanghai", "Local time zone"),
    Var("SECURE_COOKIES", bool, True, "Secure cookies and HSTS (production settings)"),
    Var("NOTIFICATION_BACKEND", str, "grassroots.core.notifications.LoggingBackend",
        "Outbound notification backend: core.notifications.LoggingBackend (embedded; phone messages kept in an "
        "in-process outbox), core.phone_gateways.SmsGatewayBackend or core.phone_gateways.WeComBackend"),
    Var("SMS_GATEWAY_URL", str, "", "SMS gateway endpoint (POST JSON phone, text, sign) for the SMS backend"),
    Var("SMS_GATEWAY_TOKEN", str, "", "Bearer token of the SMS gateway"),
    Var("SMS_SIGN_NAME", str, "基层治理", "SMS signature (签名) sent with each message"),
    Var("WECOM_API_BASE", str, "https://qyapi.weixin.qq.com", "企业微信 API base URL (an intranet proxy may stand in)"),
    Var("WECOM_CORP_ID", str, "", "企业微信 corp id"),
    Var("WECOM_CORP_SECRET", str, "", "企业微信 application secret"),
    Var("WECOM_AGENT_ID", str, "", "企业微信 application agent id"),
    Var("PHONE_OUTBOX_PAGE", bool, False,
        "Show the staff-only phone outbox page (/core/outbox/) of the embedded backend; demo and development only"),
    Var("LOG_LEVEL", str, "INFO", "Root log level"),
    Var("LOG_FORMAT", str, "plain", "Log lines: plain text, or json (one JSON object a line, with the request id)"),
    Var("METRICS_TOKEN", str, "", "Bearer token Prometheus sends to /metrics; empty = only direct requests from this "
        "machine"),
]


@dataclass(frozen=True)
class _Env:
    values: dict = field(default_factory=dict)

    def __getattr__(self, name: str):
        try:
            return self.values[name]
        except KeyError as exc:  # pragma: no cover - programming error
            raise AttributeError(f"undeclared environment variable {name}") from exc


def load() -> _Env:
    return _Env({var.name: var.read() for var in VARIABLES})


ENV = load()
