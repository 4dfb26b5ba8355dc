"""The page cache (mprc_cms/page_cache.py): anonymous visitors' pages from the shared
cache, purged as soon as what they show changes."""

import html

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from home.factories import StandardPageFactory
from tests.conftest import needs_every_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache_on(settings):
    settings.MPRC_PAGE_CACHE = True


def state(response):
    return response.headers.get("X-Page-Cache")


def test_second_anonymous_visit_is_served_from_the_cache(page_cache_on, client, commune_a):
    assert state(client.get(commune_a.url)) == "miss"
    response = client.get(commune_a.url)
    assert state(response) == "hit"
    assert commune_a.title in response.content.decode()


def test_a_published_change_is_seen_at_once(page_cache_on, client, commune_a):
    page = StandardPageFactory(parent=commune_a, title="Marché tournant", show_in_menus=True)
    client.get(page.url)
    client.get(commune_a.url)
    assert state(client.get(page.url)) == "hit"
    page.title = "Marché du jeudi"
    page.save_revision().publish()
    response = client.get(page.url)
    assert state(response) == "miss"
    assert "Marché du jeudi" in response.content.decode()
    assert "Marché du jeudi" in client.get(commune_a.url).content.decode()


def test_another_communes_pages_stay_cached(page_cache_on, client, commune_a, commune_b):
    client.get(commune_b.url)
    StandardPageFactory(parent=commune_a, title="Jardin partagé")
    assert state(client.get(commune_b.url)) == "hit"
    assert state(client.get("/")) != "hit"


# --- Helpers ----------------------------------------------------------------------------------


def stored():
    """The pages kept in the page cache (the tests' cache is a LocMemCache)."""
    from mprc_cms import page_cache

    return [key for key in page_cache.backend()._cache if page_cache.ENTRY_PREFIX in key]


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def is_private(response):
    """Whether no cache, shared or not, may keep the response."""
    return bool(cache_control(response) & {"private", "no-store", "no-cache"})


def assert_never_stored(client, url, **extra):
    """Two visits: neither is stored nor served from the cache."""
    before = stored()
    for _visit in range(2):
        response = client.get(url, **extra)
        assert state(response) not in ("hit", "miss"), url
    assert stored() == before, url
    return response


def csrf_token_in(response):
    return 'name="csrfmiddlewaretoken"' in response.content.decode()


def route(page, name, *args, **kwargs):
    return page.url + page.reverse_subpage(name, args=args or None, kwargs=kwargs or None)


def text(response):
    return " ".join(html.unescape(response.content.decode()).split())


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


@pytest.fixture
def call(commune_a):
    from needs.factories import CallForNeedsPageFactory, NeedFactory, needs_index_for

    commune_a.hamlets = "Le Bourg\nLes Granges"
    commune_a.save_revision().publish()
    call = CallForNeedsPageFactory(parent=needs_index_for(commune_a), title="Appel 2026")
    call.need = NeedFactory(call=call)
    return call


@pytest.fixture
def signup_page(commune_a):
    from home.onboarding import switch_module_on
    from mprc_cms.modules import get_module

    page, _created = switch_module_on(commune_a, get_module("participation"))
    return page.specific


# --- Never cached -----------------------------------------------------------------------------


def test_a_response_that_sets_a_cookie_is_not_stored(page_cache_on, client, commune_a, monkeypatch):
    from home.models import StandardPage

    page = StandardPageFactory(parent=commune_a, title="Préférences")
    serve = StandardPage.serve

    def serve_with_a_cookie(self, request, *args, **kwargs):
        response = serve(self, request, *args, **kwargs)
        response.set_cookie("choix", "1")
        return response

    monkeypatch.setattr(StandardPage, "serve", serve_with_a_cookie)
    response = assert_never_stored(client, page.url)
    assert state(response) == "bypass"
    assert "public" not in cache_control(response)
    monkeypatch.setattr(StandardPage, "serve", serve)
    assert state(client.get(page.url)) == "miss"  # the same page, without its cookie


