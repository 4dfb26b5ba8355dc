"""ImportOptions: choices made on the upload form besides the file, kept with the stored
file between the preview and the confirmation, shown on the preview and given to the
resource as ``resource.options``."""

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import PageLogEntry

from home.models import CommunePage
from mprc_cms.imports import ImportOptions, get_import, store
from tests.example_module.models import ExampleRecord
from tests.example_module.resources import ExampleRecordResource
from tests.import_helpers import text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_import_dir", "french")]

URL = "/admin/imports/example_module/examplerecord/"
CSV = "nom,annee_naissance\nAlice Aubry,1985\nBruno Brun,\n"


@pytest.fixture
def editor_a(commune_a, commune_b):
    """Commune A's staff, with the example module on for both communes (its rights come
    with it)."""
    from home.factories import UserFactory
    from home.onboarding import switch_module_on
    from mprc_cms.modules import get_module

    for commune in (commune_a, commune_b):
        switch_module_on(commune, get_module("example"))
    return UserFactory(username="editrice-a", groups=[commune_a.editors_group])


class DefaultYearOptions(ImportOptions):
    """A default year of birth for the rows that have none."""

    def get_fields(self, user):
        return {
            "default_year": forms.IntegerField(
                label="Année par défaut", min_value=1900, max_value=2020
            )
        }

    def clean(self, cleaned_data, user):
        year = cleaned_data.get("default_year")
        if year == 1913:
            raise forms.ValidationError("Pas cette année-là.")
        return {"default_year": year}

    def describe(self, options):
        return [("Année par défaut", options["default_year"])]

    def problem(self, options):
        if ExampleRecord.objects.filter(name="Stop").exists():
            return "Les options ne valent plus."
        return None


