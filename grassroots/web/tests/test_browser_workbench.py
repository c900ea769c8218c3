"""The workbench in a real browser: the grid worker and the resident on a 390×844 phone, community staff on a
desktop. The counts are right, the first action works, and the phone's first screen holds the buttons and counts.

With ``WORKBENCH_SCREENSHOTS=<dir>`` the three workbenches are saved there as PNG (docs/screenshots/ holds the
committed ones shown in the README).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grassroots.cases.states import Status
from grassroots.cases.tests.factories import make_case
from grassroots.deliberation import services as delib
from tests.support.world import PASSWORD, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def shoot(page, name):
    folder = os.environ.get("WORKBENCH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"workbench-{name}.png"))


def tally(page, key) -> int:
    return int(page.locator(f"[data-tally='{key}'] .n").inner_text())


@pytest.fixture
def cases(world):
    for status in (Status.REPORTED, Status.REPORTED, Status.ACCEPTED, Status.HANDLED, Status.HANDLED):
        make_case(world, status)
    make_case(world, Status.REPORTED, channel="resident")
    delib.topic_create(actor=world.resident, scope_region=world.c1, title="小区南门外路灯不亮",
                       description="晚上回家看不清路，老人孩子容易摔倒")
    return world


def test_grid_worker_on_a_phone_sees_the_count_and_reports_first(chromium, live_server, cases):
    context = chromium.new_context(locale="zh-CN", base_url=live_server.url, viewport=PHONE, is_mobile=True)
    page = context.new_page()
    try:
        browser_login(page, "grid1", PASSWORD)
        assert tally(page, "cases.to_verify") == 2
        first = page.locator(".wb-actions a").first
        assert first.inner_text() == "巡查上报"
        shoot(page, "grid-worker-phone")
        # the buttons and every count are on the first screen
        bottom = page.locator(".wb-post").last.bounding_box()
        assert bottom["y"] + bottom["height"] <= PHONE["height"]
        # the menu: one button opens it, the search box narrows it
        assert not page.locator("#mainnav").is_visible()
        page.click("button.menu-toggle")
        page.fill("[data-menu-filter]", "巡查")
        visible = [t.strip() for t in page.locator(".navsec-items a:visible").all_inner_texts()]
        assert visible == ["网格巡查上报"]
        page.click("button.menu-toggle")
        first.click()
        page.wait_for_url("**/cases/patrol/**")
        assert page.locator("form").count() >= 1
        # the count links to the list it counts
        page.goto("/")
        page.click("[data-tally='cases.to_verify']")
        page.wait_for_url("**queue=to_verify**")
        assert page.locator("table tbody tr, .case-row").count() >= 2
    finally:
        context.close()


def test_resident_on_a_phone_reports_first_and_sees_their_reports(chromium, live_server, cases):
    context = chromium.new_context(locale="zh-CN", base_url=live_server.url, viewport=PHONE, is_mobile=True)
    page = context.new_page()
    try:
        browser_login(page, "resident1", PASSWORD)
        assert tally(page, "cases.my_reports") == 1
        first = page.locator(".wb-actions a").first
        assert first.inner_text() == "我要反映"
        shoot(page, "resident-phone")
        bottom = page.locator(".wb-post").last.bounding_box()
        assert bottom["y"] + bottom["height"] <= PHONE["height"]
        first.click()
        page.wait_for_url("**/cases/report/**")
    finally:
        context.close()


def test_community_staff_on_a_desktop_see_their_queues_and_open_one(chromium, live_server, cases):
    context = chromium.new_context(locale="zh-CN", base_url=live_server.url, viewport=DESKTOP)
    page = context.new_page()
    try:
        browser_login(page, "staff1", PASSWORD)
        assert tally(page, "cases.to_accept") == 3
        assert tally(page, "cases.to_dispatch") == 1
        assert tally(page, f"deliberation.topics_collected.{cases.c1.code}") == 1
        assert page.locator("#mainnav").is_visible()  # the menu stands beside the workbench
        shoot(page, "community-staff-desktop")
        page.click("[data-tally='cases.to_accept']")
        page.wait_for_url("**queue=to_accept**")
        assert page.locator("details[data-section='cases'][open]").count() == 1
    finally:
        context.close()
