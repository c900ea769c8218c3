"""Errors the user can act on (docs/architecture.md § Conventions 5).

Services raise these; the API maps them to JSON with a code and a message, pages show them next to the field.
Every error carries a Chinese and an English message; ``str(err)`` gives the one for the active language.
"""

from __future__ import annotations

from django.utils import translation


class ApplicationError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, zh: str, en: str | None = None, *, code: str | None = None, field: str | None = None,
                 details: dict | None = None):
        self.zh = zh
        self.en = en or zh
        if code:
            self.code = code
        self.field = field
        self.details = details or {}
        super().__init__(zh)

    @property
    def message(self) -> str:
        lang = translation.get_language() or "zh-hans"
        return self.en if lang.startswith("en") else self.zh

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": self.message, "message_zh": self.zh, "message_en": self.en}
        if self.field:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body


class ValidationFailed(ApplicationError):
    status = 400
    code = "invalid"


class NotFound(ApplicationError):
    """Missing, or outside the actor's scope: the two look the same."""

    status = 404
    code = "not_found"

    def __init__(self, zh: str = "对象不存在", en: str | None = "Not found", **kw):
        super().__init__(zh, en, **kw)


class NotPermitted(ApplicationError):
    """Visible to the actor, but the actor's role may not do this."""

    status = 403
    code = "not_permitted"


class Conflict(ApplicationError):
    """Someone else moved first, or the object is not in a state that allows this move."""

    status = 409
    code = "conflict"


class RateLimited(ApplicationError):
    """Too many requests for now (a phone code resent too soon, too many codes for a phone or an address);
    ``details["retry_after"]`` says how many seconds to wait when it is known."""

    status = 429
    code = "rate_limited"
