"""Exact invalidation of the page cache (issue 20): every change made the way the site makes
it (the admin's screens, the model methods) purges every page that shows it — the page,
the listings above it, the commune's home, the network's home, the feeds, the sitemap —,
and no page of another commune."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from home.factories import NewsPageFactory, StandardPageFactory
from home.models import CommunePage, NewsIndexPage
from mprc_cms import page_cache
from tests.conftest import logged_in, needs_every_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

SITEMAP = "/sitemap.xml"
NETWORK = "/"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MPRC_PAGE_CACHE = True


@pytest.fixture
def admin(superuser):
    return logged_in(superuser)


def state(response):
    return response.headers.get("X-Page-Cache")


def text(response):
    return " ".join(response.content.decode().split())


def warm(client, *urls):
    """Each page is served from the cache (its second visit is a hit)."""
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        second = client.get(url)
        assert state(second) == "hit", (url, state(first), state(second))


def stored_entry(url, language="fr"):
    """The cache's entry of an anonymous visit of ``url`` (``page_cache_middleware``)."""
    from django.test import RequestFactory

    from mprc_cms.page_cache_middleware import _key

    request = RequestFactory().get(url)
    request.LANGUAGE_CODE = language
    return page_cache.backend().get(_key(request))


def assert_shown(client, urls, words):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert words in text(response), (url, state(response))


def assert_not_shown(client, urls, words):
    for url in urls:
        response = client.get(url)
        assert words not in text(response), (url, state(response))


def assert_hit(client, *urls):
    for url in urls:
        assert state(client.get(url)) == "hit", url


def news_index(commune):
    return NewsIndexPage.objects.child_of(commune).get()


def feed(index):
    return index.url + "flux/"


def news_form(title, slug, **extra):
    return {
        "title": title,
        "slug": slug,
        "date": "2026-03-02",
        "intro": "Le marché revient sur la place.",
        "body-count": "0",
        **extra,
    }


def commune_form(commune, **extra):
    return {
        "title": commune.title,
        "slug": commune.slug,
        "insee_code": commune.insee_code,
        "postcode": commune.postcode,
        "population": commune.population or "",
        "epci": commune.epci,
        "intro": commune.intro,
        "hamlets": commune.hamlets,
        "body-count": "0",
        **extra,
    }


@pytest.fixture
def pages_a(commune_a):
    index = news_index(commune_a)
    return [commune_a.url, index.url, feed(index), NETWORK, SITEMAP]


# --- Publishing, unpublishing, moving, deleting a page -------------------------------------


def test_publishing_news_shows_it_on_every_page_that_lists_it(
    client, admin, commune_a, commune_b, pages_a
):
    index = news_index(commune_a)
    warm(client, *pages_a, commune_b.url)
    response = admin.post(
        reverse("wagtailadmin_pages:add", args=["home", "newspage", index.pk]),
        news_form("Marché des producteurs", "marche", **{"action-publish": "action-publish"}),
    )
    assert response.status_code == 302
    assert_shown(client, pages_a[:-1], "Marché des producteurs")
    assert_shown(client, [SITEMAP], "/marche/")
    assert_hit(client, commune_b.url)


def test_a_saved_draft_purges_nothing(client, admin, commune_a, commune_b, pages_a):
    index = news_index(commune_a)
    warm(client, *pages_a, commune_b.url)
    admin.post(
        reverse("wagtailadmin_pages:add", args=["home", "newspage", index.pk]),
        news_form("Brouillon secret", "brouillon"),
    )
    assert_not_shown(client, pages_a, "Brouillon secret")
    assert_hit(client, commune_a.url, index.url, commune_b.url)


def test_editing_a_published_page_shows_the_new_text_everywhere(
    client, admin, commune_a, commune_b, pages_a
):
    news = NewsPageFactory(parent=news_index(commune_a), title="Fête du village")
    warm(client, news.url, *pages_a, commune_b.url)
    response = admin.post(
        reverse("wagtailadmin_pages:edit", args=[news.pk]),
        news_form("Fête de la Saint-Jean", news.slug, **{"action-publish": "action-publish"}),
    )
    assert response.status_code == 302
    assert_shown(client, [news.url, *pages_a[:-1]], "Fête de la Saint-Jean")
    assert_not_shown(client, [news.url, *pages_a], "Fête du village")
    assert_hit(client, commune_b.url)


def test_unpublishing_a_page_removes_it_everywhere(client, admin, commune_a, commune_b, pages_a):
    news = NewsPageFactory(parent=news_index(commune_a), title="Concert annulé")
    url = news.url
    warm(client, url, *pages_a, commune_b.url)
    response = admin.post(reverse("wagtailadmin_pages:unpublish", args=[news.pk]))
    assert response.status_code == 302
    assert client.get(url).status_code == 404
    assert_not_shown(client, pages_a, "Concert annulé")
    assert_not_shown(client, [SITEMAP], url)
    assert_hit(client, commune_b.url)


