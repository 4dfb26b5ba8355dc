"""Serve public pages to anonymous visitors from the page cache (``mprc_cms.page_cache``).

Placed right after ``LocaleMiddleware`` (the language is part of the key). A request is
answered from the cache only when it is a ``GET`` or ``HEAD`` without a session or a
message cookie; a response is stored only when every rule of :func:`storable` holds:
a page of the site (Wagtail's ``serve``, its routes and feeds) or a view marked
:func:`cacheable`, a 200 that sets no cookie (no CSRF token, no message) and writes no
session, varies on no cookie, asks for no privacy (``never_cache``), for a visitor who is
not signed in, on a page without view restrictions nor personal token, outside the admin
and previews.
"""

import hashlib
import time
from collections import OrderedDict
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, quote_etag

from . import page_cache

HEADER = "X-Page-Cache"
# Headers never stored with a page.
SKIPPED_HEADERS = {"set-cookie", "x-page-cache", "date", "content-length"}
# Route arguments that mark a personal page (a link mailed to one person).
PRIVATE_ARGUMENTS = ("token", "key", "secret", "code", "signature")


def cacheable(view):
    """Mark a view outside Wagtail's pages (a sitemap, a feed) as cacheable."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.page_cache_view = True
        return view(request, *args, **kwargs)

    return wrapped


class _ReadCookies(dict):
    """The request's cookies, noting which ones the view consulted: a page that looked
    at a cookie of its own (a supporter's, a preference) may differ from one visitor to
    the next, and is never stored."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.consulted = set()

    def __getitem__(self, key):
        self.consulted.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.consulted.add(key)
        return super().get(key, default)

    def __contains__(self, key):
        self.consulted.add(key)
        return super().__contains__(key)


def _framework_cookies():
    return {
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
        getattr(settings, "MESSAGE_COOKIE_NAME", "messages"),
    }


def _consulted_own_cookie(request):
    cookies = request.__dict__.get("COOKIES")
    consulted = getattr(cookies, "consulted", set())
    return bool(consulted - _framework_cookies())


def _has_cookie(request, name):
    return bool(request.COOKIES.get(name))


def readable(request):
    """Whether this request may be answered from the cache."""
    if request.method not in ("GET", "HEAD"):
        return False
    if not page_cache.is_enabled():
        return False
    if _has_cookie(request, settings.SESSION_COOKIE_NAME):
        return False  # signed in, or a session holding messages or a password
    if _has_cookie(request, getattr(settings, "MESSAGE_COOKIE_NAME", "messages")):
        return False
    return not any(request.path.startswith(prefix) for prefix in _excluded_prefixes())


_prefixes_cache = {}


def _excluded_prefixes():
    from django.urls import get_urlconf, reverse

    prefixes = getattr(settings, "MPRC_PAGE_CACHE_EXCLUDED_PATHS", None)
    if prefixes is not None:
        return prefixes
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    found = _prefixes_cache.get(urlconf)
    if found is None:
        found = _prefixes_cache[urlconf] = [
            reverse("wagtailadmin_home"),
            "/django-admin/",
            "/documents/",
        ]
    return found


# The scopes of the entries this process read or stored, so that a hit reads its entry and
# the versions it depends on at once.
_ENTRY_SCOPES = OrderedDict()
_ENTRY_SCOPES_SIZE = 10_000


def _remember_scopes(key, scopes):
    _ENTRY_SCOPES[key] = tuple(scopes)
    _ENTRY_SCOPES.move_to_end(key)
    if len(_ENTRY_SCOPES) > _ENTRY_SCOPES_SIZE:
        _ENTRY_SCOPES.popitem(last=False)


def _key(request):
    parts = [
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        getattr(request, "LANGUAGE_CODE", ""),
    ]
    return page_cache.ENTRY_PREFIX + hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _private_route(request):
    match = getattr(request, "routable_resolver_match", None)
    resolver = getattr(request, "resolver_match", None)
    names = []
    for found in (match, resolver):
        if found is not None:
            names.extend(found.kwargs)
    return any(word in name.lower() for name in names for word in PRIVATE_ARGUMENTS)


def storable(request, response):
    """Whether this response may be stored and served to other visitors."""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if getattr(request, "page_cache_exempt", False):
        return False
    page = getattr(request, "page_cache_page", None)
    if page is None and not getattr(request, "page_cache_view", False):
        return False  # only the site's pages and the views marked cacheable
    if getattr(request, "is_preview", False):
        return False
    if response.cookies:
        return False  # a CSRF token, a message, a session, a language choice
    if _consulted_own_cookie(request):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False  # its cookie comes later (SessionMiddleware is outside this one)
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",")}
    if "cookie" in vary or "*" in vary:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and (getattr(storage, "_queued_messages", None) or storage.used):
        return False
    if _private_route(request):
        return False
    return not (page is not None and page.get_view_restrictions().exists())


def dependencies(request):
    """The scopes of the page served: its commune's, or every change's, and those its
    views declared (``page_cache.depends_on``)."""
    page = getattr(request, "page_cache_page", None)
    commune = getattr(page, "commune", None) if page is not None else None
    scopes = page_cache.commune_scopes(commune)
    extra = getattr(page, "page_cache_scopes", None)
    if extra is not None:
        scopes = [*scopes, *extra(request)]
    return [*scopes, *sorted(getattr(request, "page_cache_extra_scopes", ()))]


