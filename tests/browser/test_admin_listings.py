"""The admin's listings of records read well on a secretary's laptop (1366×900)."""

import pytest

from tests.browser.helpers import admin_login

pytestmark = pytest.mark.browser

EDITOR = "secretariat-saint-aubin-les-vignes"


def test_the_volunteer_list_shows_fifteen_people_a_screen_with_names_on_one_line(
    new_context, live_site
):
    page = new_context(viewport={"width": 1366, "height": 900}).new_page()
    admin_login(page, live_site, EDITOR)
    page.goto(live_site.url("/admin/participation_volunteers/"))
    rows = page.locator("main table.listing tbody tr")
    assert rows.count() >= 15
    figures = page.evaluate(
        """() => {
            const rows = [...document.querySelectorAll("main table.listing tbody tr")];
            const names = rows.map(r => r.querySelector("td.title a"));
            const table = document.querySelector("main table.listing");
            return {
                visible: rows.filter(r => r.getBoundingClientRect().bottom <= innerHeight).length,
                nameLines: names.map(a => a.getClientRects().length),
                nameHeights: names.map(a => a.getBoundingClientRect().height),
                overflow: table.parentElement.scrollWidth - table.parentElement.clientWidth,
            };
        }"""
    )
    assert figures["visible"] >= 15, figures
    assert set(figures["nameLines"]) == {1}, figures
    assert max(figures["nameHeights"]) < 30, figures
    # Every column is on the screen: no sideways scrolling to reach the last one.
    assert figures["overflow"] <= 0, figures
    # The staff of one commune are not shown a column repeating its name.
    headers = page.locator("main table.listing thead th").all_inner_texts()
    assert not any("Commune" in header for header in headers), headers