def test_deleting_a_page_removes_it_everywhere(client, admin, commune_a, commune_b, pages_a):
    news = NewsPageFactory(parent=news_index(commune_a), title="Vide-grenier")
    url = news.url
    warm(client, url, *pages_a, commune_b.url)
    response = admin.post(reverse("wagtailadmin_pages:delete", args=[news.pk]))
    assert response.status_code == 302
    assert client.get(url).status_code == 404
    assert_not_shown(client, pages_a, "Vide-grenier")
    assert_not_shown(client, [SITEMAP], url)
    assert_hit(client, commune_b.url)


def test_moving_a_page_to_another_commune_updates_both(client, admin, commune_a, commune_b):
    page = StandardPageFactory(
        parent=commune_a, title="Salle des fêtes", slug="salle", show_in_menus=True
    )
    old_url = page.url
    warm(client, old_url, commune_a.url, commune_b.url, NETWORK, SITEMAP)
    response = admin.post(reverse("wagtailadmin_pages:move_confirm", args=[page.pk, commune_b.pk]))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.get_parent().pk == commune_b.pk
    # The old address redirects to the new one (Wagtail's redirects).
    assert client.get(old_url)["Location"] == page.url
    assert_not_shown(client, [commune_a.url], "Salle des fêtes")
    assert_shown(client, [commune_b.url, page.url], "Salle des fêtes")
    assert_shown(client, [SITEMAP], page.url)
    assert_not_shown(client, [SITEMAP], old_url)


# --- A commune's settings, its modules, the site, the images -------------------------------


def test_a_communes_settings_show_on_its_pages_and_the_network(
    client, admin, commune_a, commune_b, pages_a
):
    page = StandardPageFactory(parent=commune_a, title="Mairie")
    warm(client, page.url, *pages_a, commune_b.url)
    response = admin.post(
        reverse("wagtailadmin_pages:edit", args=[commune_a.pk]),
        commune_form(commune_a, title="Aubigny-sur-Loire", **{"action-publish": "action-publish"}),
    )
    assert response.status_code == 302, text(response)[:2000]
    # Its own pages carry its name in their header and title; the network lists it.
    assert_shown(client, [page.url, commune_a.url, NETWORK], "Aubigny-sur-Loire")
    assert_not_shown(client, [page.url, commune_a.url, NETWORK], "Aubigny-les-Prés")
    assert_hit(client, commune_b.url)


def test_a_communes_legal_information_shows_on_its_legal_page(client, commune_a, commune_b):
    from home.models import LegalInformation

    legal = LegalInformation.objects.get(page_id=commune_a.pk)
    legal_url = commune_a.url + commune_a.reverse_subpage(_legal_route(commune_a))
    warm(client, legal_url, commune_b.url)
    legal.publisher_name = "Syndicat des eaux de la Grosne"
    legal.save()
    assert_shown(client, [legal_url], "Syndicat des eaux de la Grosne")
    assert_hit(client, commune_b.url)


def _legal_route(commune):
    """The name of the legal notice's route of a site root."""
    for pattern in commune.get_subpage_urls():
        if "legal" in (pattern.name or "") or "mentions" in str(pattern.pattern):
            return pattern.name
    raise AssertionError("no legal route")


def test_switching_a_module_on_and_off_shows_on_the_commune_and_the_network(
    client, coordinator_client, commune_a, commune_b
):
    from mprc_cms.modules import get_module

    module = get_module("example")
    warm(client, commune_a.url, commune_b.url, NETWORK, SITEMAP)
    response = coordinator_client.post(
        reverse("mprc_communes:modules", args=[commune_a.pk]), {"module": "example"}
    )
    assert response.status_code == 302
    index_url = _module_index(commune_a, module).url
    assert_shown(client, [commune_a.url], str(module.invitation))
    assert_shown(client, [SITEMAP], index_url)
    assert_hit(client, commune_b.url)
    warm(client, commune_a.url, index_url, NETWORK, SITEMAP)

    response = coordinator_client.post(
        reverse("mprc_communes:module_off", args=[commune_a.pk, "example"])
    )
    assert response.status_code == 302
    assert client.get(index_url).status_code == 404
    assert_not_shown(client, [commune_a.url], str(module.invitation))
    assert_not_shown(client, [SITEMAP], index_url)
    assert_hit(client, commune_b.url)


def _module_index(commune, module):
    from django.apps import apps

    model = apps.get_model(module.info.index_page_model)
    return model.objects.descendant_of(commune).get()


def test_the_site_name_shows_on_every_page(client, commune_a, commune_b, network_home):
    warm(client, commune_a.url, commune_b.url, NETWORK)
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Réseau des villages du Clunisois"
    site.save()
    # The network's own data: every page may show it.
    for url in (commune_a.url, commune_b.url, NETWORK):
        assert state(client.get(url)) != "hit", url


