"""The staff side of the volunteer list: listing, filters, search, exports, add and edit
forms, and — above all — that the staff of one commune never reach another's people."""

import csv
import html
import io
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry

from home.onboarding import switch_module_on
from mprc_cms.modules import get_module
from participation.apps import PEOPLE_PERMISSIONS
from participation.choices import (
    Availability,
    ConsentMethod,
    Gender,
    SocialCategory,
    Source,
    Status,
    age_band_choices,
)
from participation.factories import ConsentRecordFactory, PoolFactory, VolunteerFactory
from participation.models import ConsentRecord, Pool, Volunteer, VolunteerSignupPage
from participation.retention import default_retention_end
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

INDEX = "participation_volunteers:index"
# Strings that only commune B's data holds: none may reach commune A's staff.
B_SECRETS = ("Bellecombaise", "Borel", "Cadastre de Bellecombe", "Hameau-Secret", "Bellecombe")


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def participation_on(commune_a, commune_b):
    """The volunteer list's admin screens are for the communes running the module."""
    for commune in (commune_a, commune_b):
        switch_module_on(commune, get_module("participation"))


@pytest.fixture
def people(commune_a, commune_b):
    pool_a = PoolFactory(commune=commune_a, name="Liste électorale d'Aubigny")
    pool_b = PoolFactory(
        commune=commune_b, name="Cadastre de Bellecombe", source=Source.LAND_REGISTER
    )
    return SimpleNamespace(
        pool_a=pool_a,
        pool_b=pool_b,
        anne=VolunteerFactory(
            commune=commune_a, first_name="Anne", last_name="Aubry", hamlet="Le Bourg"
        ),
        adrien=VolunteerFactory(pool=pool_a, first_name="Adrien", last_name="Arnoux"),
        berenice=VolunteerFactory(
            commune=commune_b,
            first_name="Bérénice",
            last_name="Bellecombaise",
            hamlet="Hameau-Secret",
            email="berenice@bellecombe.example",
        ),
        basile=VolunteerFactory(pool=pool_b, first_name="Basile", last_name="Borel"),
    )


def text_of(response):
    return html.unescape(response.content.decode())


def listed(client, **params):
    """The names the listing shows, with ``params`` as its query string."""
    response = client.get(reverse(INDEX), params)
    assert response.status_code == 200
    return {person.full_name for person in response.context["object_list"]}


def export_bytes(client, export_format, **params):
    response = client.get(reverse(INDEX), {"export": export_format, **params})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_cells(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows()]


def xlsx_text(content):
    return "\n".join(
        str(cell.value) for row in xlsx_cells(content) for cell in row if cell.value is not None
    )


def csv_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def choice_labels(field):
    return [str(label) for _value, label in field.choices]


# Scoping: the staff of commune A get nothing of commune B


def test_listing_shows_own_commune_only(client_a, people):
    response = client_a.get(reverse(INDEX))
    content = text_of(response)
    assert "Anne Aubry" in content
    assert "Adrien Arnoux" in content
    for secret in B_SECRETS:
        assert secret not in content
    assert listed(client_a) == {"Anne Aubry", "Adrien Arnoux"}


def test_coordinator_sees_both_communes(coordinator_client, people):
    assert listed(coordinator_client) == {
        "Anne Aubry",
        "Adrien Arnoux",
        "Bérénice Bellecombaise",
        "Basile Borel",
    }
    assert {"Liste électorale d'Aubigny", "Cadastre de Bellecombe"} <= set(
        choice_labels(coordinator_client.get(reverse(INDEX)).context["filters"].form.fields["pool"])
    )


@pytest.mark.parametrize("query", ["Bellecombaise", "Bérénice", "Borel", "bellecombe.example"])
def test_search_finds_nothing_of_another_commune(client_a, people, query):
    response = client_a.get(reverse(INDEX), {"q": query})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    # The query itself is echoed back (search box, export links); nothing else of B is.
    content = text_of(response).replace(query, "")
    for secret in ("Bellecombaise", "Borel", "Hameau-Secret", "berenice@"):
        assert secret not in content


def test_search_finds_own_people(client_a, coordinator_client, people):
    assert listed(client_a, q="Aubry") == {"Anne Aubry"}
    assert listed(coordinator_client, q="Borel") == {"Basile Borel"}


