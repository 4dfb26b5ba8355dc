"""Importing people into a list (pool) through the shared admin import view:
upload (with the list chosen) → preview (dry run) → confirm, every row or none."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import PageLogEntry

from home.models import CommunePage
from mprc_cms.imports import get_import, store
from participation.choices import Gender, SocialCategory, Source, Status
from participation.factories import PoolFactory, VolunteerFactory
from participation.models import Volunteer
from participation.resources import PoolOptions
from tests.import_helpers import post_file, preview_url_of, stored_files, text_of, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_import_dir", "french")]

URL = "/admin/imports/participation/volunteer/"
HAMLETS = "Le Bourg\nLes Granges\nLa Croix-Blanche\nLes Prés-Fleuris"
HEADER = "nom;prenom;sexe;date_naissance;adresse;foyer;hameau;pcs;email;telephone"


@pytest.fixture
def pool_a(commune_a, signup_page):
    CommunePage.objects.filter(pk=commune_a.pk).update(hamlets=HAMLETS)
    return PoolFactory(commune=commune_a, name="Liste électorale 2026")


@pytest.fixture
def pool_b(commune_b):
    return PoolFactory(commune=commune_b, name="Cadastre de Bellecombe", source="land_register")


def upload(client, content, pool, name="liste.csv", encoding="utf-8"):
    return post_file(client, URL, content, name=name, encoding=encoding, pool=pool)


def import_file(client, content, pool, **kwargs):
    """Upload, check the preview has no error, confirm; returns the preview's outcome."""
    preview_url = preview_url_of(upload(client, content, pool, **kwargs))
    preview = client.get(preview_url)
    assert preview.status_code == 200
    outcome = preview.context["outcome"]
    assert [str(error) for error in outcome.errors] == []
    response = client.post(preview_url)
    assert response.status_code == 302, text_of(response)[:3000]
    assert response.url == reverse("participation_volunteers:index")
    return outcome


def good_csv():
    employees = str(SocialCategory.EMPLOYEES.label)  # the label as the staff read it
    return "\ufeff" + "\r\n".join(
        [
            HEADER,
            "Martin;Camille;F;14/07/1962;3 chemin des Vignes;;le bourg;7;"
            "Camille.Martin@Example.org;06 12 34 56 78",
            f"Dupré;Étienne;Homme;1985-03-02;12 rue des Écoles;;LES GRANGES;{employees.upper()};;",
            "Lefèvre;Hélène;Femme;1990;;F12;les pres fleuris;3;;",
            "Roux;Marc;M;;;;;;;",
            "",
        ]
    )


def person(pool, last_name):
    return Volunteer.objects.get(pool=pool, last_name=last_name)


# The upload form and its list


def test_upload_form_offers_own_lists_and_no_commune(client_a, pool_a, pool_b):
    response = client_a.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert "commune" not in form.fields  # the list decides it
    assert list(form.fields["pool"].queryset) == [pool_a]
    content = text_of(response)
    assert 'name="commune"' not in content
    assert "Liste électorale 2026" in content
    assert "Cadastre de Bellecombe" not in content
    assert "Bellecombe" not in content


def test_coordinator_chooses_among_every_communes_lists(coordinator_client, pool_a, pool_b):
    form = coordinator_client.get(URL).context["form"]
    assert set(form.fields["pool"].queryset) == {pool_a, pool_b}


def test_the_list_in_the_query_string_is_preselected(client_a, pool_a):
    PoolFactory(commune=pool_a.commune, name="Autre liste")
    response = client_a.get(URL, {"pool": pool_a.pk})
    assert str(response.context["form"]["pool"].value()) == str(pool_a.pk)
    assert f'<option value="{pool_a.pk}" selected>' in response.content.decode()


def test_the_lists_listing_links_to_an_import_into_each_list(client_a, pool_a):
    content = text_of(client_a.get(reverse("participation_pools:index")))
    assert f"{URL}?pool={pool_a.pk}" in content


def test_an_import_needs_a_list(client_a, pool_a, private_import_dir):
    response = upload(client_a, good_csv(), None)
    assert response.status_code == 200
    assert "pool" in response.context["form"].errors
    assert stored_files(private_import_dir) == []
    assert not Volunteer.objects.exists()


