"""Through the pages only: the project's commissioner files November's investment, which turns the project's light
from green to yellow, and the monthly dispatch report shows it in yellow with its reason."""

from decimal import Decimal

import pytest

from tests.support.world import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_monthly_report_turns_the_light_yellow_and_the_dispatch_report_shows_it(browser_page, kp):
    from grassroots.keyprojects import services

    page, w = browser_page, kp.w
    for month in range(1, 11):  # 950 of the 1,200 plan by October: 79.2 % against 83.3 % elapsed
        services.report_submit(actor=kp.staff, project=kp.project, year=2026, month=month, planned_wan="100",
                               completed_wan="95")

    browser_login(page, kp.commissioner.username, w.password)
    page.goto("/keyprojects/")
    row = page.locator("tr", has_text="高端陶瓷粉体项目")
    assert row.locator("[data-light]").get_attribute("data-light") == "green"  # November is judged on October
    row.locator("a", has_text="高端陶瓷粉体项目").click()
    page.wait_for_selector("#light-reasons")
    assert page.locator("h2 [data-light]").get_attribute("data-light") == "green"
    page.click("summary:has-text('填报投资完成')")
    assert page.locator("#r-month").input_value() == "11"
    page.fill("#r-planned", "100")
    page.fill("#r-completed", "20")
    page.click("button:has-text('提交填报')")
    page.wait_for_selector("text=已填报投资完成情况")
    assert page.locator("h2 [data-light]").get_attribute("data-light") == "yellow"
    assert page.locator("#light-reasons").inner_text().count("相差 10.9 个百分点") == 1
    assert page.locator("#investment tr", has_text="970").count() == 1  # year to date 950 + 20

    page.goto("/keyprojects/")
    page.click("a:has-text('月调度报告')")
    page.wait_for_selector("#dispatch")
    line = page.locator("#dispatch tr", has_text="高端陶瓷粉体项目")
    assert line.locator("[data-light]").get_attribute("data-light") == "yellow"
    assert "相差 10.9 个百分点" in line.inner_text()
    assert "黄灯 1" in page.locator("#dispatch-summary").inner_text()
    kp.project.refresh_from_db()
    assert kp.project.reports.get(ym=202611).completed_wan == Decimal("20")
