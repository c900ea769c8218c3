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

from tests.support.world import login_verified

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


STRING = r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'"""
TEMPLATE_LITERAL = re.compile(
    rf"""{{%\s*trans(?:late)?\s+({STRING})(?:\s+context\s+({STRING}))?(?:\s+(?:noop|as\s+\w+))*\s*%}}""")
PYTHON_LITERAL = re.compile(r"""(?<![\w.])(?:_|gettext|gettext_lazy)\(\s*("(?:[^"\\\n]|\\.)*")\s*[,)]""")
PYTHON_CONTEXT_LITERAL = re.compile(
    r"""(?<![\w.])(?:pgettext|pgettext_lazy)\(\s*("(?:[^"\\\n]|\\.)*")\s*,\s*("(?:[^"\\\n]|\\.)*")\s*[,)]""")


def messages_in(text: str, suffix: str) -> list[tuple[str | None, str]]:
    """(context, msgid) of every literal message marked in one template or Python source."""
    found: list[tuple[str | None, str]] = []
    if suffix == ".html":
        for literal, context in TEMPLATE_LITERAL.findall(text):
            found.append((context[1:-1] or None, literal[1:-1]))
        found += [(None, literal[1:-1]) for literal in PYTHON_LITERAL.findall(text)]
    elif suffix == ".py":
        found += [(None, ast.literal_eval(literal)) for literal in PYTHON_LITERAL.findall(text)]
        found += [(ast.literal_eval(context), ast.literal_eval(literal))
                  for context, literal in PYTHON_CONTEXT_LITERAL.findall(text)]
    return found


def source_messages() -> dict[tuple[str | None, str], str]:
    """Literal messages marked in templates and Python sources (tests, migrations and bench excluded), keyed by
    (context, msgid): a message marked with a context (``pgettext_lazy("menu", …)``) needs its own entry."""
    found: dict[tuple[str | None, str], str] = {}
    for root in SOURCE_ROOTS:
        for path in root.rglob("*"):
            if any(part in {"tests", "migrations", "__pycache__", "locale", "static"} for part in path.parts):
                continue
            if path.suffix in {".html", ".py"}:
                for key in messages_in(path.read_text(encoding="utf-8"), path.suffix):
                    found.setdefault(key, str(path))
    return {key: where for key, where in found.items() if CJK.search(key[1])}


def test_every_marked_chinese_string_in_the_sources_is_in_the_catalogue():
    known = {(e.msgctxt, e.msgid) for e in catalogue()}
    messages = source_messages()
    assert len(messages) > 100
    missing = {(f"{context}|" if context else "") + msgid: where
               for (context, msgid), where in messages.items() if (context, msgid) not in known}
    assert missing == {}, "run makemessages (see docs) and translate the new messages"


def test_messages_with_a_context_are_extracted_and_need_their_own_entry():
    py = 'register(pgettext_lazy("menu", "组织"), "x")\nlabel = _("组织")\n'
    assert messages_in(py, ".py") == [(None, "组织"), ("menu", "组织")]
    html = '{% translate "组织" context "menu" %} {% translate "人员" %} {% trans "岗位" context "menu" as x %}'
    assert messages_in(html, ".html") == [("menu", "组织"), (None, "人员"), ("menu", "岗位")]
    assert ("menu", "组织") in source_messages()
    known = {(e.msgctxt, e.msgid) for e in catalogue()}
    assert ("menu", "组织") in known and (None, "组织") in known
    assert ("menu", "不存在的菜单项") not in known  # what the check above reports as missing


def test_menu_labels_read_as_menu_entries_in_english():
    with translation.override("en"):
        assert translation.pgettext("menu", "组织") == "Organisations"
        assert translation.gettext("组织") == "Organisation"  # the model's name stays singular
    with translation.override("zh-hans"):
        assert translation.pgettext("menu", "组织") == "组织"


def test_the_english_menu_shows_plural_section_names(client, world):
    login_verified(client, world.community_staff)
    switch_to_english(client)
    response = client.get(reverse("home"))
    labels = [str(item["label"]) for item in response.context["nav_items"]]
    assert "Organisations" in labels and "People" in labels and "Cases" in labels
    assert "Organisation" not in labels and "Person" not in labels
    assert ">Organisations</a>" in response.content.decode()
