"""Every page, as every role, in both languages: no Chinese in English pages, no raw codes in either.

The sweep requests every URL pattern that answers a page (files, feeds and machine formats aside) with GET, with
real object ids (``sweep_world``), as every role of the test world and as an anonymous visitor, in Chinese and in
English. From each HTML answer it takes what a person reads: text, and the ``title``, ``placeholder``,
``aria-label`` and ``alt`` attributes. It leaves out

- user data: elements marked ``data-user`` (templates put it on elements whose text someone typed: titles,
  descriptions, notes, names), and text stored in the database (region, person and organisation names, catalogue
  names: data, shown as entered, in either language);
- the language switch (``class="lang"``), which names each language in itself, and scripts and styles.

What is left must hold no Chinese character in English, and no raw identifier in either language: a snake_case or
dotted code (``community_staff``, ``in_progress``, ``case.dispatch``), or in Chinese pages any bare choice value
(``closed``). docs/architecture.md § Languages says how pages avoid both.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.support.world import login_verified

from .sweep_world import build_sweep_world, url_kwargs

CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3001-\u3011]+")
CODE = re.compile(r"(?<![\w./:@-])[a-z][a-z0-9]+(?:[_.][a-z0-9]+)+(?![\w/@-])")
WORD = re.compile(r"(?<![\w./:@-])[a-z]+(?:_[a-z]+)*(?![\w/@-])")
SKIP_NAMESPACES = {"admin", "api", "djdt", "open311"}
SKIP_NAMES = {"set_language", "logout", "healthz", "javascript-catalog", "core:attachment_file"}
FILE_ROUTE = re.compile(r"\.(pdf|xlsx|json|geojson|xml)\$?$|/(export|template)/$|(template|ballot|sign-in)\.")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
READ_ATTRS = ("title", "placeholder", "aria-label", "alt")


class ReadableText(HTMLParser):
    """The text a person reads on a page, without user data, the language switch, scripts and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_tag: str | None = None
        self.skip_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.skip_tag:
            if tag == self.skip_tag and tag not in VOID:
                self.skip_depth += 1
            return
        classes = (attrs.get("class") or "").split()
        if "data-user" in attrs or tag in {"script", "style", "code"} or "lang" in classes:
            if tag not in VOID:
                self.skip_tag, self.skip_depth = tag, 1
            return
        self.parts += [attrs[a] for a in READ_ATTRS if attrs.get(a)]
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if self.skip_tag and tag == self.skip_tag:
            self.skip_depth -= 1
            if self.skip_depth == 0:
                self.skip_tag = None

    def handle_data(self, data):
        if not self.skip_tag and data.strip():
            self.parts.append(data)


def readable_text(html: str) -> str:
    parser = ReadableText()
    parser.feed(html)
    return "\n".join(parser.parts)


def absent_object(pattern: URLPattern) -> dict | None:
    """Arguments naming no object, for a pattern the sweep's world has built nothing for: the page answers its
    not-found page (which must be translated too). Every pattern whose object the world builds is in url_kwargs."""
    converters = pattern.pattern.converters
    if not converters:
        return None
    return {key: 999_999 if type(conv).__name__ == "IntConverter" else "absent" for key, conv in converters.items()}


def page_urls(w, o) -> list[tuple[str, str]]:
    """(URL name, path) of every pattern that answers a page."""
    kwargs = url_kwargs(w, o)
    found: list[tuple[str, str]] = []

    def walk(patterns, namespaces, route):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, namespaces + ((p.namespace,) if p.namespace else ()), route + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name:
                name = ":".join((*namespaces, p.name))
                if namespaces and namespaces[0] in SKIP_NAMESPACES or name in SKIP_NAMES:
                    continue
                if FILE_ROUTE.search(route + str(p.pattern)):
                    continue
                name = ":".join((*namespaces, p.name))
                found.append((name, reverse(name, kwargs=kwargs.get(name) or absent_object(p))))

    walk(get_resolver().url_patterns, (), "")
    return found


def stored_text() -> re.Pattern:
    """Every text value the sweep's world stored (names, titles, notes): data, shown as entered."""
    values: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label in {"admin", "sessions", "contenttypes", "auth"} or model._meta.label == "core.Event":
            continue
        fields = [f.attname for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices]
        for row in model._default_manager.values_list(*fields) if fields else ():
            for value in row:
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str) and item.strip() and CJK.search(item) and not CODE.fullmatch(item):
                        values.add(item.strip())
    from grassroots.people.models import User

    for username, display_name in User.objects.values_list("username", "display_name"):
        values.update(v for v in (username, display_name) if v)  # accounts' names, however they are spelled
    return re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))


