"""The network home and a commune home cost the same number of queries however large the
network grows (the benchmark measures the same at ×10 on a served site)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.factories import NewsPageFactory
from home.models import NewsIndexPage
from home.onboarding import create_commune

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


def count_queries(client, url):
    client.get(url)  # warm caches (site root, content types)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("page", ["network", "commune"])
def test_home_query_counts_stay_flat(client, network_home, page):
    first = grow(2, start=100)
    url = "/" if page == "network" else first[0].url
    small = count_queries(client, url)
    grow(8, start=200)
    large = count_queries(client, url)
    assert large == small, f"{page} home: {small} queries with 2 communes, {large} with 10"
