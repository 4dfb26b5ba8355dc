"""The volunteer import creates people with bulk_create and reads the list once (issue 20):
its results are exactly those of the row-by-row import it replaced
(``legacy_volunteer_resource.py``), for the preview and the confirmation alike: each
row's status, the errors, the people written with their derived keys, and the counts
the history entry records."""

import dataclasses
import itertools

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail import hooks
from wagtail.models import PageLogEntry

from home.models import CommunePage
from mprc_cms.imports import get_import
from mprc_cms.imports.processing import check_columns, run_import
from mprc_cms.imports.reading import read_file
from participation.factories import PoolFactory
from participation.models import Volunteer
from participation.resources import VolunteerResource
from tests.import_helpers import post_file, preview_url_of, text_of

from .legacy_volunteer_resource import LegacyVolunteerResource

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_import_dir", "french")]

URL = "/admin/imports/participation/volunteer/"
HAMLETS = "Le Bourg\nLes Granges"
HEADER = ["nom", "prenom", "sexe", "date_naissance", "adresse", "foyer", "hameau", "pcs"]
HEADER += ["email", "telephone"]
STORED = (
    "last_name",
    "first_name",
    "gender",
    "birth_year",
    "address",
    "household",
    "hamlet",
    "social_category",
    "email",
    "phone",
    "name_key",
    "phone_key",
    "household_key",
    "source",
    "status",
    "commune_id",
    "exclusion_reason",
    "retention_end",
)

_pools = itertools.count()


def definition(resource_class):
    found = get_import(Volunteer)
    if found is None:
        hooks.search_for_hooks()
        found = get_import(Volunteer)
    return dataclasses.replace(found, resource_class=resource_class)


def run(resource_class, pool, content, *, dry_run):
    """One import step as the admin runs it (inside a transaction rolled back on errors)."""
    import_definition = definition(resource_class)
    parsed = read_file(content.encode("utf-8"), "liste.csv", "utf-8", import_definition.max_rows)
    check_columns(parsed, import_definition)
    with transaction.atomic():
        outcome = run_import(
            import_definition, parsed, pool.commune, dry_run=dry_run, options={"pool": pool.pk}
        )
        if outcome.errors:
            transaction.set_rollback(True)
    return outcome


def summary(outcome, pool):
    return {
        "statuses": outcome.statuses,
        "errors": [(issue.row, issue.column, str(issue)) for issue in outcome.errors],
        "counts": (outcome.new, outcome.updated, outcome.skipped, outcome.error_rows),
        "people": sorted(
            Volunteer.objects.filter(pool=pool).values_list(*STORED),
            key=lambda values: tuple("" if value is None else str(value) for value in values),
        ),
    }


def csv_of(rows):
    return "\r\n".join(";".join(row) for row in [HEADER, *rows]) + "\r\n"


def new_pools(commune):
    number = next(_pools)
    return (
        PoolFactory(commune=commune, name=f"Liste {number}"),
        PoolFactory(commune=commune, name=f"Liste {number} (référence)"),
    )


def assert_same(rows_per_file, commune, batch_size=None):
    """Import the files one after another into a new list with today's resource and into
    another with the reference; preview then confirm each: the same results each time."""
    pool, reference = new_pools(commune)
    meta = VolunteerResource._meta
    kept = meta.batch_size
    if batch_size:
        meta.batch_size = batch_size
    try:
        for rows in rows_per_file:
            content = csv_of(rows)
            for dry_run in (True, False):
                today = summary(run(VolunteerResource, pool, content, dry_run=dry_run), pool)
                before = summary(
                    run(LegacyVolunteerResource, reference, content, dry_run=dry_run), reference
                )
                assert today == before, (content, dry_run)
    finally:
        meta.batch_size = kept


@pytest.fixture
def commune(commune_a, signup_page):
    CommunePage.objects.filter(pk=commune_a.pk).update(hamlets=HAMLETS)
    commune_a.refresh_from_db()
    return commune_a


# Values as spreadsheets hold them: the same names however typed (case, accents),
# housemates, and (unless ``valid``) a few values the import refuses.
REFUSED = {
    "birth": ["19x0", "2024", "31/02/1960"],
    "gender": ["z"],
    "hamlet": ["Ailleurs"],
    "category": ["9"],
    "email": ["pas-une-adresse"],
}