def choice_values() -> set[str]:
    """Stored values of every choice field of the project's models (codes a page must show by their label)."""
    values: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("grassroots."):
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_]*", value):
                    values.add(value)
    return values


def findings_on(text: str, language: str, codes: set[str]) -> list[str]:
    found = [f"code {m}" for m in CODE.findall(text)]
    if language == "en":
        found += [f"Chinese {m}" for m in CJK.findall(text)]
    else:
        found += [f"code {m}" for m in WORD.findall(text) if m in codes]
    return found


ROLES = ["anonymous", "grid_worker", "community_staff", "community_secretary", "subdistrict_officer",
         "department_handler", "hotline_operator", "zone_leader", "party_instructor", "enterprise_contact", "resident",
         "admin", "auditor"]


def run_sweep(client, w, o) -> dict[str, set[str]]:
    data = stored_text()
    codes = choice_values()
    urls = page_urls(w, o)
    problems: dict[str, set[str]] = {}
    pages = 0
    error_pages_read: set[int] = set()
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            login_verified(client, getattr(w, role))
        shown: set[str] = set()
        for language in ("en", "zh-hans"):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            for name, path in urls:
                if language != "en" and name not in shown:
                    continue  # what a role may not open answers the same in both languages
                response = client.get(path)
                if response.status_code == 200:
                    shown.add(name)
                elif language == "en" and response.status_code not in error_pages_read:
                    shown.add(name)  # read each kind of error page once in Chinese too
                    error_pages_read.add(response.status_code)
                if response.streaming or "text/html" not in response.get("Content-Type", ""):
                    continue
                pages += 1
                text = data.sub(" ", readable_text(response.content.decode()))
                for finding in findings_on(text, language, codes):
                    problems.setdefault(f"{language} {name} {finding}", set()).add(role)
    assert pages > len(urls) * 4, "the sweep should read most pages as several roles"
    return problems


def report(problems: dict[str, set[str]]) -> str:
    return "\n".join(f"{key}  ({', '.join(sorted(roles))})" for key, roles in sorted(problems.items()))


def test_readable_text_leaves_out_user_data_code_the_language_switch_and_scripts():
    html = ('<p title="提示">正文 <span data-user>用户写的</span> <b>粗</b></p><img alt="图"><br>'
            '<form class="inline lang"><button>English</button></form><script>var a = "脚本";</script>'
            '<div data-user><div>嵌套</div>仍是数据</div><input type="submit" value="提交">尾<code>case.dispatch</code>')
    text = readable_text(html)
    for shown in ("提示", "正文", "粗", "图", "提交", "尾"):
        assert shown in text
    for hidden in ("用户写的", "English", "脚本", "嵌套", "仍是数据", "case.dispatch"):
        assert hidden not in text


def test_findings_name_chinese_in_english_and_raw_codes_in_either_language():
    codes = {"closed", "in_progress"}
    assert findings_on("Role: community_staff, status in_progress, case.dispatch", "en", codes) == [
        "code community_staff", "code in_progress", "code case.dispatch"]
    assert findings_on("状态 closed", "zh-hans", codes) == ["code closed"]
    assert findings_on("Status: closed 待受理", "en", codes) == ["Chinese 待受理"]
    assert findings_on("Address（Block 1）：", "en", codes) == ["Chinese （", "Chinese ）："]
    assert findings_on("Visit example.org/path or a@b.cn, e.g. 3.5 hours", "en", codes) == []


def test_every_page_as_every_role_shows_no_untranslated_text_and_no_raw_codes(client, world):
    """Both languages in one pass over one world (building it is the slow part)."""
    o = build_sweep_world(world)
    problems = run_sweep(client, world, o)
    if problems:
        pytest.fail(f"{len(problems)} findings:\n{report(problems)}", pytrace=False)


def test_every_transition_label_has_an_english_entry_and_reads_in_english():
    """Transition rows translate their own labels (core.transitions.Transition); each needs a catalogue entry."""
    import importlib

    from django.utils import translation

    from grassroots.core.transitions import Transition

    labels = []
    for app in ("cases", "deliberation", "projects", "party"):
        for table in vars(importlib.import_module(f"grassroots.{app}.states")).values():
            if isinstance(table, dict):
                labels += [row.label for row in table.values() if isinstance(row, Transition)]
    assert len(labels) > 40
    with translation.override("en"):
        untranslated = sorted({str(label) for label in labels if CJK.search(str(label))})
    assert untranslated == []
    with translation.override("zh-hans"):
        assert all(CJK.search(str(label)) for label in labels)
