"""The year's distribution in a browser: the accountant enters the year's accounts and runs the trial, publishes
the notice, records the members' assembly (the vote passes), records the payout; a member then opens their account
on a phone (390 × 844) and sees their dividend and how it was worked out."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from grassroots.cooperatives.models import Plan
from grassroots.core import clock
from tests.support.world import browser_login, menu_click

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_accountant_runs_the_year_to_the_payout_and_a_member_reads_the_dividend_on_a_phone(
        browser_page, chromium, live_server, coop_world):
    w = coop_world
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, w.accountant.username, w.password)
    menu_click(page, "合作社")
    page.click("text=田甜合作社")
    page.wait_for_url(re.compile(r"/cooperatives/\d+/$"))
    page.click("#trial-form summary")
    page.fill("#t-year", "2025")
    page.fill("#t-income", "1860000")
    page.fill("#t-surplus", "500000")
    page.fill("#t-loss", "20000")
    page.click("#trial-form button[type=submit]")
    page.wait_for_url(re.compile(r"/cooperatives/plans/\d+/$"))
    assert page.inner_text("#plan-distributable").strip() == "432000.00"
    body = page.inner_text("main")
    assert "94585.26" in body and "162341.05" in body and "43313.69" in body
    plan_url = page.url

    page.click("#publish")
    assert page.inner_text("#plan-status") == "公示中"

    clock.freeze(clock.now() + dt.timedelta(days=20))  # the notice period is over, no objection
    page.context.clear_cookies()
    browser_login(page, w.accountant.username, w.password)
    page.goto(plan_url)
    for m in (w.m1, w.m2, w.m3, w.m4, w.m5):
        page.check(f"#assembly input[name=present][value='{m.pk}']")
    for m in (w.m2, w.m3, w.m4):
        page.check(f"#assembly input[name=yes][value='{m.pk}']")
    page.click("#decide")
    assert page.inner_text("#plan-status") == "成员大会已通过"
    page.click("#pay")
    assert page.inner_text("#plan-status") == "已分配"
    assert Plan.objects.get(cooperative=w.coop, year=2025).status == "paid"

    phone = chromium.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 390, "height": 844},
                                 is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    mobile.set_default_timeout(15000)
    try:
        browser_login(mobile, w.member_user.username, w.password)
        mobile.click("button.menu-toggle")  # the menu folds away on a phone
        menu_click(mobile, "合作社")
        mobile.click("text=田甜合作社 · 王大棚")
        mobile.wait_for_url(re.compile(r"/cooperatives/members/\d+/$"))
        dividend = mobile.inner_text("#dividend-2025")
        assert "162341.05" in dividend and "已兑付" in dividend
        assert "129600.00" in dividend and "32741.05" in dividend and "180000.00" in dividend  # the working
        assert "24000.00" in mobile.inner_text("#account")  # the reserve share added to the account
        width = mobile.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, "the member's page fits a phone's width"
    finally:
        phone.close()