def values(name, accepted, valid):
    return st.sampled_from(accepted + ([] if valid else REFUSED.get(name, [])))


def rows(valid):
    return st.tuples(
        st.sampled_from(["Martin", "MARTIN", "Dupré", "DUPRE", "Lefèvre", "Le Goff"]),
        st.sampled_from(
            ["Jean", "jean", "Élodie", "ELODIE", "Marie-Hélène", "" if not valid else "Luc"]
        ),
        values("gender", ["", "F", "M", "Femme", "homme"], valid),
        values("birth", ["", "1950", "14/07/1950", "1950-07-14", "1980", "02/03/1980"], valid),
        st.sampled_from(["", "1 Grande Rue", "1, grande rue", "8 chemin des Prés", "8 Chemin"]),
        st.sampled_from(["", "", "F1", "f1"]),
        values("hamlet", ["", "le bourg", "LES GRANGES"], valid),
        values("category", ["", "3", "7"], valid),
        values("email", ["", " Jean.Martin@Example.org"], valid),
        st.sampled_from(["", "06 12 34 56 78", "+33 6 12 34 56 78"]),
    ).map(list)


@st.composite
def files(draw, valid=False):
    """One to three files of rows, some rows repeated (the same person twice) within a file
    or from one file to the next (a new extract of the same list)."""
    pool = draw(st.lists(rows(valid), min_size=1, max_size=8))
    chosen = st.lists(st.sampled_from(pool), min_size=1, max_size=10)
    return draw(st.lists(chosen, min_size=1, max_size=3))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows_per_file=files(), batch_size=st.sampled_from([None, 1, 2, 3]))
def test_the_bulk_import_gives_what_the_row_by_row_import_gave(commune, rows_per_file, batch_size):
    assert_same(rows_per_file, commune, batch_size)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows_per_file=files(valid=True), batch_size=st.sampled_from([None, 2, 3]))
def test_valid_files_write_the_same_people(commune, rows_per_file, batch_size):
    """Without refused values every file is written: the same people, keys and statuses."""
    assert_same(rows_per_file, commune, batch_size)


@pytest.mark.parametrize("batch_size", [None, 2])
def test_housemates_duplicates_and_accents(commune, batch_size):
    first = [
        ["Martin", "Jean", "M", "1950", "1 Grande Rue", "", "le bourg", "7", "", ""],
        ["MARTIN", "jean", "M", "1950", "1, grande rue", "", "", "7", "", ""],  # same row
        ["Martin", "Marie", "F", "1952", "1 Grande Rue", "", "", "7", "", ""],  # housemate
        ["Martin", "Marie", "F", "1952", "8 chemin des Prés", "", "", "", "", ""],  # homonym
        ["Dupré", "Élodie", "Femme", "14/07/1980", "", "F1", "", "3", "E@X.org ", ""],
        ["DUPRE", "ELODIE", "F", "1980", "", "f1", "", "3", "e@x.org", ""],
    ]
    moved = [
        ["Martin", "Jean", "M", "1950", "3 place du Marché", "", "", "7", "", ""],
        ["Dupré", "Élodie", "Femme", "14/07/1980", "", "F1", "", "3", "E@X.org ", ""],
        ["Lefèvre", "Hélène", "", "", "", "", "", "", "", "06 12 34 56 78"],
    ]
    assert_same([first, first, moved], commune, batch_size)


def test_a_refused_row_leaves_the_person_it_matched_unchanged(commune):
    # The second row repeats the first (not created yet) with an unknown category: refused,
    # it must not leave its phone on that person, so the third row changes nothing.
    rows = [
        ["Martin", "Jean", "", "", "", "", "", "", "", ""],
        ["Martin", "Jean", "", "", "", "", "", "9", "", "06 12 34 56 78"],
        ["Martin", "Jean", "", "", "", "", "", "", "", ""],
    ]
    assert_same([rows], commune)
    assert_same([rows[:1], rows], commune)  # the same with the person already in the list