def test_filter_choices_do_not_offer_another_commune(client_a, people, commune_a):
    response = client_a.get(reverse(INDEX))
    fields = response.context["filters"].form.fields
    assert choice_labels(fields["commune"])[1:] == [commune_a.title]
    assert choice_labels(fields["pool"])[1:] == ["Liste électorale d'Aubigny"]
    assert "Hameau-Secret" not in choice_labels(fields["hamlet"])
    assert "Le Bourg" in choice_labels(fields["hamlet"])


def test_filtering_by_another_communes_ids_shows_nothing_of_it(client_a, people, commune_b):
    for params in ({"commune": commune_b.pk}, {"pool": people.pool_b.pk}):
        response = client_a.get(reverse(INDEX), params)
        assert response.status_code == 200
        names = {person.full_name for person in response.context["object_list"]}
        assert not names & {"Bérénice Bellecombaise", "Basile Borel"}
        content = text_of(response)
        for secret in ("Bellecombaise", "Borel", "Cadastre de Bellecombe"):
            assert secret not in content


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_exports_hold_own_commune_only(client_a, people, export_format):
    content = export_bytes(client_a, export_format)
    text = xlsx_text(content) if export_format == "xlsx" else content.decode("utf-8-sig")
    assert "Aubry" in text
    assert "Arnoux" in text
    for secret in B_SECRETS:
        assert secret not in text


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_export_of_a_search_for_another_commune_is_empty(client_a, people, export_format):
    content = export_bytes(client_a, export_format, q="Borel", pool=people.pool_b.pk)
    text = xlsx_text(content) if export_format == "xlsx" else content.decode("utf-8-sig")
    for secret in B_SECRETS:
        assert secret not in text


def assert_refused(response, *secrets):
    """A guessed URL: not found (404, so the id tells nothing), never the record."""
    assert response.status_code == 404, response.status_code
    content = text_of(response)
    for secret in secrets:
        assert secret not in content


@pytest.mark.parametrize("view", ["edit", "inspect", "delete", "history", "usage"])
def test_guessed_urls_of_another_communes_person(client_a, people, view):
    for person in (people.berenice, people.basile):
        response = client_a.get(reverse(f"participation_volunteers:{view}", args=[person.pk]))
        assert_refused(response, person.last_name, person.first_name)
    own = client_a.get(reverse(f"participation_volunteers:{view}", args=[people.anne.pk]))
    assert own.status_code == 200


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
def test_guessed_urls_of_another_communes_list(client_a, people, view):
    response = client_a.get(reverse(f"participation_pools:{view}", args=[people.pool_b.pk]))
    assert_refused(response, "Cadastre de Bellecombe")
    own = client_a.get(reverse(f"participation_pools:{view}", args=[people.pool_a.pk]))
    assert own.status_code == 200


def test_posting_to_another_communes_person_or_list_changes_nothing(client_a, people, commune_a):
    person = people.berenice
    client_a.post(
        reverse("participation_volunteers:edit", args=[person.pk]),
        {
            "commune": commune_a.pk,
            "status": Status.ACTIVE,
            "first_name": "Volée",
            "last_name": "Volée",
            "consent_method": "phone",
        },
    )
    client_a.post(reverse("participation_volunteers:delete", args=[people.basile.pk]))
    client_a.post(
        reverse("participation_pools:edit", args=[people.pool_b.pk]),
        {"commune": commune_a.pk, "name": "Prise", "source": Source.MANUAL},
    )
    client_a.post(reverse("participation_pools:delete", args=[people.pool_b.pk]))
    person.refresh_from_db()
    assert (person.first_name, person.commune_id) == ("Bérénice", people.berenice.commune_id)
    assert Volunteer.objects.filter(pk=people.basile.pk).exists()
    people.pool_b.refresh_from_db()
    assert people.pool_b.name == "Cadastre de Bellecombe"


def test_pool_listing_shows_own_commune_only(client_a, coordinator_client, people):
    content = text_of(client_a.get(reverse("participation_pools:index")))
    assert "Liste électorale d'Aubigny" in content
    assert "Cadastre de Bellecombe" not in content
    content = text_of(coordinator_client.get(reverse("participation_pools:index")))
    assert "Cadastre de Bellecombe" in content


