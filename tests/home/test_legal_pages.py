"""What a French public site must have (issue 17): on every site — the network, each
commune under its address or on its own hostname — a legal notice, an accessibility
statement and a personal data page, generated from the site's legal information and the
modules it runs, editable by its staff and linked from every page's footer."""

import re
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from wagtail.fields import RichTextField
from wagtail.models import Site

from home.factories import NewsPageFactory, StandardPageFactory
from home.models import LEGAL_SLUGS, CommunePage, LegalInformation, NewsIndexPage, StandardPage
from home.onboarding import create_commune, switch_module_on
from mprc_cms.modules import get_module
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

PAGES = {
    "legal_notice": ("mentions-legales/", "Mentions légales"),
    "accessibility": ("accessibilite/", "Déclaration d’accessibilité"),
    "privacy": ("donnees-personnelles/", "Données personnelles"),
}


@pytest.fixture
def aubigny_site(commune_a):
    """Commune A on a hostname of its own."""
    site = Site.objects.create(hostname="aubigny.example", port=80, root_page=commune_a)
    yield site
    site.delete()


def facts(page):
    return LegalInformation.objects.get(page=page)


def text_of(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(soup.get_text(" ").split())


def main_text(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(soup.find("main").get_text(" ").split())


def footer_links(response):
    """{link text: href} of the footer's legal links."""
    soup = BeautifulSoup(response.content, "html.parser")
    nav = soup.select_one("footer nav.legal-links")
    assert nav is not None, "no legal links in the footer"
    return {" ".join(a.get_text(" ").split()): a["href"] for a in nav.find_all("a")}


def get(client, path, **extra):
    response = client.get(path, **extra)
    assert response.status_code == 200, (path, response.status_code)
    return response


# --- The three pages on every site ---------------------------------------------------


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_exists_on_the_network_and_on_every_commune(
    client, network_home, commune_a, aubigny_site, name
):
    slug, heading = PAGES[name]
    network = get(client, f"/{slug}")
    assert network.context["page"].pk == network_home.pk
    assert f"<h1>{heading}</h1>" in network.content.decode()

    # A commune under the network's address.
    commune_b = create_commune(
        name="Bellecombe", insee_code="71802", postcode="71460", publish=True
    ).commune
    under_path = get(client, f"{commune_b.url}{slug}")
    assert under_path.context["page"].pk == commune_b.pk
    assert f"<h1>{heading}</h1>" in under_path.content.decode()
    # Its breadcrumbs end with the legal page, after the commune's.
    crumbs = BeautifulSoup(under_path.content, "html.parser").select(".breadcrumbs li")
    assert [" ".join(li.get_text().split()) for li in crumbs][-2:] == ["Bellecombe", heading]

    # A commune on its own hostname: at the root of its site.
    own_host = get(client, f"/{slug}", HTTP_HOST="aubigny.example")
    assert own_host.context["page"].pk == commune_a.pk

    # In English, under /en/.
    english = get(client, f"/en/{slug}")
    assert '<html lang="en">' in english.content.decode()


def test_the_english_pages_mark_the_french_facts(client, commune_a):
    response = get(client, f"/en{commune_a.url}mentions-legales/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("h1").get_text() == "Legal notice"
    publisher = soup.find("strong", string="Commune d’Aubigny-les-Prés")
    assert publisher.find_parent(attrs={"lang": "fr"}) is not None


def test_a_child_page_cannot_take_a_legal_pages_address(superuser, commune_a):
    client = logged_in(superuser)
    response = client.post(
        f"/admin/pages/add/home/standardpage/{commune_a.pk}/",
        {"title": "Accessibilité de la mairie", "slug": "accessibilite", "body-count": "0"},
    )
    assert response.status_code == 200
    assert "the site's legal page" in response.content.decode() or "page légale" in (
        response.content.decode()
    )
    assert not StandardPage.objects.filter(slug="accessibilite").exists()
    # The same address further down the tree is free.
    page = StandardPageFactory(parent=commune_a, slug="la-mairie")
    response = client.post(
        f"/admin/pages/add/home/standardpage/{page.pk}/",
        {"title": "Accessibilité", "slug": "accessibilite", "body-count": "0"},
    )
    assert response.status_code == 302
    assert StandardPage.objects.filter(slug="accessibilite").exists()


def test_a_commune_named_like_a_legal_page_gets_another_address(network_home):
    commune = create_commune(name="Accessibilité", insee_code="71899", postcode="71250").commune
    assert commune.slug not in LEGAL_SLUGS


# --- Generated from the facts ------------------------------------------------------


def test_the_legal_notice_has_sensible_defaults_from_the_commune(client, commune_a):
    commune_a.address = "Mairie\n1 place du Lavoir\n71250 Aubigny-les-Prés"
    commune_a.phone = "03 85 00 00 01"
    commune_a.email = "mairie@aubigny.example"
    commune_a.save_revision().publish()
    text = main_text(get(client, f"{commune_a.url}mentions-legales/"))
    assert "Commune d’Aubigny-les-Prés" in text
    assert "1 place du Lavoir" in text
    assert "03 85 00 00 01" in text
    assert "mairie@aubigny.example" in text
    assert "Le ou la maire d’Aubigny-les-Prés" in text
    # No host given anywhere yet: the page says so.
    assert "Les coordinateurs du réseau n’ont pas encore indiqué l’hébergeur." in text


def test_a_commune_name_is_contracted_in_the_defaults(client, network_home):
    commune = create_commune(
        name="Les Essarts", insee_code="71805", postcode="71250", publish=True
    ).commune
    text = main_text(get(client, f"{commune.url}mentions-legales/"))
    assert "Commune des Essarts" in text
    assert "Le ou la maire des Essarts" in text


def test_changing_a_fact_changes_the_pages(client, network_home, commune_a):
    network = facts(network_home)
    network.host_name = "Hébergeur associatif du Val"
    network.host_address = "4 rue des Serveurs\n71000 Mâcon"
    network.host_phone = "03 85 99 99 99"
    network.save()
    url = f"{commune_a.url}mentions-legales/"
    # The commune has no host of its own: the network's.
    assert "Hébergeur associatif du Val" in main_text(get(client, url))
    assert "Hébergeur associatif du Val" in main_text(get(client, "/mentions-legales/"))

    own = facts(commune_a)
    own.host_name = "Serveurs de la mairie"
    own.publisher_name = "Mairie d’Aubigny"
    own.publication_director = "Claude Exemple, maire"
    own.publisher_registration = "217 100 000 00011"
    own.save()
    text = main_text(get(client, url))
    assert "Serveurs de la mairie" in text
    assert "Hébergeur associatif du Val" not in text
    assert "Mairie d’Aubigny" in text
    assert "Claude Exemple, maire" in text
    assert "217 100 000 00011" in text
    # The network's own page keeps the network's host.
    assert "Serveurs de la mairie" not in main_text(get(client, "/mentions-legales/"))


def test_the_conformity_state_follows_the_audit(client, network_home, commune_a):
    url = f"{commune_a.url}accessibilite/"
    # No audit: non-compliant, everywhere, and the footer says so.
    response = get(client, url)
    assert "Accessibilité : non conforme" in footer_links(response)
    assert "n’a encore pas été audité" in main_text(response)

    network = facts(network_home)
    network.accessibility_audit_date = date(2026, 11, 2)
    network.accessibility_auditor = "l’équipe du réseau (audit interne)"
    network.accessibility_rate = Decimal("76.5")
    network.accessibility_non_compliant = "Le plan interactif du bourg\n\nLes cartes des hameaux"
    network.save()
    response = get(client, url)
    assert "Accessibilité : partiellement conforme" in footer_links(response)
    text = main_text(response)
    assert "partiellement conforme" in text
    assert "76,5 %" in text
    assert "l’équipe du réseau (audit interne)" in text
    assert "2 novembre 2026" in text
    assert "Le plan interactif du bourg" in text
    soup = BeautifulSoup(response.content, "html.parser")
    heading = soup.find("h3", string="Non-conformités")
    assert [li.get_text() for li in heading.find_next("ul").find_all("li")] == [
        "Le plan interactif du bourg",
        "Les cartes des hameaux",
    ]
    # The commune adds its own content to the network's audit.
    own = facts(commune_a)
    own.accessibility_non_compliant = "Les comptes rendus scannés"
    own.save()
    assert "Les comptes rendus scannés" in main_text(get(client, url))
    assert "Les comptes rendus scannés" not in main_text(get(client, "/accessibilite/"))

    network.accessibility_rate = Decimal(100)
    network.save()
    assert "Accessibilité : totalement conforme" in footer_links(get(client, url))

    # The commune's own audit replaces the network's.
    own.accessibility_audit_date = date(2026, 12, 1)
    own.accessibility_rate = Decimal(40)
    own.save()
    response = get(client, url)
    assert "Accessibilité : non conforme" in footer_links(response)
    assert "40 %" in main_text(response)
    assert "Accessibilité : totalement conforme" in footer_links(get(client, "/"))


def test_the_accessibility_statement_has_the_rgaa_model_sections(client, network_home):
    response = get(client, "/accessibilite/")
    soup = BeautifulSoup(response.content, "html.parser")
    headings = [h.get_text() for h in soup.find("main").find_all("h2")]
    for heading in (
        "État de conformité",
        "Établissement de cette déclaration d’accessibilité",
        "Retour d’information et contact",
        "Voies de recours",
    ):
        assert heading in headings
    text = main_text(response)
    assert "Défenseur des droits Libre réponse 71120 75342 Paris CEDEX 07" in text
    assert soup.find("a", href="https://formulaire.defenseurdesdroits.fr/")

    network = facts(network_home)
    network.accessibility_audit_date = date(2026, 11, 2)
    network.accessibility_rate = Decimal(80)
    network.save()
    headings = [
        h.get_text()
        for h in BeautifulSoup(get(client, "/accessibilite/").content, "html.parser")
        .find("main")
        .find_all("h2")
    ]
    assert "Résultats des tests" in headings


def test_the_data_protection_officer_comes_from_the_commune_or_the_network(
    client, network_home, commune_a
):
    url = f"{commune_a.url}donnees-personnelles/"
    assert "Aucun délégué à la protection des données" in main_text(get(client, url))
    network = facts(network_home)
    network.dpo_name = "Délégué mutualisé du Centre de gestion"
    network.dpo_email = "dpd@cdg.example"
    network.save()
    assert "dpd@cdg.example" in main_text(get(client, url))
    own = facts(commune_a)
    own.dpo_name = "Agence numérique du département"
    own.dpo_email = "dpo@agence.example"
    own.save()
    text = main_text(get(client, url))
    assert "dpo@agence.example" in text
    # The network's processings (staff accounts) keep the network's officer.
    assert "dpd@cdg.example" in text


# --- The processings follow the modules ------------------------------------------------


def processing_titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [h.get_text() for h in soup.select("section.processing h3")]


def test_the_core_processings_are_on_every_site(client, commune_a):
    for url in ("/donnees-personnelles/", f"{commune_a.url}donnees-personnelles/"):
        titles = processing_titles(get(client, url))
        assert "Comptes du personnel de l’administration" in titles
        assert "Protection des formulaires publics contre les abus" in titles


def test_a_module_processing_is_listed_where_the_module_is_on(client, commune_a, commune_b):
    """The example module declares a processing (tests/example_module/privacy.py)."""
    example = get_module("example")
    page, _created = switch_module_on(commune_a, example)
    a_url = f"{commune_a.url}donnees-personnelles/"
    b_url = f"{commune_b.url}donnees-personnelles/"
    assert "Boîte à idées" in processing_titles(get(client, a_url))
    assert "Boîte à idées" not in processing_titles(get(client, b_url))
    # The network's page lists the network's processings, and each commune's page.
    network = get(client, "/donnees-personnelles/")
    assert "Boîte à idées" not in processing_titles(network)
    soup = BeautifulSoup(network.content, "html.parser")
    assert soup.find("a", href=a_url, string="Aubigny-les-Prés")

    # Switched off (its page unpublished): no longer listed…
    page.unpublish()
    assert "Boîte à idées" not in processing_titles(get(client, a_url))
    # …unless the commune still holds its data.
    from tests.example_module.models import ExampleRecord

    ExampleRecord.objects.create(commune=commune_a, name="Camille", email="c@example.fr")
    assert "Boîte à idées" in processing_titles(get(client, a_url))


def test_a_processing_states_its_basis_data_retention_and_rights(client, commune_a):
    switch_module_on(commune_a, get_module("example"))
    soup = BeautifulSoup(
        get(client, f"{commune_a.url}donnees-personnelles/").content, "html.parser"
    )
    section = soup.find("h3", string="Boîte à idées").find_parent("section")
    text = " ".join(section.get_text(" ").split())
    assert "Commune d’Aubigny-les-Prés" in text  # the controller
    assert "Recueillir les idées des habitants." in text
    assert "Le consentement (article 6.1.a du RGPD)" in text
    assert "Nom, adresse électronique, année de naissance" in text
    assert "Un an après le dépôt de l'idée." in text
    assert "Portabilité (article 20)" in text or "portabilité (article 20)" in text


def test_the_retention_of_the_core_processings_comes_from_the_settings(client, settings):
    settings.AXES_COOLOFF_TIME = __import__("datetime").timedelta(minutes=30)
    text = main_text(get(client, "/donnees-personnelles/"))
    assert "30 minutes" in text
    # The cookies are read from the settings too.
    settings.SESSION_COOKIE_AGE = 3 * 86400
    soup = BeautifulSoup(get(client, "/donnees-personnelles/").content, "html.parser")
    row = soup.find("code", string=settings.SESSION_COOKIE_NAME).find_parent("tr")
    assert "3 jours" in row.get_text()


# --- The footer of every page ------------------------------------------------------


def assert_links_to(response, prefix):
    links = footer_links(response)
    assert len(links) == 3
    hrefs = sorted(links.values())
    assert hrefs == sorted(prefix + slug for slug, _heading in PAGES.values()), hrefs
    if prefix.startswith("/en/"):
        names = ("Legal notice", "Personal data", r"Accessibility: .*compliant")
    else:
        names = ("Mentions légales", "Données personnelles", r"Accessibilité : .*conforme")
    assert names[0] in links
    assert names[1] in links
    assert [text for text in links if re.fullmatch(names[2], text)]


def test_the_footer_links_to_the_site_of_the_page(client, network_home, commune_a, aubigny_site):
    commune_b = create_commune(
        name="Bellecombe", insee_code="71802", postcode="71460", publish=True
    ).commune
    news_index = NewsIndexPage.objects.child_of(commune_b).get()
    news = NewsPageFactory(parent=news_index)
    standard = StandardPageFactory(parent=commune_b)
    network_page = StandardPageFactory(parent=network_home)
    # With a second site, Wagtail gives full addresses: the footer's are paths.
    b = urlsplit(commune_b.url).path
    for url, prefix in (
        ("/", "/"),
        (urlsplit(network_page.url).path, "/"),
        (b, b),
        (urlsplit(standard.url).path, b),
        (urlsplit(news_index.url).path, b),
        (urlsplit(news.url).path, b),
        (f"{b}mentions-legales/", b),
        (f"{b}donnees-personnelles/", b),
        ("/recherche/?q=lavoir", "/"),
        (f"/recherche/?q=lavoir&commune={commune_b.pk}", "/"),
        ("/mentions-legales/", "/"),
    ):
        assert_links_to(get(client, url), prefix)
    # The 404 page links to the site's pages.
    missing = client.get("/cette-page-n-existe-pas/")
    assert missing.status_code == 404
    assert_links_to(missing, "/")
    # Under /en/, the English addresses.
    assert_links_to(get(client, "/en" + b), "/en" + b)
    # On a commune's own hostname, its own pages at the root.
    assert_links_to(get(client, "/", HTTP_HOST="aubigny.example"), "/")
    own = get(client, "/accessibilite/", HTTP_HOST="aubigny.example")
    assert own.context["page"].pk == commune_a.pk
    missing = client.get("/nulle-part/", HTTP_HOST="aubigny.example")
    assert missing.status_code == 404
    assert_links_to(missing, "/")


# --- Edited by the site's staff --------------------------------------------------------


def edit_url(page):
    return f"/admin/legal_information/edit/{facts(page).pk}/"


def form_data(**values):
    """Every field of the edit form, empty, but ``values``."""
    names = [
        field.name
        for field in LegalInformation._meta.concrete_fields
        if field.editable and not field.primary_key and not isinstance(field, RichTextField)
    ]
    data = dict.fromkeys(names, "")
    data.update(values)
    return data


def test_staff_edit_their_communes_facts_and_the_page_changes(client, client_a, commune_a):
    response = client_a.get(edit_url(commune_a))
    assert response.status_code == 200
    # The defaults are shown where fields are empty.
    assert 'placeholder="Commune d’Aubigny-les-Prés"' in response.content.decode()
    response = client_a.post(
        edit_url(commune_a), form_data(publication_director="Dominique Exemple, maire")
    )
    assert response.status_code == 302
    assert facts(commune_a).publication_director == "Dominique Exemple, maire"
    assert "Dominique Exemple, maire" in main_text(get(client, f"{commune_a.url}mentions-legales/"))


def test_staff_of_one_commune_cannot_reach_anothers_facts(
    client_a, commune_a, commune_b, network_home
):
    listing = client_a.get("/admin/legal_information/")
    assert listing.status_code == 200
    assert "Aubigny-les-Prés" in listing.content.decode()
    assert "Bellecombe" not in listing.content.decode()
    for page in (commune_b, network_home):
        assert client_a.get(edit_url(page)).status_code == 404
        response = client_a.post(edit_url(page), form_data(publisher_name="Piraté"))
        assert response.status_code == 404
        assert facts(page).publisher_name == ""
        assert (
            client_a.get(f"/admin/legal_information/history/{facts(page).pk}/").status_code == 404
        )
    # Nobody adds or deletes one.
    assert client_a.get("/admin/legal_information/new/").status_code in (302, 403, 404)
    assert client_a.post(f"/admin/legal_information/delete/{facts(commune_a).pk}/").status_code in (
        302,
        403,
        404,
    )
    assert LegalInformation.objects.filter(page=commune_a).exists()


def test_coordinators_edit_the_networks_facts(coordinator_client, network_home, commune_a):
    listing = coordinator_client.get("/admin/legal_information/")
    assert "Aubigny-les-Prés" in listing.content.decode()
    response = coordinator_client.post(
        edit_url(network_home),
        form_data(host_name="Hébergeur associatif du Val", accessibility_rate="120"),
    )
    assert response.status_code == 200  # 120 % is refused
    response = coordinator_client.post(
        edit_url(network_home), form_data(host_name="Hébergeur associatif du Val")
    )
    assert response.status_code == 302
    assert facts(network_home).host_name == "Hébergeur associatif du Val"
    assert coordinator_client.get(edit_url(commune_a)).status_code == 200


def test_every_site_gets_its_legal_information(network_home, commune_a):
    assert LegalInformation.objects.filter(page=network_home).exists()
    assert LegalInformation.objects.filter(page=commune_a).exists()


def test_the_demo_network_has_realistic_facts(client):
    from tests.demo_helpers import load_demo

    load_demo()
    text = main_text(get(client, "/mentions-legales/"))
    assert "Association des micro-parlements ruraux connectés" in text
    assert "Claire Morel, présidente de l’association" in text
    assert "Hébergeur associatif des Vallons" in text
    commune = CommunePage.objects.get(title="Saint-Aubin-les-Vignes")
    response = get(client, f"{commune.url}mentions-legales/")
    text = main_text(response)
    assert "Hélène Dumas, maire" in text
    assert "mairie@saint-aubin-les-vignes.example.fr" in text
    assert "Hébergeur associatif des Vallons" in text
    assert "Accessibilité : partiellement conforme" in footer_links(response)
    text = main_text(get(client, f"{commune.url}accessibilite/"))
    assert "78,26 %" in text
    assert "accessibilite@mprc.example.fr" not in text  # the town hall's address instead
    assert "mairie@saint-aubin-les-vignes.example.fr" in text
    text = main_text(get(client, f"{commune.url}donnees-personnelles/"))
    assert "dpd@vallons-de-la-grosne.example.fr" in text


def test_the_commune_s_admin_screen_links_to_its_legal_information(client_a, commune_a):
    response = client_a.get(f"/admin/communes/{commune_a.pk}/")
    assert edit_url(commune_a) in response.content.decode()
