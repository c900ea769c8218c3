"""A community worker keeps the representatives' roll and holds a formal meeting on it, in a browser: imports the
居民代表 from Excel through the roll's page, convenes a 共商议事会, signs a quorum in at the door and prints the
sign-in sheet, which lists everyone due."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from grassroots.rolls.tests.test_services import xlsx
from tests.support.world import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ["韩梅", "李雷", "林涛", "吴敏", "郑洁"]


def test_a_community_worker_imports_representatives_and_holds_a_joint_council_with_a_quorum(browser_page, world):
    from grassroots.deliberation import services
    from grassroots.people.models import Person

    w = world
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    services.load_meeting_kinds()
    for i, name in enumerate(NAMES):
        Person.objects.create(name=name, building=w.b1, region=w.g1, birth_date=dt.date(1965 + i, 3, 1))
    Person.objects.create(name="路人甲", building=w.b2, region=w.g2, birth_date=dt.date(1990, 1, 1))

    browser_login(page, w.community_staff.username, w.password)
    # the roll, made and filled on its pages
    page.goto("/rolls/")
    page.select_option("#id_kind", "representatives")
    page.select_option("#id_region", str(w.c1.pk))
    page.click("form[action$='/rolls/new/'] button")
    page.wait_for_url(re.compile(r"/rolls/\d+/$"))
    roll_url = page.url
    page.click("#roll-import")
    sheet = xlsx(["姓名", "任期开始", "任期届满"], *[[n, "2024-01-01", "2028-12-31"] for n in NAMES])
    page.set_input_files("input[name=file]", files=[{
        "name": "居民代表.xlsx", "buffer": sheet,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.click("main form button[type=submit]")
    assert "已导入 5 人" in page.inner_text("#import-result")
    page.goto(roll_url)
    current = page.inner_text("#roll-current")
    assert all(n in current for n in NAMES) and "路人甲" not in current

    # the meeting: a 共商议事会 of the community, due = the representatives on the roll
    page.goto("/deliberation/meetings/new/")
    page.select_option("#id_kind", label="共商议事会")
    page.select_option("#id_scope_region", str(w.c1.pk))
    page.fill("#id_title", "安泰社区共商议事会")
    page.fill("#id_scheduled_at", dt.datetime.now().strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_location", "党群服务中心")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/deliberation/meetings/\d+/$"))
    meeting_url = page.url
    page.click("form[action$='/open/'] button")
    assert page.inner_text("#due") == "5"
    for name in NAMES[:2]:
        page.fill("#q", name)
        page.click("form[method=get] button[type=submit]")
        page.click(f"text=签到：{name}")
    assert "未达到" in page.inner_text("#quorum")  # 2 of 5 is not more than half
    page.fill("#q", "路人甲")  # not a representative: not found among those due
    page.click("form[method=get] button[type=submit]")
    assert page.locator("text=签到：路人甲").count() == 0
    page.fill("#q", NAMES[2])
    page.click("form[method=get] button[type=submit]")
    page.click(f"text=签到：{NAMES[2]}")
    assert page.inner_text("#present") == "3" and "已达到" in page.inner_text("#quorum")

    # the printed sign-in sheet lists everyone due
    page.goto(meeting_url)
    href = page.get_attribute("a[href$='/sign-in.pdf']", "href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    text = "".join(p.extract_text() for p in reader.pages).replace("\x00", "")
    assert "安泰社区共商议事会" in text and "应到人数：5" in text
    assert all(n in text for n in NAMES) and "路人甲" not in text
