"""Sign-in to the admin: throttling per account and per address (django-axes), the lockout
page, the coordinators' unlock screen, and throttled password-reset e-mails."""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.core import mail
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import PageLogEntry

from home.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
RESET = "/admin/password_reset/"
RESET_DONE = "/admin/password_reset/done/"
LOCKOUTS = "/admin/lockouts/"
ADDRESS = "192.0.2.10"
OTHER_ADDRESS = "198.51.100.20"


def limit():
    return settings.AXES_FAILURE_LIMIT


def sign_in(username, password, address=ADDRESS, client=None, **extra):
    client = client or Client()
    response = client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )
    return client, response


def signed_in(client):
    return "_auth_user_id" in client.session


def fail(username, times, address=ADDRESS, **extra):
    for _attempt in range(times):
        _client, response = sign_in(username, "mauvais-mot-de-passe", address, **extra)
        assert response.status_code in {200, 429}


def attempts():
    return apps.get_model("axes", "AccessAttempt").objects


# --- Throttling of the login form ------------------------------------------------------


def test_sixty_wrong_passwords_then_the_right_one_does_not_sign_in(editor_a):
    fail(editor_a.username, 60)
    client, response = sign_in(editor_a.username, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_lockout_page_says_how_long_to_wait_and_whom_to_ask(editor_a):
    fail(editor_a.username, limit())
    _client, response = sign_in(editor_a.username, DEFAULT_PASSWORD)
    assert response.status_code == 429
    content = response.content.decode()
    assert '<html lang="fr"' in content
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    with translation.override("fr"):
        title = gettext("Sign-in temporarily blocked")
    assert title in content
    assert f"{minutes}\N{NO-BREAK SPACE}min" in content or f"{minutes} min" in content
    assert "login" in content  # the Wagtail login screen's body class


def test_wrong_passwords_lock_the_account_from_every_address(editor_a):
    fail(editor_a.username, limit(), ADDRESS)
    client, response = sign_in(editor_a.username, DEFAULT_PASSWORD, OTHER_ADDRESS)
    assert response.status_code == 429
    assert not signed_in(client)


def test_wrong_passwords_for_many_accounts_lock_the_address(editor_a):
    for number in range(limit()):
        fail(f"devinette-{number}", 1, ADDRESS)
    client, response = sign_in(editor_a.username, DEFAULT_PASSWORD, ADDRESS)
    assert response.status_code == 429
    assert not signed_in(client)
    # The account itself is not locked: from another address it signs in.
    client, _response = sign_in(editor_a.username, DEFAULT_PASSWORD, OTHER_ADDRESS)
    assert signed_in(client)


def test_below_the_limit_the_right_password_signs_in_and_clears_the_failures(editor_a):
    fail(editor_a.username, limit() - 1)
    client, _response = sign_in(editor_a.username, DEFAULT_PASSWORD)
    assert signed_in(client)
    fail(editor_a.username, limit() - 1)
    client, _response = sign_in(editor_a.username, DEFAULT_PASSWORD)
    assert signed_in(client)


def test_signing_in_to_ones_own_account_does_not_clear_failures_against_another(editor_a):
    insider = UserFactory(username="agent-d-une-autre-commune")
    fail(editor_a.username, limit() - 1)
    client, _response = sign_in(insider.username, DEFAULT_PASSWORD)
    assert signed_in(client)
    fail(editor_a.username, 1)
    client, response = sign_in(editor_a.username, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_lockout_ends_after_the_cool_off(editor_a):
    fail(editor_a.username, limit())
    attempts().update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    client, _response = sign_in(editor_a.username, DEFAULT_PASSWORD)
    assert signed_in(client)


def test_a_forwarded_for_header_does_not_change_the_address(editor_a):
    for number in range(limit()):
        fail(f"devinette-{number}", 1, ADDRESS, HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    client, response = sign_in(
        editor_a.username, DEFAULT_PASSWORD, ADDRESS, HTTP_X_FORWARDED_FOR="203.0.113.200"
    )
    assert response.status_code == 429
    assert not signed_in(client)


@pytest.mark.parametrize(
    ("username", "address", "extra"),
    [
        ("editrice-a\x00", ADDRESS, {}),
        ("x" * 5000, ADDRESS, {}),
        ("", ADDRESS, {}),
        ("editrice-a", "", {}),
        ("editrice-a", "pas-une-adresse", {}),
        ("editrice-a", ADDRESS, {"HTTP_USER_AGENT": "a" * 5000, "HTTP_ACCEPT": "b" * 5000}),
    ],
)
def test_odd_input_never_gives_a_server_error(editor_a, username, address, extra):
    for _attempt in range(limit() + 1):
        _client, response = sign_in(username, "mauvais", address, **extra)
        assert response.status_code in {200, 429}


def test_authenticate_without_a_request_still_works(editor_a):
    assert authenticate(username=editor_a.username, password=DEFAULT_PASSWORD) == editor_a


# --- The coordinators' unlock screen ---------------------------------------------------


def test_a_coordinator_sees_the_lockouts_and_unlocks_an_account(coordinator_client, editor_a):
    fail(editor_a.username, limit(), ADDRESS)
    response = coordinator_client.get(LOCKOUTS)
    assert response.status_code == 200
    content = response.content.decode()
    assert editor_a.username in content
    assert ADDRESS in content
    assert str(limit()) in content

    response = coordinator_client.post(
        LOCKOUTS, {"parameter": "username", "value": editor_a.username}
    )
    assert response.status_code == 302
    client, _response = sign_in(editor_a.username, DEFAULT_PASSWORD, OTHER_ADDRESS)
    assert signed_in(client)
    entry = PageLogEntry.objects.get(action="mprc.login_unlocked")
    assert entry.user_id == int(coordinator_client.session["_auth_user_id"])
    assert entry.data["username"] == editor_a.username


def test_a_coordinator_unlocks_an_address(coordinator_client, editor_a):
    for number in range(limit()):
        fail(f"devinette-{number}", 1, ADDRESS)
    response = coordinator_client.post(LOCKOUTS, {"parameter": "ip_address", "value": ADDRESS})
    assert response.status_code == 302
    client, _response = sign_in(editor_a.username, DEFAULT_PASSWORD, ADDRESS)
    assert signed_in(client)
    entry = PageLogEntry.objects.get(action="mprc.login_unlocked")
    assert entry.data["ip_address"] == ADDRESS


def test_the_unlock_screen_is_in_the_coordinators_settings_menu_only(coordinator_client, client_a):
    assert LOCKOUTS in coordinator_client.get("/admin/").content.decode()
    assert LOCKOUTS not in client_a.get("/admin/").content.decode()


def refused(response):
    """Wagtail's answer to PermissionDenied in the admin: back to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == "/admin/"
    )


def test_commune_staff_may_neither_see_nor_unlock(client_a, editor_b):
    fail(editor_b.username, limit())
    assert refused(client_a.get(LOCKOUTS))
    response = client_a.post(LOCKOUTS, {"parameter": "username", "value": editor_b.username})
    assert refused(response)
    assert attempts().filter(username=editor_b.username).exists()
    assert not PageLogEntry.objects.filter(action="mprc.login_unlocked").exists()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(LOCKOUTS)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"parameter": "password", "value": "x"},
        {"parameter": "ip_address", "value": "pas-une-adresse"},
        {"parameter": "ip_address", "value": "\x00"},
        {"parameter": "username", "value": ""},
        {"parameter": "username", "value": "x" * 5000},
        {"parameter": "username", "value": "personne"},
    ],
)
def test_unlocking_odd_input_never_gives_a_server_error(coordinator_client, data):
    response = coordinator_client.post(LOCKOUTS, data)
    assert response.status_code in {302, 400}
    assert not PageLogEntry.objects.filter(action="mprc.login_unlocked").exists()


# --- Password reset ----------------------------------------------------------------------


def request_reset(email, address=ADDRESS):
    return Client().post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_ten_reset_requests_for_one_address_send_one_email(editor_a):
    for number in range(10):
        response = request_reset(editor_a.email, f"203.0.113.{number}")
        assert response.status_code == 302
        assert response.url == RESET_DONE
    assert len(mail.outbox) == 1


def test_the_reset_email_comes_from_the_networks_name(editor_a, network_home):
    """Not from the software's name in DEFAULT_FROM_EMAIL (issue 17, e-mails)."""
    request_reset(editor_a.email)
    [message] = mail.outbox
    assert message.from_email.startswith(
        f'"{network_home.title}"'
    ) or message.from_email.startswith(network_home.title)
    assert "MPRC <" not in message.from_email


def test_the_limit_per_address_ignores_case_and_spaces(editor_a):
    request_reset(editor_a.email)
    request_reset(f"  {editor_a.email.upper()} ", OTHER_ADDRESS)
    assert len(mail.outbox) == 1


def test_reset_requests_from_one_connection_are_limited(network_home):
    users = [UserFactory(username=f"agent-{number}") for number in range(30)]
    for user in users:
        response = request_reset(user.email)
        assert response.status_code == 302
        assert response.url == RESET_DONE
    assert 1 <= len(mail.outbox) <= 10


def test_over_the_limit_the_answer_is_the_same_as_for_an_unknown_address(editor_a):
    request_reset(editor_a.email)
    refused = request_reset(editor_a.email)
    unknown = request_reset("personne@example.fr")
    assert (refused.status_code, refused.url) == (unknown.status_code, unknown.url)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("email", ["a\x00@example.fr", "x" * 5000 + "@example.fr", "", "@"])
def test_odd_reset_input_never_gives_a_server_error(email):
    for _attempt in range(3):
        assert request_reset(email).status_code in {200, 302}
    assert len(mail.outbox) == 0


def test_the_sign_in_form_is_in_french(client):
    """Wagtail's own form declares its password field without a label: Django then showed
    the English field name, «Password»."""
    with translation.override("fr"):
        content = client.get("/admin/login/").content.decode()
        label = gettext("Password")
    assert label != "Password"
    assert re.search(rf"<label[^>]*>\s*{re.escape(label)}", content)
    assert not re.search(r"<label[^>]*>\s*Password", content)
