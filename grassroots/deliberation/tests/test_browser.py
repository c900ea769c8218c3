"""The whole story in a browser: a resident's topic becomes a resolution, a notice, a micro-project paid from the
community fund, and the resident reads it all on the topic's page. Each step is done by the responsible person
signing in through the login page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from grassroots.core import clock
from tests.support.world import browser_login, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(page, user, password):
    page.context.clear_cookies()
    browser_login(page, user.username, password)


def test_a_topic_goes_from_a_resident_to_a_paid_micro_project_and_back_to_the_resident(browser_page, world):
    from django.utils import timezone

    from grassroots.deliberation import services
    from grassroots.people.models import Person
    from grassroots.projects import fund as fundsvc
    from grassroots.projects.models import ProhibitedUse

    w = world
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    # set-up: meeting kinds, neighbours due to attend, the fund with a donation, a third reviewer
    services.load_meeting_kinds()
    for i in range(4):
        Person.objects.create(name=f"邻居{i}", building=w.b1, region=w.g1, birth_date=dt.date(1970 + i, 1, 1))
    fund = fundsvc.fund_open(actor=w.community_secretary, region=w.c1)
    ProhibitedUse.objects.create(code="private", name="个人福利和现金发放", keywords=["发放现金"])
    fundsvc.donation_record(actor=w.community_staff, fund=fund, amount="20000", donor_kind="organization",
                            donor_organization=w.enterprise)
    reviewer = make_user("reviewer_b", role="community_staff", region=w.c1)
    from grassroots.deliberation.models import MeetingKind

    meeting = services.meeting_create(actor=w.community_staff, kind=MeetingKind.objects.get(code="residents_meeting"),
                                      scope_region=w.c1, title="安泰社区居民会议", scheduled_at=timezone.now(),
                                      location="党群服务中心")

    # 1. the resident raises a topic
    as_user(page, w.resident, w.password)
    page.goto("/deliberation/topics/new/")
    page.select_option("#id_scope_region", str(w.g1.pk))
    page.fill("#id_title", "楼下建电动车充电桩")
    page.fill("#id_description", "晚上电动车没有地方充电，有人拉飞线")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/deliberation/topics/\d+/$"))
    topic_url = page.url
    assert "楼下建电动车充电桩" in page.content()

    # 2. staff put it on the agenda, open the meeting, sign people in, vote on paper, close, resolve, publish
    as_user(page, w.community_staff, w.password)
    page.goto(f"/deliberation/meetings/{meeting.pk}/")
    page.select_option("#agenda_topic", label="楼下建电动车充电桩")
    page.click("form[action$='/agenda/'] button")
    page.click("form[action$='/open/'] button")
    for i in range(3):
        page.fill("#q", f"邻居{i}")
        page.click("form[method=get] button[type=submit]")
        page.click(f"text=签到：邻居{i}")
    assert page.inner_text("#present") == "3" and "已达到" in page.inner_text("#quorum")
    page.fill("#id_text", "同意在1号楼北侧建设电动车充电桩")
    page.select_option("#id_ballot", "show_of_hands")
    page.select_option("#motion_topic", label="楼下建电动车充电桩")
    page.click("form[action$='/motions/'] button")
    for i in range(3):
        form = page.locator("form:has(select[name=person])")
        form.locator("select[name=person]").select_option(label=f"邻居{i}")
        form.locator("input[value=yes]").check()
        form.locator("button").click()
    page.click("form[action^='/deliberation/motions/'][action$='/close/'] button")
    page.fill("#id_minutes", "应到5人，实到3人，全票通过")
    page.click("form[action^='/deliberation/meetings/'][action$='/close/'] button")
    assert "通过" in page.inner_text(".result")
    page.click("a[href$='/resolution/']")
    page.fill("#id_text", "在1号楼北侧建设电动车充电桩")
    page.select_option("#id_responsible", label=str(w.community_staff))
    page.fill("#id_due_date", "2030-01-01")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/deliberation/resolutions/\d+/$"))
    resolution_url = page.url
    page.click("form[action$='/publish/'] button")
    page.click("main a[href^='/notices/']")
    page.wait_for_url(re.compile(r"/notices/\d+/$"))
    notice_url = page.url

    # 3. a neighbour objects during the notice period; staff answer
    as_user(page, w.resident3, w.password)
    page.goto(notice_url)
    page.fill("#id_text", "充电桩离窗户太近，担心安全")
    page.click("form[action$='/objections/'] button")
    as_user(page, w.community_staff, w.password)
    page.goto(notice_url)
    page.fill("textarea[name=answer]", "已调整到停车场一侧，并加装喷淋")
    page.click("form:has(textarea[name=answer]) button")
    assert "已调整到停车场一侧" in page.content()

    # 4. after the notice period: a micro-project through the pages (application, review, approval, start)
    clock.freeze(clock.now() + dt.timedelta(days=15))
    as_user(page, w.resident, w.password)
    page.goto("/projects/new/")
    page.fill("#id_title", "电动车充电桩建设")
    page.fill("#id_background", "居民会议决议")
    page.fill("#id_goals", "解决充电难")
    page.fill("#id_activities", "选址、采购、安装")
    page.fill("#id_beneficiaries", "安泰社区居民")
    page.fill("#id_budget", "充电桩，设备，8000\n安装，服务，2000")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    project_url = page.url
    page.click("form[action$='/do/submit/'] button")
    as_user(page, w.community_staff, w.password)
    page.goto(project_url)
    page.click("form[action$='/do/start_review/'] button")
    for user in (w.community_staff, w.community_secretary, reviewer):
        as_user(page, user, w.password)
        page.goto(project_url)
        for key in ("need_fit", "locality", "participation", "feasibility", "innovation", "sustainability", "budget"):
            page.fill(f"#score-{key}", "8")
        page.click("form[action$='/review/'] button")
    as_user(page, w.community_secretary, w.password)
    page.goto(project_url)
    page.fill("#approved_amount", "10000")
    page.click("form[action$='/do/approve/'] button")
    assert "立项公示中" in page.content()
    clock.freeze(clock.now() + dt.timedelta(days=15))
    as_user(page, w.community_staff, w.password)
    page.goto(project_url)
    page.click("form[action$='/do/start/'] button")
    assert "实施中" in page.content()

    # 5. the resolution is carried out as this project; a tranche is paid from the fund
    page.goto(resolution_url)
    page.select_option("#fu_project", label="电动车充电桩建设（实施中）")
    page.click("form[action$='/follow-up/'] button")
    assert "落实中" in page.content()
    page.goto(project_url)
    page.fill("#id_amount", "4000")
    page.fill("#id_purpose", "第一笔：采购充电桩")
    page.click("form[action$='/tranches/'] button")
    assert page.inner_text("#disbursed") == "4000.00"
    page.fill("#id_title", "完成选址和采购")
    page.fill("#id_happened_on", clock.today().isoformat())
    page.fill("#id_progress", "50")
    page.click("form[enctype] button")

    # 6. the public ledger shows the payment without signing in
    page.context.clear_cookies()
    page.goto(f"/projects/funds/{w.c1.code}/public/")
    ledger = page.content()
    assert "16000.00" in ledger and "第一笔：采购充电桩" in ledger and "电动车充电桩建设" in ledger

    # 7. the resident reads the whole story on the topic's page
    as_user(page, w.resident, w.password)
    page.goto(topic_url)
    story = page.content()
    for text in ("落实中", "安泰社区居民会议", "赞成 3", "在1号楼北侧建设电动车充电桩", "充电桩离窗户太近",
                 "已调整到停车场一侧", "电动车充电桩建设", "4000.00", "完成选址和采购", "50%"):
        assert text in story, text