def test_importing_into_another_communes_list_is_refused(
    client_a, pool_a, pool_b, private_import_dir
):
    response = upload(client_a, good_csv(), pool_b)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Sélectionnez un choix valide." in str(errors["pool"])
    assert stored_files(private_import_dir) == []
    assert not Volunteer.objects.exists()
    assert not PageLogEntry.objects.filter(action="mprc.import").exists()


# Good files


def test_csv_import_fills_the_list(client_a, editor_a, pool_a, commune_a):
    outcome = import_file(client_a, good_csv(), pool_a)
    assert (outcome.new, outcome.updated, outcome.total) == (4, 0, 4)
    people = Volunteer.objects.filter(pool=pool_a)
    assert people.count() == 4
    for someone in people:
        assert someone.commune_id == commune_a.pk
        assert someone.source == Source.ELECTORAL_ROLL
        assert someone.status == Status.ACTIVE
        assert not someone.consents.exists()

    camille = person(pool_a, "Martin")
    assert (camille.first_name, camille.birth_year, camille.gender) == ("Camille", 1962, "female")
    assert camille.hamlet == "Le Bourg"
    assert camille.social_category == SocialCategory.RETIRED
    assert camille.email == "camille.martin@example.org"
    assert camille.phone == "06 12 34 56 78"
    assert camille.address == "3 chemin des Vignes"

    etienne = person(pool_a, "Dupré")
    assert (etienne.first_name, etienne.birth_year, etienne.gender) == ("Étienne", 1985, "male")
    assert etienne.hamlet == "Les Granges"
    assert etienne.social_category == SocialCategory.EMPLOYEES

    helene = person(pool_a, "Lefèvre")
    assert (helene.birth_year, helene.gender, helene.household) == (1990, "female", "F12")
    assert helene.hamlet == "Les Prés-Fleuris"
    assert helene.social_category == SocialCategory.MANAGERS

    marc = person(pool_a, "Roux")
    assert (marc.birth_year, marc.gender, marc.hamlet, marc.social_category) == (
        None,
        "male",
        "",
        "",
    )

    entry = PageLogEntry.objects.get(action="mprc.import")
    assert entry.page_id == commune_a.pk
    assert entry.user_id == editor_a.pk
    assert entry.data["file"] == "liste.csv"
    assert entry.data["model"] == "participation.Volunteer"
    assert (entry.data["created"], entry.data["updated"]) == (4, 0)
    assert pool_a.name in entry.data["options"].values()
    assert "Martin" not in str(entry.data)  # counts, never names


def test_xlsx_import_with_date_cells(client_a, pool_a):
    content = xlsx(
        [
            ["Nom", "Prenom", "Sexe", "Date_naissance", "Hameau", "PCS"],
            ["Martin", "Camille", "F", datetime.date(1962, 7, 14), "LE BOURG", 7],
            ["Dupré", "Étienne", "Homme", datetime.datetime(1985, 3, 2), "les granges", "5"],
            [None, None, None, None, None, None],
            ["Lefèvre", "Hélène", "femme", 1990, None, None],
            ["Roux", "Marc", "M", "02/03/1948", "La croix blanche", 1],
        ]
    )
    import_file(client_a, content, pool_a, name="liste.xlsx")
    found = {
        p.last_name: (p.birth_year, p.gender, p.hamlet, p.social_category)
        for p in Volunteer.objects.filter(pool=pool_a)
    }
    assert found == {
        "Martin": (1962, Gender.FEMALE, "Le Bourg", "7"),
        "Dupré": (1985, Gender.MALE, "Les Granges", "5"),
        "Lefèvre": (1990, Gender.FEMALE, "", ""),
        "Roux": (1948, Gender.MALE, "La Croix-Blanche", "1"),
    }
    assert PageLogEntry.objects.get(action="mprc.import").data["format"] == "xlsx"


def test_windows_1252_file_with_its_encoding(client_a, pool_a):
    content = "nom;prenom;sexe\r\nHérault;Hélène;F\r\n".encode("cp1252")
    import_file(client_a, content, pool_a, encoding="cp1252")
    assert person(pool_a, "Hérault").first_name == "Hélène"


