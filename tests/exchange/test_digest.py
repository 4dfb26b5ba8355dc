"""The weekly digest, its public part: subscribing with a double opt-in, confirming, and
unsubscribing in one click (also from the mail client's own button, RFC 8058)."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from exchange import listings
from exchange.factories import DigestSubscriptionFactory
from exchange.models import DigestSubscription
from mprc_cms import tokens
from mprc_cms.models import RateLimitHit
from tests.exchange.board_helpers import (
    RATE_LIMITED,
    connection,
    link_in,
    route,
    soup_of,
    template_names,
    text_of,
    token_of,
    without_csrf_tokens,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

READER = "lea.lecture@example.org"


def subscribe(client, page, email=READER, **extra):
    return client.post(route(page, "digest"), {"email": email, "website": "", **extra})


def unsubscribe_path(subscription):
    return reverse("exchange:unsubscribe", args=[listings.unsubscribe_token(subscription)])


# Subscribing.


def test_the_subscription_form(client, board):
    response = client.get(route(board, "digest"))
    assert response.status_code == 200
    form = soup_of(response).find("main").find("form")
    assert form["method"].lower() == "post"
    assert form["action"] == route(board, "digest")
    names = {field["name"] for field in form.find_all("input")}
    assert names == {"csrfmiddlewaretoken", "email", "website"}
    assert not DigestSubscription.objects.exists()


def test_subscribing_stores_an_unconfirmed_subscription_and_sends_a_link(client, board):
    response = subscribe(client, board, email="  Lea.Lecture@Example.org ")
    assert response.status_code == 200
    assert response.context["sent"] is True
    subscription = DigestSubscription.objects.get()
    assert subscription.commune_id == board.commune.pk
    assert subscription.email == READER
    assert subscription.confirmed_at is None

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [READER]
    assert board.commune.title in message.subject
    path = link_in(message, "lettre/confirmer")
    assert path == route(board, "digest_confirm", token_of(path))
    public_id = tokens.read_token(
        token_of(path), listings.DIGEST_CONFIRM_SALT, max_age=timedelta(days=7)
    )
    assert public_id == subscription.public_id


def test_subscribing_twice_keeps_one_subscription(client, board):
    subscribe(client, board, email=READER)
    subscribe(connection("10.0.0.2"), board, email="LEA.Lecture@EXAMPLE.org")
    assert DigestSubscription.objects.count() == 1
    assert DigestSubscription.objects.get().email == READER
    # The link is sent again while unconfirmed.
    assert len(mail.outbox) == 2


def test_an_address_stored_in_capitals_is_found_again(client, board):
    DigestSubscriptionFactory(commune=board.commune, email="Lea.Lecture@Example.ORG")
    subscribe(client, board, email=READER)
    assert DigestSubscription.objects.count() == 1


def test_a_confirmed_subscriber_gets_the_same_answer_and_no_e_mail(client, board):
    DigestSubscriptionFactory(commune=board.commune, email=READER)
    known = subscribe(client, board, email=READER)
    unknown = subscribe(client, board, email="nouveau@example.org")
    assert without_csrf_tokens(known) == without_csrf_tokens(unknown)
    assert [message.to for message in mail.outbox] == [["nouveau@example.org"]]
    assert DigestSubscription.objects.count() == 2


def test_the_same_address_may_subscribe_in_two_communes(client, board, moderated_board):
    subscribe(client, board)
    subscribe(client, moderated_board)
    communes = set(DigestSubscription.objects.values_list("commune_id", flat=True))
    assert communes == {board.commune.pk, moderated_board.commune.pk}


def test_a_bad_address_is_an_error_in_french(client, board):
    response = subscribe(client, board, email="lea@")
    assert response.status_code == 200
    assert response.context["sent"] is False
    [error] = response.context["form"].errors["email"]
    assert error == gettext("Enter a valid email address.")
    assert error != "Enter a valid email address."
    assert soup_of(response).find(id="id_email_error") is not None
    assert not DigestSubscription.objects.exists()
    assert mail.outbox == []


def test_a_robot_filling_the_honeypot_gets_the_same_answer_and_nothing(client, board):
    response = subscribe(client, board, website="https://spam.example")
    assert response.status_code == 200
    assert response.context["sent"] is True
    assert not DigestSubscription.objects.exists()
    assert mail.outbox == []
    assert not RateLimitHit.objects.exists()


def test_subscriptions_from_one_connection_are_limited(client, board, settings):
    settings.MPRC_RATE_LIMITS = {"exchange.request.ip": (1, 3600)}
    subscribe(client, board, email="un@example.org")
    response = subscribe(client, board, email="deux@example.org")
    assert response.status_code == 429
    assert gettext(RATE_LIMITED) in text_of(response)
    assert list(DigestSubscription.objects.values_list("email", flat=True)) == ["un@example.org"]
    assert len(mail.outbox) == 1


# Confirming.


def test_opening_the_confirm_link_shows_a_button_and_confirms_nothing(client, board):
    subscribe(client, board)
    path = link_in(mail.outbox[0], "lettre/confirmer")
    response = client.get(path)
    assert response.status_code == 200
    assert "exchange/digest_confirm.html" in template_names(response)
    assert response.context["confirmed"] is False
    form = soup_of(response).find("main").find("form")
    assert form["method"].lower() == "post"
    assert form["action"] == path
    assert form.find("button", attrs={"type": "submit"}) is not None
    assert DigestSubscription.objects.get().confirmed_at is None


def test_pressing_the_button_confirms_and_shows_the_unsubscribe_link(client, board):
    subscribe(client, board)
    path = link_in(mail.outbox[0], "lettre/confirmer")
    response = client.post(path)
    assert response.status_code == 200
    subscription = DigestSubscription.objects.get()
    assert subscription.confirmed_at is not None
    assert response.context["confirmed"] is True
    links = [a["href"] for a in soup_of(response).find("main").find_all("a")]
    assert f"http://testserver{unsubscribe_path(subscription)}" in links
    # Confirming again changes nothing.
    first = subscription.confirmed_at
    client.post(path)
    subscription.refresh_from_db()
    assert subscription.confirmed_at == first


def test_a_forged_or_old_confirm_link_no_longer_works(client, board, moderated_board):
    subscription = DigestSubscriptionFactory(commune=board.commune, confirmed_at=None)
    old = tokens.make_token(
        subscription.public_id,
        listings.DIGEST_CONFIRM_SALT,
        timestamped=True,
        now=time.time() - 8 * 86400,
    )
    forged = listings.digest_confirm_token(subscription)[:-2] + "xx"
    manage_salt = tokens.make_token(subscription.public_id, listings.MANAGE_SALT, timestamped=True)
    for page, token in (
        (board, old),
        (board, forged),
        (board, manage_salt),
        (moderated_board, listings.digest_confirm_token(subscription)),
    ):
        response = client.post(route(page, "digest_confirm", token))
        assert response.status_code == 404
        assert "exchange/link_invalid.html" in template_names(response)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


# Unsubscribing.


def test_the_unsubscribe_address_is_the_modules_own(board):
    subscription = DigestSubscriptionFactory(commune=board.commune)
    token = listings.unsubscribe_token(subscription)
    assert unsubscribe_path(subscription) == f"/exchange/desabonnement/{token}/"


def test_opening_the_unsubscribe_link_shows_a_button_and_deletes_nothing(client, board):
    subscription = DigestSubscriptionFactory(commune=board.commune)
    path = unsubscribe_path(subscription)
    for method in ("get", "head"):
        response = getattr(client, method)(path)
        assert response.status_code == 200
    response = client.get(path)
    assert "exchange/unsubscribe.html" in template_names(response)
    form = soup_of(response).find("main").find("form")
    assert form["method"].lower() == "post"
    assert form["action"] == path
    assert board.commune.title in text_of(response)
    assert DigestSubscription.objects.filter(pk=subscription.pk).exists()


def test_the_button_unsubscribes_without_a_csrf_token(board):
    subscription = DigestSubscriptionFactory(commune=board.commune)
    other = DigestSubscriptionFactory(commune=board.commune)
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(unsubscribe_path(subscription))
    assert response.status_code == 200
    assert "exchange/unsubscribed.html" in template_names(response)
    assert response.context["done"] is True
    assert not DigestSubscription.objects.filter(pk=subscription.pk).exists()
    assert DigestSubscription.objects.filter(pk=other.pk).exists()


def test_the_mail_clients_one_click_button_unsubscribes(board):
    """RFC 8058: the client POSTs "List-Unsubscribe=One-Click" to the link, with no CSRF
    token nor cookie."""
    subscription = DigestSubscriptionFactory(commune=board.commune)
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_path(subscription),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not DigestSubscription.objects.exists()


def test_an_unconfirmed_subscription_can_be_ended_too(board):
    subscription = DigestSubscriptionFactory(commune=board.commune, confirmed_at=None)
    Client(enforce_csrf_checks=True).post(unsubscribe_path(subscription))
    assert not DigestSubscription.objects.exists()


def test_an_unsubscribe_link_used_twice_says_it_no_longer_works(client, board):
    subscription = DigestSubscriptionFactory(commune=board.commune)
    path = unsubscribe_path(subscription)
    client.post(path)
    response = client.post(path)
    assert response.status_code == 404
    assert "exchange/unsubscribed.html" in template_names(response)
    assert gettext("This link no longer works") in text_of(response)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_unsubscribe_link_answers_404_and_deletes_nothing(board, method):
    subscription = DigestSubscriptionFactory(commune=board.commune)
    token = listings.unsubscribe_token(subscription)
    public_id, signature = token.split("-", 1)
    other_id = ("0" if public_id[0] != "0" else "1") + public_id[1:]
    forged_tokens = [
        f"{public_id}-{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        f"{other_id}-{signature}",
        public_id,
        "n-importe-quoi",
        tokens.make_token(subscription.public_id, listings.DIGEST_CONFIRM_SALT),
    ]
    browser = Client(enforce_csrf_checks=True)
    for forged in forged_tokens:
        response = getattr(browser, method)(reverse("exchange:unsubscribe", args=[forged]))
        assert response.status_code == 404, forged
    assert DigestSubscription.objects.filter(pk=subscription.pk).exists()
