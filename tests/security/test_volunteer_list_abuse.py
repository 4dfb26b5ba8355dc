"""Issue 16, the volunteer list's public forms: what an outside probe found, each as a test.

1. E-mail bombing through the personal-data page: a changed address is used only once it
   is confirmed from a link sent to it (once per rate window), the old address is told, and
   the requests are rate-limited per person and per connection.
2. Overwriting a pending sign-up: a sign-up with a known address changes nothing; the
   address gets a message (confirm, or its personal link), at most once per rate window.
3. Who is on the list: the sign-up answers the same whether or not the address, the phone
   or the name and year of birth is known; what differs goes by e-mail to the known person.
"""

import json
import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db.models import F
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from home.onboarding import switch_module_on
from mprc_cms import tokens as signed_tokens
from mprc_cms.french import contract
from mprc_cms.models import RateLimitHit
from mprc_cms.modules import get_module
from participation.choices import Status
from participation.factories import VolunteerFactory
from participation.models import DETAIL_FIELDS, ConsentRecord, Volunteer
from participation.retention import erase_expired
from participation.tokens import EMAIL_CHANGE_SALT, make_token
from tests.participation.test_personal_link import correction, rows_mentioning
from tests.participation.test_signup import (
    TOWN_HALL,
    link_in,
    route,
    sign_up,
    signed_up,
    signup_data,
    text_of,
    without_csrf_tokens,
)

pytestmark = pytest.mark.django_db

RATE_LIMITED = (
    "Too many requests have come from your connection or for this address. Please try "
    "again in an hour, or contact the town hall."
)
VICTIM = "victime@example.net"
NEW_ROUTE = "nouvelle-adresse"

HYPOTHESIS = hypothesis_settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.fixture
def signup_page(commune_a):
    """The sign-up page of commune A (as in tests/participation/conftest.py)."""
    commune_a.hamlets = "Le Bourg\nLes Granges\nLa Croix-Blanche"
    commune_a.email = TOWN_HALL
    commune_a.save_revision().publish()
    page, _created = switch_module_on(commune_a, get_module("participation"))
    return page.specific


@pytest.fixture
def member(signup_page):
    """A confirmed sign-up of commune A."""
    return VolunteerFactory(
        commune=signup_page.commune,
        signed_up=True,
        first_name="Camille",
        last_name="Martin",
        email="camille@example.org",
        phone="06 12 34 56 78",
        birth_year=1980,
        hamlet="Les Granges",
        social_category="7",
        availability=["sunday"],
    )


def snapshot(volunteer):
    """Everything stored about a person: their row and their consent records."""
    row = Volunteer.objects.filter(pk=volunteer.pk).values().first()
    consents = list(ConsentRecord.objects.filter(volunteer_id=volunteer.pk).order_by("pk").values())
    return row, consents


def mails_to(address):
    return [message for message in mail.outbox if address in message.to]


def an_hour_later():
    """Every rate window has passed."""
    RateLimitHit.objects.update(created_at=F("created_at") - timedelta(hours=2))


def shown_messages(client, url):
    return [str(message) for message in client.get(url).context["messages"]]


# 1. E-mail bombing through the personal-data page.


def test_twenty_address_switches_mail_a_victim_at_most_once(client, signup_page, member):
    url = route(signup_page, "my_data", member)
    statuses = []
    for number in range(20):
        address = VICTIM if number % 2 == 0 else f"moi{number}@example.org"
        statuses.append(client.post(url, correction(member, email=address)).status_code)
    assert set(statuses) <= {302, 429}
    assert 429 in statuses  # the requests are rate-limited too
    assert len(mails_to(VICTIM)) <= 1
    member.refresh_from_db()
    assert member.email == "camille@example.org"


