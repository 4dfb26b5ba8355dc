"""axe-core finds no serious or critical violation on any public page type."""

import re
from urllib.parse import urljoin

import pytest

from tests.browser.helpers import assert_accessible

pytestmark = pytest.mark.browser

PAGE_TYPES = [
    "network home",
    "commune home",
    "standard page",
    "news index",
    "news page",
    "network news index",
    "404 page",
    "English network home",
    "search results",
    "search results of one kind",
    "legal notice",
    "accessibility statement",
    "personal data page",
    "network personal data page",
    "API documentation",
    "open data page",
]


@pytest.fixture(scope="session")
def public_urls(browser, live_site):
    """Find one URL of each page type by following links, as a visitor would."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(live_site.url("/"))
        commune_href = (
            page.locator("main .card")
            .get_by_role("link", name="Saint-Aubin-les-Vignes", exact=True)
            .get_attribute("href")
        )
        commune_url = urljoin(page.url, commune_href)

        page.goto(commune_url)
        menu = page.get_by_role("navigation", name=re.compile("Saint-Aubin-les-Vignes"))
        standard_url = urljoin(
            page.url,
            menu.get_by_role("link", name="La mairie", exact=True).get_attribute("href"),
        )
        # A news card on the commune home links to a news page; its parent is the index.
        news_url = urljoin(page.url, page.locator("main article a").first.get_attribute("href"))
        news_index_url = urljoin(news_url, "..")
        # The footer links to the commune's legal pages.
        legal_links = page.locator("footer nav.legal-links a")
        legal_notice_url, accessibility_url, privacy_url = (
            urljoin(page.url, legal_links.nth(index).get_attribute("href")) for index in range(3)
        )
        open_data_url = urljoin(
            page.url, page.locator("footer .open-data-link a").get_attribute("href")
        )
    finally:
        context.close()
    return {
        "network home": live_site.url("/"),
        "commune home": commune_url,
        "standard page": standard_url,
        "news index": news_index_url,
        "news page": news_url,
        "network news index": live_site.url("/actualites/"),
        "404 page": live_site.url("/cette-page-n-existe-pas/"),
        "English network home": live_site.url("/en/"),
        "search results": live_site.url("/recherche/?q=covoiturage"),
        "search results of one kind": live_site.url("/recherche/?q=jardin&kind=pages"),
        "legal notice": legal_notice_url,
        "accessibility statement": accessibility_url,
        "personal data page": privacy_url,
        "network personal data page": live_site.url("/donnees-personnelles/"),
        "API documentation": live_site.url("/api/v1/documentation/"),
        "open data page": open_data_url,
    }


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_public_page_has_no_serious_accessibility_violation(page, public_urls, page_type):
    url = public_urls[page_type]
    response = page.goto(url)
    expected_status = 404 if page_type == "404 page" else 200
    assert response.status == expected_status, f"{page_type} at {url}: {response.status}"
    if page_type == "English network home":
        assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page, f"{page_type} ({url})")
