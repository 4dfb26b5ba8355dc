"""A volunteer's own pages, reached by the personal link: see, correct, download, withdraw;
and erasure that leaves the person in no table at all."""

import csv
import html
import io
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from wagtail.models import ModelLogEntry, PageLogEntry

from participation.choices import ConsentMethod, Source, Status
from participation.factories import VolunteerFactory
from participation.models import DETAIL_FIELDS, ConsentRecord, ConsentText, Volunteer
from participation.tokens import make_token
from participation.views import PERSONAL_DATA_LABELS
from tests.participation.test_signup import (
    confirmed,
    link_in,
    route,
    sign_up,
    text_of,
)

pytestmark = pytest.mark.django_db

PERSONAL_ROUTES = ["confirm", "my_data", "download", "withdraw"]


@pytest.fixture
def volunteer(signup_page):
    """A confirmed sign-up of commune A (its consent to the page's current text)."""
    return VolunteerFactory(
        commune=signup_page.commune,
        signed_up=True,
        first_name="Camille",
        last_name="Martin",
        email="camille@example.org",
        phone="06 12 34 56 78",
        hamlet="Les Granges",
        social_category="7",
        availability=["sunday"],
    )


def correction(volunteer, **overrides):
    """The correction form as posted, with the volunteer's answers unless overridden."""
    data = {name: getattr(volunteer, name) for name in DETAIL_FIELDS}
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


# Seeing one's data.


def test_the_personal_page_shows_everything_held(client, signup_page, volunteer):
    response = client.get(route(signup_page, "my_data", volunteer))
    assert response.status_code == 200
    page = text_of(response)
    for shown in (
        "Camille Martin",
        "camille@example.org",
        "06 12 34 56 78",
        "1980",
        "Les Granges",
        volunteer.get_gender_display(),
        volunteer.get_social_category_display(),
        volunteer.address,
        volunteer.get_availability_display(),
        volunteer.get_status_display(),
    ):
        assert str(shown) in page, shown
    # The consent text agreed to, as it was shown.
    consent = volunteer.consents.get()
    assert consent.consent_text.text in response.content.decode()
    # The correction form is filled in with the current answers.
    form = BeautifulSoup(response.content, "html.parser").find("form", attrs={"method": "post"})
    assert form.find("input", attrs={"name": "email"})["value"] == "camille@example.org"
    assert route(signup_page, "withdraw", volunteer) in response.content.decode()
    assert route(signup_page, "download", volunteer) in response.content.decode()


def test_the_personal_page_of_a_pending_sign_up_offers_to_confirm(client, signup_page):
    pending = VolunteerFactory(commune=signup_page.commune, pending=True)
    response = client.get(route(signup_page, "my_data", pending))
    assert response.status_code == 200
    assert route(signup_page, "confirm", pending) in response.content.decode()


def test_an_unknown_person_gets_404(client, signup_page, volunteer):
    token = make_token(volunteer)
    volunteer.delete()
    for name in PERSONAL_ROUTES:
        assert client.get(route(signup_page, name, token)).status_code == 404, name


# Correcting one's data.


def test_the_correction_form_updates_the_data(client, signup_page, volunteer):
    url = route(signup_page, "my_data", volunteer)
    response = client.post(
        url,
        correction(
            volunteer,
            first_name="Camille-Rose",
            hamlet="Le Bourg",
            address="12 rue des Écoles",
            availability=["saturday", "sunday"],
        ),
    )
    assert response.status_code == 302
    assert response.url == url
    volunteer.refresh_from_db()
    assert volunteer.first_name == "Camille-Rose"
    assert volunteer.hamlet == "Le Bourg"
    assert volunteer.address == "12 rue des Écoles"
    assert volunteer.household_key == "12 rue des ecoles"
    assert volunteer.availability == ["saturday", "sunday"]
    # Still on the list, with its consent; no e-mail for a change that keeps the address.
    assert volunteer.status == Status.ACTIVE
    assert volunteer.consents.count() == 1
    assert mail.outbox == []

    response = client.get(url)
    assert "Camille-Rose" in text_of(response)
    assert len(list(response.context["messages"])) == 1