def test_a_response_that_writes_to_the_session_is_not_stored(
    page_cache_on, client, commune_a, monkeypatch
):
    """The session's cookie is set by SessionMiddleware, outside the page cache: what the
    page shows from a session written now must not be kept all the same."""
    from home.models import StandardPage

    page = StandardPageFactory(parent=commune_a, title="Panier")
    serve = StandardPage.serve

    def serve_with_a_session(self, request, *args, **kwargs):
        request.session["vu"] = True
        return serve(self, request, *args, **kwargs)

    monkeypatch.setattr(StandardPage, "serve", serve_with_a_session)
    response = client.get(page.url)
    assert state(response) == "bypass"
    assert stored() == []


def test_a_response_that_varies_on_cookies_is_not_stored(
    page_cache_on, client, commune_a, monkeypatch
):
    from django.utils.cache import patch_vary_headers

    from home.models import StandardPage

    page = StandardPageFactory(parent=commune_a, title="Selon le lecteur")
    serve = StandardPage.serve

    def serve_varying(self, request, *args, **kwargs):
        response = serve(self, request, *args, **kwargs)
        patch_vary_headers(response, ("Cookie",))
        return response

    monkeypatch.setattr(StandardPage, "serve", serve_varying)
    assert state(assert_never_stored(client, page.url)) == "bypass"


FORM_PAGES = {
    "sign-up": lambda pages: pages["signup"].url,
    "a post with its contact form": lambda pages: route(
        pages["board"], "listing", pages["board"].listing.pk
    ),
    "the board's post form": lambda pages: route(pages["board"], "post"),
    "the board's digest form": lambda pages: route(pages["board"], "digest"),
    "a need with its support form": lambda pages: route(
        pages["call"], "need", pages["call"].need.pk
    ),
    "the propose form": lambda pages: route(pages["call"], "propose"),
}


@pytest.fixture
def form_pages(signup_page, board, call):
    return {"signup": signup_page, "board": board, "call": call}


@needs_every_module
@pytest.mark.parametrize("name", FORM_PAGES)
def test_pages_with_a_csrf_token_are_never_stored(page_cache_on, client, form_pages, name):
    url = FORM_PAGES[name](form_pages)
    response = assert_never_stored(client, url)
    assert response.status_code == 200
    assert csrf_token_in(response)
    assert state(response) == "bypass"
    assert "public" not in cache_control(response)


def test_a_message_is_never_stored_nor_shown_to_the_next_visitor(page_cache_on, client, commune_a):
    """A message travels in a cookie to the next page (here a page kept by the cache)."""
    from django.contrib import messages
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    assert state(client.get(commune_a.url)) == "miss"
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(messages.SUCCESS, "Merci, c’est noté.")
    carrier = HttpResponse()
    storage.update(carrier)
    reader = Client()
    reader.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value

    response = reader.get(commune_a.url)
    assert "Merci, c’est noté." in text(response)
    assert state(response) != "hit"
    shown = response.content.decode()
    # Stored neither before nor after: the next visitor sees the page without it.
    for visitor in (Client(), client):
        later = visitor.get(commune_a.url)
        assert state(later) == "hit"
        assert "Merci, c’est noté." not in text(later)
    assert later.content.decode() != shown


@needs_every_module
def test_the_message_after_a_post_is_not_stored(page_cache_on, client, board):
    from tests.exchange.board_helpers import contact_data

    url = route(board, "listing", board.listing.pk)
    response = client.post(url, contact_data(), follow=True)
    assert response.redirect_chain
    assert response.context["messages"]
    assert [state(r) for r in (response,)] != ["hit"]
    assert stored() == []
    assert not list(Client().get(url).context["messages"])


def test_a_post_is_never_answered_from_the_cache_nor_stored(page_cache_on, client, commune_a):
    assert state(client.get(commune_a.url)) == "miss"
    before = stored()
    response = client.post(commune_a.url, {"q": "x"})
    assert state(response) != "hit"
    assert stored() == before


# Signed-in visitors, the admin, previews.


def test_a_staff_visit_is_never_stored_nor_served_from_the_cache(
    page_cache_on, client, client_a, commune_a
):
    staff_page = client_a.get(commune_a.url)
    assert "wagtail-userbar" in staff_page.content.decode()
    assert state(staff_page) != "miss"
    assert stored() == []
    anonymous = client.get(commune_a.url)
    assert state(anonymous) == "miss"
    assert "wagtail-userbar" not in anonymous.content.decode()
    assert state(client.get(commune_a.url)) == "hit"
    # Once the page is kept, the signed-in reader still gets their own.
    again = client_a.get(commune_a.url)
    assert state(again) != "hit"
    assert "wagtail-userbar" in again.content.decode()
    assert "wagtail-userbar" not in client.get(commune_a.url).content.decode()


