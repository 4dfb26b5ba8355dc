"""The network home and a commune home cost the same number of queries however large the
network grows (the benchmark measures the same at ×10 on a served site)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.factories import NewsPageFactory, StandardPageFactory
from home.models import NewsIndexPage, NewsPage
from home.onboarding import create_commune
from mprc_cms import page_cache

pytestmark = pytest.mark.django_db


def grow(count, start):
    communes = []
    for number in range(start, start + count):
        commune = create_commune(
            name=f"Commune {number}", insee_code=f"71{number:03d}", postcode="71250", publish=True
        ).commune
        news_index = NewsIndexPage.objects.child_of(commune).get()
        for _ in range(3):
            NewsPageFactory(parent=news_index)
        communes.append(commune)
    return communes


def count_queries(client, url, memos="kept"):
    """The queries of one request to ``url``, with the page cache's memos (menus, module
    lookups, overview) as a previous request left them, or all to compute again."""
    client.get(url)  # warm caches (site root, content types)
    if memos == "forgotten":
        forget_memos()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def forget_memos():
    cache.clear()
    page_cache.forget_local_memos()


@pytest.mark.parametrize("memos", ["kept", "forgotten"])
@pytest.mark.parametrize("page", ["network", "commune", "news index", "news page"])
def test_home_query_counts_stay_flat(client, network_home, page, memos):
    first = grow(2, start=100)
    url = {
        "network": "/",
        "commune": first[0].url,
        "news index": NewsIndexPage.objects.child_of(first[0]).get().url,
        "news page": NewsPage.objects.descendant_of(first[0]).first().url,
    }[page]
    small = count_queries(client, url, memos)
    grow(8, start=200)
    large = count_queries(client, url, memos)
    assert large == small, f"{page}: {small} queries with 2 communes, {large} with 10"
    if memos == "kept":
        # The fixed cost of a page (site, routing, header, footer, legal links) is in
        # memos: what remains is the site, the route (a query per level) and the page's
        # own lists.
        assert small <= KEPT_BUDGET[page], small


# Queries of each page when the memos are kept (an uncached page of a site in use).
KEPT_BUDGET = {"network": 2, "commune": 4, "news index": 8, "news page": 6}


def test_a_memo_follows_the_data_it_shows(client, network_home):
    """What the memos hold changes with the data: a page added to the commune's menu, a
    new commune in the overview, a new news item on the commune's home."""
    commune = grow(1, start=100)[0]
    assert "Lavoir" not in client.get(commune.url).content.decode()
    StandardPageFactory(parent=commune, title="Lavoir", show_in_menus=True)
    assert "Lavoir" in client.get(commune.url).content.decode()
    news_index = NewsIndexPage.objects.child_of(commune).get()
    NewsPageFactory(parent=news_index, title="Fête du village")
    assert "Fête du village" in client.get(commune.url).content.decode()
    assert "Commune 300" not in client.get("/").content.decode()
    grow(1, start=300)
    assert "Commune 300" in client.get("/").content.decode()
