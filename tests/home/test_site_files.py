"""/sitemap.xml, /robots.txt and /favicon.ico, one of each per site (issue 17)."""

import xml.etree.ElementTree as ET
from urllib.robotparser import RobotFileParser

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageViewRestriction, Site

from home.factories import NewsPageFactory, StandardPageFactory
from home.models import NewsIndexPage
from mprc_cms.modules import get_module

pytestmark = pytest.mark.django_db


def sitemap_locations(client, **extra):
    response = client.get("/sitemap.xml", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    # The site's own answer, not untrusted XML.
    urlset = ET.fromstring(response.content)  # noqa: S314
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [loc.text for loc in urlset.findall("s:url/s:loc", namespace)]


def robots(client, **extra):
    response = client.get("/robots.txt", **extra)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    parser = RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return response.content.decode(), parser


def full(path):
    return f"http://testserver{path}"


def page_address(page):
    """A page's full French address, on its Wagtail Site's host name (the sitemap's)."""
    with translation.override("fr"):
        return page.get_full_url()


def in_french(function, *args, **kwargs):
    with translation.override("fr"):
        return function(*args, **kwargs)


def module_pages(commune):
    """The commune's volunteer sign-up page and service-exchange board (skips the test
    when their modules are not installed)."""
    from home.onboarding import switch_module_on

    modules = [get_module("participation"), get_module("exchange")]
    if None in modules:
        pytest.skip("needs the participation and exchange modules")
    return [switch_module_on(commune, module)[0].specific for module in modules]


def test_the_sitemap_lists_the_live_public_pages_at_their_french_address(
    client, network_home, commune_a
):
    news_index = NewsIndexPage.objects.child_of(commune_a).get()
    news = NewsPageFactory(parent=news_index, title="La fête du village")
    draft = StandardPageFactory(parent=commune_a, title="Brouillon", live=False)
    private = StandardPageFactory(parent=commune_a, title="Réservé au conseil")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    locations = sitemap_locations(client)
    for page in (network_home, commune_a, news_index, news):
        assert page_address(page) in locations
    assert page_address(draft) not in locations
    assert page_address(private) not in locations
    assert not [loc for loc in locations if "/en/" in loc]
    # Also after a visit to the English interface.
    client.get("/en/")
    assert sitemap_locations(client) == locations


def test_the_sitemap_has_the_module_pages_but_no_personal_link(client, commune_a):
    signup, board = module_pages(commune_a)
    locations = sitemap_locations(client)
    assert page_address(signup) in locations
    assert page_address(board) in locations
    for route in ("confirmer/", "mes-donnees/", "gerer/", "invitation/", "desabonnement/"):
        assert not [loc for loc in locations if route in loc], route


@pytest.fixture
def bellecombe_site(commune_b):
    """Commune B on a host name of its own."""
    site = Site.objects.create(hostname="bellecombe.example", port=80, root_page=commune_b)
    yield site
    # Deleting it (not only rolling the database back) clears Wagtail's cached site roots.
    site.delete()


def test_the_sitemap_and_robots_txt_are_per_site(
    client, network_home, commune_a, commune_b, bellecombe_site
):
    locations = sitemap_locations(client, HTTP_HOST="bellecombe.example")
    assert locations
    assert all(loc.startswith("http://bellecombe.example/") for loc in locations)
    assert not [loc for loc in locations if "aubigny" in loc]
    assert page_address(commune_a) in sitemap_locations(client)
    assert page_address(commune_b) not in sitemap_locations(client)

    text, _parser = robots(client, HTTP_HOST="bellecombe.example")
    assert "Sitemap: http://bellecombe.example/sitemap.xml" in text.splitlines()


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_the_search_page(client, commune_a):
    text, parser = robots(client)
    assert text.startswith("User-agent: *\n")
    assert "Sitemap: http://testserver/sitemap.xml" in text.splitlines()
    for path in ("/admin/", "/admin/pages/", "/recherche/?q=mairie", "/en/recherche/"):
        assert not parser.can_fetch("*", full(path)), path
    for path in ("/", "/en/", in_french(lambda: commune_a.url), "/sitemap.xml"):
        assert parser.can_fetch("*", full(path)), path


def test_robots_txt_keeps_crawlers_out_of_every_personal_link(client, commune_a):
    signup, board = module_pages(commune_a)
    from parliament.factories import MicroParliamentPageFactory

    parliament = MicroParliamentPageFactory(parent=commune_a)
    _text, parser = robots(client)

    def path_of(page):
        return page.get_url_parts()[2]

    def route(page, name, *args):
        return path_of(page) + page.reverse_subpage(name, args=args)

    for language in ("fr", "en"):
        with translation.override(language):
            personal = [
                route(signup, "confirm", "jeton"),
                route(signup, "my_data", "jeton"),
                route(signup, "download", "jeton"),
                route(signup, "withdraw", "jeton"),
                route(signup, "confirm_email", "jeton"),
                route(board, "confirm", "jeton"),
                route(board, "manage", "jeton"),
                route(board, "delete_post", "jeton"),
                route(board, "digest_confirm", "jeton"),
                route(parliament, "invitation", "jeton"),
                reverse("exchange:unsubscribe", args=["jeton"]),
            ]
            public = [
                path_of(signup),
                route(signup, "link_request"),
                path_of(board),
                route(board, "post"),
                route(board, "listing", 1),
                route(board, "digest"),
                path_of(parliament),
                route(parliament, "draw", 1),
            ]
        for path in personal:
            assert path.startswith("/en/" if language == "en" else "/")
            assert not parser.can_fetch("*", full(path)), path
        for path in public:
            assert parser.can_fetch("*", full(path)), path


def test_robots_txt_and_the_sitemap_answer_reads_only(client):
    assert client.post("/robots.txt").status_code == 405
    assert client.post("/sitemap.xml").status_code == 405


def test_favicon(client, network_home):
    assert finders.find("favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"

    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
