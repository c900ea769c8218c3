"""Through the pages only: a resident registers with a phone code read from the test backend, the community
office confirms the match, and the resident sees their own reports (and no one else's)."""

import re

import pytest

from grassroots.cases.states import Channel
from grassroots.cases.tests.factories import report
from grassroots.core import notifications
from grassroots.people import services
from tests.support.world import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = "13912345678"


def test_a_resident_registers_with_a_phone_code_is_confirmed_and_sees_their_reports(browser_page, chromium,
                                                                                     live_server, world):
    page, w = browser_page, world
    person = services.person_create(actor=w.community_secretary, name="王居民", phone=PHONE, building=w.b1,
                                    room="1-101")
    report(w, channel=Channel.HOTLINE, reporter_person=person, title="楼道灯不亮", reporter_name="王居民")
    report(w, channel=Channel.HOTLINE, reporter_person=w.person3, title="别人家的漏水", grid_index=2)

    page.goto("/accounts/login/")
    page.click("a:has-text('注册账号')")
    page.fill("#id_phone", PHONE)
    page.click("button[value=send]")
    page.wait_for_selector("text=验证码已发送")
    text = next(m.text for m in notifications.phone_outbox() if m.phone == PHONE)
    page.fill("#id_code", re.search(r"\d{6}", text).group(0))
    page.fill("#id_name", "王居民")
    page.select_option("#id_community", str(w.c1.pk))
    page.fill("#id_username", "wangjumin")
    page.fill("#id_password", "Resident#2026")
    page.click("button[value=register]")
    page.wait_for_selector("text=请等待社区工作人员确认")
    page.goto("/cases/mine/")
    assert "楼道灯不亮" not in page.content()  # not matched yet: the account is no one's

    staff_context = chromium.new_context(locale="zh-CN", base_url=live_server.url)
    staff = staff_context.new_page()
    staff.set_default_timeout(15000)
    try:
        browser_login(staff, w.community_staff.username, w.password)
        staff.goto("/people/claims/")
        staff.click("table a:has-text('王居民')")
        assert "手机号一致" in staff.inner_text("table")
        staff.click("button:has-text('确认关联')")
        staff.wait_for_selector("text=已确认并关联人员")
    finally:
        staff_context.close()

    page.goto("/cases/mine/")
    body = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    assert "楼道灯不亮" in body
    assert "别人家的漏水" not in body
