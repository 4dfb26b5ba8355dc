"""The catalogue's starter content: the library's ten project templates, from the data file
in the templates' own import format, through the import a coordinator uses."""

import csv
import io

import pytest
from django.utils.translation import pgettext

from mprc_cms.imports import get_import
from mprc_cms.imports.exports import render_file
from mprc_cms.imports.processing import check_columns, run_import
from mprc_cms.imports.reading import read_file
from project_catalog import starter_content
from project_catalog.models import ProjectCategory, ProjectTemplatePage, TemplateVersion
from project_catalog.network_pages import library_page
from project_catalog.resources import ProjectTemplateResource
from tests.import_helpers import post_file, preview_url_of, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_import_dir", "french")]

URL = "/admin/imports/project_catalog/projecttemplatepage/"


def file_rows():
    with starter_content.TEMPLATES_FILE.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file, delimiter=";"))


def snapshot():
    return sorted(
        (
            page.slug,
            page.title,
            page.summary,
            page.live,
            page.version,
            page.revisions.count(),
            page.has_unpublished_changes,
        )
        for page in ProjectTemplatePage.objects.all()
    )


def test_an_empty_network_gets_the_ten_families_published(network_home):
    assert not ProjectTemplatePage.objects.exists()

    slugs = starter_content.load()

    templates = list(ProjectTemplatePage.objects.child_of(library_page()))
    assert len(templates) == len(slugs) == len(file_rows()) == 10
    # One template per family of projects: the ten categories of the MPRC guide.
    assert {template.category_id for template in templates} == set(
        ProjectCategory.objects.values_list("pk", flat=True)[:10]
    )
    assert len({template.category_id for template in templates}) == 10
    for template in templates:
        assert template.live, template.slug
        assert not template.has_unpublished_changes, template.slug
        assert template.version == 1
        assert TemplateVersion.objects.filter(template=template, number=1).exists()
        assert len(template.steps) >= 5, template.slug
        assert all(step.value["description"] for step in template.steps)
        assert template.resources, template.slug
        assert template.role_list(), template.slug
        assert template.pitfall_list(), template.slug
        assert template.success_factor_list(), template.slug
        assert template.budget_min <= template.budget_max, template.slug
        # A real network's library names no invented commune.
        assert "Saint-Aubin" not in template.origin
    carpool = ProjectTemplatePage.objects.get(slug="covoiturage-local")
    assert carpool.title == "Covoiturage local entre habitants"
    assert carpool.category.slug == "covoiturage-local"
    assert (carpool.budget_min, carpool.budget_max) == (1500, 6000)
    assert carpool.steps[0].value["title"] == "Recenser les trajets réels et les besoins"
    assert carpool.steps[0].value["duration"] == "3 à 4 semaines"
    assert "\n\n" in carpool.steps[0].value["description"]  # paragraphs kept
    assert carpool.resources[0].value["url"] == "https://www.francemobilites.fr/"


def test_loading_twice_changes_nothing(network_home):
    starter_content.load()
    before = snapshot()

    assert starter_content.load() == []

    assert snapshot() == before


def test_a_template_the_network_edited_keeps_its_edits(network_home):
    starter_content.load()
    template = ProjectTemplatePage.objects.get(slug="jardins-partages")
    template.title = "Jardins partagés du canton"
    template.save_revision().publish()
    draft = ProjectTemplatePage.objects.get(slug="cantines-locales")
    draft.summary = "Notre version, encore en brouillon."
    draft.save_revision()
    unpublished = ProjectTemplatePage.objects.get(slug="festivals-evenements")
    unpublished.live = False
    unpublished.save()

    starter_content.load()

    template.refresh_from_db()
    assert template.title == "Jardins partagés du canton"
    assert (
        ProjectTemplatePage.objects.get(slug="cantines-locales")
        .get_latest_revision_as_object()
        .summary
        == "Notre version, encore en brouillon."
    )
    assert not ProjectTemplatePage.objects.get(slug="festivals-evenements").live
    assert ProjectTemplatePage.objects.count() == 10


def test_a_deleted_template_comes_back_alone(network_home):
    starter_content.load()
    ProjectTemplatePage.objects.get(slug="tiers-lieux-ruraux").delete()

    assert starter_content.load() == ["tiers-lieux-ruraux"]

    assert ProjectTemplatePage.objects.count() == 10


def test_the_data_file_imports_cleanly_through_the_admin(coordinator_client, network_home):
    """The file is one a coordinator could upload: every row new in the preview, and the
    confirmation imports them all (as drafts, as any import)."""
    content = starter_content.TEMPLATES_FILE.read_bytes()
    preview_url = preview_url_of(post_file(coordinator_client, URL, content, name="modeles.csv"))
    page = text_of(coordinator_client.get(preview_url))
    assert page.count(str(pgettext("import row status", "New"))) >= 10
    assert str(pgettext("import row status", "Error")) not in page

    response = coordinator_client.post(preview_url)

    assert response.status_code == 302, text_of(response)[:2000]
    assert ProjectTemplatePage.objects.count() == 10
    assert not ProjectTemplatePage.objects.live().exists()


def content():
    return {
        page.slug: (
            page.title,
            page.category_id,
            page.summary,
            page.problem,
            list(page.steps.raw_data),
            page.budget_min,
            page.budget_max,
            page.duration,
            page.roles,
            page.pitfalls,
            page.success_factors,
            list(page.resources.raw_data),
            page.licence,
            page.origin,
            page.version,
        )
        for page in (
            page.get_latest_revision_as_object() for page in ProjectTemplatePage.objects.all()
        )
    }


def without_ids(data):
    """StreamField data without its blocks' random ids."""
    return [
        tuple(
            [{key: v for key, v in block.items() if key != "id"} for block in value]
            if isinstance(value, list)
            else value
            for value in values
        )
        for values in data
    ]


def test_export_then_import_gives_the_same_templates(network_home):
    """The library's export, imported into an empty library, gives the same templates."""
    starter_content.load()
    loaded = content()
    definition = get_import(ProjectTemplatePage)
    resource = ProjectTemplateResource()
    exported, _content_type = render_file(resource.export(resource.export_queryset()), "csv")
    for page in ProjectTemplatePage.objects.all():
        page.delete()

    parsed = check_columns(read_file(exported, "modeles.csv"), definition)
    outcome = run_import(definition, parsed, dry_run=False)

    assert outcome.errors == []
    assert outcome.statuses == ["new"] * 10
    imported = content()
    assert sorted(imported) == sorted(loaded)
    assert without_ids(imported[slug] for slug in sorted(imported)) == without_ids(
        loaded[slug] for slug in sorted(loaded)
    )


def test_the_data_file_is_readable_text():
    """Plain UTF-8 CSV, one template per row, identifiers unique: a readable diff."""
    raw = starter_content.TEMPLATES_FILE.read_bytes()
    assert raw.decode("utf-8")
    rows = file_rows()
    assert len({row["identifiant"] for row in rows}) == len(rows) == 10
    assert all(row["titre"] and row["categorie"] and row["etapes"] for row in rows)
    header = next(csv.reader(io.StringIO(raw.decode("utf-8")), delimiter=";"))
    assert header[0] == "identifiant"


def test_no_library_is_a_clear_error(network_home):
    from home.onboarding import NetworkNotReady

    library_page().delete()

    with pytest.raises(NetworkNotReady) as error:
        starter_content.load()
    assert "migrate" in str(error.value)
