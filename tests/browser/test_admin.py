"""Commune staff and network coordinators in the Wagtail admin."""

import re
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import EDIT_URL, admin_login, publish_in_editor

pytestmark = pytest.mark.browser

EDITOR = "secretariat-saint-aubin-les-vignes"
DEMO_COMMUNES = [
    "Saint-Aubin-les-Vignes",
    "La Chapelle-sur-Grosne",
    "Montferrand-le-Bois",
    "Vaux-en-Bresse",
    "Les Essarts-du-Mont",
]


def explorer_children(page):
    """The pages listed in the open explorer screen: {title: (edit href, children href)}."""
    rows = {}
    for row in page.locator("main table tbody tr").all():
        title_link = row.locator("a[href*='/edit/']").first
        if not title_link.count():
            continue
        title = title_link.inner_text().strip()
        children = row.locator("a").filter(has_not_text=title)
        child_hrefs = [
            href
            for href in (a.get_attribute("href") for a in children.all())
            if href and re.search(r"/admin/pages/\d+/$", href)
        ]
        rows[title] = (title_link.get_attribute("href"), child_hrefs[0] if child_hrefs else None)
    return rows


def test_commune_editor_publishes_a_change_to_a_page_of_their_commune(page, live_site):
    admin_login(page, live_site, EDITOR)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("main")).to_contain_text("Saint-Aubin-les-Vignes")

    # Pages → the editor's own commune is the explorer's starting point.
    page.goto(live_site.url("/admin/pages/"))
    if "Saint-Aubin-les-Vignes" in explorer_children(page):
        page.goto(live_site.url(explorer_children(page)["Saint-Aubin-les-Vignes"][1]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Saint-Aubin-les-Vignes")

    page.locator("main table").get_by_role("link", name="La mairie", exact=True).click()
    expect(page).to_have_url(EDIT_URL)
    expect(page.locator("#id_title")).to_have_value("La mairie")

    new_intro = f"Horaires d'été de la mairie, note {uuid.uuid4().hex[:10]}."
    page.locator("#id_intro").fill(new_intro)

    publish_in_editor(page)
    expect(page.get_by_text(re.compile(r"La mairie.*(publiée|published)")).first).to_be_visible()

    public = page.context.new_page()
    response = public.goto(live_site.url("/saint-aubin-les-vignes/la-mairie/"))
    assert response.status == 200
    expect(public.locator("main .lead")).to_have_text(new_intro)


def _edit_url_of(new_context, live_site, commune, page_title):
    """As the superuser, read the explorer to find the edit URL of a page of a commune."""
    admin_page = new_context().new_page()
    admin_login(admin_page, live_site, "admin")
    admin_page.goto(live_site.url("/admin/pages/"))
    # Root → network home → commune → its pages.
    for title in (None, commune):
        rows = explorer_children(admin_page)
        if title is None:
            assert len(rows) == 1, f"expected the network home alone under the root: {rows}"
            title = next(iter(rows))
        assert title in rows, f"{title!r} not in the explorer: {sorted(rows)}"
        admin_page.goto(live_site.url(rows[title][1]))
    rows = explorer_children(admin_page)
    assert page_title in rows, f"{page_title!r} not under {commune}: {sorted(rows)}"
    edit_href = rows[page_title][0]
    # The superuser can open it: the URL is right, so a refusal later is a real refusal.
    admin_page.goto(live_site.url(edit_href))
    expect(admin_page.locator("#id_title")).to_have_value(page_title)
    admin_page.context.close()
    return edit_href


def test_commune_editor_cannot_edit_another_communes_page(page, new_context, live_site):
    edit_href = _edit_url_of(new_context, live_site, "La Chapelle-sur-Grosne", "La mairie")

    admin_login(page, live_site, EDITOR)
    response = page.goto(live_site.url(edit_href))
    refused = response.status == 403 or not EDIT_URL.search(urlsplit(page.url).path)
    assert refused, f"{EDITOR} reached {page.url} ({response.status})"
    expect(page.locator("form #id_title")).to_have_count(0)
    expect(page.locator('button[name="action-publish"]')).to_have_count(0)
    if response.status != 403:
        # Wagtail sends the user back to the dashboard with an explanation.
        expect(page.get_by_text(re.compile(r"autorisation|permission", re.I)).first).to_be_visible()


def test_network_coordinator_sees_every_commune_in_the_admin_communes_screen(page, live_site):
    admin_login(page, live_site, "coordination")
    response = page.goto(live_site.url("/admin/communes/"))
    assert response.status == 200
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(len(DEMO_COMMUNES))
    for name in DEMO_COMMUNES:
        expect(rows.filter(has=page.get_by_text(name, exact=True))).to_have_count(1)


def test_commune_editor_sees_only_their_commune_in_the_admin_communes_screen(page, live_site):
    admin_login(page, live_site, EDITOR)
    page.goto(live_site.url("/admin/communes/"))
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Saint-Aubin-les-Vignes")
