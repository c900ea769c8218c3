"""Through the pages only: a branch nominates an 优秀共产党员; the committee above approves; the committee
publishes the notice; a resident objects and the committee answers; after the notice period the award is made and
shows on the member's page."""

import datetime as dt

import pytest

from tests.support.world import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_nomination_goes_from_the_branch_to_the_award_on_the_members_page(browser_page, world):
    from grassroots.core import clock
    from grassroots.core import roles as R
    from grassroots.party.models import PartyOrg
    from grassroots.party.posts import party_post_create
    from grassroots.partyhonours import services
    from grassroots.partyhonours.models import Honour, Nomination
    from grassroots.partylife import services as life
    from grassroots.partylife.policy import ensure_defaults
    from tests.support.party import add_members, build_party
    from tests.support.world import make_user

    page, w = browser_page, world
    ensure_defaults()
    p = build_party(w)
    PartyOrg.objects.update(founded_on=dt.date(2020, 1, 1))
    member = add_members(p.g1, 1, prefix="优秀党员")[0]
    life.review_record(actor=None, person=member.person, org=p.g1, year=clock.today().year - 1, grade="excellent")

    def post(username, role, org):
        user = make_user(username)
        party_post_create(actor=w.admin, user=user, role=role, org=org, start_date=dt.date(2020, 1, 1))
        return user

    # the community committee (安泰社区党委) runs its own campaign: its officer reviews, publishes and awards
    c1_officer = post("b_c1", R.Role.PARTY_COMMITTEE_OFFICER, p.c1)
    secretary = post("b_sec_g1", R.Role.PARTY_BRANCH_SECRETARY, p.g1)
    campaign = services.campaign_create(actor=c1_officer, org=p.c1, year=clock.today().year, name="七一表彰",
                                        nominate_until=clock.today() + dt.timedelta(days=20),
                                        quotas={"outstanding_member": 2})
    services.quota_set(actor=c1_officer, campaign=campaign, org=p.g1, title="outstanding_member", quota=1)
    url = f"/partyhonours/campaigns/{campaign.pk}/"

    def as_user(user):
        page.context.clear_cookies()
        browser_login(page, user.username, w.password)
        page.goto(url)

    as_user(secretary)
    page.click("details#nominate summary")
    page.select_option("#n-person", value=str(member.person_id))
    page.fill("#n-reasons", "带头开展志愿服务，民主评议为优秀")
    page.click("details#nominate button[type=submit]")
    page.wait_for_selector(".messages")
    assert "已推荐" in page.inner_text(".messages")

    as_user(c1_officer)
    page.click("button:has-text('审核通过')")
    page.wait_for_selector("td:has-text('上级已审核')")

    page.goto(url)
    page.click("button:has-text('发布公示')")
    page.wait_for_selector("td:has-text('公示中')")
    page.click("td a:has-text('公示')")
    notice_url = page.url

    page.context.clear_cookies()
    browser_login(page, w.resident.username, w.password)
    page.goto(notice_url)
    page.fill("#id_text", "请核实其志愿服务时长")
    page.click("button:has-text('提交异议')")
    page.wait_for_selector("text=请核实其志愿服务时长")

    page.context.clear_cookies()
    browser_login(page, c1_officer.username, w.password)
    page.goto(notice_url)
    page.fill("textarea[name=answer]", "经核实，服务时长记录属实")
    page.click("form button:has-text('答复')")
    page.wait_for_selector("text=经核实，服务时长记录属实")

    clock.freeze(clock.now() + dt.timedelta(days=12))  # the notice period is over
    try:
        as_user(c1_officer)
        page.click("button:has-text('表彰')")
        page.wait_for_selector("td:has-text('已表彰')")
        nomination = Nomination.objects.get(person=member.person)
        assert nomination.status == "awarded" and Honour.objects.filter(person=member.person).exists()
        page.goto(f"/party/members/{member.pk}/")
        page.wait_for_selector("h2:has-text('荣誉')")
        assert "优秀共产党员" in page.inner_text("main")
    finally:
        clock.reset()
