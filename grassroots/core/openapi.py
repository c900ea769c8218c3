"""One error schema for the whole API, and every operation's error responses documented with it.

Every refusal the API sends has the same body (``ApplicationError.as_dict`` and the handlers in ``config/api.py``):
``code`` and ``message`` always, the message in both languages, and the field, details or per-field errors where
they apply. ``document_errors`` adds the statuses an operation can answer with — 400, 401, 403, 404, 409, 429 — to each
operation of the published OpenAPI, so clients (and the fuzzing pass) can rely on the document.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema

ERROR_STATUSES = {
    400: "输入有误 / invalid input",
    401: "未登录或凭据无效 / authentication required",
    403: "无权进行此操作 / not permitted",
    404: "对象不存在或不在权限范围内 / not found (or outside one's scope)",
    409: "状态已变化 / conflict with the current state",
    429: "请求过于频繁 / too many requests (phone codes, invitation codes)",
}


class ErrorOut(Schema):
    code: str
    message: str
    message_zh: str | None = None
    message_en: str | None = None
    field: str | None = None
    details: dict[str, Any] | None = None
    errors: list[dict[str, Any]] | None = None


def error_body(code: str, zh: str, en: str, **extra) -> dict:
    return {"code": code, "message": zh, "message_zh": zh, "message_en": en, **extra}


def document_errors(schema: dict) -> dict:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components["Error"]["title"] = "Error"
    ref = {"$ref": "#/components/schemas/Error"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, description in ERROR_STATUSES.items():
                operation["responses"].setdefault(status, {
                    "description": description, "content": {"application/json": {"schema": ref}}})
    return schema
