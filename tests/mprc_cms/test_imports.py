"""The shared admin import: upload → preview (dry run) → confirm, every row or none."""

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.utils.translation import gettext, ngettext, pgettext
from wagtail.models import PageLogEntry

from home.factories import UserFactory
from home.onboarding import switch_module_on
from mprc_cms.imports import ImportButtonMixin, get_import, import_url, store
from mprc_cms.imports.reading import looks_like_formula
from mprc_cms.modules import get_module
from tests.conftest import logged_in
from tests.example_module.models import ExampleRecord
from tests.example_module.resources import ExampleRecordResource
from tests.example_module.wagtail_hooks import example_record_viewset
from tests.import_helpers import post_file, preview_url_of, stored_files, text_of, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_import_dir", "french")]

URL = "/admin/imports/example_module/examplerecord/"
GOOD_CSV = (
    "nom,email,annee_naissance\n"
    "Alice Aubry,alice@example.org,1985\n"
    "Bruno Brun,,\n"
    "Chloé Chêne,chloe@example.org,2001\n"
)


@pytest.fixture
def editor_a(commune_a):
    # The editors group gets the module's permissions when the module is switched on.
    switch_module_on(commune_a, get_module("example"))
    return UserFactory(username="editrice-a", groups=[commune_a.editors_group])


@pytest.fixture
def editor_b(commune_b):
    switch_module_on(commune_b, get_module("example"))
    return UserFactory(username="editeur-b", groups=[commune_b.editors_group])


def fr(msgid, /, **values):
    """The message as the French interface shows it, translated or not yet."""
    text = gettext(msgid)
    return text % values if values else text


def fr_plural(singular, plural, /, count, **values):
    return ngettext(singular, plural, count) % {"count": count, **values}


def upload(client, content, commune, name="liste.csv", encoding="utf-8"):
    return post_file(client, URL, content, name=name, encoding=encoding, commune=commune)


def row_error(row, column, message):
    return fr(
        "Row %(row)s, column “%(column)s”: %(message)s", row=row, column=column, message=message
    )


# Setup and pages


def test_editor_can_add_records_of_the_example_module(editor_a):
    assert editor_a.has_perm("example_module.add_examplerecord")
    assert import_url(ExampleRecord) == URL


def test_upload_page_lists_columns_and_hides_a_single_commune(client_a, commune_a):
    response = client_a.get(URL)
    assert response.status_code == 200
    content = text_of(response)
    assert 'enctype="multipart/form-data"' in content
    assert f'type="hidden" name="commune" value="{commune_a.pk}"' in content
    assert commune_a.title in content
    for column in ("nom", "email", "annee_naissance"):
        assert f"<code>{column}</code>" in content
    assert '<th scope="col">' in content
    assert "<caption" in content
    assert f"{URL}template.csv" in content


def test_coordinator_chooses_among_the_communes(coordinator_client, commune_a, commune_b):
    content = text_of(coordinator_client.get(URL))
    assert '<select name="commune"' in content
    assert commune_a.title in content
    assert commune_b.title in content


def test_template_file_has_the_expected_columns(client_a):
    response = client_a.get(f"{URL}template.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffnom;email;annee_naissance\r\n")
    assert "Camille Martin;camille@example.org;1980" in body


def test_unknown_model_is_not_found(client_a):
    assert client_a.get("/admin/imports/home/communepage/").status_code == 404
    assert client_a.get("/admin/imports/nothing/here/").status_code == 404


# Happy paths


def confirm(client, preview_url):
    return client.post(preview_url)


