"""The admin dashboard's block per commune, in a browser on the demo network: headings,
lists and links where screen-reader and keyboard users expect them, axe-clean."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import admin_login, assert_admin_accessible

pytestmark = pytest.mark.browser

EDITOR = "secretariat-saint-aubin-les-vignes"


def commune_blocks(page):
    return page.locator("#my-communes-section section.mprc-dashboard__commune")


def test_a_secretary_finds_where_their_commune_stands(page, live_site):
    admin_login(page, live_site, EDITOR)
    blocks = commune_blocks(page)
    expect(blocks).to_have_count(1)
    block = blocks.first
    expect(block.get_by_role("heading", level=3, name="Saint-Aubin-les-Vignes")).to_be_visible()
    # The demo commune runs every module: each says where it stands, as a linked line.
    lines = block.locator("dl.mprc-dashboard__items > div")
    expect(lines.first).to_be_visible()
    assert lines.count() >= 4
    for line in lines.all():
        expect(line.locator("dt")).to_have_count(1)
        expect(line.locator("dd a").first).to_have_attribute("href", re.compile(r"^/"))
    assert_admin_accessible(page, "the dashboard", ".mprc-dashboard")


def test_a_coordinator_sees_every_demo_commune(page, live_site):
    admin_login(page, live_site, "coordination")
    expect(commune_blocks(page)).to_have_count(5)
    headings = page.locator("#my-communes-section h3")
    expect(headings).to_have_count(5)
    assert_admin_accessible(page, "the coordinator's dashboard", ".mprc-dashboard")
