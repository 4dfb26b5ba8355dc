"""The board costs the same number of SQL queries with 10 posts as with 300, filtered or
not, searched or not, on its first page or the next, with valid values or not."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exchange.factories import bulk_listings
from exchange.models import Kind, ServiceCategory

pytestmark = pytest.mark.django_db

HAMLETS = ["Le Bourg", "Les Granges", "La Croix-Blanche"]  # the `board` fixture's


def card_titles(response):
    """The titles of the posts shown, in order."""
    text = html.unescape(response.content.decode())
    return re.findall(r'class="card__title"><a href="[^"]*">([^<]*)</a>', text)


def count_queries(client, url, params):
    client.get(url, params)  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    assert card_titles(response), f"no post shown for {params}: the measure would prove nothing"
    return len(context.captured_queries)


def grow(commune, start, count):
    """Posts ``start`` to ``start + count - 1`` of the board: kinds, categories and hamlets
    taken in turn, so that every filter below matches some from the first ten on."""
    kinds = [Kind.OFFER, Kind.REQUEST]
    categories = list(ServiceCategory.objects.all())
    groups = {}
    for number in range(start, start + count):
        combination = (
            kinds[number % len(kinds)],
            categories[number % len(categories)],
            HAMLETS[number % len(HAMLETS)],
        )
        groups[combination] = groups.get(combination, 0) + 1
    for (kind, category, hamlet), size in groups.items():
        bulk_listings(commune, size, kind=kind, category=category, hamlet=hamlet)


def board_filters():
    # Post number 1 (the second) is a request, in the second category, in the second hamlet.
    second = list(ServiceCategory.objects.all())[1].slug
    return {
        "plain": {},
        "kind": {"kind": Kind.REQUEST},
        "category": {"category": second},
        "hamlet": {"hamlet": HAMLETS[1]},
        "words": {"q": "coup de main"},
        "everything": {
            "kind": Kind.REQUEST,
            "category": second,
            "hamlet": HAMLETS[1],
            "q": "voisins",
        },
        # With 10 posts there is one page: page 2 gives the last one, as for any page number
        # too large.
        "page 2": {"page": "2"},
        "words, page 2": {"q": "voisins", "page": "2"},
        "invalid": {"kind": "troc", "category": "inconnue", "hamlet": "Ailleurs", "page": "abc"},
        "invalid words": {"q": "x" * 300, "page": "-1"},
    }


def board_counts(client, board):
    return {
        name: count_queries(client, board.url, params) for name, params in board_filters().items()
    }


def test_board_query_counts_stay_flat(client, board):
    commune = board.commune
    grow(commune, 0, 10)
    small = board_counts(client, board)
    grow(commune, 10, 290)
    large = board_counts(client, board)
    assert large == small, f"queries with 10 posts: {small}, with 300: {large}"
