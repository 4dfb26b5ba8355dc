"""Hostile text and privacy on the public side of the board: what residents type is shown
as text (never HTML, never a link), control characters are dropped, the poster's
address appears in no page nor address, and the private pages are never cached."""

from urllib.parse import unquote

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from exchange import listings
from exchange.factories import DigestSubscriptionFactory
from exchange.models import ContactRelay, ServiceListing
from tests.exchange.board_helpers import (
    POSTER,
    assert_private,
    confirmed,
    contact_data,
    link_in,
    manage_path,
    on_board,
    posted,
    route,
    soup_of,
    submit_post,
    urls_in,
    write_to,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

TITLE = "<script>alert(1)</script>"
FIRST_NAME = '"><svg onload=alert(1)>'
AVAILABILITY = "<img src=x onerror=alert(1)>"
DESCRIPTION = (
    '<a href="javascript:alert(1)">Cliquez ici</a> <b>gras</b>\n'
    "Payez sur http://arnaque.example/payer ou www.arnaque.example"
)
SENDER = '<script>alert("voisin")</script>'
RAW_HTML = ("<script>alert", "<img src=x", "<svg onload", '<a href="javascript', "<b>gras")


def hostile_post(client, board):
    """A post whose every free text is HTML, confirmed and on the board."""
    listing, manage = confirmed(
        client,
        board,
        title=TITLE,
        first_name=FIRST_NAME,
        availability=AVAILABILITY,
        description=DESCRIPTION,
    )
    assert listing.title == TITLE  # kept as typed, shown as text
    assert listing.first_name == FIRST_NAME
    return listing, manage


def assert_inert(response):
    """Nothing the resident typed became markup: no script, no handler, no link."""
    assert response.status_code == 200
    content = response.content.decode()
    for raw in RAW_HTML:
        assert raw not in content, raw
    soup = soup_of(response)
    for script in soup.find_all("script"):
        assert "alert" not in script.get_text()
    # The site's own icons (the header's search button) are the only SVG.
    assert [svg for svg in soup.find_all("svg") if not svg.find_parent("header")] == []
    assert soup.find("img", src="x") is None
    for tag in soup.find_all(True):
        handlers = [name for name in tag.attrs if name.lower().startswith("on")]
        assert handlers == [], tag
    for url in urls_in(response):
        assert not url.strip().lower().startswith("javascript:"), url
        assert "arnaque.example" not in url, url


# Shown as text.


def test_html_in_a_post_is_shown_as_text_on_the_board(client, board):
    hostile_post(client, board)
    response = client.get(board.url)
    assert_inert(response)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()
    titles = [title.get_text() for title in soup_of(response).select(".card__title")]
    assert titles == [TITLE]


def test_html_in_a_post_is_shown_as_text_on_its_page(client, board):
    listing, _manage = hostile_post(client, board)
    response = client.get(route(board, "listing", listing.pk))
    assert_inert(response)
    text = soup_of(response).find("main").get_text()
    for typed in (TITLE, FIRST_NAME, AVAILABILITY, '<a href="javascript:alert(1)">Cliquez ici</a>'):
        assert typed in text, typed
    # The title of the window too.
    assert TITLE in soup_of(response).title.get_text()


def test_web_addresses_in_a_post_are_not_made_links(client, board):
    listing, _manage = hostile_post(client, board)
    response = client.get(route(board, "listing", listing.pk))
    description = soup_of(response).find(class_="listing-text")
    assert description.find("a") is None
    assert "http://arnaque.example/payer" in description.get_text()
    assert '<a href="http://arnaque' not in response.content.decode()


def test_html_in_a_post_is_shown_as_text_on_the_posters_pages(client, board):
    listing, manage = hostile_post(client, board)
    token = listings.manage_token(listing)
    for path in (manage, route(board, "delete_post", token)):
        response = client.get(path)
        assert_inert(response)
        assert TITLE in soup_of(response).find("main").get_text()
    form = soup_of(client.get(manage)).find("input", attrs={"name": "first_name"})
    assert form["value"] == FIRST_NAME


def test_html_in_a_post_is_shown_as_text_on_the_confirm_and_report_pages(client, board):
    listing, message = posted(client, board, title=TITLE, first_name=FIRST_NAME)
    assert_inert(client.get(link_in(message, "confirmer")))
    client.post(link_in(message, "confirmer"))
    assert_inert(client.get(route(board, "report", listing.pk)))


def test_html_in_a_first_name_is_escaped_in_the_message_after_answering(client, board):
    listing, _manage = hostile_post(client, board)
    response = write_to(client, board, listing)
    response = client.get(response.url)
    assert_inert(response)
    notice = soup_of(response).find(class_="messages").get_text()
    assert FIRST_NAME in notice


def test_html_in_the_filters_is_escaped_when_shown_back(client, board):
    on_board(board)
    response = client.get(board.url, {"q": TITLE, "kind": FIRST_NAME, "category": AVAILABILITY})
    assert_inert(response)
    filters = soup_of(response).find("form", class_="filters")
    assert filters.find("input", attrs={"name": "q"})["value"] == TITLE


def test_html_in_a_form_that_comes_back_is_escaped(client, board):
    response = submit_post(
        client,
        board,
        title=TITLE,
        first_name=FIRST_NAME,
        availability=AVAILABILITY,
        description=DESCRIPTION,
        email="pas-une-adresse",
    )
    assert response.status_code == 200
    assert_inert(response)
    assert not ServiceListing.objects.exists()


def test_html_in_a_relayed_message_is_escaped_when_the_form_comes_back(client, board):
    listing = on_board(board)
    response = write_to(client, board, listing, name=SENDER, message=TITLE, email="x@")
    assert response.status_code == 200
    assert_inert(response)


# E-mails are plain text.


def assert_plain(message):
    assert message.content_subtype == "plain"
    assert getattr(message, "alternatives", []) == []
    assert message.attachments == []
    assert "\n" not in message.subject
    assert "&lt;" not in message.body
    assert "&quot;" not in message.body


def test_the_e_mails_are_plain_text_with_the_text_as_typed(client, board):
    listing, _manage = hostile_post(client, board)
    confirmation = mail.outbox[0]
    assert_plain(confirmation)
    assert TITLE in confirmation.subject
    assert FIRST_NAME in confirmation.body

    write_to(client, board, listing, name=SENDER, message="Bonjour <b>voisine</b>, à samedi !")
    relay = mail.outbox[-1]
    assert_plain(relay)
    assert SENDER in relay.subject
    assert "Bonjour <b>voisine</b>, à samedi !" in relay.body

    client.post(route(board, "link_request"), {"email": POSTER})
    links = mail.outbox[-1]
    assert links.to == [POSTER]
    assert_plain(links)
    assert TITLE in links.body


def test_line_breaks_cannot_reach_an_e_mails_headers(client, board):
    listing = on_board(board, title="Trajet au marché")
    write_to(client, board, listing, name="Barnabé\r\nBcc: victime@example.net")
    relay = mail.outbox[-1]
    assert "\n" not in relay.subject
    assert "\r" not in relay.subject
    assert relay.bcc == []
    assert relay.recipients() == [listing.email]


# Links and control characters.


def test_more_than_two_web_addresses_are_refused(client, board):
    three = "Voir www.a.example, http://b.example/x et https://c.example/y pour les détails."
    response = submit_post(client, board, description=three)
    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    response = submit_post(client, board, title="www.a.example www.b.example www.c.example")
    assert "title" in response.context["form"].errors
    assert not ServiceListing.objects.exists()
    listing = on_board(board)
    response = write_to(client, board, listing, message=three)
    assert "message" in response.context["form"].errors
    assert mail.outbox == []


def test_control_characters_are_removed(client, board):
    response = submit_post(
        client,
        board,
        title="Jardin\x07age \x1b[31mpartagé\u202e\u200b",
        first_name="Zé\x08phyrine\x7f",
        availability="Le\tsamedi\x0b matin",
        description="Ligne un, assez longue.\r\nLigne\x1b deux.\n\n\n\nLigne trois.\x0c",
    )
    assert response.status_code == 302
    listing = ServiceListing.objects.get()
    assert listing.title == "Jardinage [31mpartagé"
    assert listing.first_name == "Zéphyrine"
    assert listing.availability == "Le samedi matin"
    assert listing.description == "Ligne un, assez longue.\nLigne deux.\n\nLigne trois."


def test_control_characters_are_removed_from_relayed_messages(client, board):
    listing = on_board(board)
    write_to(
        client, board, listing, name="Bar\x1bnabé", message="Bonjour\x07 voisine,\r\nà bientôt !"
    )
    relay = mail.outbox[-1]
    assert "\x1b" not in relay.subject
    assert "Barnabé" in relay.subject
    assert "Bonjour voisine,\nà bientôt !" in relay.body
    assert "\x07" not in relay.body


# The poster's address is never shown.


def public_pages(client, board):
    """Every public answer about one post, by a fresh visitor: (name, response)."""
    listing, message = posted(client, board, phone="06 12 34 56 78")
    pages = [("after-posting", submit_post(Client(), board, email="autre@example.org"))]
    pages.append(("posted", client.get(route(board, "posted"))))
    pages.append(("confirm", client.get(link_in(message, "confirmer"))))
    client.post(link_in(message, "confirmer"))
    visitor = Client()
    pages.append(("board", visitor.get(board.url)))
    pages.append(("listing", visitor.get(route(board, "listing", listing.pk))))
    contact = visitor.post(route(board, "listing", listing.pk), contact_data())
    pages.append(("contact-redirect", contact))
    pages.append(("contact-sent", visitor.get(contact.url)))
    pages.append(("contact-error", write_to(visitor, board, listing, message="court")))
    pages.append(("report", visitor.get(route(board, "report", listing.pk))))
    report = visitor.post(route(board, "report", listing.pk), {"reason": "other"})
    pages.append(("report-redirect", report))
    pages.append(("report-sent", visitor.get(report.url)))
    return listing, pages


def test_the_posters_address_appears_in_no_public_page(client, board):
    _listing, pages = public_pages(client, board)
    assert ContactRelay.objects.count() == 1
    for name, response in pages:
        assert response.status_code in (200, 302), name
        content = unquote(response.content.decode()).lower()
        assert POSTER not in content, name
        assert "quillebeuf" not in content, name


def test_the_posters_address_appears_in_no_address_of_a_public_page(client, board):
    _listing, pages = public_pages(client, board)
    for name, response in pages:
        for url in urls_in(response):
            url = unquote(url).lower()
            assert "quillebeuf" not in url, (name, url)
            assert "0612345678" not in url.replace(" ", ""), (name, url)


def test_searching_the_board_for_an_address_finds_nothing(client, board):
    on_board(board, email=POSTER, title="Trajet au marché")
    for words in (POSTER, "quillebeuf", "example.org"):
        response = client.get(board.url, {"q": words})
        assert response.status_code == 200
        assert soup_of(response).select(".card__title") == [], words
    response = client.get(board.url, {"q": "marché"})
    assert len(soup_of(response).select(".card__title")) == 1


def test_the_sender_learns_nothing_of_the_posters_address(client, board):
    listing = on_board(board, email=POSTER, first_name="Josette")
    response = write_to(client, board, listing, email="barnabe.voisin@example.net")
    response = client.get(response.url)
    assert "Josette" in response.content.decode()
    assert "quillebeuf" not in response.content.decode().lower()
    assert all("barnabe.voisin@example.net" not in message.to for message in mail.outbox)
    assert [message.to for message in mail.outbox] == [[POSTER]]


def test_the_links_in_the_e_mails_hold_no_personal_data(client, board):
    _listing, message = posted(client, board)
    for name in ("confirmer", "gerer"):
        path = link_in(message, name).lower()
        assert "quillebeuf" not in path
        assert "%40" not in path
        assert "@" not in path


# Private pages: never cached, never indexed, no referrer.


def private_responses(client, board):
    listing, message = posted(client, board)
    yield "confirm", client.get(link_in(message, "confirmer"))
    client.post(link_in(message, "confirmer"))
    listing.refresh_from_db()
    manage = manage_path(board, listing)
    yield "manage", client.get(manage)
    yield "manage-error", client.post(manage, {"action": "save", "title": ""})
    delete = route(board, "delete_post", listings.manage_token(listing))
    yield "delete", client.get(delete)
    yield "deleted", client.post(delete)
    yield "invalid-link", client.get(manage)
    yield "invalid-confirm", client.get(route(board, "confirm", "n-importe-quoi"))
    subscription = DigestSubscriptionFactory(commune=board.commune, confirmed_at=None)
    digest_confirm = route(board, "digest_confirm", listings.digest_confirm_token(subscription))
    yield "digest-confirm", client.get(digest_confirm)
    yield "digest-confirmed", client.post(digest_confirm)
    unsubscribe = reverse("exchange:unsubscribe", args=[listings.unsubscribe_token(subscription)])
    yield "unsubscribe", client.get(unsubscribe)
    yield "unsubscribed", client.post(unsubscribe)
    yield "unsubscribe-invalid", client.post(unsubscribe)


def test_private_pages_are_never_cached_indexed_or_referred(client, board):
    seen = []
    for name, response in private_responses(client, board):
        assert response.status_code in (200, 404), name
        assert_private(response)
        seen.append(name)
    assert len(seen) == 12
