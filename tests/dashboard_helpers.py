"""Reading the admin dashboard's blocks per commune in tests (home, and each module's)."""

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def dashboard(client, **params):
    """The dashboard's HTML, entities decoded."""
    response = client.get(reverse("wagtailadmin_home"), params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def block_of(content, commune):
    """The HTML of a commune's block on the dashboard ("" when it is not shown)."""
    match = re.search(
        rf'<section class="mprc-dashboard__commune" aria-labelledby="my-commune-{commune.pk}-'
        r'heading">(.*?)</section>',
        content,
        re.S,
    )
    return match.group(1) if match else ""


def text_of(block):
    """A block's words, without tags and with single spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", block).split())


def assert_flat_queries(client, add_commune, django_assert_max_num_queries, more=4):
    """The dashboard costs no more queries with ``more`` communes added by
    ``add_commune(number)`` than with the first alone. Returns the last content."""
    add_commune(0)
    url = reverse("wagtailadmin_home")
    client.get(url)  # warm the caches (site root, content types)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    # Counted now: the connection keeps its last 9,000 queries only, adding communes may
    # push these out.
    count = len(one)
    for number in range(1, more + 1):
        add_commune(number)
    client.get(url)  # the memos of every change (the site, the communes) warm again
    with django_assert_max_num_queries(count):
        content = dashboard(client)
    assert content.count('class="mprc-dashboard__commune"') == more + 1
    return content


def new_commune(number):
    """A published commune of the network, numbered for its name and INSEE code."""
    from home.onboarding import create_commune

    commune = create_commune(
        name=f"Commune {number}", insee_code=f"71{number:03d}", postcode="71250"
    ).commune
    commune.save_revision().publish()
    commune.refresh_from_db()
    return commune
