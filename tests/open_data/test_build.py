"""The open data files (``mprc_cms/open_data``): built for the network and each commune,
CSV, JSON and datapackage consistent with each other, never a private record, small
counts suppressed, a module switched off absent, served without a database query, and
the same files when built again."""

import csv
import datetime
import io
import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from exchange.factories import ServiceListingFactory
from home.models import CommunePage
from home.onboarding import switch_module_off
from mprc_cms.modules import get_module
from mprc_cms.open_data.builder import PREFIX, build_open_data
from participation.factories import VolunteerFactory
from project_catalog.factories import ProjectPageFactory
from project_catalog.funding.factories import FundingSourceFactory

pytestmark = [pytest.mark.django_db]

NOW = timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 30))
PRIVATE_SOURCE = "Fonds communal d'Aubigny pour les associations"
DRAFT_PROJECT = "Projet encore secret"
TABLE_TYPES = {
    "string", "integer", "number", "boolean", "date", "datetime", "yearmonth", "year",
    "array", "object",
}  # fmt: skip


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def records(every_module_on, commune_a, commune_b):
    ProjectPageFactory(commune=commune_a, title="Potager des écoliers")
    ProjectPageFactory(commune=commune_b, title="Navette des aînés")
    ProjectPageFactory(commune=commune_a, title=DRAFT_PROJECT, live=False)
    FundingSourceFactory(name=PRIVATE_SOURCE, commune=commune_a)
    people = []
    # Six confirmed sign-ups in November (published), three in September (suppressed),
    # two pending ones (never counted).
    for month, count in ((11, 6), (9, 3)):
        confirmed = timezone.make_aware(datetime.datetime(2026, month, 10, 12))
        people += VolunteerFactory.create_batch(
            count, commune=commune_a, signed_up=True, confirmed_at=confirmed
        )
    people += VolunteerFactory.create_batch(2, commune=commune_a, pending=True)
    posts = ServiceListingFactory.create_batch(2, commune=commune_b, first_name="Zéphyrine")
    hidden = [
        ServiceListingFactory(commune=commune_b, pending=True, title="Annonce en attente"),
        ServiceListingFactory(commune=commune_b, unconfirmed=True, title="Annonce non confirmée"),
    ]
    return {"people": people, "posts": posts, "hidden_posts": hidden}


def read(scope, name):
    return default_storage.open(f"{PREFIX}/{scope}/{name}").read()


def package(scope):
    return json.loads(read(scope, "datapackage.json"))


def every_file():
    folders, _ = default_storage.listdir(PREFIX)
    return {
        f"{folder}/{name}": read(folder, name)
        for folder in folders
        for name in default_storage.listdir(f"{PREFIX}/{folder}")[1]
    }


def csv_rows(scope, name):
    return list(csv.DictReader(io.StringIO(read(scope, name).decode("utf-8"))))


def test_every_scope_gets_its_files(records, commune_a, commune_b):
    report = build_open_data(now=NOW)
    assert report.scopes == 3
    for scope in ("reseau", commune_a.insee_code, commune_b.insee_code):
        names = {resource["path"] for resource in package(scope)["resources"]}
        assert {"communes.csv", "communes.json", "projets.csv", "projets.json"} <= names
        for name in names:
            assert default_storage.exists(f"{PREFIX}/{scope}/{name}")
    network = {resource["path"] for resource in package("reseau")["resources"]}
    assert {
        "modeles-de-projets.csv",
        "sources-de-financement.csv",
        "projets-par-categorie-et-etape.csv",
        "financements-obtenus.csv",
        "inscriptions-par-commune-et-mois.csv",
        "annonces-par-commune-et-mois.csv",
        "besoins-par-commune-et-mois.csv",
    } <= network
    assert report.files == len(every_file())


