"""The board residents read: which posts it lists, its filters (in the address, by GET),
its pages, and the page of each post."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from exchange.factories import bulk_listings, category
from exchange.models import Kind, ListingStatus
from tests.exchange.board_helpers import (
    contact_data,
    main_text,
    on_board,
    route,
    soup_of,
    template_names,
    text_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


def titles_on(response):
    """The titles of the posts the board shows, in order."""
    return [title.get_text(strip=True) for title in soup_of(response).select(".card__title")]


def board_titles(client, board_page, **params):
    response = client.get(board_page.url, params)
    assert response.status_code == 200
    return titles_on(response)


# What the board lists.


def test_the_board_lists_only_the_communes_posts_on_the_board(client, board, moderated_board):
    today = timezone.localdate()
    on_board(board, title="Publiée hier")
    on_board(board, title="Dernier jour", expires_on=today)
    on_board(board, title="Pas confirmée", unconfirmed=True)
    on_board(board, title="En attente", pending=True)
    on_board(board, title="Refusée", status=ListingStatus.REJECTED)
    on_board(board, title="Masquée", status=ListingStatus.HIDDEN)
    on_board(board, title="Terminée", status=ListingStatus.DONE)
    on_board(board, title="Expirée hier", expired=True)
    on_board(moderated_board, title="De Bellecombe")

    titles = board_titles(client, board)
    assert sorted(titles) == ["Dernier jour", "Publiée hier"]
    assert board_titles(client, moderated_board) == ["De Bellecombe"]


def test_the_newest_posts_come_first(client, board):
    now = timezone.now()
    on_board(board, title="Ancienne", published_at=now - timedelta(days=5))
    on_board(board, title="Récente", published_at=now - timedelta(hours=1))
    on_board(board, title="Moyenne", published_at=now - timedelta(days=2))
    assert board_titles(client, board) == ["Récente", "Moyenne", "Ancienne"]


def test_a_card_links_to_its_post_and_shows_kind_category_and_hamlet(client, board):
    listing = on_board(
        board,
        title="Aide aux devoirs",
        kind=Kind.REQUEST,
        category=category("garde-enfants"),
        hamlet="La Croix-Blanche",
    )
    response = client.get(board.url)
    [card] = soup_of(response).select(".listing-card")
    assert card.find("a")["href"] == route(board, "listing", listing.pk)
    text = card.get_text(" ")
    assert str(Kind.REQUEST.label) in text
    assert "Garde d'enfants" in text
    assert "La Croix-Blanche" in text


def test_the_board_counts_the_posts_it_lists(client, board):
    bulk_listings(board.commune, 3)
    on_board(board, pending=True)
    response = client.get(board.url)
    assert response.context["items_page"].paginator.count == 3
    heading = soup_of(response).find(id="results-heading").get_text(" ", strip=True)
    assert heading.startswith("3 ")


# Filters.


@pytest.fixture
def variety(board):
    """Posts of each kind, in two categories and three hamlets."""
    garden, lift = category("jardinage"), category("transport")
    return {
        "potager": on_board(
            board,
            title="Bêcher le potager",
            kind=Kind.OFFER,
            category=garden,
            hamlet="Le Bourg",
            description="Je viens avec ma bêche et mon râteau, le samedi matin.",
        ),
        "haie": on_board(
            board,
            title="Tailler une haie",
            kind=Kind.REQUEST,
            category=garden,
            hamlet="Les Granges",
            description="Une haie de thuyas de vingt mètres, il faut une échelle.",
        ),
        "marche": on_board(
            board,
            title="Trajet au marché",
            kind=Kind.OFFER,
            category=lift,
            hamlet="Les Granges",
            description="Je descends au marché du jeudi en voiture, deux places libres.",
        ),
        "gare": on_board(
            board,
            title="Aller à la gare",
            kind=Kind.REQUEST,
            category=lift,
            hamlet="",
            description="Un trajet jusqu'à la gare de Mâcon le lundi, tôt le matin.",
        ),
    }


def test_without_filters_every_post_is_listed(client, board, variety):
    assert sorted(board_titles(client, board)) == sorted(item.title for item in variety.values())


def test_the_kind_filter(client, board, variety):
    offers = board_titles(client, board, kind="offer")
    assert sorted(offers) == ["Bêcher le potager", "Trajet au marché"]
    requests = board_titles(client, board, kind="request")
    assert sorted(requests) == ["Aller à la gare", "Tailler une haie"]


def test_the_category_filter_takes_the_categorys_slug(client, board, variety):
    titles = board_titles(client, board, category="transport")
    assert sorted(titles) == ["Aller à la gare", "Trajet au marché"]
    assert board_titles(client, board, category="animaux") == []


def test_the_hamlet_filter(client, board, variety):
    titles = board_titles(client, board, hamlet="Les Granges")
    assert sorted(titles) == ["Tailler une haie", "Trajet au marché"]
    assert board_titles(client, board, hamlet="Le Bourg") == ["Bêcher le potager"]
    assert board_titles(client, board, hamlet="La Croix-Blanche") == []


def test_words_are_looked_for_in_the_title(client, board, variety):
    assert board_titles(client, board, q="haie") == ["Tailler une haie"]


def test_words_are_looked_for_in_the_description(client, board, variety):
    assert board_titles(client, board, q="échelle") == ["Tailler une haie"]


def test_word_search_ignores_case(client, board, variety):
    assert board_titles(client, board, q="TRAJET Jeudi") == ["Trajet au marché"]


def test_word_search_ignores_accents_both_ways(client, board, variety):
    assert board_titles(client, board, q="MARCHÉ jeudi") == ["Trajet au marché"]
    assert board_titles(client, board, q="marche jeudi") == ["Trajet au marché"]
    assert board_titles(client, board, q="Macon") == ["Aller à la gare"]


def test_word_search_looks_in_the_hamlet(client, board, variety):
    assert board_titles(client, board, q="bourg") == ["Bêcher le potager"]


def test_a_changed_post_is_found_by_its_new_words(client, board, variety):
    post = variety["gare"]
    post.description = "Un trajet jusqu'à Tournus."
    post.save(update_fields=["description"])
    assert board_titles(client, board, q="tournus") == ["Aller à la gare"]
    assert board_titles(client, board, q="macon") == []


def test_every_word_must_be_found_in_the_title_or_the_description(client, board, variety):
    # "trajet" is in two titles, "jeudi" in one description: only the post with both.
    assert board_titles(client, board, q="trajet jeudi") == ["Trajet au marché"]
    assert board_titles(client, board, q="trajet thuyas") == []


def test_filters_combine(client, board, variety):
    assert board_titles(client, board, kind="request", category="jardinage") == ["Tailler une haie"]
    assert board_titles(client, board, kind="offer", hamlet="Les Granges") == ["Trajet au marché"]
    titles = board_titles(client, board, category="transport", hamlet="Les Granges", q="places")
    assert titles == ["Trajet au marché"]
    assert board_titles(client, board, kind="offer", category="transport", q="gare") == []


def test_the_filter_form_works_by_get_and_keeps_the_values(client, board, variety):
    response = client.get(board.url, {"kind": "request", "q": "haie"})
    form = soup_of(response).find("form", class_="filters")
    assert form["method"].lower() == "get"
    assert form.find("input", attrs={"name": "q"})["value"] == "haie"
    kind = form.find("select", attrs={"name": "kind"})
    assert kind.find("option", selected=True)["value"] == "request"


def test_filters_apply_only_to_the_communes_posts(client, board, moderated_board, variety):
    on_board(moderated_board, title="Tailler une autre haie", kind=Kind.REQUEST)
    assert board_titles(client, board, q="haie") == ["Tailler une haie"]
    assert board_titles(client, moderated_board, q="haie") == ["Tailler une autre haie"]


def test_on_a_board_without_hamlets_the_hamlet_filter_is_absent_and_ignored(
    client, moderated_board
):
    on_board(moderated_board, title="Sans hameau")
    response = client.get(moderated_board.url, {"hamlet": "Le Bourg"})
    assert response.status_code == 200
    assert soup_of(response).find("select", attrs={"name": "hamlet"}) is None
    assert titles_on(response) == ["Sans hameau"]


INVALID_FILTERS = [
    pytest.param("kind", "tout", id="unknown-kind"),
    pytest.param("category", "licornes", id="unknown-category"),
    pytest.param("category", "'; DROP TABLE exchange_servicelisting; --", id="sql-category"),
    pytest.param("hamlet", "Atlantide", id="unknown-hamlet"),
    pytest.param("q", "potager" * 40, id="words-too-long"),
    pytest.param("q", "haie\x00", id="null-character"),
]


@pytest.mark.parametrize(("name", "value"), INVALID_FILTERS)
def test_an_invalid_filter_is_reported_next_to_its_field_and_ignored(
    client, board, variety, name, value
):
    response = client.get(board.url, {name: value})
    assert response.status_code == 200
    assert name in response.context["filter_form"].errors
    error = soup_of(response).find(id=f"filter-{name}-error")
    assert error is not None
    assert error.get_text(strip=True)
    field = soup_of(response).find(attrs={"name": name, "id": f"filter-{name}"})
    assert field["aria-describedby"] == f"filter-{name}-error"
    # Ignored: every post is listed.
    assert len(titles_on(response)) == len(variety)


def test_an_invalid_filter_does_not_cancel_the_valid_ones(client, board, variety):
    response = client.get(board.url, {"kind": "tout", "category": "transport", "q": "gare"})
    assert response.status_code == 200
    assert list(response.context["filter_form"].errors) == ["kind"]
    assert titles_on(response) == ["Aller à la gare"]


def test_filter_errors_are_in_french(client, board):
    response = client.get(board.url, {"hamlet": "Atlantide"})
    error = soup_of(response).find(id="filter-hamlet-error").get_text(strip=True)
    assert error.startswith("Sélectionnez un choix valide.")


def test_a_list_of_values_for_a_filter_causes_no_error(client, board, variety):
    response = client.get(f"{board.url}?kind=offer&kind=request&category=&hamlet=&q=")
    assert response.status_code == 200
    assert sorted(titles_on(response)) == ["Aller à la gare", "Tailler une haie"]


# Pages of the board.


def test_the_board_shows_twelve_posts_a_page(client, board):
    bulk_listings(board.commune, 25)
    first = board_titles(client, board)
    assert first == [f"Annonce n° {number}" for number in range(1, 13)]
    second = board_titles(client, board, page="2")
    assert second == [f"Annonce n° {number}" for number in range(13, 25)]
    assert board_titles(client, board, page="3") == ["Annonce n° 25"]


def test_a_page_number_that_is_not_a_number_gives_the_first_page(client, board):
    bulk_listings(board.commune, 13)
    response = client.get(board.url, {"page": "abc"})
    assert response.status_code == 200
    assert response.context["items_page"].number == 1
    assert titles_on(response)[0] == "Annonce n° 1"


@pytest.mark.parametrize("number", ["999", "0", "-1"])
def test_a_page_number_out_of_range_gives_the_last_page(client, board, number):
    bulk_listings(board.commune, 13)
    response = client.get(board.url, {"page": number})
    assert response.status_code == 200
    assert response.context["items_page"].number == 2
    assert titles_on(response) == ["Annonce n° 13"]


def test_the_links_to_other_pages_keep_the_filters(client, board):
    bulk_listings(board.commune, 13, kind=Kind.REQUEST)
    bulk_listings(board.commune, 2, kind=Kind.OFFER)
    response = client.get(board.url, {"kind": "request", "page": "2"})
    assert titles_on(response) == ["Annonce n° 13"]
    previous = soup_of(response).find("a", rel="prev")["href"]
    assert "kind=request" in previous
    assert previous.endswith("page=1")
    assert previous.count("page=") == 1


def test_a_board_with_a_single_page_shows_no_page_links(client, board):
    bulk_listings(board.commune, 12)
    response = client.get(board.url)
    assert soup_of(response).find("nav", class_="pagination") is None


# Empty boards.


def test_an_empty_board_says_so_and_invites_to_post(client, board):
    on_board(board, pending=True)
    response = client.get(board.url)
    assert response.status_code == 200
    assert titles_on(response) == []
    page_text = main_text(response)
    assert gettext("No post on the board for now.") in page_text
    assert gettext("No post matches these filters.") not in page_text
    links = [a["href"] for a in soup_of(response).find("main").find_all("a")]
    assert route(board, "post") in links


def test_filters_that_match_nothing_say_so_and_offer_every_post(client, board, variety):
    response = client.get(board.url, {"q": "tracteur"})
    assert titles_on(response) == []
    page_text = main_text(response)
    assert gettext("No post matches these filters.") in page_text
    assert gettext("No post on the board for now.") not in page_text
    links = [a["href"] for a in soup_of(response).find("main").find_all("a")]
    assert board.url in links


# The page of a post.


def test_a_post_page_shows_the_post(client, board):
    listing = on_board(
        board,
        title="Trajet au marché",
        first_name="Josette",
        hamlet="Les Granges",
        availability="Le jeudi matin",
        description="Je descends au marché du jeudi.\nDeux places libres.",
    )
    response = client.get(route(board, "listing", listing.pk))
    assert response.status_code == 200
    assert "exchange/listing.html" in template_names(response)
    facts = soup_of(response).find("dl", class_="facts").get_text(" ")
    assert "Josette" in facts
    assert "Les Granges" in facts
    assert "Le jeudi matin" in facts
    assert soup_of(response).find("h1").get_text(strip=True) == "Trajet au marché"
    description = soup_of(response).find(class_="listing-text")
    assert description.decode_contents() == (
        "Je descends au marché du jeudi.<br/>Deux places libres."
    )


def test_the_phone_is_shown_only_when_the_poster_asked(client, board):
    shown = on_board(board, phone="06 12 34 56 78", show_phone=True)
    hidden = on_board(board, phone="07 98 76 54 32", show_phone=False)
    response = client.get(route(board, "listing", shown.pk))
    assert "06 12 34 56 78" in text_of(response)
    response = client.get(route(board, "listing", hidden.pk))
    assert response.status_code == 200
    assert "07 98 76 54 32" not in text_of(response)
    assert "0798765432" not in text_of(response)


def test_a_post_page_without_hamlet_or_availability_leaves_them_out(client, board):
    listing = on_board(board, hamlet="", availability="")
    response = client.get(route(board, "listing", listing.pk))
    terms = [dt.get_text(strip=True) for dt in soup_of(response).select("dl.facts dt")]
    assert gettext("Where") not in terms
    assert gettext("When") not in terms


def test_a_post_page_offers_to_answer_and_to_report(client, board):
    listing = on_board(board)
    response = client.get(route(board, "listing", listing.pk))
    soup = soup_of(response)
    form = soup.find("form", class_="form")
    assert form["method"].lower() == "post"
    assert form["action"] == route(board, "listing", listing.pk)
    names = {field["name"] for field in form.find_all(["input", "textarea"])}
    assert {"name", "email", "message", "website", "csrfmiddlewaretoken"} <= names
    links = [a["href"] for a in soup.find_all("a")]
    assert route(board, "report", listing.pk) in links


GONE = [
    pytest.param({"unconfirmed": True}, id="unconfirmed"),
    pytest.param({"pending": True}, id="pending"),
    pytest.param({"status": ListingStatus.REJECTED}, id="rejected"),
    pytest.param({"status": ListingStatus.HIDDEN}, id="hidden"),
    pytest.param({"status": ListingStatus.DONE}, id="done"),
    pytest.param({"expired": True}, id="expired"),
]


def assert_gone(response):
    assert response.status_code == 404
    assert "exchange/listing_gone.html" in template_names(response)


@pytest.mark.parametrize("fields", GONE)
def test_a_post_off_the_board_cannot_be_read_answered_or_reported(client, board, fields):
    listing = on_board(board, **fields)
    assert_gone(client.get(route(board, "listing", listing.pk)))
    assert_gone(client.post(route(board, "listing", listing.pk), contact_data()))
    assert_gone(client.get(route(board, "report", listing.pk)))
    assert_gone(client.post(route(board, "report", listing.pk), {"reason": "scam"}))
    assert listing.reports.count() == 0
    assert listing.contacts.count() == 0


def test_another_communes_post_cannot_be_read_answered_or_reported(client, board, moderated_board):
    elsewhere = on_board(moderated_board)
    # On its own board it is there…
    assert client.get(route(moderated_board, "listing", elsewhere.pk)).status_code == 200
    # …but not through commune A's board.
    assert_gone(client.get(route(board, "listing", elsewhere.pk)))
    assert_gone(client.post(route(board, "listing", elsewhere.pk), contact_data()))
    assert_gone(client.get(route(board, "report", elsewhere.pk)))
    assert_gone(client.post(route(board, "report", elsewhere.pk), {"reason": "scam"}))
    assert elsewhere.reports.count() == 0
    assert elsewhere.contacts.count() == 0


@pytest.mark.parametrize("pk", [0, 987654, 10**25])
def test_an_unknown_post_number_answers_404(client, board, pk):
    on_board(board)
    assert_gone(client.get(f"{board.url}annonce/{pk}/"))


def test_the_post_page_of_a_post_expiring_today_still_answers(client, board):
    listing = on_board(board, expires_on=timezone.localdate())
    assert client.get(route(board, "listing", listing.pk)).status_code == 200


def test_the_board_refuses_other_methods(client, board):
    response = client.post(board.url, {"q": "x"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