def test_a_signed_in_visitor_is_never_stored(page_cache_on, client_a, commune_a):
    """Signed in (the session cookie present): never read from, never written to."""
    from django.conf import settings

    assert client_a.cookies[settings.SESSION_COOKIE_NAME].value
    assert_never_stored(client_a, StandardPageFactory(parent=commune_a, title="Salle").url)


def test_the_admin_is_never_stored(page_cache_on, client, client_a, commune_a):
    from django.urls import reverse

    assert_never_stored(client_a, reverse("wagtailadmin_home"))
    assert_never_stored(client_a, reverse("wagtailadmin_explore", args=[commune_a.pk]))
    assert_never_stored(client, reverse("wagtailadmin_home"))  # the sign-in redirect
    assert_never_stored(client, reverse("wagtailadmin_login"))


def test_a_preview_of_a_draft_is_never_stored(page_cache_on, client, client_a, commune_a):
    from django.urls import reverse

    page = StandardPageFactory(parent=commune_a, title="Horaires de la mairie")
    assert state(client.get(page.url)) == "miss"
    page.title = "Horaires d’été (brouillon)"
    page.save_revision()
    preview = assert_never_stored(
        client_a, reverse("wagtailadmin_pages:view_draft", args=[page.pk])
    )
    assert "Horaires d’été (brouillon)" in text(preview)
    public = client.get(page.url)
    assert "brouillon" not in text(public)