def test_importing_the_same_file_twice_changes_nothing(client_a, pool_a):
    import_file(client_a, good_csv(), pool_a)
    before = {
        p.pk: (p.first_name, p.birth_year, p.gender, p.hamlet, p.social_category, p.email)
        for p in Volunteer.objects.all()
    }
    outcome = import_file(client_a, good_csv(), pool_a)
    # The preview says so: nothing new, nothing updated, every row unchanged.
    assert (outcome.new, outcome.updated, outcome.skipped) == (0, 0, 4)
    after = {
        p.pk: (p.first_name, p.birth_year, p.gender, p.hamlet, p.social_category, p.email)
        for p in Volunteer.objects.all()
    }
    assert after == before
    assert Volunteer.objects.count() == 4


def test_a_corrected_file_updates_the_same_people(client_a, pool_a):
    import_file(client_a, good_csv(), pool_a)
    martin = person(pool_a, "Martin")
    corrected = good_csv().replace("3 chemin des Vignes", "5 chemin des Vignes")
    import_file(client_a, corrected, pool_a)
    assert Volunteer.objects.count() == 4
    assert person(pool_a, "Martin").pk == martin.pk
    assert person(pool_a, "Martin").address == "5 chemin des Vignes"


def test_the_same_name_in_another_list_is_another_person(client_a, pool_a):
    other = PoolFactory(commune=pool_a.commune, name="Cadastre", source=Source.LAND_REGISTER)
    import_file(client_a, good_csv(), pool_a)
    import_file(client_a, good_csv(), other)
    assert Volunteer.objects.filter(pool=pool_a).count() == 4
    assert Volunteer.objects.filter(pool=other, source=Source.LAND_REGISTER).count() == 4


def test_an_import_never_touches_sign_ups_of_the_same_name(client_a, pool_a, commune_a):
    signed_up = VolunteerFactory(
        commune=commune_a,
        signed_up=True,
        first_name="Camille",
        last_name="Martin",
        birth_year=1962,
        address="Ailleurs",
    )
    import_file(client_a, good_csv(), pool_a)
    signed_up.refresh_from_db()
    assert (signed_up.pool_id, signed_up.address) == (None, "Ailleurs")
    assert signed_up.source == Source.VOLUNTEER_LIST
    assert Volunteer.objects.filter(pool=pool_a).count() == 4


def test_namesakes_born_in_different_years_are_two_people(client_a, pool_a):
    content = "nom;prenom;date_naissance\nMartin;Jean;1950\nMartin;Jean;1980\n"
    import_file(client_a, content, pool_a)
    assert sorted(Volunteer.objects.values_list("birth_year", flat=True)) == [1950, 1980]


# Files with errors: the preview lists each bad row; confirming writes nothing


def bad_rows_csv():
    too_young = timezone.localdate().year - 10
    return "\n".join(
        [
            "nom;prenom;sexe;date_naissance;hameau;pcs;email",
            "Martin;Camille;F;14/07/1962;Le Bourg;7;camille@example.org",  # 2: good
            "Faux;Février;F;31/02/1970;;;",  # 3
            "Hier;Henri;M;hier;;;",  # 4
            "Zed;Zoé;Z;1980;;;",  # 5
            "Neuf;Nina;F;1980;;9;",  # 6
            "Loin;Léa;F;1980;Atlantide;;",  # 7
            f"Jeune;Jules;M;{too_young};;;",  # 8
            "Mail;Max;M;1980;;;pas-une-adresse",  # 9
            '"=HYPERLINK(""http://example.org"";""clic"")";Fx;F;1980;;;',  # 10
            ";Sansnom;F;1980;;;",  # 11
            "",
        ]
    )


EXPECTED_BAD = {
    (3, "date_naissance"),
    (4, "date_naissance"),
    (5, "sexe"),
    (6, "pcs"),
    (7, "hameau"),
    (8, "date_naissance"),
    (9, "email"),
    (10, "nom"),
    (11, "nom"),
}


