"""The public sign-up to a commune's volunteer list: the form, its checks, the double
opt-in, phone-only sign-ups and duplicates. Real database, real e-mail outbox."""

import hashlib
import html
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from mprc_cms.models import RateLimitHit
from participation.choices import ConsentMethod, Source, Status
from participation.models import ConsentRecord, ConsentText, Volunteer
from participation.retention import default_retention_end
from participation.tokens import make_token, read_token

pytestmark = pytest.mark.django_db

TOWN_HALL = "mairie@aubigny.example"


# Helpers, shared with the other public-side tests of the module.


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def text_of(response):
    return html.unescape(response.content.decode())


def this_year():
    return timezone.localdate().year


def signup_data(page, **overrides):
    """A complete, valid sign-up as the form posts it; ``None`` leaves a field out."""
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@example.org",
        "phone": "",
        "birth_year": 1980,
        "gender": "female",
        "hamlet": "Le Bourg",
        "social_category": "5",
        "address": "3 chemin des Vignes",
        "availability": ["saturday", "weekday_evening"],
        "lives_here": "on",
        "consent": "on",
        "consent_version": ConsentText.digest_of(page.rendered_consent_text()),
        "website": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def sign_up(client, page, **overrides):
    return client.post(page.url, signup_data(page, **overrides))


def route(page, name, volunteer_or_token=None):
    """The path of one of the page's routes (with the volunteer's personal token)."""
    if volunteer_or_token is None:
        return page.url + page.reverse_subpage(name)
    token = volunteer_or_token
    if isinstance(token, Volunteer):
        token = make_token(token)
    return page.url + page.reverse_subpage(name, args=[token])


def link_in(message, route_name):
    """The path of the first link to a route (``confirmer``, ``mes-donnees``…) in an e-mail."""
    match = re.search(rf"http://testserver(/\S*?/{route_name}/[^/\s]+/(?:retrait/)?)", message.body)
    assert match, f"no {route_name} link in:\n{message.body}"
    return match.group(1)


def signed_up(client, page, **overrides):
    """Sign up through the form; the new volunteer and its confirmation e-mail."""
    sent = len(mail.outbox)
    response = sign_up(client, page, **overrides)
    assert response.status_code == 302, text_of(response)[:3000]
    email = overrides.get("email", "camille@example.org").strip()
    volunteer = Volunteer.objects.get(commune=page.commune, email__iexact=email)
    return volunteer, mail.outbox[sent:]


def confirmed(client, page, **overrides):
    """Sign up and confirm through the e-mailed link; the active volunteer."""
    volunteer, messages = signed_up(client, page, **overrides)
    response = client.post(link_in(messages[-1], "confirmer"))
    assert response.status_code == 200, text_of(response)[:3000]
    volunteer.refresh_from_db()
    assert volunteer.status == Status.ACTIVE
    return volunteer


def nothing_stored():
    return (
        not Volunteer.objects.exists()
        and not ConsentRecord.objects.exists()
        and not ConsentText.objects.exists()
    )