def test_csv_import_preview_then_confirm(client_a, editor_a, commune_a):
    preview_url = preview_url_of(upload(client_a, GOOD_CSV, commune_a))

    preview = client_a.get(preview_url)
    assert preview.status_code == 200
    content = text_of(preview)
    assert "Alice Aubry" in content
    assert "Chloé Chêne" in content
    assert f"<td>{pgettext('import row status', 'New')}</td>" in content
    assert '<th scope="row">2</th>' in content  # data rows numbered as in the spreadsheet
    assert '<th scope="row">4</th>' in content
    assert ExampleRecord.objects.count() == 0  # the preview is a dry run

    response = confirm(client_a, preview_url)
    assert response.status_code == 302
    assert response.url == "/admin/example_records/"
    records = ExampleRecord.objects.order_by("name")
    assert [r.name for r in records] == ["Alice Aubry", "Bruno Brun", "Chloé Chêne"]
    assert {r.commune_id for r in records} == {commune_a.pk}
    assert records[0].birth_year == 1985
    assert records[1].birth_year is None

    listing = text_of(client_a.get(response.url))
    assert (
        fr_plural(
            "%(count)s row imported (%(new)s new, %(updated)s updated).",
            "%(count)s rows imported (%(new)s new, %(updated)s updated).",
            count=3,
            new=3,
            updated=0,
        )
        in listing
    )

    entry = PageLogEntry.objects.get(action="mprc.import")
    assert entry.page_id == commune_a.pk
    assert entry.user_id == editor_a.pk
    assert entry.data["model"] == "example_module.ExampleRecord"
    assert entry.data["file"] == "liste.csv"
    assert entry.data["format"] == "csv"
    assert entry.data["created"] == 3
    assert entry.data["updated"] == 0


def test_xlsx_import(client_a, commune_a):
    content = xlsx(
        [
            ["nom", "email", "annee_naissance"],
            ["Denise Dupré", "denise@example.org", 1950],
            [None, None, None],  # a blank row is skipped, numbering goes on
            ["Étienne Eyraud", None, 1999],
        ]
    )
    preview_url = preview_url_of(upload(client_a, content, commune_a, name="liste.xlsx"))
    assert '<th scope="row">4</th>' in text_of(client_a.get(preview_url))
    assert confirm(client_a, preview_url).status_code == 302
    assert sorted(ExampleRecord.objects.values_list("name", "birth_year")) == [
        ("Denise Dupré", 1950),
        ("Étienne Eyraud", 1999),
    ]
    assert PageLogEntry.objects.get(action="mprc.import").data["format"] == "xlsx"


def test_windows_1252_csv_with_semicolons(client_a, commune_a):
    """What Excel in French on Windows writes for “CSV (séparateur : point-virgule)”."""
    content = "Nom;Email;Annee_naissance\r\nHélène Hérault;;1977\r\n".encode("cp1252")
    preview_url = preview_url_of(upload(client_a, content, commune_a, encoding="cp1252"))
    confirm(client_a, preview_url)
    record = ExampleRecord.objects.get()
    assert (record.name, record.birth_year) == ("Hélène Hérault", 1977)


def test_unknown_columns_are_ignored_with_a_warning(client_a, commune_a):
    content = "nom,annee naissance,commentaire\nAlice,1985,à rappeler\n"
    preview_url = preview_url_of(upload(client_a, content, commune_a))
    page = text_of(client_a.get(preview_url))
    assert (
        fr(
            "The column “%(column)s” is not used and is ignored. Did you mean “%(suggestion)s”?",
            column="annee naissance",
            suggestion="annee_naissance",
        )
        in page
    )
    assert fr("The column “%(column)s” is not used and is ignored.", column="commentaire") in page
    confirm(client_a, preview_url)
    record = ExampleRecord.objects.get()
    assert (record.name, record.birth_year) == ("Alice", None)


def test_the_file_cannot_choose_the_commune(client_a, commune_a, commune_b):
    content = f"nom,commune\nAlice,{commune_b.pk}\n"
    confirm(client_a, preview_url_of(upload(client_a, content, commune_a)))
    assert ExampleRecord.objects.get().commune_id == commune_a.pk


# Errors of the whole file: shown on the upload form, nothing stored, nothing written


FILE_ERRORS = {
    "not a spreadsheet": (
        "notes.pdf",
        b"%PDF-1.4 whatever",
        "utf-8",
        "Only CSV files (.csv) and Excel workbooks (.xlsx) can be imported. Open "
        "the file in your spreadsheet and save it in one of these formats.",
    ),
    "damaged xlsx": (
        "liste.xlsx",
        b"PK\x03\x04 this is no workbook",
        "utf-8",
        "The file is not a valid Excel workbook (.xlsx): it may be damaged.",
    ),
    "xlsx name, text content": (
        "liste.xlsx",
        GOOD_CSV.encode(),
        "utf-8",
        "The file is not a valid Excel workbook (.xlsx): it may be damaged.",
    ),
    "old xls": (
        "liste.xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
        "utf-8",
        "This is an old Excel workbook (.xls), which cannot be read. Open it in "
        "your spreadsheet and save it as “Excel workbook (.xlsx)” or as CSV.",
    ),
    "binary renamed csv": (
        "liste.csv",
        "nom\n".encode("utf-16"),
        "utf-8",
        "The file cannot be read as text: it may be a file of another kind renamed "
        "“.csv”, or a CSV saved as “Unicode text” (UTF-16). Save it as "
        "“CSV UTF-8” or as an Excel workbook (.xlsx).",
    ),
    "blank file": ("liste.csv", b"\n\n  \n", "utf-8", "The file is empty."),
    "header only": (
        "liste.csv",
        b"nom,email\n",
        "utf-8",
        "The file has column names but no rows to import.",
    ),
}


