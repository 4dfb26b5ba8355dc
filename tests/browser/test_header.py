"""The header scales (issue 17): on a 390×844 phone it takes at most a fifth of the first
screen, on the network's pages and a commune's, with its menu folded into a «Menu»
disclosure that works by keyboard and without JavaScript; wider screens show the menu
open. The network's menu links to the list of communes instead of listing each one, so
the header's height does not depend on the number of communes (the unit tests check that
no commune link is in it, tests/home/test_communes_page.py)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
MAX_SHARE = 0.2

PAGES = {
    "network home": "/",
    "communes page": "/communes/",
    "communes page, searched": "/communes/?q=saint",
    "commune home": "/saint-aubin-les-vignes/",
    "commune with a long name": "/la-chapelle-sur-grosne/",
    "deep page": "/saint-aubin-les-vignes/actualites/",
    "network page": "/bibliotheque-de-projets/",
}


def header_height(page):
    return page.locator(".site-header").bounding_box()["height"]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_the_phone_header_takes_at_most_a_fifth_of_the_screen(new_context, live_site, javascript):
    page = new_context(**PHONE, java_script_enabled=javascript).new_page()
    limit = PHONE["viewport"]["height"] * MAX_SHARE
    heights = {}
    for name, path in PAGES.items():
        page.goto(live_site.url(path))
        menu = page.locator(".site-menu")
        expect(menu.locator("summary")).to_be_visible()
        expect(menu.locator("ul")).to_be_hidden()
        expect(page.locator(".site-search input[type=search]")).to_be_visible()
        heights[name] = header_height(page)
    # A news item, below the commune's news: its breadcrumbs and title on the first
    # screen too.
    page.goto(live_site.url(PAGES["deep page"]))
    page.locator("main article a").first.click()
    expect(page.locator("nav.breadcrumbs li")).to_have_count(4)
    expect(page.get_by_role("heading", level=1)).to_be_in_viewport()
    heights["news item"] = header_height(page)

    too_tall = {name: height for name, height in heights.items() if height > limit}
    assert not too_tall, f"header taller than {limit:.0f}px at 390×844: {heights}"


def test_the_phone_menu_opens_by_keyboard_without_javascript(new_context, live_site):
    page = new_context(**PHONE, java_script_enabled=False).new_page()
    page.goto(live_site.url("/"))
    nav = page.get_by_role("navigation", name="Menu principal")
    toggle = nav.locator("summary")
    # A CSS locator: a folded menu's links are out of the accessibility tree.
    communes = nav.locator("a[href='/communes/']")
    expect(communes).to_be_hidden()

    # Tab: skip link, brand, then the «Menu» button, with a visible focus ring.
    for _ in range(10):
        page.keyboard.press("Tab")
        if toggle.evaluate("element => element === document.activeElement"):
            break
    expect(toggle).to_be_focused()
    assert toggle.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    assert toggle.evaluate("e => parseFloat(getComputedStyle(e).outlineWidth)") >= 2
    expect(toggle).to_have_text("Menu")

    closed = header_height(page)
    page.keyboard.press("Enter")
    expect(nav.locator("details")).to_have_attribute("open", "")
    expect(communes).to_be_visible()
    # The open menu pushes the content down; it does not cover it.
    assert header_height(page) > closed

    page.keyboard.press("Tab")
    expect(communes).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/communes/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Les communes du réseau")
    # Closed again on the new page; the current page is marked in the menu.
    expect(communes).to_be_hidden()
    expect(communes).to_have_attribute("aria-current", "page")

    # Space opens and closes it too.
    toggle.focus()
    page.keyboard.press("Space")
    expect(communes).to_be_visible()
    expect(communes).to_have_text("Communes")
    page.keyboard.press("Space")
    expect(communes).to_be_hidden()


def test_wide_screens_show_the_menu_open(new_context, live_site):
    page = new_context(**DESKTOP).new_page()
    page.goto(live_site.url("/"))
    nav = page.get_by_role("navigation", name="Menu principal")
    expect(nav.locator("summary")).to_be_hidden()
    communes = nav.get_by_role("link", name="Communes", exact=True)
    expect(communes).to_be_visible()
    # No commune in the network's menu: they are on the list of communes.
    expect(nav.get_by_role("link", name="Saint-Aubin-les-Vignes")).to_have_count(0)
    communes.click()
    expect(page).to_have_url(re.compile(r"/communes/$"))

    page.goto(live_site.url("/saint-aubin-les-vignes/"))
    commune_menu = page.get_by_role("navigation", name=re.compile("Saint-Aubin-les-Vignes"))
    link = commune_menu.get_by_role("link", name="Le micro-parlement", exact=True)
    expect(link).to_be_visible()
    # The brand on one line, the menu beside the search box on the next (eight links
    # on two lines): shorter than the header that listed the communes (193 px).
    assert header_height(page) <= 150


def test_the_communes_page_searches_and_groups_without_javascript(new_context, live_site):
    page = new_context(**PHONE, java_script_enabled=False).new_page()
    page.goto(live_site.url("/communes/"))
    main = page.locator("main")
    expect(main.locator(".commune-list__name")).to_have_count(5)
    field = main.locator("#communes-q")
    field.fill("ESSARTS")
    field.press("Enter")
    expect(page).to_have_url(re.compile(r"/communes/\?q=ESSARTS$"))
    expect(main.locator(".commune-list__name")).to_have_text(["Les Essarts-du-Mont"])
    main.get_by_role("link", name="Les Essarts-du-Mont").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les Essarts-du-Mont")


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_communes_page_and_the_open_menu_are_accessible(new_context, live_site, device):
    page = new_context(**device).new_page()
    for path in ("/communes/", "/communes/?q=saint", "/communes/?q=zzzz"):
        page.goto(live_site.url(path))
        assert_accessible(page, f"{path} ({device['viewport']['width']}px)")
    if device is PHONE:
        page.locator(".site-menu summary").click()
        expect(page.locator(".site-menu ul")).to_be_visible()
        assert_accessible(page, "the phone menu, open")
