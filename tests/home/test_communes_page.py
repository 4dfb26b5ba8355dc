"""The network's list of communes (/communes/, issue 17 «The header does not scale»):
searchable by name, postcode, INSEE code and intercommunality, accent- and case-blind,
grouped by intercommunality; the network's menu links to it instead of listing every
commune, so the header's height does not depend on the number of communes."""

import html
import re

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext, ngettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from home.communes import HOME_CARDS
from home.factories import StandardPageFactory
from home.models import CommunePage
from home.onboarding import create_commune, switch_module_on
from mprc_cms import page_cache
from mprc_cms.modules import get_public_modules

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

URL = "/communes/"

CLUNISOIS = "CC du Clunisois"
CHALON = "CC Le Grand Chalon"


def squash(text):
    """``text`` with every run of spaces (no-break ones too) as one space."""
    return " ".join(text.split())


def add_commune(home, name, insee, postcode="71250", epci="", population=None, modules=()):
    """A live commune (the lightest way: no editors group, no news section), published
    when it runs modules (their index pages are published with it)."""
    commune = CommunePage(
        title=name,
        slug=re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or insee,
        insee_code=insee,
        postcode=postcode,
        epci=epci,
        population=population,
        show_in_menus=True,
    )
    home.add_child(instance=commune)
    if modules:
        commune.save_revision().publish()
        commune.refresh_from_db()
    for module in modules:
        switch_module_on(commune, module)
    return commune


@pytest.fixture
def network(network_home):
    add_commune(network_home, "Écuisses", "71184", "71210", CHALON, 1480)
    add_commune(network_home, "Saint-Aubin-les-Vignes", "71801", "71250", CLUNISOIS, 312)
    add_commune(network_home, "Bellecombe", "71802", "71460", "cc du CLUNISOIS", 95)
    add_commune(network_home, "Vaux-en-Bresse", "71560", "71330")
    return network_home


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def found(client, q):
    """The names listed for the query, in their order."""
    page = soup(client.get(URL, {"q": q}))
    return [a.get_text() for a in page.select("main .commune-list__name")]


def groups(page):
    """[(group heading without its count, [names])]."""
    result = []
    for section in page.select("main .commune-group"):
        heading = section.find("h2")
        heading.find(class_="commune-group__count").extract()
        names = [a.get_text() for a in section.select(".commune-list__name")]
        result.append((heading.get_text().strip(), names))
    return result


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # The name, with or without accents, in any case, in part, words in any order.
        ("Écuisses", ["Écuisses"]),
        ("ecuisses", ["Écuisses"]),
        ("ÉCUISSES", ["Écuisses"]),
        ("ecu", ["Écuisses"]),
        ("vignes saint-aubin", ["Saint-Aubin-les-Vignes"]),
        ("saint aubin", ["Saint-Aubin-les-Vignes"]),
        # The postcode, the INSEE code.
        ("71460", ["Bellecombe"]),
        ("71184", ["Écuisses"]),
        ("71560", ["Vaux-en-Bresse"]),
        # The intercommunality, however it is typed.
        ("clunisois", ["Bellecombe", "Saint-Aubin-les-Vignes"]),
        ("Grand Chalon", ["Écuisses"]),
        ("clunisois 71460", ["Bellecombe"]),
    ],
)
def test_communes_are_found_by_name_postcode_insee_code_and_epci(client, network, q, expected):
    assert found(client, q) == expected


def test_communes_are_grouped_by_epci_with_the_others_last(client, network):
    page = soup(client.get(URL))
    assert page.find("h1").get_text() == gettext("The communes of the network")
    # Names that differ in case only make one group, named as its first commune has it.
    assert groups(page) == [
        ("cc du CLUNISOIS", ["Bellecombe", "Saint-Aubin-les-Vignes"]),
        (CHALON, ["Écuisses"]),
        (gettext("Other communes"), ["Vaux-en-Bresse"]),
    ]
    count = page.select_one("main .results-count").get_text()
    assert " ".join(count.split()) == ngettext(
        "%(counter)s commune in the network.", "%(counter)s communes in the network.", 4
    ) % {"counter": 4}
    item = page.select_one("main .commune-list__item")
    assert item.select_one(".commune-list__name")["href"] == "/bellecombe/"
    meta = item.select_one(".commune-list__meta").get_text()
    assert "71460" in meta
    assert (
        ngettext("%(population)s inhabitant", "%(population)s inhabitants", 95) % {"population": 95}
        in meta
    )