@pytest.mark.parametrize("case", FILE_ERRORS, ids=list(FILE_ERRORS))
def test_file_errors_write_nothing(client_a, commune_a, private_import_dir, case):
    name, content, encoding, message = FILE_ERRORS[case]
    response = upload(client_a, content, commune_a, name=name, encoding=encoding)
    assert response.status_code == 200
    assert fr(message) in text_of(response)
    assert ExampleRecord.objects.count() == 0
    assert stored_files(private_import_dir) == []


def test_empty_file_is_refused_in_french(client_a, commune_a):
    response = upload(client_a, b"", commune_a)
    assert response.status_code == 200
    assert "Le fichier soumis est vide." in text_of(response)
    assert ExampleRecord.objects.count() == 0


def test_windows_1252_file_sent_as_utf8(client_a, commune_a, private_import_dir):
    content = "nom\nAlice\nHélène\n".encode("cp1252")
    response = upload(client_a, content, commune_a, encoding="utf-8")
    assert response.status_code == 200
    message = fr(
        "The file is not encoded in UTF-8 (the first character that cannot be read "
        "is on line %(line)s). If it was saved by Excel on Windows, choose the "
        "encoding “Windows-1252” and send it again.",
        line=3,
    )
    assert message in text_of(response)
    assert ExampleRecord.objects.count() == 0
    assert stored_files(private_import_dir) == []


def test_missing_required_column(client_a, commune_a):
    response = upload(client_a, "name,email\nAlice,a@example.org\n", commune_a)
    assert response.status_code == 200
    message = fr(
        "Required columns are missing: %(missing)s. The first row of the file must "
        "hold the column names; the expected columns are: %(expected)s.",
        missing="“nom”",
        expected="“nom”, “email”, “annee_naissance”",
    )
    assert message in text_of(response)
    assert ExampleRecord.objects.count() == 0


def test_file_too_large(client_a, commune_a, private_import_dir):
    content = GOOD_CSV.encode() + b"x" * (5 * 1024 * 1024)
    response = upload(client_a, content, commune_a)
    assert response.status_code == 200
    message = fr(
        "The file is too large (%(size)s): the limit is %(limit)s.",
        size="5\xa0Mo",  # sizes are written the French way
        limit="5\xa0Mo",
    )
    assert message in text_of(response)
    assert ExampleRecord.objects.count() == 0
    assert stored_files(private_import_dir) == []


# Errors of rows: shown in the preview with the spreadsheet's row and column


def assert_refused_at_confirm(client, preview_url, messages):
    response = confirm(client, preview_url)
    assert response.status_code == 200
    content = text_of(response)
    refused = fr("Nothing was imported: the file has errors. Correct them and send it again.")
    assert refused in content
    for message in messages:
        assert message in content
    assert ExampleRecord.objects.count() == 0


def test_bad_value_is_reported_with_row_and_column_in_french(client_a, commune_a):
    content = (
        "nom,email,annee_naissance\n"
        "Alice,alice@example.org,1985\n"
        "Bruno,bruno@example.org,19x5\n"
        "Chloé,pas-une-adresse,2001\n"
        "Denis,,-5\n"
    )
    preview_url = preview_url_of(upload(client_a, content, commune_a))
    expected = [
        row_error(3, "annee_naissance", "Saisissez un nombre entier."),
        row_error(4, "email", "Saisissez une adresse de courriel valide."),
        row_error(
            5, "annee_naissance", "Assurez-vous que cette valeur est supérieure ou égale à 0."
        ),
    ]
    page = text_of(client_a.get(preview_url))
    for message in expected:
        assert message in page
    assert fr("Send a corrected file") in page
    assert f'<form action="{preview_url}"' not in page  # no confirmation offered
    assert_refused_at_confirm(client_a, preview_url, expected)


