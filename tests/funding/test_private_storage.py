"""Application documents go through the storage "private" of ``STORAGES`` only: another
backend (here Django's in-memory storage, which has no file on disk and no ``path()``, as an
S3 bucket) keeps, serves and deletes them with no code assuming a folder."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import InMemoryStorage, storages

from project_catalog.funding.factories import FundingSourceFactory
from project_catalog.funding.models import ApplicationDocument, private_storage
from tests.funding.test_admin import application_data, pdf, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    storage = storages["private"]
    assert isinstance(storage, InMemoryStorage)
    return storage


@pytest.fixture
def uploaded(memory_storage, client_a, guide_a, garden_project, state):
    source = FundingSourceFactory(name="Dotation du réseau", financer=state)
    response = client_a.post(
        url("funding_applications", "add"),
        application_data(garden_project, source, documents=[("Devis", pdf())]),
    )
    assert response.status_code == 302, response.context["form"].errors
    return ApplicationDocument.objects.get()


def files_under(directory):
    directory = Path(directory)
    return [path for path in directory.rglob("*") if path.is_file()] if directory.exists() else []


def test_the_private_storage_is_the_configured_one(memory_storage):
    assert isinstance(private_storage(), InMemoryStorage)
    assert private_storage().listdir("") == ([], [])


def test_by_default_the_private_storage_is_the_private_folder():
    storage = private_storage()
    assert Path(storage.location).resolve() == Path(settings.MPRC_PRIVATE_FILES_DIR).resolve()
    assert not Path(storage.location).resolve().is_relative_to(Path(settings.MEDIA_ROOT))


@pytest.fixture
def disk_before():
    """The files on the disk before the upload (other tests of the process leave theirs)."""
    return set(files_under(settings.MPRC_PRIVATE_FILES_DIR) + files_under(settings.MEDIA_ROOT))


def test_an_uploaded_document_is_written_to_the_private_storage(
    disk_before, uploaded, memory_storage
):
    assert memory_storage.exists(uploaded.file.name)
    with memory_storage.open(uploaded.file.name, "rb") as handle:
        assert handle.read().startswith(b"%PDF")
    # Nothing new on the disk: neither in the private folder nor in the public media.
    on_disk = set(files_under(settings.MPRC_PRIVATE_FILES_DIR) + files_under(settings.MEDIA_ROOT))
    assert on_disk - disk_before == set()


def test_the_staff_download_streams_from_the_storage(client_a, uploaded):
    response = client_a.get(url("funding_applications", "document", uploaded.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n% devis du menuisier\n"


def test_a_document_missing_from_the_storage_is_not_found(client_a, uploaded, memory_storage):
    memory_storage.delete(uploaded.file.name)
    response = client_a.get(url("funding_applications", "document", uploaded.pk))
    assert response.status_code == 404


def test_a_deleted_document_leaves_the_storage(uploaded, memory_storage):
    name = uploaded.file.name
    uploaded.delete()
    assert not memory_storage.exists(name)
