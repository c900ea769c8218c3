"""GeoReport v2 bodies in XML and JSON.

JSON drops the root element and always answers with an array (or, for discovery and a service definition, the
single object the spec shows); XML wraps each item in its element (``services/service``,
``service_requests/request`` …). Lists inside an item (``attributes/attribute``, ``values/value``,
``endpoints/endpoint``, ``formats/format``) are containers with one child element per entry.
"""

from __future__ import annotations

import datetime as dt
import json
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
# container element → child element name
CHILD = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format",
         "notes": "note", "errors": "error"}


def w3c(value: dt.datetime | None) -> str:
    """W3C datetime with the +08:00 offset the zone lives in; empty for None."""
    if value is None:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return w3c(value)
    return str(value)


def _xml_value(tag: str, value) -> str:
    if isinstance(value, dict):
        return f"<{tag}>{''.join(_xml_value(k, v) for k, v in value.items())}</{tag}>"
    if isinstance(value, (list, tuple)):
        child = CHILD.get(tag, "item")
        return f"<{tag}>{''.join(_xml_value(child, v) for v in value)}</{tag}>"
    text = _text(value)
    return f"<{tag}>{escape(text)}</{tag}>" if text != "" else f"<{tag}/>"


def xml_document(root: str, item: str | None, payload) -> str:
    if item is None:
        body = _xml_value(root, payload)
    else:
        body = f"<{root}>{''.join(_xml_value(item, p) for p in payload)}</{root}>"
    return '<?xml version="1.0" encoding="utf-8"?>' + body


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime):
        return w3c(value)
    return value


def render(fmt: str, root: str, item: str | None, payload, status: int = 200) -> HttpResponse:
    if fmt == "json":
        return HttpResponse(json.dumps(_jsonable(payload), ensure_ascii=False), status=status,
                            content_type=JSON_TYPE)
    return HttpResponse(xml_document(root, item, payload), status=status, content_type=XML_TYPE)


def error(fmt: str, status: int, description: str, *more: str) -> HttpResponse:
    items = [{"code": status, "description": d} for d in (description, *more)]
    return render(fmt, "errors", "error", items, status=status)
