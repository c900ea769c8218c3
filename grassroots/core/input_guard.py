"""Refuses, at the edge and in one place, text no field may hold: NUL characters and lone UTF-16 surrogates.

PostgreSQL refuses NUL in text and SQLite's driver refuses lone surrogates; either would otherwise surface as a
server error deep inside a write. Query strings, form fields and JSON bodies are checked before any view runs;
file uploads are not text and are left alone. The answer is a 400 in the platform's error format (JSON for the
API, a short page elsewhere).
"""

from __future__ import annotations

import re

from django.http import HttpResponse, JsonResponse

# A JSON escape for NUL, or a surrogate escape that is not half of a pair.
_BAD_JSON_ESCAPE = re.compile(
    r"\\u0000|\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")
# Characters a person never means in a name or a short text: bidirectional overrides and isolates (which make
# text display in another order than it is stored) and zero-width characters (which make two equal-looking names
# differ). Refused where names and short texts come in (imports and the people services).
HIDDEN_CHARACTERS = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

MESSAGE_ZH = "输入中含有无法保存的字符（空字符或不成对的代理字符）"
MESSAGE_EN = "The input holds characters that cannot be stored (NUL or a lone surrogate)"


def hidden_characters(value: str) -> list[str]:
    """The hidden or direction-changing characters in ``value``, as U+XXXX codes (empty when there are none)."""
    return sorted({f"U+{ord(c):04X}" for c in HIDDEN_CHARACTERS.findall(value)})


def bad_text(value: str) -> bool:
    return bool(_BAD_CHAR.search(value))


def _bad_body(request) -> bool:
    content_type = request.content_type or ""
    if content_type == "application/json":
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError:
            return False  # the API answers undecodable JSON with its own 400
        return bool(_BAD_JSON_ESCAPE.search(text) or "\x00" in text)
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any(bad_text(v) or bad_text(k) for k, values in request.POST.lists() for v in values)
    return False


def refuse(request) -> HttpResponse:
    if request.path.startswith("/api/") or request.path.startswith("/open311/"):
        return JsonResponse({"code": "invalid_characters", "message": MESSAGE_ZH, "message_zh": MESSAGE_ZH,
                             "message_en": MESSAGE_EN}, status=400)
    return HttpResponse(f"{MESSAGE_ZH}\n{MESSAGE_EN}\n", status=400, content_type="text/plain; charset=utf-8")


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(bad_text(k) or bad_text(v) for k, values in request.GET.lists() for v in values):
            return refuse(request)
        if request.method in ("POST", "PUT", "PATCH") and _bad_body(request):
            return refuse(request)
        return self.get_response(request)



