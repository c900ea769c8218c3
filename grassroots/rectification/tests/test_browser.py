"""Through the pages only: a problem item of an agency's problem list (问题清单) is rectified and submitted by its
owner, who cannot verify it; someone above who is not the owner verifies and closes it (销号)."""

import datetime as dt

import pytest

from tests.support.world import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_problem_item_is_rectified_by_its_owner_and_closed_by_someone_else(browser_page, world):
    from grassroots.core import clock
    from grassroots.people.models import Organization
    from grassroots.rectification import services
    from tests.support.world import make_user

    page, w = browser_page, world
    today = clock.today()
    # an agency's service hall in 安泰 community, its staff, and the community's staff who supervise the item
    agency = Organization.objects.create(name="审批服务部便民服务站", kind=Organization.Kind.AGENCY, region=w.c1)
    owner = make_user("agency_staff", role="department_handler", organization=agency)
    item = services.item_create(actor=w.community_staff, title="办事指南更新不及时", source="inspection",
                                owner=agency, deadline=today + dt.timedelta(days=30),
                                requirement="一周内核对并更新全部办事指南")

    browser_login(page, owner.username, w.password)
    page.goto(f"/rectification/items/{item.pk}/")
    page.click("button:has-text('开始整改')")
    page.wait_for_selector("h1:has-text('整改中')")
    page.click("summary:has-text('填写整改措施')")
    page.fill("textarea[name=measures]", "已逐项核对办事指南，更新材料清单 23 项")
    page.click("details[open] button:has-text('保存')")
    page.wait_for_selector("dd:has-text('更新材料清单 23 项')")
    page.click("button:has-text('提交验收')")
    page.wait_for_selector("h1:has-text('待验收')")
    assert page.locator("button:has-text('验收销号')").count() == 0  # the owner never verifies its own item

    page.context.clear_cookies()
    browser_login(page, w.community_staff.username, w.password)
    page.goto(f"/rectification/items/{item.pk}/")
    page.click("button:has-text('验收销号')")
    page.wait_for_selector("h1:has-text('已销号')")
    item.refresh_from_db()
    assert item.status == "closed" and item.verified_by == w.community_staff and item.verified_by != owner