def without_csrf_tokens(response):
    """The page, without its CSRF tokens (masked differently on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def signup_form(response):
    soup = BeautifulSoup(response.content, "html.parser")
    forms = [f for f in soup.find_all("form") if f.find("input", attrs={"name": "consent"})]
    assert len(forms) == 1, "expected one sign-up form"
    return forms[0]


# The form.


def test_the_page_shows_a_plain_html_form_to_anonymous_visitors(client, signup_page):
    response = client.get(signup_page.url)
    assert response.status_code == 200
    form = signup_form(response)
    assert form["method"].lower() == "post"
    assert form.get("action") == signup_page.url
    assert not [name for name in form.attrs if name.startswith("on")]
    assert form.find("script") is None
    submit = form.find("button", attrs={"type": "submit"})
    assert submit is not None
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None
    # The consent text shown is the page's, above the consent box.
    consent_text = form.find(id="consent-text")
    assert consent_text is not None
    assert consent_text.decode_contents() == signup_page.rendered_consent_text()


def test_the_form_can_be_submitted_as_a_browser_without_javascript_would(signup_page):
    """Post exactly the fields the HTML form holds, with CSRF checks on."""
    browser = Client(enforce_csrf_checks=True)
    form = signup_form(browser.get(signup_page.url))
    data = {}
    for field in form.find_all("input"):
        if field.get("type") in ("hidden",):
            data[field["name"]] = field.get("value", "")
    assert set(data) == {"csrfmiddlewaretoken", "consent_version"}
    answers = signup_data(signup_page, website="")
    del answers["consent_version"]
    data.update(answers)
    names_in_form = {field["name"] for field in form.find_all(["input", "select"])}
    assert set(data) <= names_in_form
    response = browser.post(form["action"], data)
    assert response.status_code == 302
    assert Volunteer.objects.get().status == Status.PENDING


def unlabelled(form):
    missing = []
    for field in form.find_all(["input", "select", "textarea"]):
        if field.name == "input" and field.get("type") in ("hidden", "submit", "button"):
            continue
        field_id = field.get("id")
        has_label = (
            (field_id and form.find("label", attrs={"for": field_id}) is not None)
            or field.find_parent("label") is not None
            or field.get("aria-label")
        )
        if not has_label:
            missing.append(field.get("name"))
    return missing


def test_every_visible_input_has_a_label(client, signup_page):
    form = signup_form(client.get(signup_page.url))
    inputs = form.find_all(["input", "select", "textarea"])
    names = {field.get("name") for field in inputs}
    assert {"first_name", "gender", "hamlet", "availability", "consent"} <= names
    assert unlabelled(form) == []


def test_every_input_keeps_its_label_when_the_form_comes_back_with_errors(client, signup_page):
    response = sign_up(client, signup_page, first_name="", gender="robot")
    form = signup_form(response)
    assert unlabelled(form) == []
    first_name = form.find("input", attrs={"name": "first_name"})
    assert first_name["aria-invalid"] == "true"
    assert "id_first_name_error" in first_name["aria-describedby"]
    assert form.find(id="id_first_name_error") is not None


OPTIONAL_QUESTIONS = [
    ("ask_birth_year", "birth_year"),
    ("ask_gender", "gender"),
    ("ask_hamlet", "hamlet"),
    ("ask_social_category", "social_category"),
    ("ask_address", "address"),
    ("ask_availability", "availability"),
]


@pytest.mark.parametrize(("setting", "field"), OPTIONAL_QUESTIONS)
def test_a_question_switched_off_disappears_and_is_not_required(
    client, signup_page, setting, field
):
    setattr(signup_page, setting, False)
    signup_page.save_revision().publish()
    response = client.get(signup_page.url)
    assert f'name="{field}"' not in response.content.decode()
    assert field not in response.context["form"].fields

    response = sign_up(client, signup_page, **{field: None})
    assert response.status_code == 302, text_of(response)[:3000]
    volunteer = Volunteer.objects.get()
    assert getattr(volunteer, field) in ("", None, [])


@pytest.mark.parametrize("field", ["birth_year", "gender", "hamlet", "social_category", "address"])
def test_a_question_switched_on_is_required(client, signup_page, field):
    response = sign_up(client, signup_page, **{field: None})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert nothing_stored()


def test_with_every_optional_question_off_names_and_a_contact_are_enough(client, signup_page):
    for setting, _field in OPTIONAL_QUESTIONS:
        setattr(signup_page, setting, False)
    signup_page.save()
    form = signup_form(client.get(signup_page.url))
    visible = {
        field["name"]
        for field in form.find_all(["input", "select"])
        if field.get("type") != "hidden"
    }
    # The residence box is not an optional question: it says who the list is for.
    assert visible == {
        "first_name",
        "last_name",
        "email",
        "phone",
        "lives_here",
        "consent",
        "website",
    }
    response = client.post(
        signup_page.url,
        {
            "first_name": "Lou",
            "last_name": "Durand",
            "email": "lou@example.org",
            "lives_here": "on",
            "consent": "on",
            "consent_version": ConsentText.digest_of(signup_page.rendered_consent_text()),
        },
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert (volunteer.birth_year, volunteer.gender, volunteer.hamlet) == (None, "", "")


def test_the_hamlet_question_is_asked_only_when_the_commune_has_hamlets(
    client, signup_page, signup_page_b
):
    response = client.get(signup_page.url)
    hamlet = signup_form(response).find("select", attrs={"name": "hamlet"})
    options = [option["value"] for option in hamlet.find_all("option")]
    assert options == ["", "Le Bourg", "Les Granges", "La Croix-Blanche"]

    assert signup_page_b.commune.hamlet_list() == []
    response = client.get(signup_page_b.url)
    assert 'name="hamlet"' not in response.content.decode()
    response = sign_up(client, signup_page_b, hamlet=None)
    assert response.status_code == 302
    assert Volunteer.objects.get().hamlet == ""


# A valid sign-up.


def test_a_valid_sign_up_is_stored_pending_with_its_consent(client, signup_page):
    response = sign_up(client, signup_page, email="  Camille@Example.ORG ", first_name=" Camille  ")
    assert response.status_code == 302
    assert response.url == route(signup_page, "signup_sent") + "?par=courriel"

    volunteer = Volunteer.objects.get()
    assert volunteer.commune_id == signup_page.commune.pk
    assert volunteer.source == Source.VOLUNTEER_LIST
    assert volunteer.status == Status.PENDING
    assert volunteer.confirmed_at is None
    assert volunteer.email == "camille@example.org"
    assert (volunteer.first_name, volunteer.last_name) == ("Camille", "Martin")
    assert volunteer.birth_year == 1980
    assert volunteer.gender == "female"
    assert volunteer.hamlet == "Le Bourg"
    assert volunteer.social_category == "5"
    assert volunteer.address == "3 chemin des Vignes"
    assert volunteer.availability == ["saturday", "weekday_evening"]

    record = ConsentRecord.objects.get()
    assert record.volunteer == volunteer
    assert record.method == ConsentMethod.ONLINE
    assert record.confirmed_at is None
    shown = signup_page.rendered_consent_text()
    assert record.consent_text.text == shown
    assert record.consent_text.digest == hashlib.sha256(shown.encode("utf-8")).hexdigest()
    assert record.consent_text.commune_id == signup_page.commune.pk


def test_a_valid_sign_up_sends_one_e_mail_with_its_confirmation_link(client, signup_page):
    response = sign_up(client, signup_page)
    volunteer = Volunteer.objects.get()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["camille@example.org"]
    assert signup_page.commune.title in message.subject
    confirm_path = link_in(message, "confirmer")
    token = confirm_path.rstrip("/").rsplit("/", 1)[1]
    assert read_token(token) == volunteer.public_id
    assert confirm_path == route(signup_page, "confirm", volunteer)
    # The e-mail also carries the personal link.
    assert link_in(message, "mes-donnees") == route(signup_page, "my_data", volunteer)

    response = client.get(response.url)
    assert response.status_code == 200
    assert "participation/signup_sent.html" in [t.name for t in response.templates]
    assert response.context["by_phone"] is False


def test_the_e_mail_comes_from_the_commune_and_answers_go_to_the_town_hall(
    client, signup_page, settings
):
    settings.DEFAULT_FROM_EMAIL = "MPRC <ne-pas-repondre@reseau.example>"
    _volunteer, [message] = signed_up(client, signup_page)
    assert message.from_email == f"{signup_page.commune.title} <ne-pas-repondre@reseau.example>"
    assert "MPRC" not in message.from_email
    assert message.reply_to == [TOWN_HALL]


def test_the_youngest_allowed_sign_up_is_sixteen_this_year(client, signup_page):
    response = sign_up(client, signup_page, birth_year=this_year() - 16)
    assert response.status_code == 302
    assert Volunteer.objects.get().birth_year == this_year() - 16


def test_the_page_says_who_may_sign_up(client, signup_page):
    page = text_of(client.get(signup_page.url))
    commune = signup_page.commune.title
    assert (
        gettext("Who may sign up: anyone aged %(age)s or over this year who lives in %(commune)s.")
        % {"age": 16, "commune": commune}
        in page
    )
    # The person says so: a box that names the commune, required.
    form = signup_form(client.get(signup_page.url))
    box = form.find("input", attrs={"name": "lives_here"})
    assert box is not None
    assert box.has_attr("required")
    assert gettext("I live in %(commune)s.") % {"commune": commune} in form.get_text()


def test_without_the_residence_box_nothing_is_stored(client, signup_page):
    response = sign_up(client, signup_page, lives_here=None)
    assert response.status_code == 200
    assert "lives_here" in response.context["form"].errors
    assert nothing_stored()


def test_a_commune_sets_who_may_sign_up(client, signup_page):
    signup_page.minimum_age = 18
    signup_page.who_may_sign_up = "residents_workers"
    signup_page.save_revision().publish()
    page = text_of(client.get(signup_page.url))
    assert (
        gettext("I live or work in %(commune)s.") % {"commune": signup_page.commune.title} in page
    )
    response = sign_up(client, signup_page, birth_year=this_year() - 17)
    assert response.status_code == 200
    message = gettext("You must be at least %(age)s years old this year to sign up.")
    assert message % {"age": 18} in text_of(response)
    assert nothing_stored()
    assert sign_up(client, signup_page, birth_year=this_year() - 18).status_code == 302


def test_when_anyone_may_sign_up_no_box_is_asked(client, signup_page):
    signup_page.who_may_sign_up = "anyone"
    signup_page.save_revision().publish()
    form = signup_form(client.get(signup_page.url))
    assert form.find("input", attrs={"name": "lives_here"}) is None
    assert sign_up(client, signup_page, lives_here=None).status_code == 302
    # The answer is never kept.
    assert not hasattr(Volunteer.objects.get(), "lives_here")


def test_phone_numbers_are_accepted_in_usual_french_forms(client, signup_page):
    response = sign_up(client, signup_page, email="", phone="+33 6 12 34 56 78")
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.phone == "+33 6 12 34 56 78"
    assert volunteer.phone_key == "0612345678"


# Bad input: an error next to the field, nothing stored, nothing sent.

BAD_INPUTS = [
    pytest.param({"first_name": ""}, "first_name", id="no-first-name"),
    pytest.param({"first_name": None}, "first_name", id="first-name-left-out"),
    pytest.param({"last_name": "   "}, "last_name", id="blank-last-name"),
    pytest.param({"first_name": "x" * 101}, "first_name", id="first-name-too-long"),
    pytest.param({"email": "", "phone": ""}, "email", id="neither-e-mail-nor-phone"),
    pytest.param({"email": "camille@", "phone": ""}, "email", id="bad-e-mail"),
    pytest.param({"email": "pas une adresse"}, "email", id="bad-e-mail-with-spaces"),
    pytest.param({"email": "", "phone": "12 34"}, "phone", id="phone-too-short"),
    pytest.param({"phone": "06 12 34 56 7x"}, "phone", id="phone-with-a-letter"),
    pytest.param({"phone": "0" * 16}, "phone", id="phone-too-long"),
    pytest.param({"birth_year": lambda year: year - 15}, "birth_year", id="fifteen-this-year"),
    pytest.param({"birth_year": lambda year: year}, "birth_year", id="born-this-year"),
    pytest.param({"birth_year": 1800}, "birth_year", id="absurdly-old"),
    pytest.param({"birth_year": -5}, "birth_year", id="negative-year"),
    pytest.param({"birth_year": 99999}, "birth_year", id="year-in-the-future"),
    pytest.param({"birth_year": "mil neuf cent"}, "birth_year", id="year-not-a-number"),
    pytest.param({"gender": "robot"}, "gender", id="unknown-gender"),
    pytest.param({"social_category": "9"}, "social_category", id="unknown-category"),
    pytest.param({"hamlet": "Atlantide"}, "hamlet", id="unknown-hamlet"),
    pytest.param({"availability": ["never"]}, "availability", id="unknown-availability"),
    pytest.param({"address": ""}, "address", id="no-address"),
    pytest.param({"consent": None}, "consent", id="consent-unticked"),
    pytest.param({"consent_version": None}, "__all__", id="consent-version-missing"),
    pytest.param({"consent_version": "0" * 64}, "__all__", id="consent-version-forged"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_INPUTS)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_stored(
    client, signup_page, overrides, field
):
    overrides = {
        name: value(this_year()) if callable(value) else value for name, value in overrides.items()
    }
    response = sign_up(client, signup_page, **overrides)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert "participation/signup_page.html" in [t.name for t in response.templates]
    page = text_of(response)
    for error in form.errors[field]:
        assert error in page
    assert nothing_stored()
    assert mail.outbox == []


def test_the_form_comes_back_with_the_answers_given(client, signup_page):
    response = sign_up(client, signup_page, email="camille@", first_name="Dominique")
    form = signup_form(response)
    assert form.find("input", attrs={"name": "first_name"})["value"] == "Dominique"
    assert form.find("input", attrs={"name": "email"})["value"] == "camille@"
    assert form.find("input", attrs={"name": "consent"}).has_attr("checked")


def test_the_age_messages_say_why(client, signup_page):
    response = sign_up(client, signup_page, birth_year=this_year() - 10)
    assert response.context["form"].errors.as_data()["birth_year"][0].code == "too_young"
    response = sign_up(client, signup_page, birth_year=1850)
    assert response.context["form"].errors.as_data()["birth_year"][0].code == "too_old"


NEW_CONSENT_TEXT = "<p>Nouveau texte : les données servent aussi au bulletin.</p>"


def test_a_consent_text_changed_after_the_form_was_shown_must_be_read_again(client, signup_page):
    response = client.get(signup_page.url)
    shown_digest = response.context["form"].fields["consent_version"].initial
    assert shown_digest == ConsentText.digest_of(signup_page.rendered_consent_text())

    # Staff change the consent text while the resident fills in the form.
    signup_page.consent_text = NEW_CONSENT_TEXT
    signup_page.save_revision().publish()

    response = sign_up(client, signup_page, consent_version=shown_digest)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() == [
        gettext(
            "The consent text has just changed. Please read it again below and tick "
            "the box once more."
        )
    ]
    assert nothing_stored()
    assert mail.outbox == []
    page = text_of(response)
    assert "les données servent aussi au bulletin" in page
    assert form.non_field_errors()[0] in page
    # The box is unticked: the resident must tick it again after reading the new text.
    consent_box = signup_form(response).find("input", attrs={"name": "consent"})
    assert not consent_box.has_attr("checked")

    # Ticked again with the new version, the sign-up names the new text.
    new_digest = ConsentText.digest_of(signup_page.rendered_consent_text())
    assert new_digest != shown_digest
    response = sign_up(client, signup_page, consent_version=new_digest)
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert record.consent_text.text == NEW_CONSENT_TEXT


def test_the_form_shown_after_a_consent_change_can_be_submitted(client, signup_page):
    shown_digest = ConsentText.digest_of(signup_page.rendered_consent_text())
    signup_page.consent_text = NEW_CONSENT_TEXT
    signup_page.save_revision().publish()
    response = sign_up(client, signup_page, consent_version=shown_digest)
    assert response.status_code == 200

    # The resident reads the new text, ticks the box again and sends the form as shown.
    form = signup_form(response)
    hidden_version = form.find("input", attrs={"name": "consent_version"})["value"]
    assert hidden_version == ConsentText.digest_of(signup_page.rendered_consent_text())
    response = sign_up(client, signup_page, consent_version=hidden_version)
    assert response.status_code == 302
    assert ConsentRecord.objects.get().consent_text.text == NEW_CONSENT_TEXT


def test_a_put_is_not_allowed(client, signup_page):
    assert client.put(signup_page.url).status_code == 405


# Confirming: a GET shows a button, a POST confirms.


def test_opening_the_link_shows_a_button_and_confirms_nothing(client, signup_page):
    volunteer, messages = signed_up(client, signup_page)
    confirm_path = link_in(messages[0], "confirmer")
    for _visit in range(2):  # link scanners open links, sometimes twice
        response = client.get(confirm_path)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        form = soup.find("form", attrs={"method": "post"})
        assert form["action"] == confirm_path
        assert form.find("button", attrs={"type": "submit"}) is not None
    volunteer.refresh_from_db()
    assert volunteer.status == Status.PENDING
    assert volunteer.confirmed_at is None
    assert ConsentRecord.objects.get().confirmed_at is None
    assert len(mail.outbox) == 1


def test_the_head_request_of_a_link_scanner_confirms_nothing(client, signup_page):
    volunteer, messages = signed_up(client, signup_page)
    client.head(link_in(messages[0], "confirmer"))
    volunteer.refresh_from_db()
    assert volunteer.status == Status.PENDING


def test_posting_the_confirmation_activates_the_sign_up(client, signup_page):
    volunteer, messages = signed_up(client, signup_page)
    before = timezone.now()
    response = client.post(link_in(messages[0], "confirmer"))
    assert response.status_code == 200
    assert "participation/signup_confirmed.html" in [t.name for t in response.templates]

    volunteer.refresh_from_db()
    assert volunteer.status == Status.ACTIVE
    assert volunteer.confirmed_at >= before
    assert volunteer.retention_end == default_retention_end(signup_page.commune)
    assert volunteer.retention_end > timezone.localdate()
    record = ConsentRecord.objects.get()
    assert record.confirmed_at == volunteer.confirmed_at
    assert record.method == ConsentMethod.ONLINE

    assert len(mail.outbox) == 2
    welcome = mail.outbox[1]
    assert welcome.to == ["camille@example.org"]
    assert link_in(welcome, "mes-donnees") == route(signup_page, "my_data", volunteer)
    assert route(signup_page, "withdraw", volunteer) in welcome.body
    # The confirmation page links to the personal page too.
    assert route(signup_page, "my_data", volunteer) in response.content.decode()


def test_confirming_twice_is_harmless(client, signup_page):
    volunteer, messages = signed_up(client, signup_page)
    confirm_path = link_in(messages[0], "confirmer")
    client.post(confirm_path)
    volunteer.refresh_from_db()
    first_confirmation = volunteer.confirmed_at

    response = client.post(confirm_path)
    assert response.status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.status == Status.ACTIVE
    assert volunteer.confirmed_at == first_confirmation
    assert ConsentRecord.objects.count() == 1
    assert len(mail.outbox) == 2  # no second welcome e-mail

    # Opening the link again leads to the personal page.
    response = client.get(confirm_path)
    assert response.status_code == 302
    assert response.url == route(signup_page, "my_data", volunteer)


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_sign_up_link_is_no_longer_valid(client, signup_page, settings, method):
    settings.PARTICIPATION_CONFIRMATION_DAYS = 3
    volunteer, messages = signed_up(client, signup_page)
    confirm_path = link_in(messages[0], "confirmer")
    Volunteer.objects.filter(pk=volunteer.pk).update(
        created_at=timezone.now() - timedelta(days=3, minutes=1)
    )
    response = getattr(client, method)(confirm_path)
    assert response.status_code == 404
    assert "participation/link_invalid.html" in [t.name for t in response.templates]
    assert route(signup_page, "link_request") in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.status == Status.PENDING
    assert len(mail.outbox) == 1


def test_a_sign_up_within_its_confirmation_delay_can_be_confirmed(client, signup_page, settings):
    settings.PARTICIPATION_CONFIRMATION_DAYS = 3
    volunteer, messages = signed_up(client, signup_page)
    Volunteer.objects.filter(pk=volunteer.pk).update(
        created_at=timezone.now() - timedelta(days=2, hours=23)
    )
    response = client.post(link_in(messages[0], "confirmer"))
    assert response.status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.status == Status.ACTIVE


def tampered(token):
    public_id, signature = token.split("-", 1)
    flipped = "A" if signature[0] != "A" else "B"
    return [
        f"{public_id}-{flipped}{signature[1:]}",  # forged signature
        f"{'0' if public_id[0] != '0' else '1'}{public_id[1:]}-{signature}",  # another id
        public_id,  # no signature
        f"{public_id}-",  # empty signature
        "n-importe-quoi",
        token[:-1],  # copied incompletely
    ]


def test_a_tampered_token_gives_404(client, signup_page):
    volunteer, _messages = signed_up(client, signup_page)
    for token in tampered(make_token(volunteer)):
        for name in ("confirm", "my_data", "download", "withdraw"):
            response = client.post(route(signup_page, name, token))
            assert response.status_code == 404, (name, token)
    volunteer.refresh_from_db()
    assert volunteer.status == Status.PENDING


def test_a_token_of_one_commune_is_refused_on_another_communes_page(
    client, signup_page, signup_page_b
):
    volunteer, messages = signed_up(client, signup_page)
    token = make_token(volunteer)
    for name in ("confirm", "my_data", "download", "withdraw"):
        response = client.post(route(signup_page_b, name, token))
        assert response.status_code == 404, name
    volunteer.refresh_from_db()
    assert volunteer.status == Status.PENDING
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()
    # The same token works on its own commune's page.
    assert client.get(link_in(messages[0], "confirmer")).status_code == 200


def test_every_confirmed_volunteer_has_a_confirmed_consent_record(client, signup_page):
    people = [
        ("Alice", "Aubry", "alice@example.org"),
        ("Bruno", "Brun", "bruno@example.org"),
        ("Chloé", "Chêne", "chloe@example.org"),
        ("Denis", "Dupont", "denis@example.org"),
    ]
    for first_name, last_name, email in people:
        sign_up(client, signup_page, first_name=first_name, last_name=last_name, email=email)
    # Alice signs up again before confirming (nothing changes), then confirms.
    sign_up(client, signup_page, first_name="Alice", last_name="Aubry", email="alice@example.org")
    confirmations = {}
    for message in mail.outbox:
        confirmations[message.to[0]] = link_in(message, "confirmer")
    for email in ("alice@example.org", "bruno@example.org", "chloe@example.org"):
        assert client.post(confirmations[email]).status_code == 200
    # Bruno confirms twice.
    client.post(confirmations["bruno@example.org"])

    active = Volunteer.objects.filter(source=Source.VOLUNTEER_LIST, status=Status.ACTIVE)
    assert active.count() == 3
    for volunteer in active:
        assert volunteer.consents.exclude(confirmed_at=None).exists(), volunteer.email
        assert volunteer.confirmed_at is not None
    pending = Volunteer.objects.get(status=Status.PENDING)
    assert pending.email == "denis@example.org"
    assert not pending.consents.exclude(confirmed_at=None).exists()


# Without an e-mail address: the town hall calls.


def test_a_phone_only_sign_up_asks_the_town_hall_to_call(client, signup_page):
    response = sign_up(client, signup_page, email="", phone="06 12 34 56 78")
    assert response.status_code == 302
    assert response.url == route(signup_page, "signup_sent") + "?par=telephone"
    volunteer = Volunteer.objects.get()
    assert volunteer.status == Status.PENDING
    assert volunteer.email == ""
    assert ConsentRecord.objects.filter(volunteer=volunteer).count() == 1

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [TOWN_HALL]
    admin_path = reverse("participation_volunteers:edit", args=[volunteer.pk])
    assert f"http://testserver{admin_path}" in message.body
    everything = message.subject + message.body
    for personal in ("Camille", "Martin", "06 12 34 56 78", "0612345678", "chemin des Vignes"):
        assert personal not in everything

    response = client.get(response.url)
    assert response.context["by_phone"] is True


def test_the_town_halls_link_opens_the_sign_up_in_the_admin(client, client_a, signup_page):
    sign_up(client, signup_page, email="", phone="06 12 34 56 78")
    admin_url = re.search(r"http://testserver(/admin/\S+)", mail.outbox[0].body).group(1)
    response = client_a.get(admin_url)
    assert response.status_code == 200
    assert "Martin" in text_of(response)


def test_a_phone_only_sign_up_in_a_commune_without_e_mail_sends_nothing(client, signup_page_b):
    assert signup_page_b.commune.email == ""
    response = sign_up(client, signup_page_b, email="", phone="06 12 34 56 78", hamlet=None)
    assert response.status_code == 302
    assert Volunteer.objects.get().status == Status.PENDING
    assert mail.outbox == []


# Duplicates.


def an_hour_later():
    """Every rate window has passed."""
    RateLimitHit.objects.update(created_at=F("created_at") - timedelta(hours=2))


def test_the_same_e_mail_while_pending_changes_nothing_and_resends_the_link_later(
    client, signup_page
):
    first, _messages = signed_up(client, signup_page)
    response = sign_up(
        client, signup_page, email="CAMILLE@example.org", hamlet="Les Granges", phone="0611223344"
    )
    assert response.status_code == 302
    assert response.url == route(signup_page, "signup_sent") + "?par=courriel"
    volunteer = Volunteer.objects.get()
    assert volunteer.pk == first.pk
    assert volunteer.status == Status.PENDING
    assert (volunteer.hamlet, volunteer.phone) == ("Le Bourg", "")  # nothing changed
    assert ConsentRecord.objects.count() == 1
    # The link went out a moment ago: an unconfirmed address gets one e-mail per window.
    assert len(mail.outbox) == 1
    an_hour_later()
    sign_up(client, signup_page, hamlet="Les Granges")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["camille@example.org"]
    assert link_in(mail.outbox[1], "confirmer") == route(signup_page, "confirm", volunteer)


def test_a_sign_up_stored_by_a_parallel_request_is_never_renewed(client, signup_page, monkeypatch):
    """The window of two simultaneous sends: the second looked for a duplicate before the
    first was stored, then finds its address taken by a fresh sign-up. It must treat it as
    a known person (nothing changed, one consent), never as a sign-up left to expire."""
    from participation import registration

    first, _messages = signed_up(client, signup_page)
    monkeypatch.setattr(registration, "find_duplicate", lambda *args, **kwargs: (None, None))
    response = sign_up(client, signup_page, hamlet="Les Granges", phone="0611223344")
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.pk == first.pk
    assert (volunteer.hamlet, volunteer.phone) == ("Le Bourg", "")
    assert volunteer.created_at == first.created_at
    assert ConsentRecord.objects.count() == 1


def test_signing_up_again_after_the_link_expired_gives_a_fresh_link(client, signup_page, settings):
    settings.PARTICIPATION_CONFIRMATION_DAYS = 3
    volunteer, _messages = signed_up(client, signup_page)
    Volunteer.objects.filter(pk=volunteer.pk).update(created_at=timezone.now() - timedelta(days=4))
    assert client.get(route(signup_page, "confirm", volunteer)).status_code == 404

    response = sign_up(client, signup_page)
    assert response.status_code == 302
    assert Volunteer.objects.count() == 1
    response = client.post(link_in(mail.outbox[-1], "confirmer"))
    assert response.status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.status == Status.ACTIVE
    assert volunteer.consents.exclude(confirmed_at=None).count() == 1


def test_the_same_e_mail_once_confirmed_changes_nothing_and_gets_its_personal_link(
    client, signup_page
):
    volunteer = confirmed(client, signup_page)
    consents = ConsentRecord.objects.count()
    sent = len(mail.outbox)

    response = sign_up(client, signup_page, email="Camille@Example.org", first_name="Autre")
    # Answered as any sign-up: the page never tells who is on the list.
    assert response.status_code == 302
    assert response.url == route(signup_page, "signup_sent") + "?par=courriel"
    assert Volunteer.objects.count() == 1
    volunteer.refresh_from_db()
    assert volunteer.first_name == "Camille"  # nothing changed
    assert ConsentRecord.objects.count() == consents

    assert len(mail.outbox) == sent + 1
    message = mail.outbox[-1]
    assert message.to == ["camille@example.org"]
    assert link_in(message, "mes-donnees") == route(signup_page, "my_data", volunteer)
    assert "confirmer/" not in message.body


def test_the_same_phone_stores_nothing(client, signup_page):
    first, _messages = signed_up(client, signup_page, phone="06 12 34 56 78")
    response = sign_up(
        client,
        signup_page,
        first_name="Dominique",
        last_name="Bernard",
        email="dominique@example.org",
        phone="+33 6 12 34 56 78",
    )
    assert response.status_code == 302
    assert response.url == route(signup_page, "signup_sent") + "?par=courriel"
    assert list(Volunteer.objects.all()) == [first]
    assert ConsentRecord.objects.count() == 1
    # Nothing is sent to the new address (it is not the one on the list), nor again to the
    # pending one within the hour of its confirmation link.
    assert len(mail.outbox) == 1


def test_the_same_name_and_birth_year_stores_nothing(client, signup_page):
    first, _messages = signed_up(client, signup_page, first_name="Hélène", last_name="Lefèvre")
    response = sign_up(
        client,
        signup_page,
        first_name="HELENE",
        last_name="lefevre",
        email="helene.autre@example.org",
    )
    assert response.status_code == 302
    assert list(Volunteer.objects.all()) == [first]
    assert len(mail.outbox) == 1

    # Another year of birth is another person.
    response = sign_up(
        client,
        signup_page,
        first_name="Hélène",
        last_name="Lefèvre",
        email="helene.fille@example.org",
        birth_year=2001,
    )
    assert response.status_code == 302
    assert Volunteer.objects.count() == 2


def test_the_same_e_mail_in_another_commune_is_another_sign_up(client, signup_page, signup_page_b):
    in_a = confirmed(client, signup_page)
    response = sign_up(client, signup_page_b, hamlet=None)
    assert response.status_code == 302
    in_b = Volunteer.objects.get(commune=signup_page_b.commune)
    assert in_b.pk != in_a.pk
    assert in_b.status == Status.PENDING
    assert in_b.email == in_a.email
    assert ConsentRecord.objects.get(volunteer=in_b).consent_text.commune_id == (
        signup_page_b.commune.pk
    )
    assert link_in(mail.outbox[-1], "confirmer") == route(signup_page_b, "confirm", in_b)


def test_e_mail_addresses_are_compared_without_case(client, signup_page):
    confirmed(client, signup_page, email="camille@example.org")
    response = sign_up(client, signup_page, email="CAMILLE@EXAMPLE.ORG", first_name="Autre")
    assert response.status_code == 302
    assert Volunteer.objects.count() == 1
    assert Volunteer.objects.get().first_name == "Camille"


def test_people_imported_from_a_list_do_not_block_a_sign_up(client, signup_page):
    Volunteer.objects.create(
        commune=signup_page.commune,
        source=Source.ELECTORAL_ROLL,
        first_name="Camille",
        last_name="Martin",
        birth_year=1980,
        email="camille@example.org",
    )
    response = sign_up(client, signup_page)
    assert response.status_code == 302
    assert Volunteer.objects.filter(source=Source.VOLUNTEER_LIST).count() == 1


# Asking for one's link again.


def test_asking_for_the_link_answers_the_same_whether_or_not_the_address_is_known(
    client, signup_page
):
    confirmed(client, signup_page)
    sent = len(mail.outbox)
    url = route(signup_page, "link_request")
    assert client.get(url).status_code == 200

    unknown = client.post(url, {"email": "personne@example.org", "website": ""})
    assert len(mail.outbox) == sent
    known = client.post(url, {"email": "Camille@Example.org", "website": ""})
    assert unknown.status_code == known.status_code == 200
    assert without_csrf_tokens(unknown) == without_csrf_tokens(known)
    assert known.context["sent"] is True
    assert len(mail.outbox) == sent + 1


def test_a_known_address_receives_its_personal_link(client, signup_page):
    volunteer = confirmed(client, signup_page)
    sent = len(mail.outbox)
    client.post(route(signup_page, "link_request"), {"email": "camille@example.org"})
    assert len(mail.outbox) == sent + 1
    message = mail.outbox[-1]
    assert message.to == ["camille@example.org"]
    assert link_in(message, "mes-donnees") == route(signup_page, "my_data", volunteer)


def test_a_pending_address_receives_its_confirmation_link_again(client, signup_page):
    volunteer, _messages = signed_up(client, signup_page)
    # Not within the hour of the first one: an unconfirmed address gets one per hour.
    client.post(route(signup_page, "link_request"), {"email": "camille@example.org"})
    assert len(mail.outbox) == 1
    an_hour_later()
    client.post(route(signup_page, "link_request"), {"email": "camille@example.org"})
    assert len(mail.outbox) == 2
    assert link_in(mail.outbox[1], "confirmer") == route(signup_page, "confirm", volunteer)


def test_an_expired_or_foreign_sign_up_receives_no_link(
    client, signup_page, signup_page_b, settings
):
    settings.PARTICIPATION_CONFIRMATION_DAYS = 3
    volunteer, _messages = signed_up(client, signup_page)
    Volunteer.objects.filter(pk=volunteer.pk).update(created_at=timezone.now() - timedelta(days=4))
    sign_up(client, signup_page_b, email="bellecombe@example.org", hamlet=None, first_name="B")
    sent = len(mail.outbox)
    client.post(route(signup_page, "link_request"), {"email": "camille@example.org"})
    client.post(route(signup_page, "link_request"), {"email": "bellecombe@example.org"})
    assert len(mail.outbox) == sent


def test_a_bad_address_in_the_link_request_is_an_error(client, signup_page):
    response = client.post(route(signup_page, "link_request"), {"email": "pas-une-adresse"})
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert response.context["sent"] is False
    assert mail.outbox == []