def _expiry(request):
    now = timezone.now()
    until = min(now + timedelta(seconds=page_cache.page_seconds()), page_cache.next_midnight(now))
    limit = getattr(request, "page_cache_until", None)
    if limit is not None:
        until = min(until, limit)
    return until


def _matches(if_none_match, etag):
    """Whether an If-None-Match header names ``etag`` (weak comparison, RFC 9110)."""
    if not if_none_match:
        return False
    tags = parse_etags(if_none_match)
    return "*" in tags or etag.removeprefix("W/") in {t.removeprefix("W/") for t in tags}


def _etag(content):
    return quote_etag(hashlib.sha256(content).hexdigest()[:32])


def _private_if_personal(request, response):
    """A page made for a signed-in visitor or a session (the userbar, a draft, a message)
    says so to every proxy, whatever it is configured to keep."""
    if not _has_cookie(request, settings.SESSION_COOKIE_NAME):
        return
    if response.has_header("Cache-Control") or response.streaming:
        return
    if getattr(request, "page_cache_page", None) is not None or (
        getattr(request, "user", None) is not None and request.user.is_authenticated
    ):
        patch_cache_control(response, private=True)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = page_cache.start_request()
        try:
            return self._respond(request)
        finally:
            page_cache.end_request(token)

    def _respond(self, request):
        if not readable(request):
            request._wagtail_site = page_cache.site_for_request(request)
            response = self.get_response(request)
            _private_if_personal(request, response)
            return response
        key = _key(request)
        request.COOKIES = _ReadCookies(request.COOKIES)
        scopes = {page_cache.ANY, *_ENTRY_SCOPES.get(key, (page_cache.NETWORK,))}
        version_keys = {page_cache.VERSION_PREFIX + scope: scope for scope in scopes}
        found = page_cache.backend().get_many([key, *version_keys])
        page_cache.seed_versions({scope: found.get(k) for k, scope in version_keys.items()})
        any_key = page_cache.VERSION_PREFIX + page_cache.ANY
        entry = found.get(key)
        if entry is not None:
            _remember_scopes(key, entry["versions"])
            response = self._from_entry(request, entry)
            if response is not None:
                return response
        start_any = found.get(any_key) or page_cache.versions([page_cache.ANY])[page_cache.ANY]
        # Wagtail's Site and root page, from a memo (Site.find_for_request reads it).
        request._wagtail_site = page_cache.site_for_request(request)
        response = self.get_response(request)
        if storable(request, response):
            self._store(request, response, key, start_any)
        else:
            response.headers.setdefault(HEADER, "bypass")
        return response

    def _from_entry(self, request, entry):
        if entry["expires"] <= time.time():
            return None
        current = page_cache.versions(entry["versions"])
        if current != entry["versions"]:
            return None
        if _matches(request.headers.get("If-None-Match"), entry["etag"]):
            response = HttpResponseNotModified()
            # What a 200 would say about caching (RFC 9110, 15.4.5): a proxy updates its copy.
            for name, value in entry["headers"]:
                if name.lower() in ("cache-control", "vary", "content-language"):
                    response[name] = value
            response["ETag"] = entry["etag"]
        else:
            response = HttpResponse(
                b"" if request.method == "HEAD" else entry["content"], status=entry["status"]
            )
            for name, value in entry["headers"]:
                response[name] = value
            if request.method == "HEAD":
                response["Content-Length"] = str(len(entry["content"]))
        if "s-maxage" in response.get("Cache-Control", ""):
            # What the entry has left, not what it had when stored: a proxy must not keep
            # the page past the entry's end (midnight, a post that expires).
            left = int(entry["expires"] - time.time())
            patch_cache_control(response, s_maxage=max(0, min(page_cache.proxy_seconds(), left)))
        response["Date"] = http_date()
        response[HEADER] = "hit"
        return response

    def _store(self, request, response, key, start_any):
        if page_cache.writing_uncommitted():
            response[HEADER] = "bypass"
            return
        scopes = dependencies(request)
        current = page_cache.versions([*scopes, page_cache.ANY], fresh=True)
        if current[page_cache.ANY] != start_any:
            # Data changed while the page was rendered: it may show a mix; do not keep it.
            response[HEADER] = "bypass"
            return
        expires = _expiry(request)
        seconds = int((expires - timezone.now()).total_seconds())
        if seconds <= 0:
            return
        content = response.content
        # The same for every visitor without a session, another page for the others: said
        # on the stored headers too, so that a proxy never gives a hit to a signed-in reader
        # (SessionMiddleware, outside this one, adds it to misses only).
        patch_vary_headers(response, ("Cookie",))
        if not response.has_header("ETag"):
            response["ETag"] = _etag(content)
        # A proxy keeps only addresses without a query string: the purge lists of the
        # scopes stay as long as the site's pages, whatever addresses visitors make up.
        proxy = 0 if request.META.get("QUERY_STRING") else min(page_cache.proxy_seconds(), seconds)
        if proxy > 0:
            patch_cache_control(response, public=True, max_age=0, s_maxage=proxy)
            page_cache.remember_url(scopes, request.build_absolute_uri())
        else:
            patch_cache_control(response, max_age=0)
        entry = {
            "versions": {scope: current[scope] for scope in scopes},
            "expires": time.time() + seconds,
            "status": response.status_code,
            "etag": response["ETag"],
            "headers": [
                (name, value)
                for name, value in response.items()
                if name.lower() not in SKIPPED_HEADERS
            ],
            "content": content,
        }
        page_cache.backend().set(key, entry, timeout=seconds)
        _remember_scopes(key, scopes)
        response[HEADER] = "miss"