def test_bad_rows_are_each_explained_and_nothing_is_written(client_a, pool_a):
    preview_url = preview_url_of(upload(client_a, bad_rows_csv(), pool_a))
    preview = client_a.get(preview_url)
    assert preview.status_code == 200
    outcome = preview.context["outcome"]
    assert {(error.row, error.column) for error in outcome.errors} == EXPECTED_BAD
    assert all(error.message for error in outcome.errors)
    assert outcome.error_rows == 9
    assert preview.context["can_confirm"] is False
    content = text_of(preview)
    for error in outcome.errors:
        assert str(error) in content
    assert f'<form action="{preview_url}"' not in content
    by_row = {error.row: error.message for error in outcome.errors}
    assert "31/02/1970" in by_row[3]
    assert "hier" in by_row[4]
    assert "Z" in by_row[5]
    assert "Atlantide" in by_row[7]
    assert "Le Bourg" in by_row[7]  # the known hamlets are listed

    response = client_a.post(preview_url)
    assert response.status_code == 200
    assert {(e.row, e.column) for e in response.context["outcome"].errors} == EXPECTED_BAD
    assert not Volunteer.objects.exists()
    assert not PageLogEntry.objects.filter(action="mprc.import").exists()


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("X;Y;F;31/02/1970;;;", "date_naissance"),
        ("X;Y;F;hier;;;", "date_naissance"),
        ("X;Y;Z;1980;;;", "sexe"),
        ("X;Y;F;1980;;9;", "pcs"),
        ("X;Y;F;1980;Atlantide;;", "hameau"),
        ("X;Y;F;1980;;;pas-une-adresse", "email"),
        ("=1+1;Y;F;1980;;;", "nom"),
        ("X;@SOMME(A1);F;1980;;;", "prenom"),
        ("X;;F;1980;;;", "prenom"),
    ],
)
def test_one_bad_row_among_good_ones_writes_nothing(client_a, pool_a, row, column):
    content = "\n".join(
        [
            "nom;prenom;sexe;date_naissance;hameau;pcs;email",
            "Martin;Camille;F;1962;;;",
            row,
            "Roux;Marc;M;1950;;;",
        ]
    )
    preview_url = preview_url_of(upload(client_a, content, pool_a))
    outcome = client_a.get(preview_url).context["outcome"]
    assert [(error.row, error.column) for error in outcome.errors] == [(3, column)]
    assert client_a.post(preview_url).status_code == 200
    assert not Volunteer.objects.exists()


def test_under_sixteen_this_year_is_refused(client_a, pool_a):
    year = timezone.localdate().year
    content = f"nom;prenom;date_naissance\nAîné;Al;{year - 16}\nCadet;Cy;{year - 15}\n"
    preview_url = preview_url_of(upload(client_a, content, pool_a))
    outcome = client_a.get(preview_url).context["outcome"]
    assert [(error.row, error.column) for error in outcome.errors] == [(3, "date_naissance")]


def test_formula_in_an_xlsx_cell_is_refused(client_a, pool_a):
    content = xlsx([["nom", "prenom", "date_naissance"], ["Martin", "Camille", "=1960+2"]])
    preview_url = preview_url_of(upload(client_a, content, pool_a, name="liste.xlsx"))
    outcome = client_a.get(preview_url).context["outcome"]
    # The formula is refused (and, being no date, is reported as such too).
    assert {(error.row, error.column) for error in outcome.errors} == {(2, "date_naissance")}
    assert any("formula" in error.message or "formule" in error.message for error in outcome.errors)
    assert client_a.post(preview_url).status_code == 200
    assert not Volunteer.objects.exists()


@pytest.mark.parametrize(
    "content",
    ["prenom;sexe\nCamille;F\n", "nom;sexe\nMartin;F\n", "name;firstname\nMartin;Camille\n"],
    ids=["no nom", "no prenom", "english names"],
)
def test_missing_required_columns_are_refused_at_upload(
    client_a, pool_a, private_import_dir, content
):
    response = upload(client_a, content, pool_a)
    assert response.status_code == 200
    errors = str(response.context["form"].errors["file"])
    assert "“nom”" in errors or "“prenom”" in errors
    assert stored_files(private_import_dir) == []
    assert not Volunteer.objects.exists()


def test_windows_1252_file_sent_as_utf8_is_refused(client_a, pool_a, private_import_dir):
    content = "nom;prenom\nMartin;Camille\nHérault;Hélène\n".encode("cp1252")
    response = upload(client_a, content, pool_a, encoding="utf-8")
    assert response.status_code == 200
    errors = str(response.context["form"].errors["file"])
    assert "UTF-8" in errors
    assert "3" in errors  # the line of the first unreadable character
    assert stored_files(private_import_dir) == []
    assert not Volunteer.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_list_deleted_before_confirming_writes_nothing(
    client_a, pool_a, private_import_dir, method
):
    preview_url = preview_url_of(upload(client_a, good_csv(), pool_a))
    pool_a.delete()
    response = getattr(client_a, method)(preview_url)
    assert response.status_code == 302
    assert response.url == URL
    page = text_of(client_a.get(response.url))
    assert gettext("The list chosen for this import no longer exists. Choose a list again.") in page
    assert "pool_members" not in page  # no internal field name in the message
    assert stored_files(private_import_dir) == []
    assert not Volunteer.objects.exists()
    assert not PageLogEntry.objects.filter(action="mprc.import").exists()


