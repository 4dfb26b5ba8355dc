"""Who the site's e-mails come from (issue 17): the name each site's staff set on its legal
information, else the commune's name (or the network's), before the sending address."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from home.models import LegalInformation
from home.validators import validate_email_sender_name
from mprc_cms.tasks import _one_line, send_templated_email, sender

pytestmark = pytest.mark.django_db

ADDRESS = "ne-pas-repondre@reseau.example"


@pytest.fixture(autouse=True)
def sending_address(settings):
    settings.DEFAULT_FROM_EMAIL = f"MPRC <{ADDRESS}>"


def set_sender_name(page, name):
    LegalInformation.objects.filter(page=page).update(email_sender_name=name)


def edit_url(page):
    return f"/admin/legal_information/edit/{LegalInformation.objects.get(page=page).pk}/"


def form_data(**values):
    from tests.home.test_legal_pages import form_data as every_field

    return every_field(**values)


def test_a_commune_s_configured_name_is_used(commune_a):
    set_sender_name(commune_a, "Mairie d’Aubigny")
    assert sender(commune_a) == f"Mairie d’Aubigny <{ADDRESS}>"


def test_an_empty_name_falls_back_to_the_commune_s(commune_a, network_home):
    set_sender_name(network_home, "Réseau des micro-parlements")
    assert sender(commune_a) == f"{commune_a.title} <{ADDRESS}>"


def test_the_network_s_configured_name_is_used(network_home, commune_a):
    set_sender_name(commune_a, "Mairie d’Aubigny")
    assert sender() == f"{network_home.title} <{ADDRESS}>"
    set_sender_name(network_home, "Réseau des micro-parlements")
    assert sender() == f"Réseau des micro-parlements <{ADDRESS}>"


def test_a_commune_without_legal_information_keeps_its_name(commune_a, network_home):
    LegalInformation.objects.filter(page=commune_a).delete()
    assert sender(commune_a) == f"{commune_a.title} <{ADDRESS}>"
    LegalInformation.objects.filter(page=network_home).delete()
    assert sender() == f"{network_home.title} <{ADDRESS}>"


def test_the_sent_e_mail_carries_the_configured_name(commune_a, tmp_path, settings):
    set_sender_name(commune_a, "Mairie d’Aubigny")
    (tmp_path / "hello_subject.txt").write_text("Bonjour")
    (tmp_path / "hello.txt").write_text("Bonjour {{ commune.title }}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0].get("DIRS", [])]}
    ]
    send_templated_email("hello", {"commune": commune_a}, ["habitant@example.org"])
    (message,) = mail.outbox
    assert message.from_email == f"Mairie d’Aubigny <{ADDRESS}>"
    assert "MPRC" not in message.message()["From"]


@pytest.mark.parametrize("commune", [True, False])
def test_sender_makes_one_query(commune, commune_a, network_home):
    set_sender_name(commune_a, "Mairie d’Aubigny")
    with CaptureQueriesContext(connection) as queries:
        sender(commune_a if commune else None)
    assert 1 <= len(queries) <= 2


def test_a_line_break_in_a_stored_name_never_reaches_the_header(commune_a, network_home):
    # Written past the form (a script, an old import): the header stays on one line.
    set_sender_name(commune_a, "Mairie\r\nBcc: victime@example.org")
    assert sender(commune_a) == f'"Mairie Bcc: victime@example.org" <{ADDRESS}>'
    # (PostgreSQL cannot store NUL: the form refuses it, see below.)
    set_sender_name(network_home, "Réseau\x1f\x0b")
    assert sender() == f"Réseau <{ADDRESS}>"


# --- Edited with the legal information ---------------------------------------------------


def test_staff_set_the_name_on_their_legal_information(client_a, commune_a):
    response = client_a.get(edit_url(commune_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="email_sender_name"' in page
    # The name used while it is empty is the field's placeholder.
    assert f'placeholder="{commune_a.title}"' in page
    response = client_a.post(edit_url(commune_a), form_data(email_sender_name="Mairie d’Aubigny"))
    assert response.status_code == 302
    assert sender(commune_a) == f"Mairie d’Aubigny <{ADDRESS}>"


@pytest.mark.parametrize(
    "name",
    [
        "Mairie\nBcc: victime@example.org",
        "Mairie\rd’Aubigny",
        "Mairie <maire@example.org>",
        "maire@example.org",
        'Mairie "officielle"',
        "Mairie\\Aubigny",
        "Mairie\x00",
        "M" * 81,
    ],
)
def test_the_form_refuses_a_name_that_could_break_the_header(client_a, commune_a, name):
    response = client_a.post(edit_url(commune_a), form_data(email_sender_name=name))
    assert response.status_code == 200
    assert response.context["form"].errors["email_sender_name"]
    assert LegalInformation.objects.get(page=commune_a).email_sender_name == ""


def test_the_refusal_says_what_is_allowed(client_a, commune_a):
    response = client_a.post(edit_url(commune_a), form_data(email_sender_name="a@b"))
    assert response.context["form"].errors["email_sender_name"] == [
        gettext(
            "A sender's name is one line of text without the characters "
            '< > @ " or \\, e.g. “Mairie de Saint-Aubin”.'
        )
    ]


@hypothesis_settings(max_examples=200)
@given(st.text(max_size=80))
def test_a_valid_name_always_gives_a_one_line_from_header(name):
    """Whatever the validator lets through makes a From header of one line whose address
    is the site's."""
    from email.headerregistry import Address
    from email.utils import parseaddr

    try:
        validate_email_sender_name(name)
    except Exception:
        return
    name = _one_line(name)
    if not name:
        return
    header = str(Address(display_name=name, addr_spec=ADDRESS))
    assert "\n" not in header
    assert "\r" not in header
    assert parseaddr(header)[1] == ADDRESS
