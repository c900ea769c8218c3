"""Through the pages only: a branch secretary plans a 支部党员大会, those due get the notice, the secretary signs
them in and records the minutes; a branch that held none last quarter is on its upper committee's overdue list."""

import datetime as dt

import pytest

from tests.support.world import browser_login, menu_click

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _held_last_quarter(life):
    from grassroots.core import clock
    from grassroots.partylife import periods, services
    from grassroots.partylife.models import MeetingKind

    start, _ = periods.previous(clock.today(), "quarter")
    day = start + dt.timedelta(days=20)
    kind = MeetingKind.objects.get(code="branch_assembly")
    m = services.meeting_plan(actor=None, org=life.p.g1, kind=kind, title="上季度党员大会",
                              planned_at=dt.datetime(day.year, day.month, day.day, 6, tzinfo=dt.UTC))
    m = services.meeting_notice(actor=None, meeting=m)
    services.meeting_sign_in(actor=None, meeting=m, marks={a.person_id: "present" for a in m.attendances.all()})
    services.meeting_hold(actor=None, meeting=m, held_on=day, minutes="学习")
    return periods.label(start, "quarter")


def test_a_secretary_holds_a_branch_meeting_and_the_committee_sees_who_is_behind(browser_page, world):
    from grassroots.core.models import Notification
    from grassroots.party.models import PartyOrg
    from grassroots.partylife import services
    from grassroots.partylife.models import Meeting
    from tests.support.party import build_party
    from tests.support.partylife import build_life

    page, w = browser_page, world
    life = build_life(w, build_party(w))
    PartyOrg.objects.update(founded_on=dt.date(2020, 1, 1))
    quarter = _held_last_quarter(life)
    services.rhythm_sweep()

    browser_login(page, life.sec_g1.username, w.password)
    menu_click(page, "组织生活")
    page.click("details#plan summary")
    page.select_option("#m-org", label=life.p.g1.name)
    page.select_option("#m-kind", label="支部党员大会")
    page.fill("#m-title", "学习贯彻全会精神")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    page.fill("#m-at", f"{tomorrow:%Y-%m-%d}T14:30")
    page.fill("#m-place", "党群服务中心")
    page.click("details#plan button[type=submit]")
    page.wait_for_selector("h1:has-text('学习贯彻全会精神')")
    page.click("button:has-text('发出通知')")
    page.wait_for_selector(".messages")
    assert "已发出会议通知" in page.inner_text(".messages")
    meeting = Meeting.objects.get(title="学习贯彻全会精神")
    due = set(Notification.objects.filter(verb="partylife.meeting_notice", object_id=str(meeting.pk))
              .values_list("recipient_id", flat=True))
    assert {life.member_g1.pk, life.prob_g1.pk, life.sec_g1.pk} <= due and life.sec_g3.pk not in due

    for m in life.g1_full[:6]:
        page.select_option(f"select[name=p-{m.person_id}]", "present")
    page.select_option(f"select[name=p-{life.g1_full[6].person_id}]", "leave")
    page.fill(f"input[name=r-{life.g1_full[6].person_id}]", "外出务工")
    page.click("button:has-text('保存签到')")
    page.wait_for_selector(".messages")
    assert "已保存签到" in page.inner_text(".messages")
    assert "超过半数，可以形成决议" in page.inner_text("dl.facts")
    page.fill("#h-min", "传达学习全会精神，讨论冬季志愿服务安排。")
    page.fill("#h-res", "组织冬季志愿服务队")
    page.click("button:has-text('保存会议记录')")
    page.wait_for_selector(".messages")
    assert "已记录会议" in page.inner_text(".messages")
    assert "组织冬季志愿服务队" in page.inner_text("dl.facts")
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.present_count["heads"] == 6

    page.context.clear_cookies()
    browser_login(page, life.officer_c1.username, w.password)
    menu_click(page, "组织生活逾期提醒")
    page.select_option("select[name=kind]", "rhythm")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("table")
    listed = page.inner_text("table")
    assert f"{life.p.g2.name}{quarter}未召开支部党员大会" in listed
    assert f"{life.p.g1.name}{quarter}未召开支部党员大会" not in listed
    assert life.p.g3.name not in listed  # not under this committee