def test_a_search_shows_its_count_and_a_link_back_to_every_commune(client, network):
    page = soup(client.get(URL, {"q": "clunisois"}))
    count = page.select_one("main .results-count")
    expected = ngettext(
        "%(counter)s commune matches “%(query)s”.",
        "%(counter)s communes match “%(query)s”.",
        2,
    ) % {"counter": 2, "query": "clunisois"}
    assert squash(count.get_text()).startswith(squash(expected))
    assert count.find("a", string=gettext("Show every commune"))["href"] == URL
    assert page.select_one("#communes-q")["value"] == "clunisois"
    assert [name for name, _names in groups(page)] == ["cc du CLUNISOIS"]


@pytest.mark.parametrize("q", ["zzzz", "!!!", "ecuisses bellecombe"])
def test_nothing_found_says_so_in_french(client, network, q):
    page = soup(client.get(URL, {"q": q}))
    notice = page.select_one("main .notice")
    assert notice is not None
    expected = gettext("No commune matches “%(query)s”.") % {"query": q}
    assert squash(expected) in squash(notice.get_text())
    assert notice.find("a", string=gettext("Show every commune"))["href"] == URL
    assert not page.select("main .commune-list__item")


def test_a_commune_named_communes_does_not_take_the_list_s_address(client, network_home):
    commune = create_commune(name="Communes", insee_code="71999", postcode="71250").commune
    assert commune.slug == "communes-71999"


def test_an_empty_network_says_so(client, network_home):
    page = soup(client.get(URL))
    assert gettext("No commune has joined the network yet.") in page.find("main").get_text()


def test_a_commune_not_published_or_elsewhere_is_not_listed(client, network):
    draft = add_commune(network, "Cortambert", "71150", epci=CLUNISOIS)
    draft.unpublish()
    assert found(client, "clunisois") == ["Bellecombe", "Saint-Aubin-les-Vignes"]
    assert found(client, "cortambert") == []


def test_a_very_long_query_is_cut_and_answered(client, network):
    response = client.get(URL, {"q": "ecuisses " + "x" * 10_000})
    page = soup(response)
    assert len(page.select_one("#communes-q")["value"]) == 200
    assert page.select_one("main .notice") is not None


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(q=st.text(max_size=300))
def test_any_query_gets_an_answer(client, network, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    page = soup(response)
    assert page.select("main .results-count") or page.select("main .notice")


def test_the_query_count_does_not_grow_with_the_communes(
    client, network_home, django_assert_max_num_queries
):
    modules = get_public_modules()[:1]
    epcis = [CLUNISOIS, CHALON, ""]

    def grow(start, count):
        for number in range(start, start + count):
            add_commune(
                network_home,
                f"Commune {number}",
                f"71{number:03d}",
                epci=epcis[number % 3],
                population=100 + number,
                modules=modules,
            )

    def forget_memos():
        """Both counts with the page cache's memos (menu, legal links…) to compute."""
        cache.clear()
        page_cache.forget_local_memos()

    grow(100, 5)
    client.get(URL)  # warm the caches (site root, content types)
    forget_memos()
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, {"q": "commune"}).status_code == 200
    grow(200, 15)
    forget_memos()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL, {"q": "commune"})
    assert len(soup(response).select("main .commune-list__item")) == 20
    if modules:
        assert soup(response).select("main .commune-list__item .tag")


def test_breadcrumbs_and_menu_name_the_communes_page(client, network):
    page = soup(client.get(URL))
    crumbs = page.select("nav.breadcrumbs li")
    assert crumbs[0].find("a")["href"] == "/"
    assert crumbs[-1].get_text() == gettext("The communes of the network")
    assert crumbs[-1]["aria-current"] == "page"
    link = page.select_one(".site-nav").find("a", string=gettext("Communes"))
    assert link["href"] == URL
    assert link["aria-current"] == "page"