def test_add_form_offers_own_commune_and_lists_only(client_a, coordinator_client, people):
    form = client_a.get(reverse("participation_volunteers:add")).context["form"]
    assert list(form.fields["commune"].queryset) == [people.anne.commune]
    assert list(form.fields["pool"].queryset) == [people.pool_a]
    form = coordinator_client.get(reverse("participation_volunteers:add")).context["form"]
    assert set(form.fields["pool"].queryset) == {people.pool_a, people.pool_b}
    pool_form = client_a.get(reverse("participation_pools:add")).context["form"]
    assert list(pool_form.fields["commune"].queryset) == [people.anne.commune]


# The add and edit forms


def person_data(commune, **overrides):
    data = {
        "commune": commune.pk,
        "pool": "",
        "status": Status.ACTIVE,
        "exclusion_reason": "",
        "first_name": "Lucie",
        "last_name": "Lemoine",
        "email": "",
        "phone": "06 12 34 56 78",
        "birth_year": 1975,
        "gender": Gender.FEMALE,
        "hamlet": "Le Bourg",
        "social_category": SocialCategory.RETIRED,
        "address": "1 place de la Mairie",
        "household": "",
        "retention_end": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def edit_data(person, **overrides):
    data = {
        "commune": person.commune_id,
        "pool": person.pool_id or "",
        "status": person.status,
        "exclusion_reason": person.exclusion_reason,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone,
        "birth_year": person.birth_year or "",
        "gender": person.gender,
        "hamlet": person.hamlet,
        "social_category": person.social_category,
        "address": person.address,
        "household": person.household,
        "retention_end": person.retention_end.isoformat() if person.retention_end else "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def add(client, data):
    return client.post(reverse("participation_volunteers:add"), data)


def form_errors(response):
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


def test_posting_another_communes_list_in_the_add_form_is_refused(client_a, people, commune_a):
    count = Volunteer.objects.count()
    response = add(client_a, person_data(commune_a, pool=people.pool_b.pk, consent_method="paper"))
    assert "pool" in form_errors(response)
    assert Volunteer.objects.count() == count
    assert not Volunteer.objects.filter(last_name="Lemoine").exists()


def test_posting_another_commune_in_the_add_form_is_refused(client_a, people, commune_b):
    response = add(client_a, person_data(commune_b, consent_method="paper"))
    assert "commune" in form_errors(response)
    assert "Sélectionnez un choix valide." in str(response.context["form"].errors["commune"])
    assert not Volunteer.objects.filter(last_name="Lemoine").exists()


def test_a_list_of_another_commune_is_refused_even_to_a_coordinator(
    coordinator_client, people, commune_a
):
    response = add(coordinator_client, person_data(commune_a, pool=people.pool_b.pk))
    assert "pool" in form_errors(response)
    assert not Volunteer.objects.filter(last_name="Lemoine").exists()


def test_adding_a_person_by_hand_needs_their_consent(client_a, commune_a, signup_page):
    response = add(client_a, person_data(commune_a))
    assert "consent_method" in form_errors(response)
    assert not Volunteer.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_adding_a_person_with_consent_records_it(client_a, editor_a, commune_a, signup_page):
    response = add(client_a, person_data(commune_a, consent_method="paper"))
    assert response.status_code == 302, response.context["form"].errors
    person = Volunteer.objects.get()
    # Staff are offered the letter or the e-mail with the person's personal link.
    assert response.url == reverse("participation_volunteers:personal_link", args=[person.pk])
    assert person.source == Source.MANUAL
    assert person.status == Status.ACTIVE
    assert person.commune_id == commune_a.pk
    assert person.confirmed_at is not None
    assert person.retention_end == default_retention_end(commune_a)
    consent = ConsentRecord.objects.get()
    assert consent.volunteer_id == person.pk
    assert consent.method == ConsentMethod.PAPER
    assert consent.recorded_by_id == editor_a.pk
    assert consent.confirmed_at is not None
    assert consent.consent_text.commune_id == commune_a.pk
    assert consent.consent_text.text == signup_page.rendered_consent_text()


def test_a_pending_person_by_hand_needs_no_consent_yet(client_a, commune_a):
    response = add(client_a, person_data(commune_a, status=Status.PENDING))
    assert response.status_code == 302
    person = Volunteer.objects.get()
    assert person.status == Status.PENDING
    assert person.confirmed_at is None
    assert not ConsentRecord.objects.exists()


def test_a_person_of_an_imported_list_needs_no_consent(client_a, people, commune_a):
    response = add(client_a, person_data(commune_a, pool=people.pool_a.pk))
    assert response.status_code == 302, response.context["form"].errors
    person = Volunteer.objects.get(last_name="Lemoine")
    assert person.pool_id == people.pool_a.pk
    assert person.source == Source.ELECTORAL_ROLL
    assert not person.consents.exists()


def test_confirming_a_phone_sign_up_on_the_persons_word(client_a, editor_a, commune_a, signup_page):
    person = VolunteerFactory(
        commune=commune_a, pending=True, email="", phone="06 11 22 33 44", first_name="Paul"
    )
    assert person.consents.get().confirmed_at is None
    url = reverse("participation_volunteers:edit", args=[person.pk])
    assert "consent_method" in client_a.get(url).context["form"].fields

    response = client_a.post(url, edit_data(person, status=Status.ACTIVE, consent_method="phone"))
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.status == Status.ACTIVE
    assert person.confirmed_at is not None
    assert person.retention_end == default_retention_end(commune_a)
    staff = person.consents.get(method=ConsentMethod.PHONE)
    assert staff.recorded_by_id == editor_a.pk
    assert staff.confirmed_at is not None
    # The online consent never confirmed by its link stays as it was.
    assert person.consents.get(method=ConsentMethod.ONLINE).confirmed_at is None


def test_confirming_a_sign_up_without_consent_is_refused(client_a, commune_a, signup_page):
    person = VolunteerFactory(commune=commune_a, pending=True, email="", phone="0611223344")
    url = reverse("participation_volunteers:edit", args=[person.pk])
    response = client_a.post(url, edit_data(person, status=Status.ACTIVE))
    assert "consent_method" in form_errors(response)
    person.refresh_from_db()
    assert person.status == Status.PENDING
    assert person.confirmed_at is None
    assert not person.consents.exclude(method=ConsentMethod.ONLINE).exists()


def test_consent_box_is_gone_once_consent_is_confirmed(client_a, commune_a, signup_page):
    person = VolunteerFactory(commune=commune_a, signed_up=True)
    url = reverse("participation_volunteers:edit", args=[person.pk])
    assert "consent_method" not in client_a.get(url).context["form"].fields
    response = client_a.post(url, edit_data(person, hamlet="Les Granges"))
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.hamlet == "Les Granges"
    assert person.consents.count() == 1


def test_setting_a_person_aside_needs_a_reason(client_a, commune_a, signup_page):
    person = VolunteerFactory(commune=commune_a, signed_up=True)
    url = reverse("participation_volunteers:edit", args=[person.pk])
    response = client_a.post(url, edit_data(person, status=Status.EXCLUDED))
    assert "exclusion_reason" in form_errors(response)
    person.refresh_from_db()
    assert person.status == Status.ACTIVE

    response = client_a.post(
        url, edit_data(person, status=Status.EXCLUDED, exclusion_reason="A déménagé")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.status, person.exclusion_reason) == (Status.EXCLUDED, "A déménagé")


def test_a_reason_is_dropped_when_the_person_is_back(client_a, commune_a, signup_page):
    person = VolunteerFactory(
        commune=commune_a, signed_up=True, status=Status.EXCLUDED, exclusion_reason="Absent"
    )
    url = reverse("participation_volunteers:edit", args=[person.pk])
    response = client_a.post(url, edit_data(person, status=Status.ACTIVE))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.status, person.exclusion_reason) == (Status.ACTIVE, "")


def test_inspect_shows_the_consent(client_a, editor_a, commune_a, signup_page):
    person = VolunteerFactory(commune=commune_a, signed_up=True, consent=False)
    ConsentRecordFactory(volunteer=person, method=ConsentMethod.STAFF, recorded_by=editor_a)
    response = client_a.get(reverse("participation_volunteers:inspect", args=[person.pk]))
    assert response.status_code == 200
    consent = person.consents.get()
    assert consent.describe() in text_of(response)
    # How the consent was given, and who recorded it.
    assert str(ConsentMethod.STAFF.label) in " ".join(consent.describe().split())
    assert editor_a.get_username() in consent.describe() or editor_a.get_full_name() in (
        consent.describe()
    )


# Listing filters


@pytest.fixture
def crowd(commune_a, signup_page):
    year = timezone.localdate().year
    pool = PoolFactory(commune=commune_a, name="Cadastre", source=Source.LAND_REGISTER)

    def person(first_name, **fields):
        if "pool" not in fields:
            fields["commune"] = commune_a
        return VolunteerFactory(first_name=first_name, last_name="Test", **fields)

    return SimpleNamespace(
        pool=pool,
        year=year,
        people=[
            person("Ado", birth_year=year - 16, gender=Gender.MALE, hamlet="Le Bourg"),
            person("Jeune", birth_year=year - 24, social_category=SocialCategory.WORKERS),
            person("Trente", birth_year=year - 25, signed_up=True, hamlet="Les Granges"),
            person("Quarante", birth_year=year - 49, pending=True, gender=Gender.OTHER),
            person("Cinquante", birth_year=year - 50, pool=pool),
            person(
                "Retraite",
                birth_year=year - 65,
                social_category=SocialCategory.RETIRED,
                status=Status.EXCLUDED,
                exclusion_reason="Parti",
            ),
            person("Sansage", birth_year=None, gender=Gender.UNDISCLOSED),
        ],
    )


def first_names(client, **params):
    return {name.split()[0] for name in listed(client, **params)}


ALL = {"Ado", "Jeune", "Trente", "Quarante", "Cinquante", "Retraite", "Sansage"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ALL),
        ({"status": Status.PENDING}, {"Quarante"}),
        ({"status": Status.EXCLUDED}, {"Retraite"}),
        ({"status": Status.ACTIVE}, ALL - {"Quarante", "Retraite"}),
        ({"source": Source.VOLUNTEER_LIST}, {"Trente", "Quarante"}),
        ({"source": Source.LAND_REGISTER}, {"Cinquante"}),
        ({"source": Source.MANUAL}, {"Ado", "Jeune", "Retraite", "Sansage"}),
        ({"hamlet": "Les Granges"}, {"Trente"}),
        ({"age_band": "16-24"}, {"Ado", "Jeune"}),
        ({"age_band": "25-34"}, {"Trente"}),
        ({"age_band": "35-49"}, {"Quarante"}),
        ({"age_band": "50-64"}, {"Cinquante"}),
        ({"age_band": "65+"}, {"Retraite"}),
        ({"gender": Gender.MALE}, {"Ado"}),
        ({"gender": Gender.OTHER}, {"Quarante"}),
        ({"gender": Gender.UNDISCLOSED}, {"Sansage"}),
        ({"social_category": SocialCategory.WORKERS}, {"Jeune"}),
        ({"social_category": SocialCategory.RETIRED}, {"Retraite"}),
        ({"status": Status.ACTIVE, "gender": Gender.FEMALE, "age_band": "16-24"}, {"Jeune"}),
    ],
    ids=lambda value: (
        "&".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else None
    ),
)
def test_filters_narrow_the_listing(client_a, crowd, params, expected):
    assert first_names(client_a, **params) == expected


