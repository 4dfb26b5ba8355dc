"""A person staff typed in for a resident who phoned or came to the town hall: how their
consent was given is recorded, and they get their personal link by a printed letter or by
one e-mail — only from the staff of their own commune."""

import html

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext

from home.onboarding import switch_module_on
from mprc_cms.channels import Channel
from mprc_cms.modules import get_module
from participation.choices import STAFF_CONSENT_METHODS, ConsentMethod
from participation.factories import VolunteerFactory
from participation.models import Volunteer
from participation.tokens import make_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


@pytest.fixture(autouse=True)
def participation_on(commune_a, commune_b):
    for commune in (commune_a, commune_b):
        switch_module_on(commune, get_module("participation"))


def person_data(commune, **overrides):
    data = {
        "commune": commune.pk,
        "pool": "",
        "status": "active",
        "exclusion_reason": "",
        "first_name": "Lucienne",
        "last_name": "Ravel",
        "email": "",
        "phone": "06 12 34 56 78",
        "birth_year": 1948,
        "gender": "female",
        "hamlet": "",
        "social_category": "7",
        "address": "4 rue du Four",
        "household": "",
        "retention_end": "",
        "consent_method": "phone",
    }
    data.update(overrides)
    return data


def page_text(response):
    return " ".join(html.unescape(response.content.decode()).split())


def staff_added(client, commune, **overrides):
    response = client.post(
        reverse("participation_volunteers:add"), person_data(commune, **overrides)
    )
    assert response.status_code == 302, response.context["form"].errors
    return Volunteer.objects.get(last_name=overrides.get("last_name", "Ravel")), response


def test_consent_methods_are_the_channels_of_the_town_hall():
    assert {method.value for method in STAFF_CONSENT_METHODS} == {
        Channel.PAPER.value,
        Channel.PHONE.value,
        Channel.COUNTER.value,
    }
    assert ConsentMethod.ONLINE.value == Channel.ONLINE.value


@pytest.mark.parametrize("method", [m.value for m in STAFF_CONSENT_METHODS])
def test_the_consent_method_and_who_recorded_it_are_kept(
    client_a, editor_a, commune_a, signup_page, method
):
    person, _response = staff_added(client_a, commune_a, consent_method=method)
    consent = person.consents.get()
    assert consent.method == method
    assert consent.recorded_by_id == editor_a.pk
    inspect = client_a.get(reverse("participation_volunteers:inspect", args=[person.pk]))
    text = page_text(inspect)
    assert " ".join(str(ConsentMethod(method).label).split()) in text
    assert (editor_a.get_full_name() or editor_a.get_username()) in text


def test_an_unknown_consent_method_is_refused(client_a, commune_a, signup_page):
    response = client_a.post(
        reverse("participation_volunteers:add"),
        person_data(commune_a, consent_method="staff"),
    )
    assert response.status_code == 200
    assert "consent_method" in response.context["form"].errors
    assert not Volunteer.objects.exists()


def test_adding_a_person_leads_to_their_letter(client_a, commune_a, signup_page):
    person, response = staff_added(client_a, commune_a)
    assert response.url == reverse("participation_volunteers:personal_link", args=[person.pk])
    screen = client_a.get(response.url)
    assert screen.status_code == 200
    assert gettext("Print the letter") in page_text(screen)
    # The letter opens in the same tab, as the other modules' letters do.
    letter = reverse("participation_volunteers:letter", args=[person.pk])
    form = BeautifulSoup(screen.content, "html.parser").find("form", action=letter)
    assert form is not None
    assert not form.has_attr("target")
    # No e-mail address: no e-mail offered.
    assert gettext("Send the link by e-mail") not in page_text(screen)


def test_the_letter_holds_the_personal_link_and_its_qr_code(client_a, commune_a, signup_page):
    person, _response = staff_added(client_a, commune_a)
    url = reverse("participation_volunteers:letter", args=[person.pk])
    # The address travels by POST, never in a web address (which logs keep).
    assert client_a.get(url, {"address": "4 rue du Four"}).status_code == 302
    response = client_a.post(url, {"address": "4 rue du Four\n12345 Aubigny"})
    assert response.status_code == 200
    content = response.content.decode()
    link = "http://testserver" + signup_page.subpage_url(None, "my_data", make_token(person))
    assert link in content
    assert "<svg" in content
    assert 'class="qr"' in content
    assert "12345 Aubigny" in content
    assert "Lucienne Ravel" in content
    # A personal letter: never cached.
    assert "no-store" in response.get("Cache-Control", "") or "private" in response.get(
        "Cache-Control", ""
    )
    # The typed address is not kept.
    person.refresh_from_db()
    assert person.address == "4 rue du Four"


def test_the_personal_link_printed_opens_the_persons_page(client_a, client, commune_a, signup_page):
    person, _response = staff_added(client_a, commune_a)
    link = signup_page.subpage_url(None, "my_data", make_token(person))
    response = client.get(link)
    assert response.status_code == 200
    assert "Lucienne" in response.content.decode()


@pytest.mark.parametrize("name", ["personal_link", "letter"])
def test_another_communes_staff_get_404(client_b, commune_a, signup_page, name, client_a):
    person, _response = staff_added(client_a, commune_a, email="lucienne@example.org")
    url = reverse(f"participation_volunteers:{name}", args=[person.pk])
    assert client_b.get(url).status_code == 404
    assert client_b.post(url).status_code == 404
    assert mail.outbox == []


def test_no_link_for_a_person_of_an_imported_list(client_a, commune_a, signup_page):
    person = VolunteerFactory(commune=commune_a, pool__commune=commune_a, consent=False)
    url = reverse("participation_volunteers:letter", args=[person.pk])
    response = client_a.post(url)
    assert response.status_code == 302
    assert "svg" not in response.content.decode()


def test_the_link_is_sent_once_by_e_mail(client_a, commune_a, signup_page):
    person, _response = staff_added(client_a, commune_a, email="lucienne@example.org")
    url = reverse("participation_volunteers:personal_link", args=[person.pk])
    assert gettext("Send the link by e-mail") in page_text(client_a.get(url))
    mail.outbox.clear()
    assert client_a.post(url).status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lucienne@example.org"]
    assert make_token(person) in message.body
    # The address was never confirmed: never a second e-mail to it right after.
    client_a.post(url)
    assert len(mail.outbox) == 1


def test_the_e_mails_of_one_staff_member_are_rate_limited(
    client_a, commune_a, signup_page, settings
):
    settings.MPRC_RATE_LIMITS = {"participation.staff_link.user": (1, 3600)}
    first, _r = staff_added(client_a, commune_a, email="un@example.org", last_name="Un")
    second, _r = staff_added(client_a, commune_a, email="deux@example.org", last_name="Deux")
    mail.outbox.clear()
    client_a.post(reverse("participation_volunteers:personal_link", args=[first.pk]))
    client_a.post(reverse("participation_volunteers:personal_link", args=[second.pk]))
    assert [m.to for m in mail.outbox] == [["un@example.org"]]