def test_changing_the_e_mail_warns_the_old_address_and_sends_a_link_to_the_new(
    client, signup_page, volunteer
):
    """The new address is used once confirmed from the link sent to it (see
    tests/security/test_volunteer_list_abuse.py for the rest)."""
    url = route(signup_page, "my_data", volunteer)
    response = client.post(url, correction(volunteer, email="Camille.Nouvelle@Example.org"))
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.email == "camille@example.org"
    assert volunteer.pending_email == "camille.nouvelle@example.org"

    assert len(mail.outbox) == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"camille@example.org", "camille.nouvelle@example.org"}
    old = by_recipient["camille@example.org"]
    assert signup_page.commune.title in old.subject
    assert make_token(volunteer) not in old.body
    new = by_recipient["camille.nouvelle@example.org"]
    assert make_token(volunteer) not in new.body  # not yet its address
    assert client.post(link_in(new, "nouvelle-adresse")).url == url
    volunteer.refresh_from_db()
    assert volunteer.email == "camille.nouvelle@example.org"


def test_a_correction_with_bad_answers_changes_nothing(client, signup_page, volunteer):
    url = route(signup_page, "my_data", volunteer)
    for bad in (
        {"email": "", "phone": ""},
        {"email": "camille@"},
        {"hamlet": "Atlantide"},
        {"birth_year": 1700},
        {"last_name": ""},
    ):
        response = client.post(url, correction(volunteer, **bad))
        assert response.status_code == 200, bad
        assert response.context["form"].errors, bad
    volunteer.refresh_from_db()
    assert (volunteer.email, volunteer.hamlet, volunteer.last_name) == (
        "camille@example.org",
        "Les Granges",
        "Martin",
    )
    assert mail.outbox == []


def test_a_correction_cannot_take_another_sign_ups_address(client, signup_page, volunteer):
    other = VolunteerFactory(
        commune=signup_page.commune, signed_up=True, email="dominique@example.org"
    )
    url = route(signup_page, "my_data", volunteer)
    response = client.post(url, correction(volunteer, email="Dominique@example.org"))
    # Answered as any change of address, so that the page tells no one who is on the list.
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.pending_email == ""
    other.refresh_from_db()
    assert volunteer.email == "camille@example.org"
    assert other.email == "dominique@example.org"
    assert mail.outbox == []


# Downloading one's data.


def test_the_json_download_holds_the_data_and_the_consent_text(client, signup_page, volunteer):
    response = client.get(route(signup_page, "download", volunteer))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".json" in response["Content-Disposition"]
    data = json.loads(response.content.decode("utf-8"))
    assert data["commune"] == signup_page.commune.title
    assert data["first_name"] == "Camille"
    assert data["last_name"] == "Martin"
    assert data["email"] == "camille@example.org"
    assert data["phone"] == "06 12 34 56 78"
    assert data["birth_year"] == 1980
    assert data["hamlet"] == "Les Granges"
    assert data["gender"] == volunteer.get_gender_display()
    assert data["socio_professional_category"] == volunteer.get_social_category_display()
    assert data["address"] == volunteer.address
    assert data["status"] == volunteer.get_status_display()
    assert data["kept_until"] == volunteer.retention_end.isoformat()
    [consent] = data["consents"]
    text = signup_page.rendered_consent_text()
    assert consent["text"] == text
    assert consent["text_sha256"] == ConsentText.digest_of(text)
    assert consent["confirmed_at"] is not None


def test_the_consent_line_names_its_text_by_date_not_by_fingerprint(client, signup_page, volunteer):
    consent = volunteer.consents.select_related("consent_text").get()
    page = text_of(client.get(route(signup_page, "my_data", volunteer)))
    assert consent.consent_text.digest[:8] not in page
    with translation.override("fr"):
        assert consent.describe() in page
        assert timezone.localtime(consent.consent_text.created_at).strftime("%d/%m/%Y") in page