def test_filter_by_list(client_a, crowd):
    assert first_names(client_a, pool=crowd.pool.pk) == {"Cinquante"}


def test_filter_by_commune_for_a_coordinator(coordinator_client, crowd, commune_b):
    VolunteerFactory(commune=commune_b, first_name="Bruno", last_name="Test")
    assert first_names(coordinator_client, commune=commune_b.pk) == {"Bruno"}
    assert first_names(coordinator_client, commune=crowd.pool.commune_id) == ALL


def test_filtered_export_holds_the_filtered_rows(client_a, crowd):
    rows = csv_rows(export_bytes(client_a, "csv", status=Status.PENDING))
    assert [row[1] for row in rows[1:]] == ["Quarante"]


# Exports


def test_exports_are_recorded_in_the_commune_history(client_a, editor_a, people, commune_a):
    export_bytes(client_a, "csv")
    export_bytes(client_a, "xlsx")
    entries = PageLogEntry.objects.filter(action="mprc.export").order_by("pk")
    assert [entry.data["format"] for entry in entries] == ["csv", "xlsx"]
    for entry in entries:
        assert entry.page_id == commune_a.pk
        assert entry.user_id == editor_a.pk
        assert entry.data["model"] == "participation.Volunteer"
        assert entry.data["rows"] == 2
    # Only counts are logged, never the people.
    assert "Aubry" not in str([entry.data for entry in entries])