def test_editing_an_image_shows_its_new_text_where_it_appears(client, admin, commune_a, commune_b):
    image = get_image_model().objects.create(
        title="Lavoir", file=get_test_image_file(), description="Le lavoir du bourg"
    )
    CommunePage.objects.filter(pk=commune_a.pk).update(image=image)
    page_cache.changed(commune_a)
    warm(client, commune_a.url)
    assert_shown(client, [commune_a.url], "Le lavoir du bourg")
    response = admin.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {
            "title": "Lavoir",
            "description": "Le lavoir restauré en 2026",
            "collection": image.collection_id,
            "tags": "",
        },
    )
    assert response.status_code == 302, text(response)[:2000]
    assert_shown(client, [commune_a.url], "Le lavoir restauré en 2026")


# --- Writes without signals ----------------------------------------------------------------


def test_changed_purges_the_commune_of_a_bulk_write_and_no_other(client, commune_a, commune_b):
    page = StandardPageFactory(parent=commune_a, title="Horaires")
    warm(client, page.url, commune_a.url, commune_b.url, NETWORK)
    type(page).objects.filter(pk=page.pk).update(intro="Ouvert le samedi matin.")
    # Without a signal nothing knows...
    assert_hit(client, page.url)
    page_cache.changed(page)
    assert_shown(client, [page.url], "Ouvert le samedi matin.")
    assert state(client.get(NETWORK)) != "hit"
    assert_hit(client, commune_b.url)


# --- Any commune-bound change: its commune, never another (property) ------------------------


def _news(commune, words):
    return NewsPageFactory(parent=news_index(commune), title=words)


def _standard(commune, words):
    return StandardPageFactory(parent=commune, title=words)


def _listing(commune, words):
    from exchange.factories import ServiceListingFactory

    return ServiceListingFactory(commune=commune, title=words)


def _private_source(commune, words):
    from project_catalog.funding.factories import FundingSourceFactory

    return FundingSourceFactory(commune=commune, name=words)


def _project(commune, words):
    from project_catalog.factories import ProjectPageFactory

    return ProjectPageFactory(commune=commune, title=words)


def _member(commune, words):
    from parliament.factories import MicroParliamentPageFactory
    from parliament.models import MicroParliamentPage, ParliamentMember, Role

    parliament = MicroParliamentPage.objects.child_of(commune).first()
    if parliament is None:
        parliament = MicroParliamentPageFactory(parent=commune)
    return ParliamentMember.objects.create(
        micro_parliament=parliament, commune=commune, name=words, role=Role.ELECTED
    )


COMMUNE_BOUND = (_news, _standard, _listing, _private_source, _project, _member)


@needs_every_module
@given(
    build=st.sampled_from(COMMUNE_BOUND),
    first=st.booleans(),
    words=st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàç ", min_size=3, max_size=40).filter(
        str.strip
    ),
)
@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_a_commune_bound_change_purges_its_commune_and_never_another(
    every_module_on, commune_a, commune_b, build, first, words
):
    mine, other = (commune_a, commune_b) if first else (commune_b, commune_a)
    record = build(mine, words.strip())
    assert page_cache.scopes_for(record) == {page_cache.ANY, page_cache.commune_scope(mine)}
    scopes = [
        page_cache.ANY,
        page_cache.NETWORK,
        page_cache.commune_scope(mine),
        page_cache.commune_scope(other),
    ]
    before = page_cache.versions(scopes)
    page_cache.changed(record)
    after = page_cache.versions(scopes)
    # Every page of its commune (and the network's pages) is stale; nothing else is.
    assert after[page_cache.commune_scope(mine)] != before[page_cache.commune_scope(mine)]
    assert after[page_cache.ANY] != before[page_cache.ANY]
    assert after[page_cache.commune_scope(other)] == before[page_cache.commune_scope(other)]
    assert after[page_cache.NETWORK] == before[page_cache.NETWORK]


# --- An upgrade -------------------------------------------------------------------------------


def migrated():
    """What ``migrate`` sends the core's app at its end."""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    config = apps.get_app_config("mprc_cms")
    post_migrate.send(
        sender=config,
        app_config=config,
        verbosity=0,
        interactive=False,
        using="default",
        apps=apps,
        plan=[],
    )


def test_migrate_purges_every_page_and_memo(client, commune_a, commune_b):
    """Every upgrade runs ``migrate``: no page, memo or fragment written by the code before
    it is served by the code after it (new templates, translations, memo shapes)."""
    pages = [NETWORK, commune_a.url, commune_b.url]
    warm(client, *pages)
    computed = []
    page_cache.memo("upgrade-test", [page_cache.ANY], lambda: computed.append(1))
    page_cache.memo("upgrade-test", [page_cache.ANY], lambda: computed.append(1))
    assert computed == [1]
    migrated()
    for url in pages:
        assert state(client.get(url)) != "hit", url
    page_cache.memo("upgrade-test", [page_cache.ANY], lambda: computed.append(1))
    assert computed == [1, 1]


def test_migrate_goes_on_when_the_cache_is_out_of_reach(monkeypatch, caplog):
    def unreachable(scopes):
        raise ConnectionError("cache server down")

    monkeypatch.setattr(page_cache, "_bump", unreachable)
    migrated()  # no exception
    assert "not purged after migrate" in caplog.text
