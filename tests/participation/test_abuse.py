"""Robots, floods and hostile input on the public side of the volunteer list."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.utils.translation import gettext

from mprc_cms.models import RateLimitHit
from participation.models import Volunteer
from tests.participation.test_signup import (
    confirmed,
    nothing_stored,
    route,
    sign_up,
    signed_up,
    text_of,
)

pytestmark = pytest.mark.django_db

RATE_LIMITED = (
    "Too many requests have come from your connection or for this address. Please try "
    "again in an hour, or contact the town hall."
)


def connection(address):
    """A visitor from another IP address."""
    return Client(REMOTE_ADDR=address)


def rate_limited_message():
    return gettext(RATE_LIMITED)


# The honeypot.


def test_a_robot_filling_the_honeypot_is_answered_as_if_all_went_well(client, signup_page):
    response = sign_up(client, signup_page, website="https://spam.example")
    assert response.status_code == 302
    assert response.url == route(signup_page, "signup_sent") + "?par=courriel"
    assert nothing_stored()
    assert mail.outbox == []
    assert not RateLimitHit.objects.exists()


def test_a_robot_filling_the_honeypot_does_not_merge_into_a_real_sign_up(client, signup_page):
    volunteer, _messages = signed_up(client, signup_page)
    response = sign_up(client, signup_page, website="x", first_name="Robot", hamlet="Les Granges")
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert (volunteer.first_name, volunteer.hamlet) == ("Camille", "Le Bourg")
    assert len(mail.outbox) == 1


def test_the_honeypot_is_hidden_from_people_and_labelled(client, signup_page):
    soup = BeautifulSoup(client.get(signup_page.url).content, "html.parser")
    honeypot = soup.find("input", attrs={"name": "website"})
    assert honeypot["tabindex"] == "-1"
    assert honeypot["autocomplete"] == "off"
    assert honeypot.find_parent(class_="form-honeypot") is not None
    assert soup.find("label", attrs={"for": honeypot["id"]}) is not None


def test_a_robot_asking_for_a_link_gets_the_neutral_answer_and_nothing(client, signup_page):
    confirmed(client, signup_page)
    sent = len(mail.outbox)
    response = client.post(
        route(signup_page, "link_request"), {"email": "camille@example.org", "website": "x"}
    )
    assert response.status_code == 200
    assert response.context["sent"] is True
    assert len(mail.outbox) == sent


# Rate limits.


def test_sign_ups_from_one_connection_are_limited(client, signup_page, settings):
    settings.MPRC_RATE_LIMITS = {"participation.signup.ip": (2, 3600)}
    for number in range(2):
        response = sign_up(
            client, signup_page, first_name=f"Personne{number}", email=f"p{number}@example.org"
        )
        assert response.status_code == 302
    response = sign_up(client, signup_page, first_name="Personne3", email="p3@example.org")
    assert response.status_code == 429
    assert rate_limited_message() in text_of(response)
    assert "participation/signup_page.html" in [t.name for t in response.templates]
    assert Volunteer.objects.count() == 2
    assert not Volunteer.objects.filter(email="p3@example.org").exists()
    assert len(mail.outbox) == 2

    # Another connection is not limited.
    response = sign_up(
        connection("10.1.2.3"), signup_page, first_name="Voisin", email="voisin@example.org"
    )
    assert response.status_code == 302
    assert Volunteer.objects.count() == 3


def test_a_client_supplied_forwarded_for_header_does_not_escape_the_limit(
    client, signup_page, settings
):
    settings.MPRC_RATE_LIMITS = {"participation.signup.ip": (1, 3600)}
    sign_up(client, signup_page)
    forwarding = Client(HTTP_X_FORWARDED_FOR="203.0.113.9")
    response = sign_up(forwarding, signup_page, first_name="Autre", email="autre@example.org")
    assert response.status_code == 429
    assert Volunteer.objects.count() == 1


def test_e_mails_to_one_address_are_limited(client, signup_page, settings):
    settings.MPRC_RATE_LIMITS = {"participation.email": (2, 3600)}
    signed_up(client, signup_page)
    # The same address again from other connections: answered as usual (its link went out
    # a moment ago, nothing more is sent), then refused.
    assert sign_up(connection("10.0.0.2"), signup_page).status_code == 302
    response = sign_up(connection("10.0.0.3"), signup_page, hamlet="Les Granges")
    assert response.status_code == 429
    assert rate_limited_message() in text_of(response)
    assert len(mail.outbox) == 1
    assert Volunteer.objects.get().hamlet == "Le Bourg"  # the refused answers are not stored
    # Case does not escape the limit.
    response = sign_up(connection("10.0.0.4"), signup_page, email="CAMILLE@example.org")
    assert response.status_code == 429
    assert len(mail.outbox) == 1


def test_link_requests_count_against_the_addresss_limit(client, signup_page, settings):
    settings.MPRC_RATE_LIMITS = {"participation.email": (2, 3600)}
    signed_up(client, signup_page)
    url = route(signup_page, "link_request")
    assert client.post(url, {"email": "camille@example.org"}).status_code == 200
    response = client.post(url, {"email": "camille@example.org"})
    assert response.status_code == 429
    assert rate_limited_message() in text_of(response)
    # The sign-up's own e-mail only: a pending address gets one e-mail per hour.
    assert len(mail.outbox) == 1


def test_link_requests_from_one_connection_are_limited(client, signup_page, settings):
    settings.MPRC_RATE_LIMITS = {"participation.link_request.ip": (2, 3600)}
    url = route(signup_page, "link_request")
    for number in range(2):
        assert client.post(url, {"email": f"p{number}@example.org"}).status_code == 200
    response = client.post(url, {"email": "p9@example.org"})
    assert response.status_code == 429
    assert rate_limited_message() in text_of(response)
    assert connection("10.9.9.9").post(url, {"email": "p9@example.org"}).status_code == 200


def test_refused_forms_do_not_use_up_the_limit(client, signup_page, settings):
    settings.MPRC_RATE_LIMITS = {"participation.signup.ip": (1, 3600)}
    for _attempt in range(3):
        assert sign_up(client, signup_page, email="camille@").status_code == 200
    assert sign_up(client, signup_page).status_code == 302


def test_rate_limits_store_no_address(client, signup_page):
    sign_up(connection("198.51.100.7"), signup_page)
    client.post(route(signup_page, "link_request"), {"email": "lien@example.org"})
    hits = list(RateLimitHit.objects.values_list("scope", "key"))
    assert {scope for scope, _key in hits} == {
        "participation.signup.ip",
        "participation.email",
        "participation.link_request.ip",
        "participation.unconfirmed",
    }
    stored = repr(hits)
    for value in ("198.51.100.7", "127.0.0.1", "camille@example.org", "lien@example.org"):
        assert value not in stored


# Hostile text.

SCRIPT = "<script>alert('x')</script>"
IMAGE = '"><img src=x onerror=alert(1)>'


def test_html_in_names_is_escaped_on_the_personal_pages(client, signup_page):
    volunteer, _messages = signed_up(client, signup_page, first_name=SCRIPT, last_name=IMAGE)
    assert volunteer.first_name == SCRIPT  # kept as typed, shown as text
    for name in ("confirm", "my_data", "withdraw"):
        response = client.get(route(signup_page, name, volunteer))
        assert response.status_code == 200, name
        content = response.content.decode()
        assert "<script>alert" not in content, name
        assert "<img src=x" not in content, name
        assert "&lt;script&gt;alert" in content, name
    confirmed_page = client.post(route(signup_page, "confirm", volunteer)).content.decode()
    assert "<script>alert" not in confirmed_page


def test_html_in_answers_is_escaped_when_the_form_comes_back(client, signup_page):
    response = sign_up(
        client, signup_page, first_name=SCRIPT, address=IMAGE, email="camille@", phone=SCRIPT
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert" not in content
    assert "<img src=x" not in content


def test_unexpected_values_never_cause_a_server_error(client, signup_page):
    for data in (
        {},
        {"birth_year": "1e9999"},
        {"availability": "saturday"},
        {"gender": ["female", "male"]},
        {"consent": "non"},
        {"first_name": "\x00"},
        {"email": "a" * 300 + "@example.org"},
    ):
        response = client.post(signup_page.url, data)
        assert response.status_code == 200, data
    assert nothing_stored()


def test_formulas_in_answers_are_inert_in_the_csv_download(client, signup_page):
    volunteer, _messages = signed_up(
        client, signup_page, first_name='=HYPERLINK("https://evil.example";"x")'
    )
    response = client.get(route(signup_page, "download", volunteer) + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    values = dict(rows[1:])
    from django.utils import translation

    from participation.views import PERSONAL_DATA_LABELS

    with translation.override("fr"):
        first_name = str(PERSONAL_DATA_LABELS["first_name"])
    assert not values[first_name].startswith("=")