def test_a_coordinators_export_is_recorded_in_each_commune(
    coordinator_client, coordinator, people, commune_a, commune_b
):
    export_bytes(coordinator_client, "csv")
    entries = PageLogEntry.objects.filter(action="mprc.export")
    assert {(entry.page_id, entry.data["rows"]) for entry in entries} == {
        (commune_a.pk, 2),
        (commune_b.pk, 2),
    }
    assert {entry.user_id for entry in entries} == {coordinator.pk}


def test_viewing_the_listing_is_not_an_export(client_a, people):
    client_a.get(reverse(INDEX))
    assert not PageLogEntry.objects.filter(action="mprc.export").exists()


FORMULAS = ["=1+1", '=HYPERLINK("http://example.org";"clic")', "@SOMME(A1)", "-2+3", "+A1"]


def test_csv_export_makes_formulas_inert(client_a, commune_a):
    for number, formula in enumerate(FORMULAS):
        VolunteerFactory(
            commune=commune_a, first_name=formula, last_name=f"Formule{number}", address=formula
        )
    rows = csv_rows(export_bytes(client_a, "csv"))
    header, data = rows[0], rows[1:]
    # The columns of VolunteerViewSet.list_export: first_name is 2nd, address 14th.
    first, address = 1, 13
    assert len(header) == 19
    cells = {row[0]: (row[first], row[address]) for row in data}
    for number, formula in enumerate(FORMULAS):
        assert cells[f"Formule{number}"] == ("'" + formula, "'" + formula)
    for row in data:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_xlsx_export_writes_formulas_as_text(client_a, commune_a):
    VolunteerFactory(commune=commune_a, first_name="=1+1", last_name='=HYPERLINK("x";"y")')
    cells = [cell for row in xlsx_cells(export_bytes(client_a, "xlsx")) for cell in row]
    texts = [cell for cell in cells if cell.value in ("=1+1", '=HYPERLINK("x";"y")')]
    assert len(texts) == 2
    assert {cell.data_type for cell in texts} == {"s"}
    assert not [cell for cell in cells if cell.data_type == "f"]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_exports_show_labels_not_codes(client_a, commune_a, export_format):
    pool = PoolFactory(commune=commune_a, name="Extrait 2026")
    VolunteerFactory(
        pool=pool,
        gender=Gender.MALE,
        social_category=SocialCategory.RETIRED,
        birth_year=timezone.localdate().year - 70,
        availability=["saturday"],
    )
    content = export_bytes(client_a, export_format)
    text = xlsx_text(content) if export_format == "xlsx" else content.decode("utf-8-sig")
    for label in (
        Source.ELECTORAL_ROLL.label,
        Status.ACTIVE.label,
        Gender.MALE.label,
        SocialCategory.RETIRED.label,
        Availability.SATURDAY.label,
        dict(age_band_choices())["65+"],
    ):
        assert gettext(label) in text
    # No cell shows a code, alone or in a list (a date's digits may hold "65+").
    if export_format == "xlsx":
        cells = [str(c.value) for row in xlsx_cells(content) for c in row if c.value is not None]
    else:
        cells = [cell for row in csv_rows(content) for cell in row]
    words = {word.strip() for cell in cells for word in cell.split(",")}
    for code in ("electoral_roll", "male", "saturday", "65+", "active"):
        assert code not in words


