"""Templates stay within the Content Security Policy: no inline scripts, inline styles or hx-on attributes."""

import re
from pathlib import Path

from django.conf import settings

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
HX_ON = re.compile(r"\shx-on", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son(click|load|change|submit|input)\s*=", re.IGNORECASE)


def offenders() -> list[str]:
    found = []
    for path in sorted((Path(settings.BASE_DIR) / "grassroots").glob("*/templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for name, pattern in [("inline <script>", INLINE_SCRIPT), ("style attribute", STYLE_ATTRIBUTE),
                              ("hx-on", HX_ON), ("inline event handler", EVENT_HANDLER)]:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{line}: {name}")
    return found


def test_the_checker_recognises_inline_code():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/web/app.js"></script>')
    assert STYLE_ATTRIBUTE.search('<div style="color:red">')
    assert HX_ON.search('<button hx-on:click="x">')


def test_no_template_uses_inline_script_style_or_hx_on():
    assert offenders() == []


def test_pages_are_served_with_a_strict_content_security_policy(client, world):
    client.force_login(world.grid_worker)
    response = client.get("/notifications/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
