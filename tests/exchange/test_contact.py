"""Answering a post through the relay form: the message goes to the poster by e-mail, with
the sender's address to reply to; the poster's address is never given, and the site keeps
only that a message was passed on, never the message nor who sent it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

from exchange import listings
from exchange.models import ContactRelay, ListingStatus, ServiceListing
from mprc_cms.models import RateLimitHit
from tests.exchange.board_helpers import (
    POSTER,
    RATE_LIMITED,
    Msgid,
    connection,
    contact_data,
    in_french,
    link_in,
    main_text,
    on_board,
    route,
    says,
    soup_of,
    template_names,
    text_of,
    write_to,
)
from tests.participation.test_personal_link import rows_mentioning

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

SENDER = "barnabe.voisin@example.net"
MESSAGE = "Bonjour, je passe samedi vers dix heures avec ma bêche, cela vous convient-il ?"


@pytest.fixture
def listing(board):
    """A post of commune A's board, by Josette."""
    return on_board(board, email=POSTER, first_name="Josette", title="Bêcher le potager")


def text_columns(model):
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    ]


# A message passed on.


def test_a_message_is_passed_on_to_the_poster_with_the_sender_to_reply_to(client, board, listing):
    response = write_to(client, board, listing, name="Barnabé", email=SENDER, message=MESSAGE)
    assert response.status_code == 302
    assert response.url == route(board, "listing", listing.pk)

    assert len(mail.outbox) == 1
    relay = mail.outbox[0]
    assert relay.to == [POSTER]
    assert relay.reply_to == [SENDER]
    assert relay.cc == []
    assert relay.bcc == []
    assert MESSAGE in relay.body
    assert "Barnabé" in relay.subject
    assert listing.title in relay.subject
    # The poster can manage the post and find it from the e-mail.
    assert link_in(relay, "gerer").startswith(board.url)
    assert f"http://testserver{route(board, 'listing', listing.pk)}" in relay.body


def test_the_senders_address_is_cleaned(client, board, listing):
    write_to(client, board, listing, email="  Barnabe.Voisin@Example.NET ")
    assert mail.outbox[0].reply_to == [SENDER]


def test_the_sender_is_thanked_without_the_posters_address(client, board, listing):
    response = write_to(client, board, listing, email=SENDER, message=MESSAGE)
    response = client.get(response.url)
    assert response.status_code == 200
    expected = gettext(
        "Your message has been passed on to %(name)s, with your e-mail address so that they "
        "can answer you."
    ) % {"name": "Josette"}
    assert says(response, expected)
    assert POSTER not in response.content.decode()
    # Nothing is sent to the sender.
    assert [message.to for message in mail.outbox] == [[POSTER]]


def test_a_relayed_message_is_logged_without_its_text_nor_its_sender(client, board, listing):
    write_to(client, board, listing, name="Barnabé Lheureux", email=SENDER, message=MESSAGE)
    relay = ContactRelay.objects.get()
    assert relay.listing == listing
    assert relay.sent_at is not None
    for model in (ContactRelay, ServiceListing):
        for row in model.objects.values(*text_columns(model), "pk"):
            for column, value in row.items():
                assert "dix heures" not in str(value), (model, column)
                assert SENDER not in str(value), (model, column)
                assert "Lheureux" not in str(value), (model, column)


def test_no_table_holds_the_message_nor_the_sender(board, listing):
    write_to(
        connection("198.51.100.23"),
        board,
        listing,
        name="Barnabé Lheureux",
        email=SENDER,
        message=MESSAGE,
    )
    assert len(mail.outbox) == 1
    assert rows_mentioning("dix heures", SENDER, "Lheureux", "198.51.100.23") == []


def test_the_posters_page_counts_the_messages_passed_on(client, board, listing):
    write_to(client, board, listing)
    write_to(connection("10.0.0.2"), board, listing, email="autre@example.net")
    response = client.get(route(board, "manage", listings.manage_token(listing)))
    assert response.context["contact_count"] == 2


# Bad input: errors in French, nothing sent, nothing kept.

REQUIRED = Msgid("This field is required.")
BAD_MESSAGES = [
    pytest.param({"name": ""}, "name", REQUIRED, id="no-name"),
    pytest.param({"name": "x" * 81}, "name", "au plus 80 caractères", id="long-name"),
    pytest.param({"email": None}, "email", REQUIRED, id="no-e-mail"),
    pytest.param(
        {"email": "barnabe@"}, "email", Msgid("Enter a valid email address."), id="bad-e-mail"
    ),
    pytest.param({"message": ""}, "message", REQUIRED, id="no-message"),
    pytest.param({"message": "Salut"}, "message", "au moins 10 caractères", id="short-message"),
    pytest.param({"message": "x" * 2001}, "message", "au plus 2000 caractères", id="long-message"),
    pytest.param(
        {"message": "Voir http://a.example http://b.example http://c.example pour payer."},
        "message",
        Msgid("Please give at most %(count)s web addresses."),
        id="three-links",
    ),
]


