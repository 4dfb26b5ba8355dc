"""The page cache and a reverse proxy or CDN in front of the site (``WAGTAILFRONTENDCACHE``,
set from MPRC_FRONTEND_CACHE_URL): the headers that let it keep pages, and the PURGE
requests that take them back as soon as they change."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from home.factories import StandardPageFactory
from tests.conftest import needs_every_module

pytestmark = pytest.mark.django_db


class PurgeRecorder(BaseHTTPRequestHandler):
    """A frontend cache that only notes the PURGE requests it receives."""

    def do_PURGE(self):
        self.server.purged.append(f"http://{self.headers['Host']}{self.path}")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def frontend_cache(settings):
    """A real HTTP server on 127.0.0.1 as the frontend cache: its ``purged`` list holds
    the absolute addresses it was asked to purge."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    server.purged = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MPRC_PAGE_CACHE = True
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def shared_control(response):
    """(the Cache-Control words but s-maxage, the s-maxage in seconds or None)."""
    words = cache_control(response)
    ages = [int(w.split("=")[1]) for w in words if w.startswith("s-maxage=")]
    return words - {w for w in words if w.startswith("s-maxage=")}, (ages[0] if ages else None)


def absolute(page):
    return f"http://testserver{page.url}"


def test_stored_pages_may_be_kept_by_the_proxy_until_purged(frontend_cache, client, commune_a):
    response = client.get(commune_a.url)
    assert response["X-Page-Cache"] == "miss"
    words, seconds = shared_control(response)
    assert words == {"public", "max-age=0"}
    assert 0 < seconds <= 3600  # and never past midnight
    hit = client.get(commune_a.url)
    assert hit["X-Page-Cache"] == "hit"
    hit_words, hit_seconds = shared_control(hit)
    assert hit_words == words
    assert 0 < hit_seconds <= seconds


def test_the_proxy_keeps_a_page_no_longer_than_the_page_cache(
    frontend_cache, settings, client, commune_a
):
    settings.MPRC_PAGE_CACHE_SECONDS = 120
    _words, seconds = shared_control(client.get(commune_a.url))
    assert 0 < seconds <= 120


def test_without_a_frontend_cache_pages_are_only_revalidated(settings, client, commune_a):
    settings.MPRC_PAGE_CACHE = True
    settings.WAGTAILFRONTENDCACHE = {}
    for response in (client.get(commune_a.url), client.get(commune_a.url)):
        assert cache_control(response) == {"max-age=0"}
        assert response.has_header("ETag")


@needs_every_module
def test_responses_not_stored_are_never_public(frontend_cache, client, commune_a, editor_a):
    from home.onboarding import switch_module_on
    from mprc_cms.modules import get_module

    signup, _created = switch_module_on(commune_a, get_module("participation"))
    bypassed = [
        client.get(signup.url),  # a form with a CSRF token
        client.get(commune_a.url + "nulle-part/"),  # a 404
        client.get("/recherche/?q=jardin"),  # not a page of the site
    ]
    client.force_login(editor_a)
    bypassed.append(client.get(commune_a.url))  # signed in
    for response in bypassed:
        assert response.get("X-Page-Cache") != "miss"
        assert "public" not in cache_control(response)
        assert not any(part.startswith("s-maxage") for part in cache_control(response))


def test_a_publish_purges_the_communes_pages_from_the_proxy_and_no_others(
    frontend_cache, client, commune_a, commune_b
):
    page = StandardPageFactory(parent=commune_a, title="Marché tournant", show_in_menus=True)
    other = StandardPageFactory(parent=commune_b, title="Lavoir", show_in_menus=True)
    visited = [page, commune_a, other, commune_b]
    for visit in visited:
        assert client.get(visit.url)["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "miss"  # the network's home shows every commune
    frontend_cache.purged.clear()

    page.title = "Marché du jeudi"
    page.save_revision().publish()

    purged = set(frontend_cache.purged)
    assert {absolute(page), absolute(commune_a), "http://testserver/"} <= purged
    assert absolute(other) not in purged
    assert absolute(commune_b) not in purged
    assert client.get(page.url)["X-Page-Cache"] == "miss"
    assert client.get(other.url)["X-Page-Cache"] == "hit"


def test_a_network_change_purges_every_commune(frontend_cache, client, commune_a, commune_b):
    from wagtail.models import Site

    for visit in (commune_a, commune_b):
        client.get(visit.url)
    frontend_cache.purged.clear()
    root = Site.objects.get(is_default_site=True).root_page.specific
    root.title = "Réseau des micro-parlements"
    root.save_revision().publish()
    assert {absolute(commune_a), absolute(commune_b)} <= set(frontend_cache.purged)


def test_a_proxy_down_does_not_break_a_publish(settings, client, commune_a):
    from tests.servers import free_port

    settings.MPRC_PAGE_CACHE = True
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{free_port()}",
        }
    }
    client.get(commune_a.url)
    commune_a.title = "Aubigny"
    commune_a.save_revision().publish()
    assert "Aubigny" in client.get(commune_a.url).content.decode()


def test_a_proxy_never_keeps_a_page_longer_than_its_entry(frontend_cache, client, commune_a):
    """A hit tells the proxy how long the entry has left, not how long it had when stored:
    a page kept until midnight or until a post expires must not outlive it in the proxy."""
    from mprc_cms import page_cache_middleware

    _words, stored = shared_control(client.get(commune_a.url))
    later = page_cache_middleware.time.time() + 100
    real_time = page_cache_middleware.time.time
    page_cache_middleware.time.time = lambda: later
    try:
        hit = client.get(commune_a.url)
    finally:
        page_cache_middleware.time.time = real_time
    assert hit["X-Page-Cache"] == "hit"
    _words, left = shared_control(hit)
    assert left <= stored - 99


def test_hits_vary_on_cookies_as_misses_do(frontend_cache, client, commune_a):
    """A proxy must not give the anonymous copy to a signed-in reader (nor keep theirs):
    every response the proxy may keep says it varies on cookies, the hits too."""

    def vary(response):
        return {v.strip().lower() for v in response.get("Vary", "").split(",")}

    miss = client.get(commune_a.url)
    hit = client.get(commune_a.url)
    assert hit["X-Page-Cache"] == "hit"
    assert "cookie" in vary(miss)
    assert "cookie" in vary(hit)


def test_a_304_tells_the_proxy_what_the_page_would(frontend_cache, client, commune_a):
    """A revalidation answered 304 carries the page's Cache-Control and Vary (RFC 9110):
    the proxy refreshes its copy with them."""
    etag = client.get(commune_a.url)["ETag"]
    not_modified = client.get(commune_a.url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    words, seconds = shared_control(not_modified)
    assert words == {"public", "max-age=0"}
    assert 0 < seconds <= 3600
    assert "Cookie" in not_modified["Vary"]
