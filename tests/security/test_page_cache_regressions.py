"""Regression tests of the page cache from a security probe (issue 20): orders of events,
memos, cache poisoning, the forms without a CSRF token."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache_on(settings):
    settings.MPRC_PAGE_CACHE = True


def state(response):
    return response.headers.get("X-Page-Cache")


def warm(client, url):
    client.get(url)
    response = client.get(url)
    assert state(response) == "hit", url
    return response


def test_restriction_on_network_home_after_cache(page_cache_on, client, commune_a, network_home):
    page = StandardPageFactory(parent=commune_a, title="Conseil secret")
    warm(client, page.url)
    PageViewRestriction.objects.create(page=network_home, restriction_type="login")
    response = client.get(page.url)
    assert response.status_code == 302
    assert state(response) != "hit"


def test_password_on_ancestor_after_cache(page_cache_on, client, commune_a):
    parent = StandardPageFactory(parent=commune_a, title="Espace élus")
    child = StandardPageFactory(parent=parent, title="Ordre du jour")
    warm(client, child.url)
    PageViewRestriction.objects.create(page=parent, restriction_type="password", password="x")
    response = client.get(child.url)
    assert 'name="password"' in response.content.decode()
    assert state(response) != "hit"


def test_group_restriction_after_cache(page_cache_on, client, commune_a):
    page = StandardPageFactory(parent=commune_a, title="Réservé")
    warm(client, page.url)
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
    restriction.groups.add(commune_a.editors_group)
    assert client.get(page.url).status_code == 302


def test_unpublished_page_after_cache(page_cache_on, client, commune_a):
    page = StandardPageFactory(parent=commune_a, title="Brouillon")
    url = page.url
    warm(client, url)
    page.unpublish()
    assert client.get(url).status_code == 404


def test_unpublished_commune_after_cache(page_cache_on, client, commune_a):
    page = StandardPageFactory(parent=commune_a, title="Fête")
    url, home = page.url, commune_a.url
    warm(client, url)
    warm(client, home)
    commune_a.unpublish()
    assert client.get(url).status_code == 404
    assert client.get(home).status_code == 404


def test_moved_under_restricted_parent_after_cache(page_cache_on, client, commune_a):
    vault = StandardPageFactory(parent=commune_a, title="Coffre")
    PageViewRestriction.objects.create(page=vault, restriction_type="login")
    page = StandardPageFactory(parent=commune_a, title="Dossier")
    warm(client, page.url)
    page.move(vault, pos="last-child")
    page.refresh_from_db()
    assert client.get(page.url).status_code == 302


def test_staff_first_then_anonymous(page_cache_on, client, client_a, commune_a):
    page = StandardPageFactory(parent=commune_a, title="Vitrine")
    client_a.get(page.url)
    client_a.get(page.url)
    response = client.get(page.url)
    body = response.content.decode()
    assert "wagtail-userbar" not in body
    assert "/admin/pages/" not in body
    assert state(response) == "miss"


def test_renamed_slug(page_cache_on, client, commune_a):
    page = StandardPageFactory(parent=commune_a, title="Ancien nom", slug="ancien")
    old = page.url
    warm(client, old)
    page.slug = "nouveau"
    page.save_revision().publish()
    page.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(page.url).status_code == 200


def test_deleted_and_recreated_same_slug(page_cache_on, client, commune_a):
    page = StandardPageFactory(parent=commune_a, title="Première", slug="meme")
    url = page.url
    warm(client, url)
    page.delete()
    assert client.get(url).status_code == 404
    StandardPageFactory(parent=commune_a, title="Seconde", slug="meme")
    assert "Seconde" in client.get(url).content.decode()


def test_menu_after_hidden(page_cache_on, client, commune_a):
    page = StandardPageFactory(parent=commune_a, title="Lien du menu", show_in_menus=True)
    assert "Lien du menu" in warm(client, commune_a.url).content.decode()
    page.show_in_menus = False
    page.save_revision().publish()
    assert "Lien du menu" not in client.get(commune_a.url).content.decode()


def test_host_variants_are_kept_apart(page_cache_on, client, commune_a):
    page = StandardPageFactory(parent=commune_a, title="Hôte")
    warm(client, page.url)
    for extra in (
        {"HTTP_HOST": "evil.example"},
        {"HTTP_X_FORWARDED_HOST": "evil.example"},
        {"HTTP_X_FORWARDED_PROTO": "https"},
    ):
        assert "evil.example" not in client.get(page.url, **extra).content.decode()
    assert "evil.example" not in client.get(page.url).content.decode()


def test_head_first_does_not_store_an_empty_page(page_cache_on, client, commune_a):
    page = StandardPageFactory(parent=commune_a, title="Tête")
    client.head(page.url)
    assert "Tête" in client.get(page.url).content.decode()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "http:evil.example"]
)
def test_set_language_is_no_open_redirect(page_cache_on, client, commune_a, target):
    url = reverse("set_language")
    response = client.post(url, {"language": "en", "next": target}, HTTP_REFERER=target)
    assert "evil.example" not in response.get("Location", "")
    response = client.get(url, {"next": target}, HTTP_REFERER=target)
    assert "evil.example" not in response.get("Location", "")


def test_follow_refuses_unfollowable_and_unknown_pages(
    page_cache_on, every_module_on, client, commune_a
):
    page = StandardPageFactory(parent=commune_a, title="Page ordinaire")
    for pk in (page.pk, 999999):
        assert client.post(f"/suivre/{pk}/", {"email": "a@example.org"}).status_code == 404


@pytest.fixture
def board(commune_a):
    from exchange.factories import ServiceListingFactory
    from home.onboarding import switch_module_on
    from mprc_cms.modules import get_module

    commune_a.hamlets = "Le Bourg\nLes Granges"
    commune_a.email = "mairie@aubigny.example"
    commune_a.save_revision().publish()
    page, _created = switch_module_on(commune_a, get_module("exchange"))
    page = page.specific
    page.requires_approval = False
    page.save_revision().publish()
    page.listing = ServiceListingFactory(commune=commune_a, title="Bêcher le potager")
    return page


def test_module_switched_off_after_cache(page_cache_on, client, board, commune_a):
    from home.onboarding import switch_module_off
    from mprc_cms.modules import get_module

    index = board.url
    detail = index + board.reverse_subpage("listing", args=[board.listing.pk])
    warm(client, index)
    client.get(detail)
    switch_module_off(commune_a, get_module("exchange"))
    assert client.get(index).status_code == 404
    assert client.get(detail).status_code == 404


def test_hidden_listing_after_cache(page_cache_on, client, board):
    from exchange.models import ListingStatus

    detail = board.url + board.reverse_subpage("listing", args=[board.listing.pk])
    assert "Bêcher le potager" in warm(client, board.url).content.decode()
    listing = board.listing
    listing.status = ListingStatus.HIDDEN
    listing.save()
    assert client.get(detail).status_code == 404
    assert "Bêcher le potager" not in client.get(board.url).content.decode()


def test_password_entered_then_stranger(page_cache_on, commune_a):
    page = StandardPageFactory(parent=commune_a, title="Compte rendu")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type="password", password="jardin"
    )
    insider = Client()
    insider.get(page.url)
    insider.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "jardin", "return_url": page.url},
    )
    assert "Compte rendu" in insider.get(page.url).content.decode()
    assert 'name="password"' in Client().get(page.url).content.decode()