def test_a_new_address_is_used_only_once_confirmed_from_the_link_sent_to_it(
    client, signup_page, member
):
    url = route(signup_page, "my_data", member)
    response = client.post(
        url, correction(member, email="Camille.Nouvelle@Example.org", hamlet="Le Bourg")
    )
    assert response.status_code == 302
    assert response.url == url
    member.refresh_from_db()
    # The other answers change at once; the address waits for its confirmation.
    assert member.hamlet == "Le Bourg"
    assert member.email == "camille@example.org"
    assert member.pending_email == "camille.nouvelle@example.org"

    [to_new] = mails_to("camille.nouvelle@example.org")
    [to_old] = mails_to("camille@example.org")
    assert len(mail.outbox) == 2
    confirm_url = link_in(to_new, NEW_ROUTE)
    assert make_token(member) not in to_new.body  # no personal link to an unproven address
    assert NEW_ROUTE not in to_old.body  # the old address is told, it cannot confirm
    assert signup_page.commune.title in to_old.subject

    # Opening the link (a mail scanner) changes nothing.
    response = client.get(confirm_url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert client.head(confirm_url).status_code in (200, 405)
    member.refresh_from_db()
    assert member.email == "camille@example.org"

    response = client.post(confirm_url)
    assert response.status_code == 302
    assert response.url == url
    member.refresh_from_db()
    assert member.email == "camille.nouvelle@example.org"
    assert member.pending_email == ""
    told = mails_to("camille@example.org")[-1]
    assert told is not to_old
    assert make_token(member) not in told.body
    # The link is used up.
    assert client.post(confirm_url).status_code == 404


def test_the_same_pending_address_again_sends_nothing_more(client, signup_page, member):
    url = route(signup_page, "my_data", member)
    for _attempt in range(3):
        assert client.post(url, correction(member, email=VICTIM)).status_code == 302
    assert len(mails_to(VICTIM)) == 1
    assert len(mails_to("camille@example.org")) == 1


def test_another_new_address_replaces_the_pending_one_and_its_link_dies(
    client, signup_page, member
):
    url = route(signup_page, "my_data", member)
    client.post(url, correction(member, email="premiere@example.org"))
    first_link = link_in(mails_to("premiere@example.org")[0], NEW_ROUTE)
    client.post(url, correction(member, email="seconde@example.org"))
    second_link = link_in(mails_to("seconde@example.org")[0], NEW_ROUTE)
    member.refresh_from_db()
    assert member.pending_email == "seconde@example.org"

    assert client.post(first_link).status_code == 404
    member.refresh_from_db()
    assert member.email == "camille@example.org"
    assert client.post(second_link).status_code == 302
    member.refresh_from_db()
    assert member.email == "seconde@example.org"


def test_address_change_requests_are_limited_per_person(client, signup_page, member, settings):
    settings.MPRC_RATE_LIMITS = {"participation.email_change.person": (2, 3600)}
    url = route(signup_page, "my_data", member)
    for number in range(2):
        response = Client(REMOTE_ADDR=f"10.0.0.{number}").post(
            url, correction(member, email=f"nouvelle{number}@example.org")
        )
        assert response.status_code == 302
    sent = len(mail.outbox)
    response = client.post(url, correction(member, email=VICTIM, hamlet="Le Bourg"))
    assert response.status_code == 429
    assert gettext(RATE_LIMITED) in text_of(response)
    member.refresh_from_db()
    assert member.pending_email == "nouvelle1@example.org"
    assert member.hamlet == "Les Granges"  # a refused form changes nothing
    assert len(mail.outbox) == sent


def test_trying_phones_and_names_on_the_personal_page_is_limited(client, signup_page, member):
    """Each correction of a phone or a name and year of birth tells whether another
    sign-up has them: a person may try only a few an hour, then nothing changes."""
    VolunteerFactory(commune=signup_page.commune, signed_up=True, phone="07 11 22 33 44")
    url = route(signup_page, "my_data", member)
    answers = []
    for number in range(6):
        phone = "07 11 22 33 44" if number == 5 else f"07 00 00 00 0{number}"
        response = client.post(url, correction(member, phone=phone))
        answers.append(response.status_code)
    assert answers == [302] * 5 + [429]
    assert gettext(RATE_LIMITED) in text_of(response)
    member.refresh_from_db()
    assert member.phone_key == "0700000004"
    # Other answers may still be corrected; the same phone written otherwise is no try.
    response = client.post(url, correction(member, phone="07.00.00.00.04", hamlet="Le Bourg"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.hamlet == "Le Bourg"


def test_address_change_requests_are_limited_per_connection(client, signup_page, settings):
    settings.MPRC_RATE_LIMITS = {"participation.email_change.ip": (2, 3600)}
    people = [
        VolunteerFactory(commune=signup_page.commune, signed_up=True, hamlet="Le Bourg")
        for _number in range(3)
    ]
    for number, person in enumerate(people[:2]):
        url = route(signup_page, "my_data", person)
        response = client.post(url, correction(person, email=f"n{number}@example.org"))
        assert response.status_code == 302
    url = route(signup_page, "my_data", people[2])
    response = client.post(url, correction(people[2], email=VICTIM))
    assert response.status_code == 429
    assert mails_to(VICTIM) == []
    # Another connection is not limited.
    response = Client(REMOTE_ADDR="10.9.9.9").post(url, correction(people[2], email=VICTIM))
    assert response.status_code == 302
    assert len(mails_to(VICTIM)) == 1


def test_other_answers_change_without_counting_against_the_limit(
    client, signup_page, member, settings
):
    settings.MPRC_RATE_LIMITS = {"participation.email_change.person": (1, 3600)}
    url = route(signup_page, "my_data", member)
    for hamlet in ("Le Bourg", "Les Granges", "La Croix-Blanche"):
        assert client.post(url, correction(member, hamlet=hamlet)).status_code == 302
    assert client.post(url, correction(member, email=VICTIM)).status_code == 302
    assert len(mails_to(VICTIM)) == 1


def test_an_expired_or_forged_address_link_changes_nothing(client, signup_page, member):
    url = route(signup_page, "my_data", member)
    client.post(url, correction(member, email="nouvelle@example.org"))
    salt = f"{EMAIL_CHANGE_SALT}:nouvelle@example.org"
    old = signed_tokens.make_token(
        member.public_id, salt, timestamped=True, now=time.time() - 8 * 86400
    )
    forged = signed_tokens.make_token(member.public_id, salt.replace("nouvelle", "autre"))
    for token in (old, forged, make_token(member), "x" * 40, "0" * 32 + "-" + "a" * 30):
        path = route(signup_page, "confirm_email", token)
        assert client.get(path).status_code == 404, token
        assert client.post(path).status_code == 404, token
    member.refresh_from_db()
    assert member.email == "camille@example.org"


def test_an_address_of_another_sign_up_is_answered_the_same_and_not_mailed(
    client, signup_page, member
):
    VolunteerFactory(commune=signup_page.commune, signed_up=True, email="dominique@example.org")
    url = route(signup_page, "my_data", member)
    free = client.post(url, correction(member, email="libre@example.org"))
    free_messages = shown_messages(client, url)
    taken = client.post(url, correction(member, email="Dominique@example.org"))
    taken_messages = shown_messages(client, url)
    assert (free.status_code, free.url) == (taken.status_code, taken.url)
    assert free_messages == taken_messages
    assert mails_to("dominique@example.org") == []
    member.refresh_from_db()
    assert member.email == "camille@example.org"
    assert member.pending_email != "dominique@example.org"


def test_an_address_taken_before_the_confirmation_is_refused_with_a_message(
    client, signup_page, member
):
    url = route(signup_page, "my_data", member)
    client.post(url, correction(member, email="nouvelle@example.org"))
    confirm_url = link_in(mails_to("nouvelle@example.org")[0], NEW_ROUTE)
    other = VolunteerFactory(
        commune=signup_page.commune, signed_up=True, email="nouvelle@example.org"
    )
    response = client.post(confirm_url)
    assert response.status_code == 200
    assert response.context["taken"] is True
    member.refresh_from_db()
    other.refresh_from_db()
    assert member.email == "camille@example.org"
    assert member.pending_email == ""
    assert other.email == "nouvelle@example.org"


def test_the_pending_address_is_in_the_personal_data(client, signup_page, member):
    url = route(signup_page, "my_data", member)
    client.post(url, correction(member, email="nouvelle@example.org"))
    assert "nouvelle@example.org" in text_of(client.get(url))
    data = json.loads(client.get(route(signup_page, "download", member)).content)
    assert data["pending_email"] == "nouvelle@example.org"


def test_a_stale_pending_address_is_forgotten_by_the_daily_job(client, signup_page, member):
    url = route(signup_page, "my_data", member)
    client.post(url, correction(member, email="nouvelle@example.org"))
    Volunteer.objects.filter(pk=member.pk).update(
        pending_email_since=timezone.now() - timedelta(days=30)
    )
    erase_expired()
    member.refresh_from_db()
    assert (member.email, member.pending_email) == ("camille@example.org", "")


def test_a_pending_address_is_erased_with_the_person(client, signup_page, member, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    url = route(signup_page, "my_data", member)
    client.post(url, correction(member, email="zephyrine.nouvelle@example.org"))
    assert rows_mentioning("zephyrine.nouvelle@example.org")
    client.post(route(signup_page, "withdraw", member))
    assert rows_mentioning("zephyrine.nouvelle@example.org") == []


def test_removing_the_address_needs_a_phone_and_tells_the_old_address(client, signup_page, member):
    url = route(signup_page, "my_data", member)
    response = client.post(url, correction(member, email="", phone=""))
    assert response.status_code == 200
    response = client.post(url, correction(member, email=""))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == ""
    [message] = mails_to("camille@example.org")
    # It says the address was removed, not changed: no e-mail will follow.
    with translation.override("fr"):
        removed = gettext("Your e-mail address was removed from the volunteer list of %(commune)s")
        expected = contract(
            removed % {"commune": signup_page.commune.title}, signup_page.commune.title
        )
    assert message.subject == expected
    assert "nouvelle adresse" not in message.body


# 2. Overwriting a pending sign-up.


def test_a_sign_up_reusing_a_pending_address_changes_nothing(client, signup_page):
    pending, _messages = signed_up(client, signup_page)
    before = snapshot(pending)
    response = sign_up(
        Client(REMOTE_ADDR="10.6.6.6"),
        signup_page,
        first_name="Intrus",
        last_name="Malveillant",
        hamlet="Les Granges",
        phone="0699999999",
        birth_year=1950,
    )
    assert response.status_code == 302
    assert response.url == route(signup_page, "signup_sent") + "?par=courriel"
    assert snapshot(pending) == before
    assert Volunteer.objects.count() == 1
    # Its confirmation link was sent a moment ago: nothing more within the window.
    assert len(mail.outbox) == 1

    an_hour_later()
    sign_up(client, signup_page, first_name="Intrus")
    assert snapshot(pending) == before
    assert len(mail.outbox) == 2
    assert link_in(mail.outbox[-1], "confirmer") == route(signup_page, "confirm", pending)


def test_a_sign_up_reusing_a_confirmed_address_sends_the_personal_link_once(
    client, signup_page, member
):
    before = snapshot(member)
    for first_name in ("Intrus", "Autre", "Encore"):
        response = sign_up(client, signup_page, first_name=first_name, email="CAMILLE@example.org")
        assert response.status_code == 302
    assert snapshot(member) == before
    [message] = mail.outbox
    assert message.to == ["camille@example.org"]
    assert link_in(message, "mes-donnees") == route(signup_page, "my_data", member)


def test_asking_for_a_pending_sign_ups_link_mails_it_once_per_window(client, signup_page):
    signed_up(client, signup_page)
    url = route(signup_page, "link_request")
    for _attempt in range(3):
        assert client.post(url, {"email": "camille@example.org"}).status_code == 200
    assert len(mail.outbox) == 1  # the sign-up's own confirmation e-mail
    an_hour_later()
    client.post(url, {"email": "camille@example.org"})
    assert len(mail.outbox) == 2


# 3. Who is on the list.

KNOWN = {
    "email": {"email": "camille@example.org"},
    "phone": {"email": "autre.adresse@example.org", "phone": "+33 6 12 34 56 78"},
    "name": {"email": "autre.adresse@example.org", "first_name": "CAMILLE", "last_name": "martin"},
    "phone_only": {"email": "", "phone": "06.12.34.56.78", "first_name": "Dominique"},
}
UNKNOWN = {
    "email": {"email": "inconnue@example.org", "first_name": "Inès", "last_name": "Connue"},
    "phone": {"email": "inconnue@example.org", "first_name": "Inès", "phone": "0677777777"},
    "name": {"email": "inconnue@example.org", "first_name": "Inès", "last_name": "Connue"},
    "phone_only": {"email": "", "phone": "0677777777", "first_name": "Inès"},
}


def answer(client, page, **overrides):
    """What the page answers a sign-up: the response, and the page it leads to."""
    response = sign_up(client, page, **overrides)
    after = client.get(response.url) if response.status_code == 302 else response
    return (
        response.status_code,
        response.get("Location"),
        # The page's templates (the test client also lists the e-mails' templates).
        [t.name for t in response.templates if "/emails/" not in (t.name or "")],
        without_csrf_tokens(response),
        without_csrf_tokens(after),
    )


@pytest.mark.parametrize("status", ["pending", "active"])
@pytest.mark.parametrize("match", list(KNOWN))
def test_a_sign_up_is_answered_the_same_whether_or_not_the_person_is_known(
    signup_page, status, match
):
    known = VolunteerFactory(
        commune=signup_page.commune,
        signed_up=status == "active",
        pending=status == "pending",
        first_name="Camille",
        last_name="Martin",
        email="camille@example.org",
        phone="06 12 34 56 78",
        birth_year=1980,
    )
    before = snapshot(known)
    unknown = answer(Client(REMOTE_ADDR="10.0.0.1"), signup_page, **UNKNOWN[match])
    assert unknown[0] == 302
    count = Volunteer.objects.count()
    assert answer(Client(REMOTE_ADDR="10.0.0.2"), signup_page, **KNOWN[match]) == unknown
    assert snapshot(known) == before
    assert Volunteer.objects.count() == count  # nothing stored
    assert mails_to("autre.adresse@example.org") == []


@pytest.mark.parametrize("match", ["phone", "name"])
def test_a_match_by_phone_or_name_tells_the_known_person_once(client, signup_page, member, match):
    before = snapshot(member)
    for _attempt in range(3):
        assert sign_up(client, signup_page, **KNOWN[match]).status_code == 302
    assert snapshot(member) == before
    assert Volunteer.objects.count() == 1
    assert mails_to("autre.adresse@example.org") == []
    [message] = mails_to("camille@example.org")
    assert link_in(message, "mes-donnees") == route(signup_page, "my_data", member)


def test_a_phone_only_sign_up_of_a_known_phone_stores_nothing_and_calls_no_one(
    client, signup_page, member
):
    response = sign_up(client, signup_page, **KNOWN["phone_only"])
    assert response.url == route(signup_page, "signup_sent") + "?par=telephone"
    assert Volunteer.objects.count() == 1
    assert mails_to(TOWN_HALL) == []
    assert len(mails_to("camille@example.org")) == 1


IDENTITIES = [
    ("Alice", "Aubry", 1970),
    ("Bruno", "Brun", 1975),
    ("Chloé", "Chêne", 1960),
    ("Denis", "Dupont", 1990),
    ("Émile", "Évrard", 1985),
]
EMAILS = ["alice@example.org", "bruno@example.org", "", "nouveau@example.org", "neuve@example.org"]
PHONES = ["0611111111", "0622222222", "0633333333", "0644444444", ""]

sign_ups = st.lists(
    st.tuples(
        st.sampled_from(IDENTITIES),
        st.sampled_from(EMAILS),
        st.sampled_from(PHONES),
        st.booleans(),  # the address in capitals
        st.sampled_from(["Le Bourg", "Les Granges"]),
    ).filter(lambda entry: entry[1] or entry[2]),
    min_size=1,
    max_size=6,
)


@HYPOTHESIS
@given(sequence=sign_ups)
def test_any_sequence_of_sign_ups_answers_by_the_form_alone_and_keeps_stored_data(
    signup_page, settings, sequence
):
    settings.MPRC_RATE_LIMITS = {
        "participation.signup.ip": (10_000, 3600),
        "participation.email": (10_000, 3600),
    }
    Volunteer.objects.all().delete()
    RateLimitHit.objects.all().delete()
    mail.outbox.clear()
    commune = signup_page.commune
    people = [
        VolunteerFactory(
            commune=commune,
            signed_up=True,
            first_name="Alice",
            last_name="Aubry",
            birth_year=1970,
            email="alice@example.org",
            phone="0611111111",
        ),
        VolunteerFactory(
            commune=commune,
            pending=True,
            first_name="Bruno",
            last_name="Brun",
            birth_year=1975,
            email="bruno@example.org",
            phone="0622222222",
        ),
        VolunteerFactory(
            commune=commune,
            signed_up=True,
            first_name="Chloé",
            last_name="Chêne",
            birth_year=1960,
            email="",
            phone="0633333333",
        ),
    ]
    stored = {person.pk: snapshot(person) for person in people}
    client = Client()
    for (first_name, last_name, year), email, phone, shout, hamlet in sequence:
        response = sign_up(
            client,
            signup_page,
            first_name=first_name,
            last_name=last_name,
            birth_year=year,
            email=email.upper() if shout else email,
            phone=phone,
            hamlet=hamlet,
        )
        mode = "courriel" if email else "telephone"
        assert response.status_code == 302
        assert response.url == route(signup_page, "signup_sent") + f"?par={mode}"
        for person in Volunteer.objects.all():
            if person.pk in stored:
                assert snapshot(person) == stored[person.pk], person
            else:
                stored[person.pk] = snapshot(person)  # new: kept as first given
    for address in EMAILS[:2] + EMAILS[3:]:
        assert len(mails_to(address)) <= 1, address
    assert len(mails_to(TOWN_HALL)) <= 1


# No server error, whatever is sent.

texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "camille@example.org", "1980", "\x00", "a" * 400, "06 12 34 56 78"]),
)
form_data = st.dictionaries(
    # The sign-up form's fields: the person's answers, the consent and the honeypot.
    st.sampled_from([*DETAIL_FIELDS, "lives_here", "consent", "consent_version", "website"]),
    st.one_of(texts, st.lists(texts, max_size=3)),
    max_size=13,
)


@HYPOTHESIS
@given(data=form_data, token=st.text(max_size=80))
def test_no_input_causes_a_server_error(signup_page, member, data, token):
    before = snapshot(member)
    client = Client(REMOTE_ADDR="10.7.7.7")
    safe_token = re.sub(r"[^A-Za-z0-9_-]", "", token) or "x"
    for url in (
        signup_page.url,
        route(signup_page, "my_data", member),
        route(signup_page, "confirm_email", safe_token),
        route(signup_page, "link_request"),
    ):
        response = client.post(url, data)
        assert response.status_code in (200, 302, 404, 429), (url, response.status_code)
    member.refresh_from_db()
    # Only a link sent to the new address changes the address.
    assert member.email == before[0]["email"]


def test_a_valid_new_sign_up_still_works(client, signup_page):
    """The ordinary path is unchanged: stored pending, one confirmation e-mail."""
    response = sign_up(client, signup_page)
    assert response.url == route(signup_page, "signup_sent") + "?par=courriel"
    volunteer = Volunteer.objects.get()
    assert volunteer.status == Status.PENDING
    assert link_in(mail.outbox[0], "confirmer") == route(signup_page, "confirm", volunteer)
    assert signup_data(signup_page)["first_name"] == volunteer.first_name