@needs_every_module
def test_the_draws_run_screen_is_never_stored(page_cache_on, every_module_on, client_a, commune_a):
    from django.urls import reverse

    from parliament.factories import DrawFactory

    draw = DrawFactory(commune=commune_a)
    response = assert_never_stored(client_a, reverse("participation_draws:run", args=[draw.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("kind", ["password", "login"])
def test_a_view_restricted_page_is_never_stored(page_cache_on, client, commune_a, kind):
    from wagtail.models import PageViewRestriction

    page = StandardPageFactory(parent=commune_a, title="Conseil à huis clos")
    assert state(client.get(page.url)) == "miss"
    PageViewRestriction.objects.create(page=page, restriction_type=kind, password="secret")
    response = assert_never_stored(client, page.url)
    assert response.status_code == (200 if kind == "password" else 302)


def test_a_page_under_a_restricted_page_is_never_stored(page_cache_on, client, commune_a):
    from wagtail.models import PageViewRestriction

    parent = StandardPageFactory(parent=commune_a, title="Espace élus")
    child = StandardPageFactory(parent=parent, title="Ordre du jour")
    PageViewRestriction.objects.create(page=parent, restriction_type="login")
    assert_never_stored(client, child.url)


def test_a_password_once_given_is_never_served_to_others(page_cache_on, commune_a):
    from wagtail.models import PageViewRestriction

    page = StandardPageFactory(parent=commune_a, title="Compte rendu")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type="password", password="jardin"
    )
    insider = Client()
    form_url = f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
    insider.get(page.url)
    insider.post(form_url, {"password": "jardin", "return_url": page.url})
    seen = insider.get(page.url)
    assert state(seen) != "miss"
    assert stored() == []
    stranger = Client().get(page.url)
    assert state(stranger) != "hit"
    assert 'name="password"' in stranger.content.decode()


# Revalidation, HEAD, query strings.


def test_head_and_if_none_match_are_answered_from_the_cache(page_cache_on, client, commune_a):
    head = client.head(commune_a.url)
    assert state(head) == "bypass"  # a HEAD alone stores nothing
    assert stored() == []
    full = client.get(commune_a.url)
    etag = full["ETag"]
    head = client.head(commune_a.url)
    assert state(head) == "hit"
    assert head.content == b""
    assert int(head["Content-Length"]) == len(full.content)
    assert head["ETag"] == etag
    not_modified = client.get(commune_a.url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert state(not_modified) == "hit"
    assert not_modified.content == b""
    # Browsers and proxies may send several ETags, or a weak one.
    for header in (f'"autre", {etag}', f"W/{etag}", "*"):
        assert client.get(commune_a.url, HTTP_IF_NONE_MATCH=header).status_code == 304, header
    other = client.get(commune_a.url, HTTP_IF_NONE_MATCH='"autre"')
    assert other.status_code == 200
    assert other.content == full.content
    # Once the page changed, the old ETag no longer matches.
    commune_a.title = "Aubigny"
    commune_a.save_revision().publish()
    changed = client.get(commune_a.url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_query_strings_are_kept_apart(page_cache_on, client, commune_a):
    assert state(client.get(commune_a.url + "?page=2")) == "miss"
    assert state(client.get(commune_a.url)) == "miss"
    assert state(client.get(commune_a.url + "?page=3")) == "miss"
    assert state(client.get(commune_a.url + "?page=2")) == "hit"
    assert len(stored()) == 3


def test_the_search_is_not_kept(page_cache_on, client, commune_a):
    assert_never_stored(client, "/recherche/?q=jardin")


# --- Middleware behaviour ------------------------------------------------------------------


def test_not_found_is_never_stored(page_cache_on, client, commune_a):
    response = assert_never_stored(client, commune_a.url + "nulle-part/")
    assert response.status_code == 404


def test_redirects_are_never_stored(page_cache_on, client, commune_a):
    from wagtail.contrib.redirects.models import Redirect

    Redirect.objects.create(old_path="/ancienne-adresse", redirect_page=commune_a)
    response = assert_never_stored(client, "/ancienne-adresse/")
    assert response.status_code in (301, 302)
    missing_slash = assert_never_stored(client, commune_a.url.rstrip("/"))
    assert missing_slash.status_code == 301


def test_english_pages_are_kept_apart(page_cache_on, client, commune_a):
    url = commune_a.url  # (read once: an English request leaves English active)
    french = client.get(url)
    english = client.get("/en" + url)
    assert (state(french), state(english)) == ("miss", "miss")
    assert french["Content-Language"] == "fr"
    assert english["Content-Language"] == "en"
    again_en = client.get("/en" + url)
    again_fr = client.get(url)
    assert (state(again_fr), state(again_en)) == ("hit", "hit")
    assert again_en.content == english.content
    assert again_fr.content == french.content
    assert french.content != english.content
    # An Accept-Language asking for English does not change the French page's entry.
    asked = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert state(asked) == "hit"
    assert asked.content == french.content


# --- The main public pages are kept ---------------------------------------------------------


@pytest.fixture
def public_pages(every_module_on, commune_a, board, call, network_home):
    """One page of each main kind, published (commune A runs every module)."""
    from home.factories import NewsPageFactory
    from home.models import NewsIndexPage
    from parliament.factories import MicroParliamentPageFactory
    from project_catalog.adoption import projects_index_for
    from project_catalog.factories import (
        ProjectPageFactory,
        ProjectTemplatePageFactory,
        seeded_category,
    )
    from project_catalog.funding.models import FundingGuidePage
    from project_catalog.models import ProjectCatalogPage
    from project_catalog.network_pages import library_page

    news_index = NewsIndexPage.objects.child_of(commune_a).get()
    template = ProjectTemplatePageFactory(title="Jardin partagé", slug="jardin", publish=True)
    return {
        "network home": network_home,
        "commune home": commune_a,
        "news index": news_index,
        "news page": NewsPageFactory(parent=news_index, title="Fête du village"),
        "standard page": StandardPageFactory(parent=commune_a, title="La mairie"),
        "catalogue": ProjectCatalogPage.objects.get(),
        "projects index": projects_index_for(commune_a),
        "project page": ProjectPageFactory(
            commune=commune_a, title="Jardin des Granges", category=seeded_category()
        ),
        "template library": library_page(),
        "template page": template,
        "exchange board": board,
        "funding guide": FundingGuidePage.objects.child_of(commune_a).get(),
        "needs index": call.get_parent(),
        "call for needs": call,
        "micro-parliament page": MicroParliamentPageFactory(parent=commune_a),
    }


MAIN_PAGES = [
    "network home",
    "commune home",
    "news index",
    "news page",
    "standard page",
    "catalogue",
    "projects index",
    "project page",
    "template library",
    "template page",
    "exchange board",
    "funding guide",
    "needs index",
    "call for needs",
    "micro-parliament page",
]


@needs_every_module
def test_the_main_public_pages_are_kept(page_cache_on, client, public_pages):
    assert set(public_pages) == set(MAIN_PAGES)
    for name in MAIN_PAGES:
        url = public_pages[name].specific.url
        first = client.get(url)
        assert first.status_code == 200, name
        assert (state(first), name) == ("miss", name)
        assert not csrf_token_in(first), name
        second = client.get(url)
        assert (state(second), name) == ("hit", name)
        assert second.content == first.content


@needs_every_module
def test_the_follow_form_is_on_kept_pages_and_works_without_a_csrf_token(
    page_cache_on, public_pages, mailoutbox
):
    from mprc_cms.models import Follower

    followable = [
        public_pages[name]
        for name in ("project page", "needs index", "call for needs", "micro-parliament page")
    ]
    browser = Client(enforce_csrf_checks=True)
    for page in followable:
        shown = browser.get(page.url)
        assert state(shown) == "miss"
        assert 'class="follow"' in shown.content.decode()
        assert not csrf_token_in(shown)
    page = followable[0]
    action = f"/suivre/{page.pk}/"
    assert f'action="{action}"' in browser.get(page.url).content.decode()
    response = browser.post(action, {"email": "voisine@example.org", "frequency": "weekly"})
    assert response.status_code == 200
    assert Follower.objects.filter(email="voisine@example.org", page=page).exists()
    assert len(mailoutbox) == 1


# --- Personal links: every route whose arguments carry a token ------------------------------

PERSONAL_WORDS = ("token", "key", "secret", "code", "signature")


def _is_personal(names):
    return any(word in name.lower() for name in names for word in PERSONAL_WORDS)


def _argument_names(pattern):
    converters = getattr(pattern, "converters", None)
    if converters is not None:
        return set(converters)
    return set(pattern.regex.groupindex)


def _django_routes(patterns=None, chain=(), namespace=""):
    """(name with namespace, [patterns from the root]) of every Django URL pattern."""
    from django.urls import URLResolver, get_resolver

    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _django_routes(pattern.url_patterns, (*chain, pattern.pattern), inner)
        else:
            yield f"{namespace}{pattern.name}", (*chain, pattern.pattern)


def personal_django_routes():
    """The public Django routes with a token (the admin's are tested above: never kept)."""
    found = {}
    for name, chain in _django_routes():
        if str(chain[0]).startswith("admin/"):
            continue
        if _is_personal(set().union(*(_argument_names(p) for p in chain))):
            found[name] = chain
    return found


def personal_page_routes():
    """(page class label, route name) of every routable page route with a token."""
    from wagtail.contrib.routable_page.models import RoutablePageMixin
    from wagtail.models import get_page_models

    found = set()
    for model in get_page_models():
        if not issubclass(model, RoutablePageMixin):
            continue
        for pattern in model.get_subpage_urls():
            if _is_personal(_argument_names(pattern.pattern)):
                found.add((model._meta.label, pattern.name))
    return found


def _dummy_kwargs(pattern):
    from django.urls.converters import IntConverter

    converters = getattr(pattern, "converters", {})
    return {
        name: 1 if isinstance(converter, IntConverter) else "pas-un-vrai-jeton"
        for name, converter in converters.items()
    }


@pytest.fixture
def every_routable_page(every_module_on, commune_a, board, call, signup_page):
    """A live page of every routable page type with personal routes."""
    from parliament.factories import MicroParliamentPageFactory

    MicroParliamentPageFactory(parent=commune_a)


@needs_every_module
def test_the_enumeration_finds_the_known_personal_routes():
    """The test below would pass trivially if the enumeration found nothing."""
    assert {"following:confirm", "following:stop", "exchange:unsubscribe"} <= set(
        personal_django_routes()
    )
    assert {
        ("exchange.ServiceExchangePage", "manage"),
        ("needs.CallForNeedsPage", "manage"),
        ("participation.VolunteerSignupPage", "my_data"),
        ("parliament.MicroParliamentPage", "invitation"),
    } <= personal_page_routes()


@needs_every_module
def test_every_personal_route_is_private_and_never_kept(page_cache_on, client, every_routable_page):
    """Every route (Django's and each page type's) whose arguments carry a token is never
    kept and tells every cache so (never_cache), even for a token that opens nothing: a new
    personal route of a future module fails here until its view says so."""
    from django.apps import apps
    from django.urls import reverse

    urls = []
    for name in personal_django_routes():
        chain = personal_django_routes()[name]
        kwargs = {}
        for pattern in chain:
            kwargs.update(_dummy_kwargs(pattern))
        urls.append(reverse(name, kwargs=kwargs))
    for label, route_name in personal_page_routes():
        model = apps.get_model(label)
        page = model.objects.live().first()
        assert page is not None, f"no live {label} to test its personal routes: add one above"
        pattern = next(p for p in model.get_subpage_urls() if p.name == route_name)
        urls.append(
            page.url + page.reverse_subpage(route_name, kwargs=_dummy_kwargs(pattern.pattern))
        )
    assert urls
    for url in urls:
        response = assert_never_stored(client, url)
        assert is_private(response), (url, response.status_code, response.get("Cache-Control"))
        assert "public" not in cache_control(response), url


@pytest.fixture
def personal_links(every_module_on, commune_a, board, call, signup_page, editor_a, rf):
    """A genuine link of every personal route: {route: address}."""
    from django.urls import reverse

    from exchange import listings
    from exchange.factories import DigestSubscriptionFactory, ServiceListingFactory
    from mprc_cms import following
    from mprc_cms.models import Follower
    from needs import calls
    from needs.factories import NeedFactory, SupportFactory
    from participation.factories import VolunteerFactory
    from participation.tokens import make_email_change_token, make_token

    unconfirmed = ServiceListingFactory(commune=commune_a, unconfirmed=True)
    subscription = DigestSubscriptionFactory(commune=commune_a, confirmed_at=None)
    need_to_confirm = NeedFactory(call=call, unconfirmed=True)
    support = SupportFactory(need=call.need, unconfirmed=True)
    volunteer = VolunteerFactory(commune=commune_a, signed_up=True)
    volunteer.pending_email = "nouvelle@example.org"
    volunteer.save()
    follower = Follower.objects.create(email="suivi@example.org", page=call)
    links = {
        "exchange:unsubscribe": reverse(
            "exchange:unsubscribe", args=[listings.unsubscribe_token(subscription)]
        ),
        "following:confirm": reverse("following:confirm", args=[following.confirm_token(follower)]),
        "following:stop": reverse("following:stop", args=[following.stop_token(follower)]),
        "following:stop_all": reverse(
            "following:stop_all", args=[following.stop_all_token(follower)]
        ),
        ("exchange.ServiceExchangePage", "confirm"): route(
            board, "confirm", listings.confirm_token(unconfirmed)
        ),
        ("exchange.ServiceExchangePage", "manage"): route(
            board, "manage", listings.manage_token(board.listing)
        ),
        ("exchange.ServiceExchangePage", "delete_post"): route(
            board, "delete_post", listings.manage_token(board.listing)
        ),
        ("exchange.ServiceExchangePage", "digest_confirm"): route(
            board, "digest_confirm", listings.digest_confirm_token(subscription)
        ),
        ("needs.CallForNeedsPage", "confirm"): route(
            call, "confirm", calls.confirm_token(need_to_confirm)
        ),
        ("needs.CallForNeedsPage", "manage"): route(call, "manage", calls.manage_token(call.need)),
        ("needs.CallForNeedsPage", "support_confirm"): route(
            call, "support_confirm", calls.support_confirm_token(support)
        ),
        ("participation.VolunteerSignupPage", "confirm_email"): route(
            signup_page, "confirm_email", make_email_change_token(volunteer)
        ),
    }
    for name in ("confirm", "my_data", "download", "withdraw"):
        links[("participation.VolunteerSignupPage", name)] = route(
            signup_page, name, make_token(volunteer)
        )
    links[("parliament.MicroParliamentPage", "invitation")] = _invitation_link(commune_a, editor_a)
    return links


def _invitation_link(commune, editor):
    """The link of a drawn resident's invitation: a panel of two drawn among six, the
    invitations sent from the run screen (as tests/parliament/test_draw_seats.py does)."""
    from parliament import draws, invitations
    from parliament.factories import DrawFactory, MicroParliamentPageFactory
    from parliament.models import DrawEntrant
    from participation.tokens import make_token
    from tests.conftest import logged_in
    from tests.parliament.test_draw_seats import step
    from tests.parliament.test_draws import crowd, fake_drawn

    parliament = MicroParliamentPageFactory(parent=commune, title="Micro-parlement d’Aubigny")
    people = crowd(commune, 6)
    people[0].email = "tiree@example.org"
    people[0].save()
    draw = DrawFactory(commune=commune, micro_parliament=parliament, panel_size=2)
    draw = draws.freeze(draw, editor)
    volunteers = sorted(
        (e.volunteer for e in DrawEntrant.objects.filter(draw=draw).select_related("volunteer")),
        key=lambda v: v.pk,
    )
    draw = fake_drawn(draw, volunteers[:2], volunteers[2:])
    draw.lottery = {"panels": [sorted(draw.selected)], "commitment": draw.commitment}
    draw.save()
    invitations.create_seats(draw)
    step(logged_in(editor), draw, "invite")
    return route(parliament, "invitation", make_token(volunteers[0]))


@needs_every_module
def test_every_personal_route_has_a_genuine_link_tested(personal_links):
    """A new personal route must come with a genuine link in ``personal_links``."""
    assert set(personal_links) == set(personal_django_routes()) | personal_page_routes()


@needs_every_module
def test_genuine_personal_links_are_private_and_never_kept(page_cache_on, client, personal_links):
    for route_name, url in personal_links.items():
        response = assert_never_stored(client, url)
        assert response.status_code in (200, 302), (route_name, response.status_code)
        if response.status_code == 200:
            assert is_private(response), (route_name, response.get("Cache-Control"))
        assert "public" not in cache_control(response), route_name


# --- Rules over any input -------------------------------------------------------------------

_etags = st.text(alphabet="0123456789abcdef", min_size=1, max_size=12).map(lambda t: f'"{t}"')


@given(etag=_etags, others=st.lists(_etags, max_size=4), weak=st.booleans())
def test_if_none_match_matches_exactly_when_it_names_the_etag(etag, others, weak):
    from mprc_cms.page_cache_middleware import _matches

    header = ", ".join([*others, *([f"W/{etag}" if weak else etag])])
    assert _matches(header, etag)
    assert _matches(", ".join(others), etag) == (etag in others)
    assert _matches("*", etag)
    assert not _matches("", etag)
    assert not _matches(None, etag)


@given(
    first=st.dictionaries(st.sampled_from("abpq"), st.text(max_size=5), max_size=3),
    second=st.dictionaries(st.sampled_from("abpq"), st.text(max_size=5), max_size=3),
)
def test_two_query_strings_share_an_entry_only_when_equal(first, second):
    from urllib.parse import urlencode

    from django.test import RequestFactory

    from mprc_cms.page_cache_middleware import _key

    def key(query):
        request = RequestFactory().get("/aubigny-les-pres/?" + urlencode(query))
        request.LANGUAGE_CODE = "fr"
        return _key(request)

    assert (key(first) == key(second)) == (urlencode(first) == urlencode(second))


def test_a_page_that_consulted_a_cookie_of_its_own_is_never_stored(
    page_cache_on, client, commune_a
):
    """Whatever a view reads from a cookie of its own (a supporter's, a preference) may
    make its page differ for the next visitor, with or without that cookie."""
    from wagtail import hooks

    def personalise(page, request, serve_args, serve_kwargs):
        request.COOKIES.get("needs_supporter_1")

    with hooks.register_temporarily("before_serve_page", personalise):
        assert state(client.get(commune_a.url)) == "bypass"
        client.cookies["needs_supporter_1"] = "n:0"
        assert state(client.get(commune_a.url)) == "bypass"
    del client.cookies["needs_supporter_1"]
    assert state(client.get(commune_a.url)) == "miss"
    assert state(client.get(commune_a.url)) == "hit"