class DefaultYearResource(ExampleRecordResource):
    def before_import(self, dataset, **kwargs):
        # The options reach the resource for the preview and for the real import alike.
        if "default_year" not in self.options:
            raise ImproperlyConfigured("the options did not reach the resource")
        super().before_import(dataset, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.birth_year is None:
            instance.birth_year = self.options["default_year"]


class CommuneOptions(ImportOptions):
    """Deliberately offers every commune: the upload form must still refuse the others."""

    decides_commune = True

    def get_fields(self, user):
        return {"target": forms.ModelChoiceField(queryset=CommunePage.objects.all(), label="Cible")}

    def clean(self, cleaned_data, user):
        return {"target": cleaned_data["target"].pk}

    def get_commune(self, options):
        return CommunePage.objects.filter(pk=options.get("target")).first()


@pytest.fixture
def year_options(monkeypatch):
    definition = get_import(ExampleRecord)
    monkeypatch.setattr(definition, "options", DefaultYearOptions())
    monkeypatch.setattr(definition, "resource_class", DefaultYearResource)
    return definition


@pytest.fixture
def commune_options(monkeypatch):
    definition = get_import(ExampleRecord)
    monkeypatch.setattr(definition, "options", CommuneOptions())
    return definition


def upload(client, content=CSV, **fields):
    data = {"file": SimpleUploadedFile("liste.csv", content.encode()), "encoding": "utf-8"}
    data.update(fields)
    return client.post(URL, data)


def token_of(response):
    assert response.status_code == 302, text_of(response)[:3000]
    return response.url.rstrip("/").rsplit("/", 1)[-1]


def stored_files(directory):
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


def test_the_upload_form_has_the_options_fields(client_a, year_options):
    form = client_a.get(URL).context["form"]
    assert "default_year" in form.fields
    assert "commune" in form.fields  # these options do not decide the commune


def test_an_option_can_come_from_the_query_string(client_a, year_options):
    response = client_a.get(URL, {"default_year": 1975})
    assert str(response.context["form"]["default_year"].value()) == "1975"
    assert 'value="1975"' in response.content.decode()
    assert client_a.get(URL, {"default_year": "n'importe quoi"}).status_code == 200


def test_options_are_kept_with_the_stored_file(client_a, editor_a, commune_a, year_options):
    token = token_of(upload(client_a, commune=commune_a.pk, default_year=1975))
    stored = store.load(token, user=editor_a, model=ExampleRecord)
    assert stored.options == {"default_year": 1975}
    assert stored.commune_id == commune_a.pk


def test_the_preview_shows_the_options_and_the_import_uses_them(
    client_a, editor_a, commune_a, year_options
):
    response = upload(client_a, commune=commune_a.pk, default_year=1975)
    preview_url = response.url
    preview = client_a.get(preview_url)
    assert preview.status_code == 200
    assert preview.context["option_items"] == [("Année par défaut", 1975)]
    assert preview.context["outcome"].errors == []  # the dry run had the options
    content = text_of(preview)
    assert "<dt>Année par défaut</dt>" in content
    assert "<dd>1975</dd>" in content

    # What is posted at the confirmation cannot change the options chosen at upload.
    response = client_a.post(preview_url, {"default_year": 2000})
    assert response.status_code == 302
    assert sorted(ExampleRecord.objects.values_list("name", "birth_year")) == [
        ("Alice Aubry", 1985),
        ("Bruno Brun", 1975),
    ]
    entry = PageLogEntry.objects.get(action="mprc.import")
    assert entry.data["options"] == {"Année par défaut": "1975"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_options_no_longer_usable_stop_the_import(
    client_a, commune_a, year_options, private_import_dir, method
):
    preview_url = upload(client_a, commune=commune_a.pk, default_year=1975).url
    ExampleRecord.objects.create(commune=commune_a, name="Stop")
    response = getattr(client_a, method)(preview_url)
    assert response.status_code == 302
    assert response.url == URL
    assert "Les options ne valent plus." in text_of(client_a.get(URL))
    assert stored_files(private_import_dir) == []
    assert list(ExampleRecord.objects.values_list("name", flat=True)) == ["Stop"]
    assert not PageLogEntry.objects.filter(action="mprc.import").exists()


def test_an_option_refused_by_its_clean_is_a_form_error(
    client_a, commune_a, year_options, private_import_dir
):
    response = upload(client_a, commune=commune_a.pk, default_year=1913)
    assert response.status_code == 200
    assert "Pas cette année-là." in response.context["form"].non_field_errors()
    assert stored_files(private_import_dir) == []
    assert not ExampleRecord.objects.exists()


def test_an_invalid_option_field_is_a_form_error(
    client_a, commune_a, year_options, private_import_dir
):
    response = upload(client_a, commune=commune_a.pk, default_year=1800)
    assert response.status_code == 200
    assert "default_year" in response.context["form"].errors
    assert stored_files(private_import_dir) == []


def test_without_options_nothing_is_stored_or_shown(client_a, editor_a, commune_a):
    assert get_import(ExampleRecord).options is None
    token = token_of(upload(client_a, commune=commune_a.pk))
    assert store.load(token, user=editor_a, model=ExampleRecord).options is None
    preview = client_a.get(f"{URL}preview/{token}/")
    assert preview.context["option_items"] == []
    client_a.post(f"{URL}preview/{token}/")
    assert "options" not in PageLogEntry.objects.get(action="mprc.import").data


def test_options_that_decide_the_commune_replace_its_field(
    client_a, editor_a, commune_a, commune_options
):
    form = client_a.get(URL).context["form"]
    assert "commune" not in form.fields
    token = token_of(upload(client_a, target=commune_a.pk))
    stored = store.load(token, user=editor_a, model=ExampleRecord)
    assert (stored.commune_id, stored.options) == (commune_a.pk, {"target": commune_a.pk})
    assert client_a.post(f"{URL}preview/{token}/").status_code == 302
    assert set(ExampleRecord.objects.values_list("commune_id", flat=True)) == {commune_a.pk}


def test_options_cannot_choose_a_commune_the_user_does_not_manage(
    client_a, commune_b, commune_options, private_import_dir
):
    response = upload(client_a, target=commune_b.pk)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert stored_files(private_import_dir) == []
    assert not ExampleRecord.objects.exists()


def test_the_resource_receives_the_options():
    definition = get_import(ExampleRecord)
    assert definition.get_resource(None, {"a": 1}).options == {"a": 1}
    assert definition.get_resource(None, None).options == {}
    assert ExampleRecordResource().options == {}
