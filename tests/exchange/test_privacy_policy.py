"""The personal data page of a commune that runs the service-exchange board (issue 17):
the posts and the weekly digest, with the board's own duration."""

import pytest

from exchange.factories import DigestSubscriptionFactory
from tests.legal_helpers import privacy_sections as sections

pytestmark = pytest.mark.django_db

POSTS = "Tableau d’échanges de services"
DIGEST = "Lettre hebdomadaire du tableau d’échanges de services"


def test_the_board_s_processings_follow_its_settings(client, board, commune_a, commune_b):
    listed = sections(client, commune_a)
    assert POSTS in listed
    assert DIGEST in listed
    assert "30 jours à compter de sa publication" in listed[POSTS]
    assert "7 jours" in listed[POSTS]
    assert "Le consentement" in listed[DIGEST]
    assert POSTS not in sections(client, commune_b)

    board.listing_days = 45
    board.save_revision().publish()
    assert "45 jours à compter de sa publication" in sections(client, commune_a)[POSTS]


def test_a_board_switched_off_with_subscribers_keeps_the_digest_listed(client, board, commune_a):
    board.unpublish()
    assert DIGEST not in sections(client, commune_a)
    DigestSubscriptionFactory(commune=commune_a)
    assert DIGEST in sections(client, commune_a)