def test_the_english_page_keeps_its_address_under_en(client, network):
    response = client.get("/en" + URL, {"q": "ecuisses"})
    page = soup(response)
    assert page.find("html")["lang"] == "en"
    assert page.find("h1").get_text() == "The communes of the network"
    # The communes' names stay marked as French content.
    assert page.select_one("main .commune-list__name")["lang"] == "fr"


def test_the_sitemap_lists_the_communes_page(client, network):
    content = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://localhost/communes/</loc>" in content
    # The legal pages (routes) are still not listed.
    assert "mentions-legales" not in content


# The header ----------------------------------------------------------------------------


def header(client, url):
    return soup(client.get(url)).find("header")


def commune_urls(network_home):
    return {commune.url for commune in CommunePage.objects.child_of(network_home)}


def test_the_network_menu_links_to_the_communes_not_to_each_commune(client, network_home):
    for number in range(50):
        add_commune(network_home, f"Commune {number}", f"71{number:03d}")
    other = StandardPageFactory(parent=network_home, title="Le réseau", show_in_menus=True)
    urls = commune_urls(network_home)
    assert len(urls) == 50
    for url in ("/", other.url, URL):
        nav = header(client, url).select_one(".site-nav")
        links = [a["href"] for a in nav.find_all("a")]
        # One link to the list of communes, the network's other menu pages; no commune:
        # the header is the same size with 5 communes or 50.
        assert links[0] == URL, url
        assert other.url in links
        assert not urls & set(links)
        assert nav.find("a", string=gettext("Communes"))
        # The menu folds into a disclosure on phones (no script).
        assert nav.select_one("details.site-menu > summary").get_text() == gettext("Menu")


def test_a_commune_s_header_shows_its_own_menu(client, network_home):
    commune = add_commune(network_home, "Écuisses", "71184")
    page = StandardPageFactory(parent=commune, title="La mairie", show_in_menus=True)
    for url in (commune.url, page.url):
        nav = header(client, url).select_one(".site-nav")
        assert [a["href"] for a in nav.find_all("a")] == [page.url]
        assert "Écuisses" in nav["aria-label"]


def test_the_network_home_shows_the_first_communes_and_a_link_to_all(client, network_home):
    for number in range(HOME_CARDS):
        add_commune(network_home, f"Commune {number:02d}", f"71{number:03d}")
    page = soup(client.get("/"))
    assert len(page.select("main .card-grid .card__title")) == HOME_CARDS
    assert not page.select("main .more-link")

    add_commune(network_home, "Écuisses", "71184")
    page = soup(client.get("/"))
    titles = [h.get_text() for h in page.select("main .card-grid .card__title")]
    assert len(titles) == HOME_CARDS
    # By name, accents ignored: Écuisses comes after the «Commune …».
    assert "Écuisses" not in titles
    link = page.select_one("main .more-link a")
    assert link["href"] == URL
    assert link.get_text() == ngettext(
        "See the %(counter)s commune, by intercommunality",
        "See the %(counter)s communes, by intercommunality",
        HOME_CARDS + 1,
    ) % {"counter": HOME_CARDS + 1}


def test_a_network_page_cannot_take_the_communes_address(superuser, network_home, commune_a):
    from tests.conftest import logged_in

    client = logged_in(superuser)
    response = client.post(
        f"/admin/pages/add/home/standardpage/{network_home.pk}/",
        {"title": "Communes", "slug": "communes", "body-count": "0"},
    )
    assert response.status_code == 200
    assert gettext(
        "The address “%(slug)s” is the network's list of communes: choose another one."
    ) % {"slug": "communes"} in html.unescape(response.content.decode())
    # Under a commune the address is free.
    response = client.post(
        f"/admin/pages/add/home/standardpage/{commune_a.pk}/",
        {"title": "Communes voisines", "slug": "communes", "body-count": "0"},
    )
    assert response.status_code == 302
