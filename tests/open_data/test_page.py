"""The «Données ouvertes» page of the network and of each commune: every file with its
format, size and date, the licence, the footer's link to it; its address kept free."""

import datetime
import html
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from mprc_cms.open_data.builder import build_open_data
from project_catalog.factories import ProjectPageFactory

pytestmark = [pytest.mark.django_db]

NOW = timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 30))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


# The interface's words are checked in English (/en/), the source strings.


def test_before_the_first_build_the_page_says_so(client, commune_a):
    response = client.get("/en/donnees-ouvertes/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Open data</h1>" in html
    assert "The files have not been generated yet" in html
    assert "/donnees-ouvertes/fichiers/" not in html


def test_the_network_page_lists_every_file(client, every_module_on, commune_a):
    ProjectPageFactory(commune=commune_a, title="Potager des écoliers")
    build_open_data(now=NOW)
    assert client.get("/donnees-ouvertes/").status_code == 200  # French, the default
    html = client.get("/en/donnees-ouvertes/").content.decode()
    assert "<h1>Open data</h1>" in html
    for name in ("projets.csv", "projets.json", "communes.csv", "datapackage.json"):
        assert f'href="/donnees-ouvertes/fichiers/reseau/{name}"' in html
    assert "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" in html
    assert 'datetime="2026-11-20' in html
    # Each file says its format and size.
    assert re.search(r"\(CSV, [0-9.]+(\xa0|&nbsp;| )(bytes|KB)", html)
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_communes_page_lists_its_own_files(client, every_module_on, commune_a):
    build_open_data(now=NOW)
    html = client.get(f"{commune_a.url}donnees-ouvertes/").content.decode()
    assert f'href="/donnees-ouvertes/fichiers/{commune_a.insee_code}/projets.csv"' in html
    assert "/donnees-ouvertes/fichiers/reseau/" not in html


def test_the_footer_links_to_it(client, commune_a):
    html = client.get(commune_a.url).content.decode()
    assert f'href="{commune_a.url}donnees-ouvertes/"' in html
    html = client.get("/").content.decode()
    assert 'href="/donnees-ouvertes/"' in html


def test_a_child_page_cannot_take_its_address(superuser, network_home, commune_a):
    from tests.conftest import logged_in

    client = logged_in(superuser)
    message = gettext(
        "The address “%(slug)s” is the site's open data page: choose another one."
    ) % {"slug": "donnees-ouvertes"}
    for parent in (network_home, commune_a):
        response = client.post(
            f"/admin/pages/add/home/standardpage/{parent.pk}/",
            {"title": "Données", "slug": "donnees-ouvertes", "body-count": "0"},
        )
        assert response.status_code == 200
        assert message in html.unescape(response.content.decode())


def test_a_build_refreshes_the_cached_page(client, settings, every_module_on, commune_a):
    settings.MPRC_PAGE_CACHE = True
    build_open_data(now=NOW)
    first = client.get("/en/donnees-ouvertes/")
    assert 'datetime="2026-11-20' in first.content.decode()
    assert client.get("/en/donnees-ouvertes/")["X-Page-Cache"] == "hit"
    build_open_data(now=NOW + datetime.timedelta(days=1))
    assert 'datetime="2026-11-21' in client.get("/en/donnees-ouvertes/").content.decode()


def test_the_files_are_read_once_per_build(client, settings, monkeypatch, commune_a):
    """With the page cache off (each visit renders the page), the list of files is a
    fragment kept until the next build: the datapackage is read once per build."""
    from mprc_cms.open_data import views

    settings.MPRC_PAGE_CACHE = False
    build_open_data(now=NOW)
    reads = []
    real = views.read_datapackage
    monkeypatch.setattr(views, "read_datapackage", lambda *a, **k: reads.append(1) or real(*a, **k))
    first = client.get("/en/donnees-ouvertes/").content.decode()
    assert client.get("/en/donnees-ouvertes/").content.decode() == first
    assert len(reads) == 1
    assert 'datetime="2026-11-20' in first
    build_open_data(now=NOW + datetime.timedelta(days=1))
    assert 'datetime="2026-11-21' in client.get("/en/donnees-ouvertes/").content.decode()
    assert len(reads) == 2
    # Each site its own list.
    assert "2026-11-21" in client.get(f"{commune_a.url}donnees-ouvertes/").content.decode()
    assert len(reads) == 3


def sitemap_entries(client):
    """The sitemap's (location, lastmod) pairs."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urlset = ET.fromstring(response.content)  # noqa: S314 (the site's own answer)
    return {
        url.findtext("s:loc", namespaces=namespace): url.findtext("s:lastmod", namespaces=namespace)
        for url in urlset.findall("s:url", namespace)
    }


def test_the_sitemap_lists_the_pages_once_the_files_are_built(
    client, settings, every_module_on, network_home, commune_a, commune_b
):
    settings.MPRC_PAGE_CACHE = True
    with translation.override("fr"):
        open_data_pages = {
            f"{root.get_full_url()}donnees-ouvertes/" for root in (network_home, commune_a)
        }
    commune_b.unpublish()  # offline: neither its pages nor its files are listed
    assert not open_data_pages & set(sitemap_entries(client))
    build_open_data(now=NOW)
    entries = sitemap_entries(client)  # the cached sitemap is refreshed by the build
    assert open_data_pages <= set(entries)
    assert all(entries[location] for location in open_data_pages)  # dated
    assert not [location for location in entries if commune_b.slug in location]
