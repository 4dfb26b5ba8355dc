"""The service exchange in each commune's block of the admin dashboard
(exchange/dashboard.py): the posts waiting for a decision, linked to the
moderation queue narrowed to the commune; the one place staff find them on the dashboard."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from exchange.dashboard import POSTS_SHOWN, queue_url
from exchange.factories import ListingReportFactory, ServiceListingFactory
from tests.dashboard_helpers import assert_flat_queries, block_of, dashboard, new_commune, text_of

from .conftest import _board

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


def waiting_text(count):
    return ngettext(
        "%(count)s post waiting for a decision", "%(count)s posts waiting for a decision", count
    ) % {"count": count}


def reported(commune, reports=1, **fields):
    post = ServiceListingFactory(commune=commune, **fields)
    for _ in range(reports):
        ListingReportFactory(listing=post)
    return post


def test_the_block_counts_the_posts_waiting_and_names_the_first(
    client_b, moderated_board, commune_b
):
    pending = [
        ServiceListingFactory(commune=commune_b, pending=True, title=f"Attente {n}")
        for n in range(3)
    ]
    flagged = reported(commune_b, reports=2, title="Annonce signalée")
    ServiceListingFactory(commune=commune_b, title="Annonce tranquille")
    ServiceListingFactory(commune=commune_b, unconfirmed=True, title="Pas encore confirmée")
    block = block_of(dashboard(client_b), commune_b)
    assert f'href="{queue_url(commune_b)}">{waiting_text(4)}</a>' in block
    # The most reported first, then the oldest waiting; no more than POSTS_SHOWN.
    moderate = reverse("exchange_listings:moderate", args=[flagged.pk])
    assert f'href="{moderate}">Annonce signalée</a>' in block
    reports = ngettext("%(count)s report", "%(count)s reports", 2) % {"count": 2}
    assert f"Annonce signalée — {reports}" in text_of(block)
    shown = [post for post in pending if f">{post.title}<" in block]
    assert len(shown) == POSTS_SHOWN - 1
    assert "Annonce tranquille" not in block
    assert "Pas encore confirmée" not in block
    assert gettext("To do:") in block


def test_nothing_to_moderate_is_said_with_a_link_to_the_commune_posts(client_a, board, commune_a):
    ServiceListingFactory(commune=commune_a)
    block = block_of(dashboard(client_a), commune_a)
    text = gettext("None: every post is dealt with")
    assert f'href="{queue_url(commune_a, to_decide=False)}">{text}</a>' in block
    assert gettext("To do:") not in block


def test_each_editor_sees_only_their_communes_posts(
    client_a, client_b, coordinator_client, board, moderated_board, commune_a, commune_b
):
    reported(commune_a, title="Signalée à Aubigny")
    ServiceListingFactory(commune=commune_b, pending=True, title="En attente à Bellecombe")
    content = dashboard(client_a)
    assert "Signalée à Aubigny" in block_of(content, commune_a)
    assert "En attente à Bellecombe" not in content
    content = dashboard(client_b)
    assert "Signalée à Aubigny" not in content
    assert "En attente à Bellecombe" in block_of(content, commune_b)
    content = dashboard(coordinator_client)
    assert "Signalée à Aubigny" in block_of(content, commune_a)
    assert "En attente à Bellecombe" in block_of(content, commune_b)


def test_the_queue_link_lists_the_communes_posts_to_decide(
    client_a, coordinator_client, board, moderated_board, commune_a, commune_b
):
    reported(commune_a, title="Signalée à Aubigny")
    ServiceListingFactory(commune=commune_a, pending=True, title="En attente à Aubigny")
    ServiceListingFactory(commune=commune_a, title="Tranquille à Aubigny")
    ServiceListingFactory(commune=commune_b, pending=True, title="En attente à Bellecombe")
    content = coordinator_client.get(queue_url(commune_a)).content.decode()
    assert "Signalée à Aubigny" in content
    assert "En attente à Aubigny" in content
    assert "Tranquille à Aubigny" not in content
    assert "En attente à Bellecombe" not in content
    # A commune's staff cannot list another commune's posts through the filter.
    response = client_a.get(queue_url(commune_b))
    assert "En attente à Bellecombe" not in response.content.decode()


def test_the_separate_moderation_panel_is_gone(client_b, moderated_board, commune_b):
    ServiceListingFactory(commune=commune_b, pending=True, title="En attente")
    content = dashboard(client_b)
    assert "exchange-moderation" not in content
    assert content.count("En attente<") == 1


def test_the_dashboard_costs_the_same_queries_for_one_or_five_boards(
    coordinator_client, network_home, django_assert_max_num_queries
):
    def add_commune(number):
        commune = new_commune(number + 300)
        _board(commune)
        ServiceListingFactory(commune=commune, pending=True)
        reported(commune, reports=2)
        ServiceListingFactory(commune=commune, created_at=timezone.now())

    content = assert_flat_queries(coordinator_client, add_commune, django_assert_max_num_queries)
    assert content.count(waiting_text(2)) == 5