def test_labels_are_french_in_exports(client_a, commune_a):
    """Labels Django already translates, such as the commune's model fields, are French."""
    VolunteerFactory(commune=commune_a)
    header = csv_rows(export_bytes(client_a, "csv"))[0]
    assert header[:2] == ["Nom", "Prénom"]


# The module


def test_switching_the_module_on_gives_a_live_sign_up_page(client, network_home):
    from home.onboarding import create_commune

    # A commune of its own: the module is on for communes A and B in every test here.
    commune_b = create_commune(
        name="Cortevaix", insee_code="71149", postcode="71460", publish=True
    ).commune
    module = get_module("participation")
    assert module.index_page_for(commune_b) is None
    page, created = switch_module_on(commune_b, module)
    assert created
    page = page.specific
    assert isinstance(page, VolunteerSignupPage)
    assert page.live
    assert page.get_parent().pk == commune_b.pk
    assert page.slug == "devenir-volontaire"
    response = client.get(page.url)
    assert response.status_code == 200
    assert "consent_version" in response.context["form"].fields
    again, created_again = switch_module_on(commune_b, module)
    assert (again.pk, created_again) == (page.pk, False)
    assert VolunteerSignupPage.objects.child_of(commune_b).count() == 1


def test_editors_and_coordinators_may_manage_people_and_lists(editor_a, commune_a, coordinator):
    granted = set(
        commune_a.editors_group.permissions.filter(
            content_type__app_label="participation"
        ).values_list("codename", flat=True)
    )
    expected = {
        f"{action}_{model}"
        for model in ("volunteer", "pool")
        for action in ("add", "change", "delete", "view")
    }
    assert expected <= granted
    assert set(PEOPLE_PERMISSIONS) == {f"participation.{codename}" for codename in expected}
    for user in (editor_a, coordinator):
        for codename in expected:
            assert user.has_perm(f"participation.{codename}")
    # The draws and the members are the micro-parliament's, on with the volunteer list.
    for user in (editor_a, coordinator):
        for model in ("draw", "parliamentmember"):
            assert user.has_perm(f"parliament.change_{model}")


