"""English everywhere: the language switch, translated pages, models, forms, and a complete, compiled catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from grassroots.core.testing import login_verified

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"
SOURCE_ROOTS = [Path(settings.BASE_DIR) / "grassroots", Path(settings.BASE_DIR) / "config"]
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd%]|\{\{[^}]*\}\}")


def switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def catalogue():
    return polib.pofile(str(PO_PATH))


def test_login_page_is_chinese_by_default(client, db):
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "用户名" in html and "密码" in html


def test_switching_the_language_shows_the_login_page_in_english(client, db):
    switch_to_english(client)
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert "Username" in html and "Password" in html and "Sign in" in html
    assert "Data for official use only" in html
    assert "用户名" not in html
    assert 'value="zh-hans"' in html  # the switch now offers the way back to Chinese


def test_switching_back_to_chinese_restores_chinese_text(client, db):
    switch_to_english(client)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    html = client.get(reverse("login")).content.decode()
    assert "用户名" in html and "Username" not in html


@pytest.mark.parametrize("role", ["community_staff", "grid_worker", "subdistrict_officer", "resident"])
def test_home_page_and_menu_are_english_after_the_switch(client, world, role):
    user = {"community_staff": world.community_staff, "grid_worker": world.grid_worker,
            "subdistrict_officer": world.subdistrict_officer, "resident": world.resident}[role]
    login_verified(client, user)
    switch_to_english(client)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Workbench" in html and "Sign out" in html and "Notification" in html
    labels = [str(item["label"]) for item in response.context["nav_items"]]
    assert labels, "the menu should not be empty"
    untranslated = [label for label in labels if CJK.search(label)]
    assert untranslated == []


def test_menu_is_chinese_without_the_switch(client, world):
    login_verified(client, world.community_staff)
    response = client.get(reverse("home"))
    assert "工作台" in response.content.decode()
    assert any(CJK.search(str(item["label"])) for item in response.context["nav_items"])


def test_model_names_and_field_labels_translate_to_english():
    from grassroots.cases.models import Case
    from grassroots.territory.models import Region

    with translation.override("en"):
        assert str(Case._meta.verbose_name) == "Case"
        assert str(Case._meta.get_field("title").verbose_name) == "Title"
        assert str(Region._meta.verbose_name) in {"Region", "Area"}
    with translation.override("zh-hans"):
        assert str(Case._meta.verbose_name) == "事件"


def test_form_errors_and_labels_show_in_english():
    from grassroots.core.forms import AuditFilterForm

    with translation.override("en"):
        form = AuditFilterForm(data={"date_from": "2026-11-20", "date_to": "2026-11-01"})
        assert not form.is_valid()
        assert form.errors["date_to"] == ["The end date cannot be before the start date"]
        assert str(form.fields["date_from"].label) == "Start date"
    with translation.override("zh-hans"):
        form = AuditFilterForm(data={"date_from": "2026-11-20", "date_to": "2026-11-01"})
        assert not form.is_valid()
        assert form.errors["date_to"] == ["结束日期不能早于开始日期"]


def test_plural_messages_follow_the_count_in_english():
    with translation.override("en"):
        assert translation.ngettext("%(n)d 分钟", "%(n)d 分钟", 1) % {"n": 1} == "1 minute"
        assert translation.ngettext("%(n)d 分钟", "%(n)d 分钟", 5) % {"n": 5} == "5 minutes"


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    po = catalogue()
    assert len(po) > 100
    assert po.untranslated_entries() == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert not po.metadata_is_fuzzy


def test_translations_keep_every_placeholder_and_contain_no_chinese():
    problems = []
    for entry in catalogue().translated_entries():
        pairs = [(entry.msgid, entry.msgstr)] if not entry.msgid_plural else [
            (entry.msgid, entry.msgstr_plural[0]), (entry.msgid_plural, entry.msgstr_plural[1])]
        for source, target in pairs:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target)):
                problems.append((source, target))
            if CJK.search(target):
                problems.append((source, target))
    assert problems == []


def test_compiled_catalogue_is_committed_and_matches_the_po_file():
    """The .mo ships with the code, so a fresh clone needs no gettext tools; it must not lag behind the .po."""
    assert MO_PATH.exists()
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(MO_PATH))}
    stale = []
    for entry in catalogue().translated_entries():
        got = compiled.get((entry.msgctxt, entry.msgid))
        want = (entry.msgstr, {int(k): v for k, v in entry.msgstr_plural.items()})
        if got is None or (got[0], {int(k): v for k, v in got[1].items()}) != want:
            stale.append(entry.msgid)
    assert stale == []


TEMPLATE_LITERAL = re.compile(r"""{%\s*trans(?:late)?\s+("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')(?:\s+(?:noop|as\s+\w+))?\s*%}""")
PYTHON_LITERAL = re.compile(r"""(?<![\w.])(?:_|gettext|gettext_lazy)\(\s*("(?:[^"\\\n]|\\.)*")\s*[,)]""")


def source_messages() -> dict[str, str]:
    """Literal messages marked in templates and Python sources (tests, migrations and bench excluded)."""
    found: dict[str, str] = {}
    for root in SOURCE_ROOTS:
        for path in root.rglob("*"):
            if any(part in {"tests", "migrations", "__pycache__", "locale", "static"} for part in path.parts):
                continue
            if path.suffix == ".html":
                text = path.read_text(encoding="utf-8")
                for literal in TEMPLATE_LITERAL.findall(text) + PYTHON_LITERAL.findall(text):
                    found.setdefault(literal[1:-1], str(path))
            elif path.suffix == ".py":
                for literal in PYTHON_LITERAL.findall(path.read_text(encoding="utf-8")):
                    found.setdefault(ast.literal_eval(literal), str(path))
    return {msgid: where for msgid, where in found.items() if CJK.search(msgid)}


def test_every_marked_chinese_string_in_the_sources_is_in_the_catalogue():
    known = {e.msgid for e in catalogue()}
    messages = source_messages()
    assert len(messages) > 100
    missing = {msgid: where for msgid, where in messages.items() if msgid not in known}
    assert missing == {}, "run makemessages (see docs) and translate the new messages"
