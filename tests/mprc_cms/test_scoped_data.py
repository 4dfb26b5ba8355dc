"""Non-page data of a commune is reachable only by its staff: listing, every single-record
view, export, search — and ids typed into a URL."""

import pytest
from django.urls import reverse

from home.onboarding import switch_module_on
from mprc_cms.modules import get_module
from tests.example_module.models import ExampleRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(commune_a, commune_b):
    for commune in (commune_a, commune_b):
        switch_module_on(commune, get_module("example"))
    return (
        ExampleRecord.objects.create(commune=commune_a, name="Alice Aubigny", email="alice@a.fr"),
        ExampleRecord.objects.create(
            commune=commune_b, name="Bruno Bellecombe", email="bruno@b.fr"
        ),
    )


def test_listing_and_search_show_own_commune_only(client_a, records):
    content = client_a.get(reverse("example_records:index")).content.decode()
    assert "Alice Aubigny" in content
    assert "Bruno Bellecombe" not in content
    content = client_a.get(reverse("example_records:index"), {"q": "Bruno"}).content.decode()
    assert "Bruno Bellecombe" not in content


@pytest.mark.parametrize("view", ["edit", "delete", "inspect", "history", "usage"])
def test_guessed_urls_of_another_communes_record_are_refused(client_a, records, view):
    other = records[1]
    response = client_a.get(reverse(f"example_records:{view}", args=[other.pk]))
    assert response.status_code in (403, 404)
    assert "Bruno" not in response.content.decode()
    own = client_a.get(reverse(f"example_records:{view}", args=[records[0].pk]))
    assert own.status_code == 200


def test_posting_to_another_communes_record_changes_nothing(client_a, records, commune_a):
    other = records[1]
    client_a.post(
        reverse("example_records:edit", args=[other.pk]),
        {"commune": commune_a.pk, "name": "Volé", "email": "x@x.fr"},
    )
    client_a.post(reverse("example_records:delete", args=[other.pk]))
    other.refresh_from_db()
    assert other.name == "Bruno Bellecombe"
    assert other.commune_id != commune_a.pk


def test_cannot_create_a_record_in_another_commune(client_a, commune_b, records):
    response = client_a.post(
        reverse("example_records:add"), {"commune": commune_b.pk, "name": "Intrus", "email": ""}
    )
    assert response.status_code in (200, 403)
    assert not ExampleRecord.objects.filter(name="Intrus").exists()


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_export_contains_own_commune_only(client_a, records, export_format):
    response = client_a.get(reverse("example_records:index"), {"export": export_format})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if export_format == "xlsx":
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body)).active
        body = "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row).encode()
    assert b"Alice Aubigny" in body
    assert b"Bruno" not in body


def test_csv_export_neutralises_formulas(client_a, commune_a):
    switch_module_on(commune_a, get_module("example"))
    ExampleRecord.objects.create(commune=commune_a, name='=HYPERLINK("http://x","clic")')
    response = client_a.get(reverse("example_records:index"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body
    assert ",=HYPERLINK" not in body


def test_coordinator_sees_every_commune(coordinator_client, records):
    content = coordinator_client.get(reverse("example_records:index")).content.decode()
    assert "Alice Aubigny" in content
    assert "Bruno Bellecombe" in content


def test_exports_are_recorded_in_the_audit_log(client_a, editor_a, records, commune_a):
    from wagtail.models import PageLogEntry

    response = client_a.get(reverse("example_records:index"), {"export": "csv"})
    b"".join(response.streaming_content)
    entry = PageLogEntry.objects.get(action="mprc.export")
    assert entry.page_id == commune_a.pk
    assert entry.user_id == editor_a.pk
    assert entry.data["rows"] == 1
    assert entry.data["format"] == "csv"
