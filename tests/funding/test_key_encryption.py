"""The Aides-territoires API key is encrypted in the database (mprc_cms.encryption): a copy
of the database does not give it away; the site reads it with its secret key, or with a
previous one kept in SECRET_KEY_FALLBACKS; the migration encrypts the keys saved before."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from mprc_cms import encryption
from project_catalog.funding.models import AidesTerritoiresSettings

KEY = "at-0123456789abcdef0123456789abcdef"
TABLE = AidesTerritoiresSettings._meta.db_table


def stored():
    """The column as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT api_key FROM {connection.ops.quote_name(TABLE)} WHERE id = 1")  # noqa: S608
        return cursor.fetchone()[0]


def save_key(key=KEY):
    config = AidesTerritoiresSettings.load()
    config.api_key, config.perimeter = key, "70973-saone-et-loire"
    config.save()


@pytest.mark.django_db
def test_the_database_holds_the_key_encrypted():
    save_key()
    assert KEY not in stored()
    assert KEY[-8:] not in stored()
    assert AidesTerritoiresSettings.load().api_key == KEY
    assert encryption.decrypt(stored()) == KEY


@pytest.mark.django_db
def test_a_previous_secret_key_still_opens_it_and_the_next_save_uses_the_new_one(settings):
    save_key()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "une-nouvelle-cle-secrete-" + "x" * 30
    config = AidesTerritoiresSettings.load()
    assert config.api_key == KEY
    config.save()
    settings.SECRET_KEY_FALLBACKS = []
    assert AidesTerritoiresSettings.load().api_key == KEY


@pytest.mark.django_db
def test_a_key_no_secret_opens_reads_as_missing(settings, client, coordinator, caplog):
    save_key()
    settings.SECRET_KEY = "une-autre-cle-secrete-" + "y" * 30
    config = AidesTerritoiresSettings.load()
    assert config.api_key == ""
    assert not config.is_ready
    assert "cannot be decrypted" in caplog.text
    client.force_login(coordinator)  # the sessions of the old secret key are gone too
    page = client.get(reverse("funding_aides_territoires:settings"))
    assert page.status_code == 200
    assert reverse("funding_aides_territoires:sync") not in page.content.decode()


@pytest.mark.django_db
def test_the_migration_encrypts_the_keys_saved_in_clear_and_back():
    migration = importlib.import_module("project_catalog.funding.migrations.0006_encrypt_api_key")
    save_key()
    quoted = connection.ops.quote_name(TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {quoted} SET api_key = %s WHERE id = 1", [KEY])  # noqa: S608
    # The functions use only the schema editor's connection.
    editor = SimpleNamespace(connection=connection)
    migration.encrypt_keys(apps, editor)
    assert KEY not in stored()
    assert AidesTerritoiresSettings.load().api_key == KEY
    migration.decrypt_keys(apps, editor)
    assert stored() == KEY


@given(text=st.text(min_size=1))
def test_what_is_encrypted_is_read_back_and_never_twice_the_same(text):
    first, second = encryption.encrypt(text), encryption.encrypt(text)
    assert first != second
    assert encryption.decrypt(first) == encryption.decrypt(second) == text


@given(token=st.text())
def test_anything_else_is_not_opened(token):
    assert encryption.decrypt(token) is None