@pytest.mark.parametrize(("overrides", "field", "error"), BAD_MESSAGES)
def test_bad_input_is_an_error_in_french_and_nothing_is_sent(
    client, board, listing, overrides, field, error
):
    response = write_to(client, board, listing, **overrides)
    assert response.status_code == 200
    assert "exchange/listing.html" in template_names(response)
    errors = response.context["form"].errors
    assert list(errors) == [field]
    expected = in_french(error)
    assert any(expected in message for message in errors[field]), errors[field]
    next_to_field = soup_of(response).find(id=f"id_{field}_error")
    assert next_to_field is not None
    assert expected in next_to_field.get_text()
    assert mail.outbox == []
    assert not ContactRelay.objects.exists()
    assert not RateLimitHit.objects.exists()


def test_the_message_comes_back_with_the_form_in_error(client, board, listing):
    response = write_to(client, board, listing, email="barnabe@", message=MESSAGE)
    textarea = soup_of(response).find("textarea", attrs={"name": "message"})
    assert textarea.get_text(strip=True) == MESSAGE
    # The post is still shown above the form.
    assert listing.title in main_text(response)


# Robots and floods.


def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_sent(client, board, listing):
    response = write_to(client, board, listing, website="https://spam.example")
    assert response.status_code == 302
    assert response.url == route(board, "listing", listing.pk)
    assert says(client.get(response.url), gettext("Your message has been passed on."))
    assert mail.outbox == []
    assert not ContactRelay.objects.exists()
    assert not RateLimitHit.objects.exists()


def assert_refused(response, sent):
    assert response.status_code == 429
    assert gettext(RATE_LIMITED) in text_of(response)
    assert "exchange/listing.html" in template_names(response)
    assert len(mail.outbox) == sent
    assert ContactRelay.objects.count() == sent


def test_messages_from_one_connection_are_limited(client, board, listing, settings):
    settings.MPRC_RATE_LIMITS = {"exchange.contact.ip": (1, 3600)}
    other = on_board(board)
    assert write_to(client, board, listing).status_code == 302
    # Another sender, another post: the same connection is refused.
    response = write_to(client, board, other, email="autre.voisin@example.net")
    assert_refused(response, sent=1)
    # Another connection is not.
    assert write_to(connection("10.1.2.3"), board, other).status_code == 302
    assert len(mail.outbox) == 2


def test_messages_from_one_sender_are_limited(client, board, listing, settings):
    settings.MPRC_RATE_LIMITS = {"exchange.contact.sender": (1, 3600)}
    other = on_board(board)
    assert write_to(client, board, listing, email=SENDER).status_code == 302
    # Another connection, another post, the same address in capitals: refused.
    response = write_to(connection("10.0.0.2"), board, other, email=SENDER.upper())
    assert_refused(response, sent=1)
    response = write_to(connection("10.0.0.3"), board, other, email="autre@example.net")
    assert response.status_code == 302


def test_messages_to_one_post_are_limited(client, board, listing, settings):
    settings.MPRC_RATE_LIMITS = {"exchange.contact.listing": (1, 86400)}
    other = on_board(board)
    assert write_to(client, board, listing).status_code == 302
    # Another connection, another sender, the same post: refused.
    response = write_to(connection("10.0.0.2"), board, listing, email="autre@example.net")
    assert_refused(response, sent=1)
    assert mail.outbox[0].to == [POSTER]
    # Another post is not limited.
    response = write_to(connection("10.0.0.2"), board, other, email="autre@example.net")
    assert response.status_code == 302
    assert len(mail.outbox) == 2


# Only posts on the board can be answered.


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"expired": True}, id="expired"),
        pytest.param({"pending": True}, id="pending"),
        pytest.param({"status": ListingStatus.HIDDEN}, id="hidden"),
        pytest.param({"status": ListingStatus.DONE}, id="done"),
        pytest.param({"unconfirmed": True}, id="unconfirmed"),
    ],
)
def test_a_post_off_the_board_cannot_be_answered(client, board, fields):
    listing = on_board(board, **fields)
    response = client.post(route(board, "listing", listing.pk), contact_data())
    assert response.status_code == 404
    assert "exchange/listing_gone.html" in template_names(response)
    assert mail.outbox == []
    assert not ContactRelay.objects.exists()
    assert not RateLimitHit.objects.exists()


def test_a_post_that_expires_while_the_form_is_open_cannot_be_answered(client, board, listing):
    assert client.get(route(board, "listing", listing.pk)).status_code == 200
    ServiceListing.objects.filter(pk=listing.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    response = write_to(client, board, listing)
    assert response.status_code == 404
    assert mail.outbox == []
