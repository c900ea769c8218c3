"""The closed loop in a real browser (Debian chromium through Playwright), each step by its user via the login page.

a) 信息直通车 (anonymous, tracking code) → community accepts and dispatches with a co-handler → both units
   acknowledge, the co-handler finishes its part, the lead handles with a photo → the grid worker verifies → the
   resident rates with the tracking code;
b) a grid worker reports and resolves on the spot; community staff verify;
c) past a deadline the sweep escalates a case; it shows as 督办 in the subdistrict officer's inbox (with TOTP).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from PIL import Image

from grassroots.cases.states import Status
from grassroots.cases.tests.factories import make_case, make_category
from grassroots.core import clock
from tests.support.world import PASSWORD, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def jpeg(path) -> str:
    Image.new("RGB", (64, 48), (30, 120, 40)).save(path, "JPEG")
    return str(path)


def logout(page):
    page.click("button:has-text('退出')")
    page.wait_for_url("**/accounts/login/**")


def sign_in(page, username):
    browser_login(page, username, PASSWORD)
    assert page.locator("button:has-text('退出')").count() == 1, f"{username} could not sign in"


def open_case(page, reference, queue=None):
    page.goto("/cases/inbox/" + (f"?queue={queue}" if queue else ""))
    page.click(f"a:has-text('{reference}')")
    page.wait_for_selector("#case-panel")


def act(page, verb, expect_status=None):
    page.click(f"form[data-action='{verb}'] button[type=submit]")
    if expect_status:
        page.wait_for_selector(f"#case-panel[data-status='{expect_status}']")
    else:
        page.wait_for_load_state("networkidle")


def test_resident_report_is_dispatched_co_handled_verified_and_rated(browser_page, world, tmp_path):
    page = browser_page
    make_category("0102", name="积存垃圾渣土")

    # 1. an anonymous resident reports through 信息直通车 and keeps the tracking code
    page.goto("/cases/report/")
    page.fill("input[name=category]", "0102 积存垃圾渣土")
    page.fill("input[name=title]", "小区门口垃圾堆积")
    page.fill("textarea[name=description]", "已经三天没人清理")
    page.select_option("select[name=region]", str(world.g1.pk))
    page.check("input[name=anonymous]")
    page.click("form[data-case-intake] button[type=submit]")
    code = page.locator("[data-tracking-code]").inner_text().strip()
    assert len(code) == 12
    reference = page.locator("[data-reference]").inner_text().strip()

    # 2. community staff accept and dispatch to 城市管理局 with 住房和城乡建设局 as co-handler
    sign_in(page, "staff1")
    open_case(page, reference, "to_accept")
    act(page, "accept", "accepted")
    page.select_option("select[name=dispatch-lead]", str(world.dept_city.pk))
    page.check(f"input[name=dispatch-co_handlers][value='{world.dept_housing.pk}']")
    act(page, "dispatch", "dispatched")
    logout(page)

    # 3. both units acknowledge; the co-handler finishes its part; the lead handles with a photo
    sign_in(page, "dept_city")
    open_case(page, reference, "to_acknowledge")
    act(page, "acknowledge", "in_progress")
    logout(page)
    sign_in(page, "dept_housing")
    open_case(page, reference, "to_acknowledge")
    act(page, "acknowledge", "in_progress")
    page.fill("textarea[name=part_done-note]", "已协调清运车辆")
    act(page, "part_done")
    page.wait_for_selector("tr[data-assignment='住房和城乡建设局'][data-assignment-status='part_done']")
    logout(page)
    sign_in(page, "dept_city")
    open_case(page, reference, "to_handle")
    page.fill("textarea[name=handle-result]", "垃圾已清运，周边已消杀")
    page.set_input_files("input[name=handle-evidence]", jpeg(tmp_path / "after.jpg"))
    act(page, "handle", "handled")
    assert page.locator("#case-panel .photos img").count() == 1
    logout(page)

    # 4. the grid worker verifies (a resident's report is verified by the worker of its grid)
    sign_in(page, "grid1")
    open_case(page, reference, "to_verify")
    act(page, "verify_pass", "closed")
    logout(page)

    # 5. the resident rates with the tracking code
    page.goto("/cases/track/")
    page.fill("input[name=code]", code)
    page.click("form.track-form button[type=submit]")
    page.wait_for_selector("[data-status='closed']")
    page.check("input[name=resolved][value='1']")
    page.check("input[name=satisfaction][value='satisfied']")
    page.click("form.rating-form button[type=submit]")
    page.wait_for_selector("[data-rated]")
    assert "感谢您的评价" in page.content()


def test_grid_worker_resolves_on_the_spot_and_community_staff_verify(browser_page, world, tmp_path):
    page = browser_page
    make_category("0201", name="非法小广告", on_site_allowed=True)

    sign_in(page, "grid1")
    page.goto("/cases/patrol/")
    page.fill("input[name=category]", "0201 非法小广告")
    page.fill("input[name=title]", "电线杆上小广告")
    page.set_input_files("input[name=photos]", jpeg(tmp_path / "before.jpg"))
    page.select_option("select[name=region]", str(world.b1.pk))
    page.click("form[data-case-intake] button[type=submit]")
    page.wait_for_selector("#case-panel[data-status='reported']")
    reference = page.locator("#case-panel h1").inner_text().split(" ")[0]
    page.fill("textarea[name=resolve_on_site-note]", "已当场清除")
    page.set_input_files("input[name=resolve_on_site-evidence]", jpeg(tmp_path / "after.jpg"))
    act(page, "resolve_on_site", "handled")
    assert page.locator("form[data-action='verify_pass']").count() == 0  # not their own fix
    logout(page)

    sign_in(page, "staff1")
    open_case(page, reference, "to_verify")
    act(page, "verify_pass", "closed")
    # the map draws the community's grids and cases (Leaflet under the CSP)
    page.goto("/cases/map/?overdue=0")
    page.wait_for_selector("#case-map[data-loaded]")
    assert page.get_attribute("#case-map", "data-grids") == "2"
    assert page.locator("#case-map .leaflet-pane").count() > 0


def test_sweep_escalates_an_overdue_case_shown_as_supervised_to_the_subdistrict_officer(browser_page, world):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page = browser_page
    start = clock.now()
    clock.freeze(start - dt.timedelta(days=3))
    case = make_case(world, Status.ACCEPTED)  # at the community tier, waiting for dispatch
    clock.freeze(start)
    call_command("sweep")
    device = TOTPDevice.objects.create(user=world.subdistrict_officer, name="phone", confirmed=True)

    browser_login(page, "street1", PASSWORD)
    page.wait_for_selector("input[name=token]")
    page.fill("input[name=token]", f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}")
    page.click("form:has(input[name=token]) button[type=submit]")
    page.wait_for_selector("text=二次验证已通过")
    page.goto("/cases/inbox/?queue=to_dispatch")
    row = page.locator(f"tr[data-case='{case.reference}']")
    assert row.count() == 1
    assert "督办" in row.inner_text() and "街道" in row.inner_text()
