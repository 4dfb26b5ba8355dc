"""Security probes of the page cache (issue 20) that fail until fixed: a memo computed in a
rolled-back transaction stays current (fail-open view restriction), and junk query
strings push real addresses out of the proxy's purge lists."""

import pytest
from django.db import transaction
from django.test import Client
from wagtail.models import PageViewRestriction

from home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache_on(settings):
    settings.MPRC_PAGE_CACHE = True


@pytest.fixture
def purged(settings, monkeypatch):
    """A purgeable proxy whose purges are recorded; purge lists capped at 20 addresses."""
    from mprc_cms import page_cache

    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:1",
        }
    }
    urls = []
    monkeypatch.setattr(
        "wagtail.contrib.frontend_cache.utils.purge_urls_from_cache",
        lambda found, *args, **kwargs: urls.extend(found),
    )
    monkeypatch.setattr(page_cache, "_MAX_URLS_PER_SCOPE", 20)
    return urls


def state(response):
    return response.headers.get("X-Page-Cache")


def _delete_check_and_roll_back(page):
    with transaction.atomic():
        PageViewRestriction.objects.filter(page=page).delete()
        page.get_view_restrictions()  # a render or a check in the same transaction
        raise RuntimeError("rolled back")


def test_a_restriction_whose_deletion_was_rolled_back_still_applies(
    page_cache_on, client, commune_a
):
    """The versions bumped inside a transaction stay current when it rolls back (the bump
    at commit never comes): what the transaction's own connection computed meanwhile (here
    “no restriction”) must not be kept under them."""
    page = StandardPageFactory(parent=commune_a, title="Huis clos")
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert client.get(page.url).status_code == 302
    same = type(page).objects.get(pk=page.pk)
    same.__dict__["commune"] = commune_a  # as routing sets it
    with pytest.raises(RuntimeError):
        _delete_check_and_roll_back(same)
    assert PageViewRestriction.objects.filter(page=page).exists()
    response = Client().get(page.url)
    assert response.status_code == 302
    assert "Huis clos" not in response.content.decode()


@pytest.mark.parametrize("junk", [5, 25])
def test_junk_query_strings_do_not_stop_the_proxy_purge(
    page_cache_on, purged, client, commune_a, junk
):
    """Each miss appends its address to its scopes' purge lists, capped: an anonymous
    visitor's junk query strings (or ordinary traffic on a busy commune) evict the real
    addresses, which a change then never purges from the proxy (s-maxage up to an hour).
    5 stays under the cap (control); 25 goes over it."""
    home = commune_a.url
    assert state(client.get(home)) == "miss"
    for number in range(junk):
        client.get(home, {"x": number})
    purged.clear()
    StandardPageFactory(parent=commune_a, title="Nouvelle page du menu", show_in_menus=True)
    assert any(url.endswith(home) for url in purged), "the commune's home was not purged"


# --- The forms without a CSRF token refuse what browsers say came from another site ---------


@pytest.mark.parametrize(
    ("headers", "refused"),
    [
        ({"HTTP_SEC_FETCH_SITE": "cross-site"}, True),
        ({"HTTP_ORIGIN": "https://evil.example"}, True),
        ({"HTTP_ORIGIN": "null"}, True),
        ({"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}, False),
        ({}, False),  # an old phone's browser sends neither
    ],
)
def test_the_language_form_refuses_cross_site_posts_only(client, commune_a, headers, refused):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, **headers)
    if refused:
        assert response.status_code == 403
        assert not response.cookies
    else:
        assert response.status_code == 302


def test_a_page_seen_by_a_signed_in_editor_is_private_for_proxies(client_a, commune_a):
    response = client_a.get(commune_a.url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
