"""The intake form shows open cases of the chosen category nearby before one files (real browser, real GPS API)."""

from __future__ import annotations

import pytest

from grassroots.cases.tests.factories import make_category, report
from tests.support.world import PASSWORD, browser_login, centre

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_patrol_form_lists_open_cases_nearby_once_category_and_position_are_known(chromium, live_server,
                                                                                        world):
    category = make_category("0102", name="积存垃圾渣土")
    lon, lat = centre(0)
    existing = report(world, category=category, lon=lon, lat=lat, title="小区门口垃圾堆积").case
    context = chromium.new_context(locale="zh-CN", base_url=live_server.url, permissions=["geolocation"],
                                   geolocation={"longitude": lon + 0.0002, "latitude": lat})  # ~18 m away
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        browser_login(page, "grid1", PASSWORD)
        page.goto("/cases/patrol/")
        page.wait_for_selector("[data-geo-status].ok")
        assert page.locator("[data-nearby] .nearby-cases").count() == 0  # no category yet
        page.fill("input[name=category]", "0102 积存垃圾渣土")
        page.dispatch_event("input[name=category]", "change")
        page.wait_for_selector("[data-nearby] .nearby-cases")
        text = page.inner_text("[data-nearby]")
        assert existing.reference in text and "18 米" in text and "小区门口垃圾堆积" in text
        # The reporter may still file: the form is untouched and submits.
        page.fill("input[name=title]", "另一处垃圾")
        page.click("form[data-case-intake] button[type=submit]")
        page.wait_for_selector("#case-panel[data-status='reported']")
    finally:
        context.close()
