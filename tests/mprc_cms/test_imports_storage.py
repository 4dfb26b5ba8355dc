"""Import files waiting between the preview and the confirmation go through the storage
"imports" of ``STORAGES`` only: with another backend (Django's in-memory storage, which has
no file on disk and no ``path()``, as a bucket shared by several servers) the preview, the
confirmation, a second confirmation and the clean-up work with no folder assumed."""

import os
import stat
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.storage import InMemoryStorage, storages

from mprc_cms.imports import store
from tests.example_module.models import ExampleRecord
from tests.import_helpers import preview_url_of, stored_files
from tests.mprc_cms.test_imports import GOOD_CSV, confirm, upload
from tests.mprc_cms.test_imports import editor_a as editor_a  # the fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_import_dir", "french")]


@pytest.fixture
def memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    storage = storages["imports"]
    assert isinstance(storage, InMemoryStorage)
    return storage


def token_of(preview_url):
    return preview_url.rstrip("/").rsplit("/", 1)[-1]


def test_by_default_the_files_wait_in_the_private_folder(
    client_a, editor_a, commune_a, private_import_dir
):
    preview_url = preview_url_of(upload(client_a, GOOD_CSV, commune_a))
    token = token_of(preview_url)
    assert stored_files(private_import_dir) == [f"{token}.json", f"{token}.upload"]
    for name in stored_files(private_import_dir):
        assert stat.S_IMODE(os.stat(Path(private_import_dir) / name).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(private_import_dir).st_mode) == 0o700
    assert confirm(client_a, preview_url).status_code == 302
    assert ExampleRecord.objects.count() == 3
    assert stored_files(private_import_dir) == []


def test_an_import_through_another_storage(
    client_a, editor_a, commune_a, private_import_dir, memory_storage
):
    preview_url = preview_url_of(upload(client_a, GOOD_CSV, commune_a))
    token = token_of(preview_url)
    assert sorted(memory_storage.listdir("")[1]) == [f"{token}.json", f"{token}.upload"]
    assert stored_files(private_import_dir) == []  # nothing on the disk

    assert client_a.get(preview_url).status_code == 200
    assert confirm(client_a, preview_url).status_code == 302
    assert ExampleRecord.objects.count() == 3
    assert memory_storage.listdir("")[1] == []
    # A second confirmation finds nothing and imports nothing.
    second = confirm(client_a, preview_url)
    assert second.status_code == 302
    assert ExampleRecord.objects.count() == 3


def test_in_another_storage_the_shared_cache_lets_one_confirmation_through(
    client_a, editor_a, commune_a, memory_storage
):
    token = token_of(preview_url_of(upload(client_a, GOOD_CSV, commune_a)))
    stored = store.load(token, user=editor_a, model=ExampleRecord)
    assert stored.claim() == GOOD_CSV.encode()
    # Another request (another server) loads the same import: it cannot take it.
    assert store.load(token, user=editor_a, model=ExampleRecord).claim() is None
    stored.release()  # the import failed: the file is free again
    assert store.load(token, user=editor_a, model=ExampleRecord).claim() == GOOD_CSV.encode()
    stored.remove()
    assert memory_storage.listdir("")[1] == []
    assert cache.get(stored.claim_key) is None


def test_expired_files_leave_another_storage(
    client_a, editor_a, commune_a, memory_storage, monkeypatch
):
    token_of(preview_url_of(upload(client_a, GOOD_CSV, commune_a)))
    assert len(memory_storage.listdir("")[1]) == 2
    now = store._now()
    monkeypatch.setattr(store, "_now", lambda: now + 2 * 3600)
    store.purge_expired()
    assert memory_storage.listdir("")[1] == []