FORMULAS = ['=HYPERLINK("http://x";"clic")', "+A1", "-2+3", "@SUM(A1:A2)", "=1+1"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_formula_in_a_csv_cell_is_refused(client_a, commune_a, formula):
    quoted = formula.replace('"', '""')
    content = f'nom,email,annee_naissance\nAlice,,1985\n"{quoted}",,\n'
    preview_url = preview_url_of(upload(client_a, content, commune_a))
    message = row_error(
        3,
        "nom",
        fr(
            "the cell contains a formula, which is refused: replace it with its value "
            "(copy, then paste values only)"
        ),
    )
    assert message in text_of(client_a.get(preview_url))
    assert_refused_at_confirm(client_a, preview_url, [message])


def test_formula_in_an_xlsx_cell_is_refused(client_a, commune_a):
    content = xlsx([["nom", "email", "annee_naissance"], ["Alice", None, "=1980+5"]])
    preview_url = preview_url_of(upload(client_a, content, commune_a, name="liste.xlsx"))
    message = row_error(
        2,
        "annee_naissance",
        fr(
            "the cell contains a formula, which is refused: replace it with its value "
            "(copy, then paste values only)"
        ),
    )
    assert_refused_at_confirm(client_a, preview_url, [message])


@pytest.mark.parametrize(
    ("value", "is_formula"),
    [
        ("=1+1", True),
        (" =1+1", True),
        ("\t=1+1", True),
        ("+A1", True),
        ("-cmd|' /C calc'!A0", True),
        ("@SUM(A1)", True),
        ("-2+3", True),
        ("-5", False),
        ("-12,5", False),
        ("+33 6 12 34 56 78", False),
        ("-", False),
        ("Jean-Pierre", False),
        ("a=b", False),
        (-5, False),
    ],
)
def test_what_counts_as_a_formula(value, is_formula):
    assert looks_like_formula(value) is is_formula


def test_bad_row_in_the_middle_writes_nothing_at_confirm(client_a, commune_a, monkeypatch):
    """The preview was clean, but the real import fails on row 4: rows 2 and 3, already
    saved, are rolled back and the person sees the preview with the error."""
    content = "nom\nAlice\nBruno\nChloé\nDenis\n"
    preview_url = preview_url_of(upload(client_a, content, commune_a))
    error_status = pgettext("import row status", "Error")
    assert error_status not in text_of(client_a.get(preview_url)).split("<tbody>")[-1]

    original = ExampleRecordResource.before_save_instance

    def fail_on_chloe(self, instance, row, **kwargs):
        if instance.name == "Chloé" and not kwargs.get("dry_run"):
            raise RuntimeError("disque plein")
        return original(self, instance, row, **kwargs)

    monkeypatch.setattr(ExampleRecordResource, "before_save_instance", fail_on_chloe)
    message = fr(
        "Row %(row)s: %(message)s",
        row=4,
        message=fr("this row could not be saved (%(error)s)", error="disque plein"),
    )
    response = confirm(client_a, preview_url)
    assert response.status_code == 200
    assert message in text_of(response)
    assert ExampleRecord.objects.count() == 0
    assert not PageLogEntry.objects.filter(action="mprc.import").exists()

    # The file is still there: once the cause is gone, the same import goes through.
    monkeypatch.setattr(ExampleRecordResource, "before_save_instance", original)
    assert confirm(client_a, preview_url).status_code == 302
    assert ExampleRecord.objects.count() == 4


# Who may import what


def test_editor_cannot_import_into_another_commune(client_a, commune_b, private_import_dir):
    response = upload(client_a, GOOD_CSV, commune_b)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide." in text_of(response)
    assert ExampleRecord.objects.count() == 0
    assert stored_files(private_import_dir) == []


def assert_permission_denied(client, response):
    """The Wagtail admin answers a PermissionDenied with its home page and a message."""
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert fr("Sorry, you do not have permission to access this area.") in text_of(
        client.get(response.url)
    )


def test_user_without_the_add_permission_is_refused(editor_a, commune_a):
    group = commune_a.editors_group
    group.permissions.remove(Permission.objects.get(codename="add_examplerecord"))
    client = logged_in(editor_a)
    assert_permission_denied(client, client.get(URL))
    assert_permission_denied(client, upload(client, GOOD_CSV, commune_a))
    assert_permission_denied(client, client.get(f"{URL}template.csv"))
    assert ExampleRecord.objects.count() == 0


def test_permission_denied_message_is_french(editor_a, commune_a):
    commune_a.editors_group.permissions.remove(Permission.objects.get(codename="add_examplerecord"))
    client = logged_in(editor_a)
    message = fr("Sorry, you do not have permission to access this area.")
    assert message.startswith("Désolé")
    assert message in text_of(client.get(client.get(URL).url))


def test_user_with_the_permission_but_no_commune_is_refused(commune_a):
    user = UserFactory(username="sans-commune")
    for codename in ("access_admin", "add_examplerecord"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = logged_in(user)
    assert_permission_denied(client, client.get(URL))
    assert_permission_denied(client, upload(client, GOOD_CSV, commune_a))


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response.url


NOT_FOUND = (
    "This import cannot be found: it has expired (a file is kept for one hour "
    "before it is imported) or it was started by someone else. Please send the "
    "file again."
)


def test_another_users_token_is_refused(client_a, client_b, commune_a, coordinator_client):
    preview_url = preview_url_of(upload(client_a, GOOD_CSV, commune_a))
    for other in (client_b, coordinator_client):
        for method in (other.get, other.post):
            response = method(preview_url)
            assert response.status_code == 302
            assert response.url == URL
            assert fr(NOT_FOUND) in text_of(other.get(response.url))
    assert ExampleRecord.objects.count() == 0
    # The uploader's import is untouched.
    assert confirm(client_a, preview_url).status_code == 302
    assert ExampleRecord.objects.count() == 3


def test_expired_or_made_up_token_is_refused(client_a, commune_a, monkeypatch):
    preview_url = preview_url_of(upload(client_a, GOOD_CSV, commune_a))
    now = store._now()
    monkeypatch.setattr(store, "_now", lambda: now + 2 * 3600)
    response = confirm(client_a, preview_url)
    assert response.status_code == 302
    assert fr(NOT_FOUND) in text_of(client_a.get(response.url))
    assert ExampleRecord.objects.count() == 0
    made_up = client_a.post(f"{URL}preview/{'x' * 43}/")
    assert made_up.status_code == 302
    assert client_a.post(f"{URL}preview/..%2F..%2Fetc%2Fpasswd/").status_code in (302, 404)


def test_confirming_twice_imports_once(client_a, commune_a):
    preview_url = preview_url_of(upload(client_a, GOOD_CSV, commune_a))
    assert confirm(client_a, preview_url).status_code == 302
    second = confirm(client_a, preview_url)
    assert second.status_code == 302
    assert second.url == URL
    assert ExampleRecord.objects.count() == 3


def test_losing_the_commune_before_confirming_is_refused(client_a, editor_a, commune_a):
    preview_url = preview_url_of(upload(client_a, GOOD_CSV, commune_a))
    editor_a.groups.clear()
    editor_a.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "add_examplerecord"])
    )
    assert_permission_denied(client_a, confirm(client_a, preview_url))
    assert ExampleRecord.objects.count() == 0


# The listing's “Import” button


def test_import_button_on_a_listing(editor_a):
    # Every commune-scoped listing carries the button (CommuneScopedViewSet adds the mixin).
    view_class = example_record_viewset.index_view_class
    assert issubclass(view_class, ImportButtonMixin)
    view = example_record_viewset.construct_view(
        view_class, **example_record_viewset.get_index_view_kwargs()
    )
    request = RequestFactory().get("/admin/example_records/")
    request.user = editor_a
    response = view(request)
    response.render()
    assert URL in response.content.decode()
    assert get_import(ExampleRecord).get_index_url() == "/admin/example_records/"


@pytest.mark.parametrize(
    ("cell", "read"),
    [("'=SOMME(A1)", "=SOMME(A1)"), ("'- une liste", "- une liste"), ("'Aubry", "'Aubry")],
)
def test_a_quoted_formula_is_read_as_its_text(cell, read):
    """What our exports write to keep a text from running as a formula imports back as the
    text; any other leading quote is kept."""
    from mprc_cms.imports.reading import read_file

    parsed = read_file(f"nom\n{cell}\n".encode(), "liste.csv", "utf-8", 10)
    assert parsed.issues == []
    assert parsed.rows == [[read]]
