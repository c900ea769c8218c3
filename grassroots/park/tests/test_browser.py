"""Through the pages only, on a phone (390×844): the enterprise's contact opens the contact card's QR address, gets a
code on the registered phone and files a question; the service commissioner answers it on their case page; the
enterprise rates the answer with its tracking code."""

import re

import pytest

from tests.support.world import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_card_opens_an_appeal_the_commissioner_answers_and_the_enterprise_rates(chromium, live_server,
                                                                                    browser_page, park):
    from grassroots.cases.models import Case, Category
    from grassroots.core import notifications
    from grassroots.links import services as links
    from grassroots.park import services

    Category.objects.get_or_create(code="S0401", defaults={"name": "企业服务", "kind": "social",
                                                           "default_tier": "community"})
    card = services.card_issue(actor=park.staff, profile=park.firm)
    phone = chromium.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 390, "height": 844},
                                 is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.set_default_timeout(15000)
    page.goto(links.path_of(card.link))
    assert page.locator("strong[data-user]").inner_text() == "国瓷材料有限公司"
    page.click("button:has-text('发送验证码')")
    page.wait_for_selector("text=验证码已发送至企业联系人手机")
    message = notifications.phone_outbox()[0]
    assert message.phone == "15854600001"
    page.select_option("#a-type", "consult")
    page.fill("#a-title", "研发费用加计扣除如何申报")
    page.fill("#a-desc", "今年首次申报，请告知材料清单")
    page.fill("#a-code", re.search(r"(\d{6})", message.text).group(1))
    page.click("button:has-text('提交诉求')")
    page.wait_for_selector("#filed")
    case = Case.objects.get()
    assert (case.enterprise_id, case.appeal_type) == (park.w.enterprise.pk, "consult")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    desk = browser_page  # the commissioner, at their desk
    browser_login(desk, park.commissioner.username, park.w.password)
    desk.goto(f"/cases/{case.pk}/")
    desk.wait_for_selector("#case-panel")
    desk.fill("#id_answer-result", "已电话讲解，并发送申报指南和材料清单")
    desk.select_option("#id_answer-closure_kind", "explained")
    desk.click("form[data-action='answer'] button[type=submit]")
    desk.wait_for_selector("#case-panel[data-status='closed']")

    page.click("button:has-text('查看进度')")
    page.wait_for_selector(".rating-form")
    page.check("input[name=resolved][value='1']")
    page.check("input[name=satisfaction][value='satisfied']")
    page.click("button:has-text('提交评价')")
    page.wait_for_selector("[data-rated]")
    case.refresh_from_db()
    rating = case.ratings.get()
    assert (case.status, case.closure_kind, rating.satisfaction, rating.source) == (
        "closed", "explained", "satisfied", "tracking_code")
    phone.close()
