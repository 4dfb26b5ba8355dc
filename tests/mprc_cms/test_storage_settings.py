"""The STORAGES of the settings: local folders by default, another backend (an S3 store
through django-storages) from environment variables (docs/deployment.md)."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from mprc_cms.settings.base import env_storage

FOLDER = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"


def test_without_the_variable_the_default_backend(monkeypatch):
    monkeypatch.delenv("MPRC_PRIVATE_STORAGE", raising=False)
    monkeypatch.setenv("MPRC_PRIVATE_STORAGE_OPTIONS", '{"ignored": true}')
    assert env_storage("MPRC_PRIVATE_STORAGE", FOLDER, {"location": "/srv/private"}) == {
        "BACKEND": FOLDER,
        "OPTIONS": {"location": "/srv/private"},
    }
    assert env_storage("MPRC_PRIVATE_STORAGE", FOLDER) == {"BACKEND": FOLDER}


def test_the_variable_names_the_backend_and_its_options(monkeypatch):
    monkeypatch.setenv("MPRC_PRIVATE_STORAGE", f" {S3} ")
    monkeypatch.setenv("MPRC_PRIVATE_STORAGE_OPTIONS", '{"bucket_name": "mprc-private"}')
    # The folder's options do not leak into the other backend's.
    assert env_storage("MPRC_PRIVATE_STORAGE", FOLDER, {"location": "/srv/private"}) == {
        "BACKEND": S3,
        "OPTIONS": {"bucket_name": "mprc-private"},
    }
    monkeypatch.delenv("MPRC_PRIVATE_STORAGE_OPTIONS")
    assert env_storage("MPRC_PRIVATE_STORAGE", FOLDER, {"location": "/x"}) == {"BACKEND": S3}


@pytest.mark.parametrize("options", ["{bucket_name: x}", "[1, 2]", '"bucket"', "3"])
def test_options_that_are_not_a_json_object_stop_the_start_up(monkeypatch, options):
    monkeypatch.setenv("MPRC_MEDIA_STORAGE", S3)
    monkeypatch.setenv("MPRC_MEDIA_STORAGE_OPTIONS", options)
    with pytest.raises(ImproperlyConfigured, match="MPRC_MEDIA_STORAGE_OPTIONS"):
        env_storage("MPRC_MEDIA_STORAGE", FOLDER)


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=20),
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30)),
        max_size=5,
    )
)
def test_any_json_object_becomes_the_options(options):
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("MPRC_IMPORTS_STORAGE", S3)
        monkeypatch.setenv("MPRC_IMPORTS_STORAGE_OPTIONS", json.dumps(options))
        entry = env_storage("MPRC_IMPORTS_STORAGE", FOLDER, {"location": "/x"})
    assert entry["BACKEND"] == S3
    assert entry.get("OPTIONS", {}) == options