def test_the_stored_file_keeps_the_list(client_a, editor_a, pool_a):
    preview_url = preview_url_of(upload(client_a, good_csv(), pool_a))
    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    stored = store.load(token, user=editor_a, model=Volunteer)
    assert stored.options == {"pool": pool_a.pk}
    assert stored.commune_id == pool_a.commune_id


def test_another_commune_cannot_use_the_preview(client_a, client_b, pool_a):
    preview_url = preview_url_of(upload(client_a, good_csv(), pool_a))
    response = client_b.post(preview_url)
    assert response.status_code == 302
    assert not Volunteer.objects.exists()


def test_the_same_row_twice_in_a_file_is_one_person(client_a, pool_a):
    content = "nom;prenom;date_naissance;adresse\nMartin;Jean;1950;A\nMARTIN;jean;1950;a\n"
    import_file(client_a, content, pool_a)
    assert list(Volunteer.objects.values_list("last_name", "address")) == [("MARTIN", "a")]


def test_homonyms_born_the_same_year_in_one_file_are_two_people(client_a, pool_a):
    content = (
        "nom;prenom;date_naissance;adresse\n"
        "Martin;Marie;02/03/1950;1 Grande Rue\n"
        "Martin;Marie;17/11/1950;8 chemin des Prés\n"
    )
    import_file(client_a, content, pool_a)
    assert sorted(Volunteer.objects.values_list("address", flat=True)) == [
        "1 Grande Rue",
        "8 chemin des Prés",
    ]
    # Importing the same file again still changes nothing.
    import_file(client_a, content, pool_a)
    assert Volunteer.objects.count() == 2


def test_a_person_who_moved_is_updated_by_the_next_extract(client_a, pool_a):
    import_file(client_a, "nom;prenom;date_naissance;adresse\nMartin;Jean;1950;A\n", pool_a)
    import_file(client_a, "nom;prenom;date_naissance;adresse\nMartin;Jean;1950;B\n", pool_a)
    assert list(Volunteer.objects.values_list("address", flat=True)) == ["B"]


def test_another_communes_list_in_the_query_string_shows_nothing(client_a, pool_a, pool_b):
    response = client_a.get(URL, {"pool": pool_b.pk})
    assert response.status_code == 200
    content = text_of(response)
    assert "Cadastre de Bellecombe" not in content
    assert f'<option value="{pool_b.pk}"' not in content


@pytest.mark.usefixtures("every_module_on")
def test_without_hamlets_on_the_commune_any_hamlet_is_kept_as_written(client_a, commune_a):
    pool = PoolFactory(commune=commune_a)
    content = "nom;prenom;hameau\nMartin;Jean;  Le   Moulin \n"
    import_file(client_a, content, pool)
    assert Volunteer.objects.get().hamlet == "Le Moulin"


# The volunteer lists' option: the list (pool) decides the commune


def test_pool_options_describe_the_list(commune_a):
    pool = PoolFactory(commune=commune_a, name="Extrait de mars")
    definition = get_import(Volunteer)
    assert isinstance(definition.options, PoolOptions)
    assert definition.options.decides_commune
    assert definition.options.get_commune({"pool": pool.pk}) == commune_a
    described = dict(definition.options.describe({"pool": pool.pk}))
    assert "Extrait de mars" in described.values()
    assert pool.retention_end.strftime("%d/%m/%Y") in described.values()
    assert str(pool.get_source_display()) in [str(value) for value in described.values()]
    assert definition.options.get_commune({"pool": 0}) is None
    assert definition.options.describe({"pool": 0}) == []
    assert definition.options.problem({"pool": pool.pk}) is None
    assert definition.options.problem({"pool": 0})
    assert definition.get_resource(commune_a, {"pool": pool.pk}).options == {"pool": pool.pk}