def test_the_csv_download_opens_in_a_spreadsheet_with_the_consent(client, signup_page, volunteer):
    response = client.get(route(signup_page, "download", volunteer) + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert ".csv" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, for Excel
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    values = dict(rows[1:])
    with translation.override("fr"):
        label = {key: str(name) for key, name in PERSONAL_DATA_LABELS.items()}
    # Named in French, never by the program's keys; text as text, not HTML.
    assert values[label["first_name"]] == "Camille"
    assert values[label["last_name"]] == "Martin"
    assert values[label["email"]] == "camille@example.org"
    consent_text = values[f"{label['consents']} 1 › {label['text']}"]
    assert "<" not in consent_text
    as_text = html.unescape(strip_tags(signup_page.rendered_consent_text().replace("</p>", " ")))
    assert consent_text.split() == as_text.split()
    assert "\n" in consent_text  # one paragraph a line
    fingerprint = values[f"{label['consents']} 1 › {label['text_sha256']}"]
    assert fingerprint == ConsentText.digest_of(signup_page.rendered_consent_text())
    assert not [name for name in values if "_" in name], values.keys()


PRIVATE_REQUESTS = [
    ("get", "confirm", ""),
    ("post", "confirm", ""),
    ("get", "my_data", ""),
    ("post", "my_data", ""),
    ("get", "download", ""),
    ("get", "download", "?format=csv"),
    ("get", "withdraw", ""),
]


def assert_private(response):
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "no-cache" in cache_control
    assert "private" in cache_control
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(("method", "name", "query"), PRIVATE_REQUESTS)
def test_personal_pages_are_never_cached_indexed_or_referred(
    client, signup_page, method, name, query
):
    pending = VolunteerFactory(commune=signup_page.commune, pending=True, hamlet="Le Bourg")
    response = getattr(client, method)(route(signup_page, name, pending) + query)
    assert response.status_code in (200, 302)
    assert_private(response)


def test_the_withdrawal_answer_and_invalid_links_are_private_too(client, signup_page, volunteer):
    url = route(signup_page, "withdraw", volunteer)
    assert_private(client.post(url))
    response = client.get(url)
    assert response.status_code == 404
    assert_private(response)


# Withdrawing.


def test_the_withdrawal_page_asks_first_and_erases_nothing(client, signup_page, volunteer):
    url = route(signup_page, "withdraw", volunteer)
    response = client.get(url)
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").find("form", attrs={"method": "post"})
    assert form["action"] == url
    assert form.find("button", attrs={"type": "submit"}) is not None
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()
    assert ConsentRecord.objects.filter(volunteer=volunteer).exists()


def test_withdrawing_erases_the_person_and_the_link(client, signup_page, volunteer):
    other = VolunteerFactory(commune=signup_page.commune, signed_up=True)
    token = make_token(volunteer)
    response = client.post(route(signup_page, "withdraw", token))
    assert response.status_code == 200
    assert "participation/withdrawn.html" in [t.name for t in response.templates]
    assert not Volunteer.objects.filter(pk=volunteer.pk).exists()
    assert not ConsentRecord.objects.filter(volunteer_id=volunteer.pk).exists()
    # Only that person.
    assert Volunteer.objects.filter(pk=other.pk).exists()
    assert ConsentRecord.objects.filter(volunteer=other).exists()

    for name in PERSONAL_ROUTES:
        assert client.get(route(signup_page, name, token)).status_code == 404, name
    assert client.post(route(signup_page, "withdraw", token)).status_code == 404


def test_withdrawing_leaves_a_history_entry_without_the_person(client, signup_page, volunteer):
    commune = signup_page.commune
    client.post(route(signup_page, "withdraw", volunteer))
    entry = PageLogEntry.objects.get(page=commune, action="mprc.volunteer_withdrawn")
    assert entry.data == {"source": Source.VOLUNTEER_LIST}
    recorded = json.dumps(entry.data) + entry.label
    for personal in ("Camille", "Martin", "camille@example.org", "0612345678"):
        assert personal not in recorded


def test_a_resident_may_sign_up_again_after_withdrawing(client, signup_page):
    first = confirmed(client, signup_page)
    client.post(route(signup_page, "withdraw", first))
    response = sign_up(client, signup_page)
    assert response.status_code == 302
    again = Volunteer.objects.get()
    assert again.pk != first.pk
    assert again.status == Status.PENDING


# Erased everywhere: after erasure, no row of any table mentions the person.

EMAIL = "zephyrine.quillebeuf@example.org"
LAST_NAME = "Quillebeuf"


def rows_mentioning(*needles):
    """(table, row) of every row of every table of the database that contains a needle."""
    needles = [needle.casefold() for needle in needles]
    found = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        model_tables = {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
        assert model_tables <= set(tables), model_tables - set(tables)
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(
                    bytes(value).decode("latin-1")
                    if isinstance(value, bytes | memoryview)
                    else str(value)
                    for value in row
                ).casefold()
                if any(needle in text for needle in needles):
                    found.append((table, row))
    return found


def tables_mentioning(*needles):
    return {table for table, _row in rows_mentioning(*needles)}


def add_through_the_admin(client_a, commune):
    response = client_a.post(
        reverse("participation_volunteers:add"),
        {
            "commune": commune.pk,
            "pool": "",
            "status": Status.ACTIVE,
            "exclusion_reason": "",
            "first_name": "Zéphyrine",
            "last_name": LAST_NAME,
            "email": EMAIL,
            "phone": "06 98 76 54 32",
            "birth_year": 1955,
            "gender": "female",
            "hamlet": "La Croix-Blanche",
            "social_category": "7",
            "address": "1 impasse du Lavoir",
            "household": "",
            "availability": ["weekday_daytime"],
            "retention_end": "",
            "consent_method": "counter",
        },
    )
    assert response.status_code == 302, text_of(response)[:3000]
    volunteer = Volunteer.objects.get(email=EMAIL)
    assert volunteer.consents.get().method == ConsentMethod.COUNTER
    return volunteer


def sign_up_and_confirm(client, signup_page):
    return confirmed(
        client,
        signup_page,
        first_name="Zéphyrine",
        last_name=LAST_NAME,
        email=EMAIL,
        phone="06 98 76 54 32",
    )


def edit_through_the_admin(client_a, volunteer):
    url = reverse("participation_volunteers:edit", args=[volunteer.pk])
    data = {
        "commune": volunteer.commune_id,
        "pool": "",
        "status": Status.ACTIVE,
        "exclusion_reason": "",
        "first_name": volunteer.first_name,
        "last_name": volunteer.last_name,
        "email": volunteer.email,
        "phone": volunteer.phone,
        "birth_year": volunteer.birth_year,
        "gender": volunteer.gender,
        "hamlet": volunteer.hamlet,
        "social_category": volunteer.social_category,
        "address": "2 impasse du Lavoir",
        "household": "",
        "availability": volunteer.availability,
        "retention_end": volunteer.retention_end.isoformat(),
    }
    response = client_a.post(url, data)
    assert response.status_code == 302, text_of(response)[:3000]


def erase_by_personal_link(client, client_a, signup_page, volunteer):
    response = client.post(route(signup_page, "withdraw", volunteer))
    assert response.status_code == 200


def erase_in_the_admin(client, client_a, signup_page, volunteer):
    response = client_a.post(reverse("participation_volunteers:delete", args=[volunteer.pk]))
    assert response.status_code == 302, text_of(response)[:3000]


@pytest.mark.parametrize("erase", [erase_by_personal_link, erase_in_the_admin])
@pytest.mark.parametrize("origin", ["admin", "sign-up"])
def test_an_erased_person_is_in_no_table(client, client_a, signup_page, origin, erase):
    if origin == "admin":
        volunteer = add_through_the_admin(client_a, signup_page.commune)
    else:
        volunteer = sign_up_and_confirm(client, signup_page)
    edit_through_the_admin(client_a, volunteer)
    # The person looks at and corrects their data through the personal link.
    client.get(route(signup_page, "my_data", volunteer))
    volunteer.refresh_from_db()
    client.post(
        route(signup_page, "my_data", volunteer),
        correction(volunteer, address="3 impasse du Lavoir"),
    )
    client.get(route(signup_page, "download", volunteer))

    # The scan sees the person before erasure, in the list and in the admin's history.
    before = tables_mentioning(EMAIL, LAST_NAME)
    assert Volunteer._meta.db_table in before
    assert ModelLogEntry._meta.db_table in before
    assert ModelLogEntry.objects.filter(label__contains=LAST_NAME).exists()

    erase(client, client_a, signup_page, volunteer)

    assert not Volunteer.objects.filter(pk=volunteer.pk).exists()
    assert rows_mentioning(EMAIL, LAST_NAME) == []


def test_an_erased_person_is_in_no_table_with_the_sites_task_queue(client, signup_page, settings):
    """As in production: e-mails wait in the database queue for the worker."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    response = sign_up(
        client, signup_page, first_name="Zéphyrine", last_name=LAST_NAME, email=EMAIL
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(email=EMAIL)
    client.post(route(signup_page, "confirm", volunteer))
    client.post(route(signup_page, "withdraw", volunteer))
    assert not Volunteer.objects.exists()
    assert rows_mentioning(EMAIL, LAST_NAME) == []


def test_the_history_of_other_people_is_kept(client, client_a, signup_page):
    kept = add_through_the_admin(client_a, signup_page.commune)
    erased = VolunteerFactory(commune=signup_page.commune, signed_up=True)
    edit_through_the_admin(client_a, erased)
    client.post(route(signup_page, "withdraw", erased))
    assert ModelLogEntry.objects.filter(object_id=str(kept.pk)).exists()
    assert not ModelLogEntry.objects.filter(object_id=str(erased.pk)).exists()


def test_the_personal_link_is_not_in_the_database(client, signup_page):
    volunteer = sign_up_and_confirm(client, signup_page)
    token = make_token(volunteer)
    signature = token.split("-", 1)[1]
    assert rows_mentioning(signature) == []
    assert re.fullmatch(r"[0-9a-f]{32}-[A-Za-z0-9_-]+", token)
