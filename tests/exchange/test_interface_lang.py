"""Under the English interface, the interface's own words on the service-exchange board
and on a post's page are marked English, and what the editors and residents wrote stays
French (WCAG 3.1.2, language of parts): ``<main>`` is marked with the content's language."""

import pytest
from django.utils import translation

from exchange.factories import ServiceListingFactory
from tests.exchange.board_helpers import route
from tests.parliament.test_interface_lang import (
    assert_languages,
    english,
    english_path,
    headings_of,
    language_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(board):
    return ServiceListingFactory(
        commune=board.commune,
        title="Coup de main au potager",
        hamlet="Les Granges",
        availability="Le samedi matin",
    )


def test_the_board_marks_its_headings(client, board, listing):
    main, headings = headings_of(client, english_path(board.url))
    with translation.override("en"):
        count = translation.ngettext(
            "%(counter)s post on the board", "%(counter)s posts on the board", 1
        ) % {"counter": 1}
    interface = {count, *english("Rules of the board")}
    assert_languages(headings, interface, {board.title, listing.title})
    assert language_of(main.select_one("p.actions")) == "en"
    (card,) = main.select(".listing-card")
    assert language_of(card.select_one(".kind")) == "en"
    facts = card.select_one(".listing-facts")
    assert language_of(facts) == "en"
    assert language_of(facts.find(string="Les Granges").parent) == "fr"


def test_the_listing_page_marks_its_headings(client, board, listing):
    path = english_path(lambda: route(board, "listing", listing.pk))
    main, headings = headings_of(client, path)
    with translation.override("en"):
        write_to = translation.gettext("Write to %(name)s") % {"name": listing.first_name}
    assert_languages(headings, {write_to}, {listing.title})
    assert language_of(main.select_one(".listing .kind")) == "en"
    facts = main.find("dl", class_="facts")
    assert language_of(facts) == "en"
    for written in ["Josette", "Les Granges", "Le samedi matin"]:
        assert language_of(facts.find(string=written).parent) == "fr"
    assert language_of(main.select_one(".listing-text")) == "fr"
    assert language_of(main.select_one(".listing-contact form")) == "en"
    assert language_of(main.select_one("p.actions")) == "en"