def test_rows_with_errors_are_explained_alike_and_nothing_is_written(commune):
    rows = [
        ["Martin", "Jean", "z", "19x0", "", "", "Ailleurs", "9", "pas-une-adresse", ""],
        ["Martin", "Jean", "M", "2024", "", "", "", "", "", ""],
        ["", "", "", "", "", "", "", "", "", ""],
        ["Roux", "Marc", "M", "1960", "", "", "", "", "", ""],
    ]
    assert_same([rows], commune)
    pool, _reference = new_pools(commune)
    outcome = run(VolunteerResource, pool, csv_of(rows), dry_run=False)
    assert outcome.errors
    assert not Volunteer.objects.filter(pool=pool).exists()


def test_derived_keys_are_those_save_computes(commune):
    pool, _reference = new_pools(commune)
    rows = [
        ["Dupré", "Élodie", "F", "1980", "12, Rue des Écoles", "", "", "", " A@B.FR", "06.12.34"],
        ["Le Goff", "Marie-Hélène", "F", "1981", "12 rue des ecoles", "F1", "", "", "", ""],
    ]
    run(VolunteerResource, pool, csv_of(rows), dry_run=False)
    for person in Volunteer.objects.filter(pool=pool):
        stored = [getattr(person, name) for name in STORED]
        person.save()  # computes the keys again
        assert [getattr(person, name) for name in STORED] == stored
        assert person.name_key
        assert person.household_key


def queries_for(pool, count):
    rows = [
        ["Martin", f"Jean{number}", "M", "1950", f"{number} Grande Rue", "", "", "", "", ""]
        for number in range(count)
    ]
    with CaptureQueriesContext(connection) as context:
        outcome = run(VolunteerResource, pool, csv_of(rows), dry_run=False)
    assert outcome.new == count
    sql = [query["sql"] for query in context.captured_queries]
    inserts = [query for query in sql if query.startswith("INSERT")]
    return len(sql) - len(inserts), len(inserts)


def test_the_number_of_queries_does_not_grow_with_the_rows(commune):
    """No query per row: the list is read once, new people created by bulk_create (one
    INSERT, or a few where the database limits the parameters of one query)."""
    small, large = new_pools(commune)
    others, inserts = queries_for(large, 200)
    assert others == queries_for(small, 20)[0]
    assert 1 <= inserts <= 200 // 30


def test_the_preview_writes_nothing(commune):
    pool, _reference = new_pools(commune)
    rows = [["Martin", "Jean", "M", "1950", "", "", "", "", "", ""]]
    with CaptureQueriesContext(connection) as context:
        outcome = run(VolunteerResource, pool, csv_of(rows), dry_run=True)
    assert outcome.statuses == ["new"]
    assert not any(query["sql"].startswith("INSERT") for query in context.captured_queries)
    assert not Volunteer.objects.filter(pool=pool).exists()


def test_the_history_entry_counts_created_and_updated_people(client_a, editor_a, commune):
    pool, _reference = new_pools(commune)
    content = csv_of(
        [
            ["Martin", "Jean", "M", "1950", "A", "", "", "", "", ""],
            ["MARTIN", "jean", "M", "1950", "a", "", "", "", "", ""],
            ["Roux", "Marc", "M", "1960", "", "", "", "", "", ""],
        ]
    )
    preview_url = preview_url_of(post_file(client_a, URL, content, pool=pool))
    assert client_a.get(preview_url).status_code == 200
    response = client_a.post(preview_url)
    assert response.status_code == 302, text_of(response)[:3000]
    entry = PageLogEntry.objects.get(action="mprc.import")
    assert (entry.page_id, entry.user_id) == (commune.pk, editor_a.pk)
    # The same row twice: one person created, then updated by the second row.
    assert (entry.data["created"], entry.data["updated"], entry.data["rows"]) == (2, 1, 3)
    assert list(Volunteer.objects.filter(pool=pool).values_list("last_name", "address")) == [
        ("MARTIN", "a"),
        ("Roux", ""),
    ]


def test_a_confirmed_import_tells_the_page_cache(commune, monkeypatch):
    from mprc_cms import page_cache

    pool, _reference = new_pools(commune)
    told = []
    monkeypatch.setattr(page_cache, "changed", lambda *objects: told.append(objects))
    rows = [["Martin", "Jean", "M", "1950", "", "", "", "", "", ""]]
    run(VolunteerResource, pool, csv_of(rows), dry_run=True)
    assert told == []
    run(VolunteerResource, pool, csv_of(rows), dry_run=False)
    assert [commune.pk] in [[getattr(obj, "pk", obj) for obj in objects] for objects in told]