def test_staff_without_the_view_permission_cannot_list_people(editor_a, commune_a, people):
    commune_a.editors_group.permissions.remove(
        *Permission.objects.filter(
            content_type__app_label="participation",
            codename__in=[
                "view_volunteer",
                "change_volunteer",
                "add_volunteer",
                "delete_volunteer",
            ],
        )
    )
    client = logged_in(editor_a)
    response = client.get(reverse(INDEX))
    assert response.status_code == 302
    assert response.url == "/admin/"
    response = client.get(reverse(INDEX), {"export": "csv"})
    assert response.status_code == 302
    assert not PageLogEntry.objects.filter(action="mprc.export").exists()


def test_a_new_list_gets_the_default_retention_end(client_a, commune_a, signup_page):
    response = client_a.post(
        reverse("participation_pools:add"),
        {
            "commune": commune_a.pk,
            "name": "  Liste   électorale  2026 ",
            "source": Source.ELECTORAL_ROLL,
            "description": "",
            "retention_end": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    pool = Pool.objects.get()
    assert pool.name == "Liste électorale 2026"
    assert pool.retention_end == default_retention_end(commune_a)


# Erasing a person in the admin erases their history (its labels hold their name)


def volunteer_history():
    return ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Volunteer))


def test_deleting_a_person_erases_their_history(client_a, commune_a, signup_page):
    response = add(client_a, person_data(commune_a, consent_method="counter"))
    assert response.status_code == 302
    person = Volunteer.objects.get()
    response = client_a.post(
        reverse("participation_volunteers:edit", args=[person.pk]),
        edit_data(person, hamlet="Les Granges"),
    )
    assert response.status_code == 302
    assert volunteer_history().filter(label__contains="Lemoine").count() == 2

    response = client_a.post(reverse("participation_volunteers:delete", args=[person.pk]))
    assert response.status_code == 302
    assert not Volunteer.objects.exists()
    assert not volunteer_history().exists()


def test_deleting_a_list_erases_its_people_and_their_history(client_a, commune_a, editor_a):
    pool = PoolFactory(commune=commune_a)
    kept = VolunteerFactory(commune=commune_a, last_name="Garde")
    members = [VolunteerFactory(pool=pool, last_name=f"Membre{n}") for n in range(2)]
    for person in (kept, *members):
        log(instance=person, action="wagtail.edit", user=editor_a)
    response = client_a.post(reverse("participation_pools:delete", args=[pool.pk]))
    assert response.status_code == 302
    assert list(Volunteer.objects.values_list("last_name", flat=True)) == ["Garde"]
    assert list(volunteer_history().values_list("object_id", flat=True)) == [str(kept.pk)]
