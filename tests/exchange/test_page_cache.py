"""The page cache and the service exchange (issue 20): a post approved, hidden or marked
done is on (or off) the board and its page on the next request; the other commune's
board stays cached."""

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange import listings
from exchange.factories import ServiceListingFactory
from mprc_cms import page_cache
from tests.mprc_cms.test_page_cache_invalidation import (
    assert_hit,
    assert_not_shown,
    assert_shown,
    stored_entry,
    warm,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

MODERATE = "exchange_listings:moderate"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MPRC_PAGE_CACHE = True


def post_url(board, listing):
    return board.url + board.reverse_subpage("listing", args=[listing.pk])


def test_a_post_approved_by_the_town_hall_is_on_the_board(client, client_b, board, moderated_board):
    post = ServiceListingFactory(
        commune=moderated_board.commune, pending=True, title="Garde de poules"
    )
    warm(client, moderated_board.url, board.url)
    assert_not_shown(client, [moderated_board.url], "Garde de poules")
    response = client_b.post(reverse(MODERATE, args=[post.pk]), {"action": "publish"})
    assert response.status_code == 302
    assert_shown(client, [moderated_board.url, post_url(moderated_board, post)], "Garde de poules")
    assert_hit(client, board.url)


def test_a_hidden_post_leaves_the_board(client, client_a, board, moderated_board):
    post = ServiceListingFactory(commune=board.commune, title="Cours de guitare")
    # A post's own page holds the contact form (a CSRF cookie): never cached.
    warm(client, board.url, moderated_board.url)
    response = client_a.post(
        reverse(MODERATE, args=[post.pk]), {"action": "hidden", "reason": "Hors sujet"}
    )
    assert response.status_code == 302
    assert_not_shown(client, [board.url, post_url(board, post)], "Cours de guitare")
    assert_hit(client, moderated_board.url)


def test_a_post_marked_done_leaves_the_board(client, board, moderated_board):
    post = ServiceListingFactory(commune=board.commune, title="Prêt de remorque")
    warm(client, board.url, moderated_board.url)
    listings.mark_done(post)
    assert_not_shown(client, [board.url], "Prêt de remorque")
    assert_hit(client, moderated_board.url)


def test_the_board_is_kept_no_later_than_the_midnight_a_post_leaves_it(client, board, settings):
    """A post is on the board until the end of its last day: the board's page, cached,
    never outlives that midnight (however long pages are kept otherwise)."""
    settings.MPRC_PAGE_CACHE_SECONDS = 3 * 24 * 3600
    ServiceListingFactory(
        commune=board.commune, title="Bois à fendre", expires_on=timezone.localdate()
    )
    warm(client, board.url)
    entry = stored_entry(board.url)
    assert "Bois à fendre" in entry["content"].decode()
    assert entry["expires"] <= page_cache.next_midnight().timestamp()


def test_a_post_edited_by_the_town_hall_shows_on_its_card(client, board, moderated_board):
    """The board's cards are fragments kept between renders: an edit shows on the next."""
    post = ServiceListingFactory(commune=board.commune, title="Prêt de tondeuse")
    other = ServiceListingFactory(commune=moderated_board.commune, title="Cours de tricot")
    warm(client, board.url, moderated_board.url)
    post.title = "Prêt de tondeuse électrique"
    post.hamlet = "Les Granges"
    post.save()
    assert_shown(client, [board.url], "Prêt de tondeuse électrique")
    assert_shown(client, [board.url], "Les Granges")
    assert_hit(client, moderated_board.url)
    assert other.title in client.get(moderated_board.url).content.decode()