def test_datapackage_csv_and_json_agree(records):
    build_open_data(now=NOW)
    data = package("reseau")
    assert data["profile"] == "tabular-data-package"
    assert data["licenses"][0]["path"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    assert data["created"] == NOW.isoformat()
    for resource in data["resources"]:
        content = read("reseau", resource["path"])
        assert resource["bytes"] == len(content)
        assert resource["encoding"] == "utf-8"
        fields = [field["name"] for field in resource["schema"]["fields"]]
        assert len(set(fields)) == len(fields)
        for field in resource["schema"]["fields"]:
            assert field["type"] in TABLE_TYPES
            assert field["description"]
        if resource["format"] == "csv":
            assert not content.startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM
            header = next(csv.reader(io.StringIO(content.decode("utf-8"))))
            assert header == fields
            rows = csv_rows("reseau", resource["path"])
            json_rows = json.loads(read("reseau", resource["path"].replace(".csv", ".json")))
            assert len(rows) == len(json_rows)
            for row, json_row in zip(rows, json_rows, strict=True):
                assert list(json_row) == fields
                for field in resource["schema"]["fields"]:
                    check_cell(field, row[field["name"]], json_row[field["name"]])


def check_cell(field, cell, value):
    """A CSV cell holds the JSON value, written as the Table Schema type says."""
    if value is None:
        assert cell == ""
        return
    kind = field["type"]
    if kind == "integer":
        assert int(cell) == value
    elif kind == "number":
        assert float(cell) == value
    elif kind == "boolean":
        assert cell == ("true" if value else "false")
    elif kind in ("array", "object"):
        assert json.loads(cell) == value
    elif kind == "date":
        assert datetime.date.fromisoformat(cell).isoformat() == value
    elif kind == "datetime":
        assert datetime.datetime.fromisoformat(cell) == datetime.datetime.fromisoformat(value)
    elif kind == "yearmonth":
        assert len(cell) == 7
        assert cell == value
    else:
        assert cell == str(value)


def test_no_private_record_is_published(records, commune_a, commune_b):
    build_open_data(now=NOW)
    files = every_file()
    everything = b"\n".join(files.values()).decode("utf-8")
    assert DRAFT_PROJECT not in everything
    for person in records["people"]:
        assert person.email not in everything
        assert person.last_name not in everything
        assert person.address not in everything
    for post in records["posts"]:  # on the board: its title, never its contact
        assert post.title in everything
        assert post.email not in everything
        assert post.first_name not in everything
    for post in records["hidden_posts"]:  # not on the board: nothing of it
        assert post.title not in everything
        assert post.email not in everything
    # A commune's own source is on its own guide's list only, never the network's or
    # another commune's.
    for scope, content in files.items():
        if PRIVATE_SOURCE in content.decode("utf-8"):
            assert scope.startswith(f"{commune_a.insee_code}/"), scope
    names = [row["name"] for row in csv_rows(commune_a.insee_code, "sources-de-financement.csv")]
    assert PRIVATE_SOURCE in names
    titles = [row["title"] for row in csv_rows("reseau", "projets.csv")]
    assert sorted(titles) == ["Navette des aînés", "Potager des écoliers"]


def test_small_counts_are_suppressed(records, commune_a, commune_b):
    build_open_data(now=NOW)
    signups = {
        row["month"]: row["signups"]
        for row in csv_rows("reseau", "inscriptions-par-commune-et-mois.csv")
        if row["commune_insee_code"] == commune_a.insee_code
    }
    assert signups == {"2026-09": "", "2026-11": "6"}
    posts = csv_rows(commune_b.insee_code, "annonces-par-commune-et-mois.csv")
    assert [row["posts"] for row in posts] == [""]
    schema = next(
        resource["schema"]
        for resource in package("reseau")["resources"]
        if resource["path"] == "inscriptions-par-commune-et-mois.csv"
    )
    description = next(f["description"] for f in schema["fields"] if f["name"] == "signups")
    assert "5" in description
    for resource in package("reseau")["resources"]:
        if resource["format"] != "json":
            continue
        counts = [f["name"] for f in resource["schema"]["fields"] if f["name"] in COUNT_FIELDS]
        for row in json.loads(read("reseau", resource["path"])):
            for name in counts:
                assert row[name] is None or row[name] >= 5


COUNT_FIELDS = {"signups", "posts", "needs", "projects", "applications"}


def test_a_module_switched_off_adds_nothing(records, commune_a, commune_b):
    switch_module_off(commune_a, get_module("participation"))
    build_open_data(now=NOW)
    off = {resource["path"] for resource in package(commune_a.insee_code)["resources"]}
    assert "inscriptions-par-commune-et-mois.csv" not in off
    assert not default_storage.exists(
        f"{PREFIX}/{commune_a.insee_code}/inscriptions-par-commune-et-mois.csv"
    )
    # Commune B still runs it: its file stays, and the network's lists only B.
    on = {resource["path"] for resource in package(commune_b.insee_code)["resources"]}
    assert "inscriptions-par-commune-et-mois.csv" in on
    rows = csv_rows("reseau", "inscriptions-par-commune-et-mois.csv")
    assert all(row["commune_insee_code"] != commune_a.insee_code for row in rows)


def test_between_builds_nothing_is_served_of_what_is_no_longer_published(
    records, client, commune_a, commune_b
):
    """The files stay in the storage until the next build; the download serves none of a
    commune gone offline, nor those of a module it switched off."""
    build_open_data(now=NOW)
    base = "/donnees-ouvertes/fichiers"
    signups = "inscriptions-par-commune-et-mois.csv"
    urls = {
        "a_projects": f"{base}/{commune_a.insee_code}/projets.csv",
        "a_package": f"{base}/{commune_a.insee_code}/datapackage.json",
        "b_signups": f"{base}/{commune_b.insee_code}/{signups}",
        "b_projects": f"{base}/{commune_b.insee_code}/projets.json",
        "network": f"{base}/reseau/projets.csv",
    }
    assert {key: client.get(url).status_code for key, url in urls.items()} == dict.fromkeys(
        urls, 200
    )
    CommunePage.objects.get(pk=commune_a.pk).unpublish()
    switch_module_off(commune_b, get_module("participation"))
    assert default_storage.exists(f"{PREFIX}/{commune_a.insee_code}/projets.csv")  # not rebuilt
    assert {key: client.get(url).status_code for key, url in urls.items()} == {
        "a_projects": 404,
        "a_package": 404,
        "b_signups": 404,
        "b_projects": 200,
        "network": 200,
    }


def test_the_build_is_idempotent_and_removes_stale_files(records, commune_a):
    build_open_data(now=NOW)
    first = every_file()
    default_storage.save(f"{PREFIX}/{commune_a.insee_code}/ancien.csv", io.BytesIO(b"x"))
    report = build_open_data(now=NOW)
    assert every_file() == first
    assert report.deleted == 1


def test_download_without_database_queries(records, client, settings, django_assert_num_queries):
    """The view reads the storage only. The page cache's middleware finds the site in its
    memo (as in production, where the page cache is on): a first download fills it."""
    settings.MPRC_PAGE_CACHE = True
    build_open_data(now=NOW)
    assert client.get("/donnees-ouvertes/fichiers/reseau/communes.json").status_code == 200
    with django_assert_num_queries(0):
        response = client.get("/donnees-ouvertes/fichiers/reseau/projets.csv")
        content = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert content == read("reseau", "projets.csv")
    with django_assert_num_queries(0):
        response = client.get("/donnees-ouvertes/fichiers/reseau/datapackage.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize(
    "address",
    [
        "/donnees-ouvertes/fichiers/reseau/absent.csv",
        "/donnees-ouvertes/fichiers/reseau/projets.xlsx",
        "/donnees-ouvertes/fichiers/reseau/..%2Fsecret.csv",
        "/donnees-ouvertes/fichiers/private/projets.csv",
        "/donnees-ouvertes/fichiers/99999/projets.csv",
    ],
)
def test_nothing_else_is_served(records, client, address):
    build_open_data(now=NOW)
    assert client.get(address).status_code == 404


def test_the_command_builds_the_files(records, commune_a):
    out = io.StringIO()
    call_command("build_open_data", stdout=out)
    assert "3" in out.getvalue()
    assert default_storage.exists(f"{PREFIX}/{commune_a.insee_code}/datapackage.json")
    # In French, whatever language the command runs in (the stage «In action»).
    assert {row["status_label"] for row in csv_rows("reseau", "projets.csv")} == {"En action"}


def test_the_daily_job_builds_them(records):
    call_command("daily", stdout=io.StringIO())
    assert default_storage.exists(f"{PREFIX}/reseau/datapackage.json")
