"""Through the pages only: a community secretary reads the party chart, finds a member and promotes them."""

import pytest

from tests.support.party import add_members, build_party
from tests.support.world import browser_login, menu_click

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_community_secretary_reads_the_chart_and_promotes_a_probationary_member(browser_page, world):
    page, w = browser_page, world
    party = build_party(w)
    add_members(party.g1, 3)
    (probationary,) = add_members(party.g2, 1, status="probationary", prefix="预备")
    name = probationary.person.name
    other_org_url = f"/party/orgs/{party.g4.pk}/"

    browser_login(page, w.community_secretary.username, w.password)
    menu_click(page, "党组织")
    page.wait_for_selector("#party-chart[data-nodes] canvas")
    assert page.get_attribute("#party-chart", "data-nodes") == "5"  # 社区党委, 2 branches, 2 groups
    tree = page.inner_text(".party-tree")
    assert "安泰一网格党支部" in tree and "银河社区党委" not in tree
    flagged = page.locator(".party-tree li.kind-grid_branch:has-text('安泰二网格党支部') .tag.warn")
    assert flagged.count() >= 1

    menu_click(page, "党员名册")
    page.fill("input[name=q]", name)
    page.click("form.filters button[type=submit]")
    page.wait_for_selector(f"table a:has-text('{name}')")
    assert page.locator("tbody tr").count() == 1
    page.click(f"table a:has-text('{name}')")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('转为正式党员')")
    page.wait_for_selector(".messages")
    assert "已转为正式党员" in page.inner_text(".messages")
    assert "正式党员" in page.inner_text("h1")

    response = page.goto(other_org_url)
    assert response.status == 404
