"""Through the pages only: a community secretary finds a resident by ID number, reveals the phone (audited),
and imports a roster after fixing the rows the preview reported."""

import pytest

from grassroots.people import services
from tests.support.world import browser_login, menu_click

from .factories import resident_id
from .xlsx import workbook_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_searches_reveals_and_imports(browser_page, world, tmp_path, settings):
    page, w = browser_page, world
    settings.MEDIA_ROOT = str(tmp_path / "media")
    number = resident_id()
    services.person_create(actor=w.community_secretary, name="周芳", id_number=number, phone="13912345678",
                           building=w.b1, room="2-201")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_bytes([["吴一", "", resident_id(), "", w.b1.code, "", "", ""],
                                    ["吴二", "", "370502198001010018", "", w.b1.code, "", "", ""]]))
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook_bytes([["吴一", "", resident_id(), "", w.b1.code, "", "", ""],
                                     ["吴二", "", resident_id(), "", w.b2.code, "", "", ""]]))

    browser_login(page, w.community_secretary.username, w.password)
    menu_click(page, "人员")
    page.fill("form[data-person-lookup] input[name=number]", number)  # by POST: the number stays out of the URL
    page.click("form[data-person-lookup] button[type=submit]")
    page.wait_for_selector("table a:has-text('周芳')")
    assert number not in page.url
    assert page.locator("tbody tr").count() == 1
    assert "139****5678" in page.inner_text("tbody")
    page.click("table a:has-text('周芳')")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("form:has(input[value=phone]) button:has-text('查看完整号码')")
    page.wait_for_selector("strong.revealed")
    assert page.inner_text("strong.revealed") == "13912345678"

    page.goto("/people/import/")
    page.set_input_files("input[type=file]", str(bad))
    page.click("button:has-text('检查')")
    page.wait_for_selector("table.errors")
    assert "第" not in page.inner_text("table.errors") and "校验位" in page.inner_text("table.errors")
    assert page.locator("table.errors tbody tr").count() == 1
    page.set_input_files("input[type=file]", str(good))
    page.click("button:has-text('检查')")
    page.wait_for_selector("button:has-text('确认导入 2 人')")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('确认导入 2 人')")
    page.wait_for_selector(".messages")
    assert "已导入 2 人" in page.inner_text(".messages")
    page.fill("input[name=q]", "吴")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("table a:has-text('吴二')")
    assert page.locator("tbody tr").count() == 2
