"""Pages read well in a browser: labels above their inputs on every form, tables on a phone keep their column
labels (stacked cards), and the coverage page has a legend and a readable per-community table."""

from __future__ import annotations

import pytest

from tests.support.world import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def boxes_of_labels_and_inputs(page):
    """(label text, label box, input box) for every label[for] of the main form whose input is shown."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('main form label[for]')).map(l => {
        const input = document.getElementById(l.htmlFor);
        if (!input || input.type === 'hidden' || input.type === 'checkbox' || input.type === 'radio') return null;
        const a = l.getBoundingClientRect(), b = input.getBoundingClientRect();
        if (!b.width) return null;
        return [l.textContent.trim(), {top: a.top, bottom: a.bottom, left: a.left},
                {top: b.top, bottom: b.bottom, left: b.left}];
    }).filter(Boolean)""")


FORMS = [("/deliberation/topics/new/", "resident"), ("/projects/new/", "resident"),
         ("/deliberation/meetings/new/", "community_staff"), ("/people/new/", "community_staff"),
         ("/cases/report/", "resident")]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize(("path", "role"), FORMS, ids=[p for p, _ in FORMS])
def test_every_label_of_a_form_sits_above_its_input(browser_page, world, path, role, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    browser_login(page, getattr(world, role).username)
    page.goto(path)
    pairs = boxes_of_labels_and_inputs(page)
    assert len(pairs) >= 3
    beside = [text for text, label, field in pairs if field["top"] < label["bottom"] - 1]
    assert beside == [], f"labels beside their inputs: {beside}"
    misaligned = [text for text, label, field in pairs if abs(field["left"] - label["left"]) > 2]
    assert misaligned == []


def test_a_table_on_a_phone_shows_each_value_under_its_column_label(browser_page, world):
    from grassroots.cases.tests.factories import make_case

    make_case(world, title="路边堆放生活垃圾")
    page = browser_page
    page.set_viewport_size(PHONE)
    browser_login(page, world.community_staff.username)
    page.goto("/cases/")
    cell = page.locator("main table tbody tr").first.locator("td").first
    header = page.locator("main table thead th").first
    assert not header.is_visible()  # the header row gives way to labels in each card
    label = cell.get_attribute("data-label")
    assert label and label == header.text_content().strip()
    shown = page.evaluate("(td) => getComputedStyle(td, '::before').content", cell.element_handle())
    assert label in shown
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # no sideways scrolling of the page


def test_the_same_table_on_a_desktop_keeps_its_header_row(browser_page, world):
    from grassroots.cases.tests.factories import make_case

    make_case(world, title="路边堆放生活垃圾")
    page = browser_page
    page.set_viewport_size(DESKTOP)
    browser_login(page, world.community_staff.username)
    page.goto("/cases/")
    assert page.locator("main table thead th").first.is_visible()
    cell = page.locator("main table tbody tr").first.locator("td").first
    assert page.evaluate("(td) => getComputedStyle(td, '::before').content", cell.element_handle()) in ("none", "normal")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_coverage_page_has_a_map_legend_and_a_per_community_table_that_fits(browser_page, world, viewport):
    from grassroots.lifecircle import services
    from grassroots.lifecircle.network import from_geojson_lines
    from grassroots.lifecircle.tests.conftest import street

    services.load_requirements()
    services.network_save(actor=None, zone=world.zone, net=from_geojson_lines(street()), name="测试路网")
    services.run_analysis(zone=world.zone)
    page = browser_page
    page.set_viewport_size(viewport)
    browser_login(page, world.community_staff.username)
    page.goto("/lifecircle/coverage/")
    assert page.locator("#gaps-map").is_visible()
    assert page.locator("#gaps-legend .swatch").first.is_visible()
    assert page.locator("#matrix-legend .swatch.ok").is_visible()
    matrix = page.locator(".coverage-matrix")
    first_row_head = matrix.locator("tbody th").first
    assert first_row_head.is_visible()
    # the matrix scrolls inside its own box; the page itself never scrolls sideways
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    heads = matrix.locator("thead th")
    assert heads.count() > 2
    box = heads.nth(1).bounding_box()
    assert box and box["width"] >= 40  # column labels wrap instead of being squeezed to a letter per line
