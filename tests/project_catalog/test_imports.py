"""Projects and templates through the shared import and export views: imports only ever
write drafts, a broken file writes nothing, exports stay inside the user's communes."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import pgettext
from openpyxl import Workbook, load_workbook
from wagtail.models import Page, PageLogEntry, Revision

from project_catalog.factories import (
    ProjectPageFactory,
    ProjectTemplatePageFactory,
    seeded_category,
)
from project_catalog.models import Licence, ProjectPage, ProjectStatus, ProjectTemplatePage
from tests.project_catalog.helpers import assert_permission_denied, fr, text_of

pytestmark = pytest.mark.django_db

PROJECTS = "/admin/imports/project_catalog/projectpage/"
TEMPLATES = "/admin/imports/project_catalog/projecttemplatepage/"


def upload(client, url, content, commune=None, name="projets.csv"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    data = {"file": SimpleUploadedFile(name, content), "encoding": "utf-8"}
    if commune is not None:
        data["commune"] = commune.pk
    return client.post(url, data)


def preview_url_of(response):
    assert response.status_code == 302, text_of(response)[:3000]
    assert "/preview/" in response.url
    return response.url


def import_file(client, url, content, commune=None, name="projets.csv"):
    """Upload, look at the preview, confirm: the confirmation's response."""
    preview_url = preview_url_of(upload(client, url, content, commune, name))
    assert client.get(preview_url).status_code == 200
    return client.post(preview_url)


def row_error_prefix(row, column):
    """“Ligne 3, colonne « x » :” — the start of a row's error, whatever its message."""
    return fr(
        "Row %(row)s, column “%(column)s”: %(message)s", row=row, column=column, message=""
    ).rstrip()


def database_state():
    return (Page.objects.count(), Revision.objects.count(), PageLogEntry.objects.count())


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_rows(body):
    text = body.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def xlsx_rows(body):
    sheet = load_workbook(io.BytesIO(body)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


# Projects


GOOD_PROJECTS = (
    "titre,categorie,etape,lieu,resume,budget_prevu,budget_reel,resultats\n"
    "Covoiturage des coteaux,Covoiturage local,coconstruction,Place de l'Église,"
    "Des trajets partagés vers le marché.,4500,,\n"
    "Jardin de l'école,jardins-partages,completed,,Un potager.,1200,1100,\"Trente élèves.\n\n"
    'Des radis."\n'
)


def test_projects_import_creates_drafts_in_the_chosen_commune(client_a, editor_a, commune_a):
    response = import_file(client_a, PROJECTS, GOOD_PROJECTS, commune_a)
    assert response.status_code == 302
    assert response.url == "/admin/projects/"

    projects = {project.title: project for project in ProjectPage.objects.all()}
    assert set(projects) == {"Covoiturage des coteaux", "Jardin de l'école"}
    index = ProjectPage.objects.first().get_parent()
    assert index.get_parent().pk == commune_a.pk  # the projects page, switched on
    carpool = projects["Covoiturage des coteaux"]
    assert not carpool.live
    assert carpool.category == seeded_category("covoiturage-local")
    assert carpool.status == ProjectStatus.COCONSTRUCTION
    assert carpool.place == "Place de l'Église"
    assert (carpool.planned_budget, carpool.actual_budget) == (4500, None)
    assert carpool.owner_id == editor_a.pk
    assert carpool.get_latest_revision().user_id == editor_a.pk
    garden = projects["Jardin de l'école"]
    assert not garden.live
    assert garden.status == ProjectStatus.COMPLETED
    assert garden.results == "<p>Trente élèves.</p><p>Des radis.</p>"
    entry = PageLogEntry.objects.get(action="mprc.import")
    assert (entry.page_id, entry.data["created"], entry.data["updated"]) == (commune_a.pk, 2, 0)


def test_a_known_identifiant_becomes_a_new_draft_revision(
    client_a, commune_a, projects_a, projects_b
):
    garden = ProjectPageFactory(
        parent=projects_a, title="Jardin des Prés", summary="Avant.", publish=True
    )
    theirs = ProjectPageFactory(parent=projects_b, title="Navette", summary="À eux.", publish=True)
    revisions_of_theirs = theirs.revisions.count()
    content = (
        "identifiant,titre,categorie,etape,resume\n"
        "jardin-des-pres,Jardin des Prés,jardins-partages,action,Résumé corrigé.\n"
        "navette,Navette,covoiturage-local,idea,Notre navette à nous.\n"
    )
    preview_url = preview_url_of(upload(client_a, PROJECTS, content, commune_a))
    rows = text_of(client_a.get(preview_url)).split("<tbody>")[-1]
    assert f"<td>{pgettext('import row status', 'Update')}</td>" in rows
    assert f"<td>{pgettext('import row status', 'New')}</td>" in rows
    assert client_a.post(preview_url).status_code == 302

    garden = ProjectPage.objects.get(pk=garden.pk)
    assert garden.live
    assert garden.summary == "Avant."  # the live content is untouched
    assert garden.has_unpublished_changes
    assert garden.get_latest_revision_as_object().summary == "Résumé corrigé."
    assert garden.get_latest_revision_as_object().status == "action"
    # The other commune's project of the same name is not touched; ours is new.
    theirs.refresh_from_db()
    assert theirs.summary == "À eux."
    assert theirs.revisions.count() == revisions_of_theirs
    ours = ProjectPage.objects.child_of(projects_a).get(slug="navette")
    assert not ours.live
    assert ProjectPage.objects.count() == 3
    entry = PageLogEntry.objects.get(action="mprc.import")
    assert (entry.data["created"], entry.data["updated"]) == (1, 1)


BROKEN_PROJECTS = (
    "titre,categorie,etape,resume,budget_prevu,resultats\n"
    "Bon projet,jardins-partages,idea,Correct.,100,\n"
    "Projet inconnu,pas-une-categorie,idea,Catégorie inconnue.,,\n"
    "Projet bizarre,jardins-partages,fini,Étape inconnue.,,\n"
    "Projet cher,jardins-partages,idea,Budget illisible.,12x0,\n"
    "Projet fini,jardins-partages,completed,Sans résultats.,,\n"
)


def test_a_broken_projects_file_writes_nothing(client_a, commune_a):
    before = database_state()
    preview_url = preview_url_of(upload(client_a, PROJECTS, BROKEN_PROJECTS, commune_a))
    preview = text_of(client_a.get(preview_url))
    expected = [
        row_error_prefix(3, "categorie")
        + " "
        + fr(
            "Unknown category “%(value)s”. The categories are: %(names)s.",
            value="pas-une-categorie",
            names="« Covoiturage local »",
        )[:-1],
        row_error_prefix(4, "etape"),
        row_error_prefix(5, "budget_prevu") + " Saisissez un nombre entier.",
        row_error_prefix(6, "resultats"),
    ]
    for message in expected:
        assert message in preview
    assert row_error_prefix(2, "categorie") not in preview
    assert f'<form action="{preview_url}"' not in preview  # no confirmation offered
    assert database_state() == before

    response = client_a.post(preview_url)
    assert response.status_code == 200
    content = text_of(response)
    assert fr("Nothing was imported: the file has errors. Correct them and send it again.") in (
        content
    )
    for message in expected:
        assert message in content
    assert database_state() == before
    assert not ProjectPage.objects.exists()


def test_projects_go_only_into_the_users_communes(client_a, commune_b):
    response = upload(client_a, PROJECTS, GOOD_PROJECTS, commune_b)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide." in text_of(response)
    assert not ProjectPage.objects.exists()


def test_the_downloadable_projects_template_imports_as_it_is(client_a, commune_a):
    template_file = client_a.get(f"{PROJECTS}template.csv").content
    response = import_file(client_a, PROJECTS, template_file, commune_a, name="modele.csv")
    assert response.status_code == 302
    project = ProjectPage.objects.get()
    assert not project.live
    assert project.status == ProjectStatus.COCONSTRUCTION
    assert project.category == seeded_category("covoiturage-local")


def test_an_exported_projects_file_imports_back_unchanged(client_a, commune_a, projects_a):
    ProjectPageFactory(parent=projects_a, title="Potager", status="action", publish=True)
    ProjectPageFactory(
        parent=projects_a, title="Navette", status=ProjectStatus.COMPLETED, publish=True
    )
    exported = client_a.post(f"{PROJECTS}export/", {"format": "csv"})
    assert exported.status_code == 200
    response = import_file(client_a, PROJECTS, exported.content, commune_a, name="export.csv")
    assert response.status_code == 302
    assert ProjectPage.objects.count() == 2
    for project in ProjectPage.objects.all():
        assert project.live
        assert project.get_latest_revision_as_object().status == project.status
    entry = PageLogEntry.objects.get(action="mprc.import")
    assert (entry.data["created"], entry.data["updated"]) == (0, 0)


# Exports of projects


@pytest.fixture
def two_communes_projects(projects_a, projects_b):
    ProjectPageFactory(parent=projects_a, title="Potager des Prés")
    ProjectPageFactory(parent=projects_a, title="Projet en brouillon", live=False)
    ProjectPageFactory(parent=projects_b, title="Navette de Bellecombe")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_projects_export_stays_in_the_users_communes(
    client_a, editor_a, commune_a, two_communes_projects, file_format
):
    response = client_a.post(f"{PROJECTS}export/", {"format": file_format})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response.content) if file_format == "csv" else xlsx_rows(response.content)
    assert sorted(row["titre"] for row in rows) == ["Potager des Prés", "Projet en brouillon"]
    assert {row["commune"] for row in rows} == {"Aubigny-les-Prés"}
    assert "Bellecombe" not in str(rows)
    entry = PageLogEntry.objects.get(action="mprc.export")
    assert (entry.page_id, entry.user_id) == (commune_a.pk, editor_a.pk)
    assert (entry.data["rows"], entry.data["format"]) == (2, file_format)


def test_projects_export_of_one_commune(
    client_a, coordinator_client, commune_b, two_communes_projects
):
    response = client_a.post(f"{PROJECTS}export/", {"format": "csv", "commune": commune_b.pk})
    assert response.status_code == 200
    assert "Content-Disposition" not in response  # no file, the form again
    assert "Navette de Bellecombe" not in text_of(response)
    assert "Sélectionnez un choix valide." in text_of(response)
    assert not PageLogEntry.objects.filter(action="mprc.export").exists()
    # A coordinator chooses among every commune.
    response = coordinator_client.post(
        f"{PROJECTS}export/", {"format": "csv", "commune": commune_b.pk}
    )
    assert [row["titre"] for row in csv_rows(response.content)] == ["Navette de Bellecombe"]
    assert PageLogEntry.objects.get(action="mprc.export").page_id == commune_b.pk


def test_csv_export_neutralises_formulas(client_a, projects_a):
    ProjectPageFactory(parent=projects_a, title='=HYPERLINK("http://x";"clic")', place="+33 6")
    body = client_a.post(f"{PROJECTS}export/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert ";=HYPERLINK" not in body
    assert "\n=HYPERLINK" not in body
    assert csv_rows(body.encode())[0]["titre"] == '\'=HYPERLINK("http://x";"clic")'
    xlsx_body = client_a.post(f"{PROJECTS}export/", {"format": "xlsx"}).content
    cell = next(c for c in load_workbook(io.BytesIO(xlsx_body)).active["B"] if c.row == 2)
    assert cell.data_type == "s"
    assert cell.value.startswith("'=")


# Templates


def template_with_everything(title, slug, **fields):
    fields.setdefault("budget_min", 2500)
    return ProjectTemplatePageFactory(
        title=title,
        slug=slug,
        category=seeded_category("tiers-lieux-ruraux"),
        steps=[
            {
                "type": "step",
                "value": {
                    "title": "Trouver le lieu",
                    "description": "Visiter les locaux vides.\nDemander à la mairie.",
                    "duration": "1 mois",
                },
            },
            {
                "type": "step",
                "value": {
                    "title": "Ouvrir",
                    "description": "Une fête; puis, « ça roule ».",
                    "duration": "",
                },
            },
        ],
        resources=[
            {"type": "link", "value": {"title": "Guide", "url": "https://example.org/g"}},
            {"type": "link", "value": {"title": "Fiche, 2 pages", "url": "https://example.org/f"}},
        ],
        budget_max=12000,
        licence=Licence.CC0,
        roles="Un élu\nUne association",
        publish=True,
        **fields,
    )


def content_of(template):
    return {
        "title": template.title,
        "category": template.category_id,
        "summary": template.summary,
        "problem": template.problem,
        "steps": [(block.block_type, dict(block.value)) for block in template.steps],
        "resources": [(block.block_type, dict(block.value)) for block in template.resources],
        "budgets": (template.budget_min, template.budget_max),
        "duration": template.duration,
        "roles": template.roles,
        "pitfalls": template.pitfalls,
        "success_factors": template.success_factors,
        "licence": template.licence,
        "version": template.version,
    }


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_templates_round_trip_through_an_export(coordinator_client, library, file_format):
    first = template_with_everything("Tiers-lieu rural", "tiers-lieu-rural")
    second = template_with_everything("Café associatif", "cafe-associatif", budget_min=None)
    left_out = ProjectTemplatePageFactory(title="Pas dans le fichier", publish=True)
    expected = {t.slug: content_of(t) for t in (first, second)}

    response = coordinator_client.post(
        f"{TEMPLATES}export/", {"format": file_format, "selection": [first.pk, second.pk]}
    )
    assert response.status_code == 200
    exported = response.content
    rows = csv_rows(exported) if file_format == "csv" else xlsx_rows(exported)
    assert sorted(row["identifiant"] for row in rows) == ["cafe-associatif", "tiers-lieu-rural"]
    assert json.loads(rows[0]["etapes"])[0]["titre"] == "Trouver le lieu"
    assert PageLogEntry.objects.filter(action="mprc.export").count() == 1

    first.delete()
    second.delete()
    response = import_file(coordinator_client, TEMPLATES, exported, name=f"modeles.{file_format}")
    assert response.status_code == 302

    imported = ProjectTemplatePage.objects.exclude(pk=left_out.pk)
    assert sorted(t.slug for t in imported) == ["cafe-associatif", "tiers-lieu-rural"]
    for template in imported:
        assert not template.live
        assert template.get_parent().pk == library.pk
        assert content_of(template) == expected[template.slug]


def test_a_template_file_with_bad_json_writes_nothing(coordinator_client, library):
    content = (
        "titre,categorie,resume,probleme,etapes\n"
        'Bon modèle,jardins-partages,Résumé.,Problème.,"[{""titre"": ""A"", '
        '""description"": ""B""}]"\n'
        'Modèle cassé,jardins-partages,Résumé.,Problème.,"[{""titre"": ""Réunir"""\n'
        'Modèle incomplet,jardins-partages,Résumé.,Problème.,"[{""titre"": ""Réunir""}]"\n'
    )
    before = database_state()
    preview_url = preview_url_of(upload(coordinator_client, TEMPLATES, content, name="m.csv"))
    preview = text_of(coordinator_client.get(preview_url))
    assert row_error_prefix(3, "etapes") in preview
    assert row_error_prefix(4, "etapes") in preview
    assert row_error_prefix(2, "etapes") not in preview
    assert coordinator_client.post(preview_url).status_code == 200
    assert database_state() == before
    assert not ProjectTemplatePage.objects.exists()


def test_a_template_row_with_a_known_identifiant_updates_a_draft(coordinator_client, template):
    content = (
        "identifiant,titre,categorie,resume,probleme,version\n"
        "jardin-partage,Jardin partagé,jardins-partages,Résumé corrigé.,Problème.,2\n"
    )
    assert import_file(coordinator_client, TEMPLATES, content, name="m.csv").status_code == 302
    live = ProjectTemplatePage.objects.get()
    assert live.live
    assert (live.summary, live.version) == (template.summary, 1)
    draft = live.get_latest_revision_as_object()
    assert (draft.summary, draft.version) == ("Résumé corrigé.", 2)


def test_blank_cells_of_the_downloadable_templates_file(coordinator_client, library):
    """Only the required cells filled in, as in the downloadable file's columns."""
    ProjectTemplatePageFactory(title="Repair café", slug="repair-cafe", version=3, publish=True)
    header = coordinator_client.get(f"{TEMPLATES}template.csv").content.decode("utf-8-sig")
    columns = header.splitlines()[0].split(";")
    assert "version" in columns

    def row(**values):
        return ";".join(values.get(column, "") for column in columns)

    content = "\r\n".join(
        [
            ";".join(columns),
            row(titre="Troc de graines", categorie="jardins-partages", resume="R.", probleme="P."),
            row(
                identifiant="repair-cafe",
                titre="Repair café",
                categorie="echanges-de-services",
                resume="Réparer ensemble.",
                probleme="On jette trop.",
            ),
        ]
    )
    response = import_file(coordinator_client, TEMPLATES, content, name="modeles.csv")
    assert response.status_code == 302
    new = ProjectTemplatePage.objects.get(slug="troc-de-graines")
    assert (new.live, new.version, new.licence) == (False, 1, Licence.CC_BY_SA)
    assert len(new.steps) == 0
    updated = ProjectTemplatePage.objects.get(slug="repair-cafe").get_latest_revision_as_object()
    assert updated.version == 3  # a blank version keeps the template's
    assert updated.summary == "Réparer ensemble."


def test_editors_cannot_import_or_export_templates(client_a, editor_a, library):
    assert_permission_denied(client_a.get(TEMPLATES))
    content = "titre,categorie,resume,probleme\nModèle,jardins-partages,Résumé.,Problème.\n"
    assert_permission_denied(upload(client_a, TEMPLATES, content, name="m.csv"))
    assert_permission_denied(client_a.post(f"{TEMPLATES}export/", {"format": "csv"}))
    assert not ProjectTemplatePage.objects.exists()


def test_coordinators_import_templates_without_choosing_a_commune(coordinator_client, library):
    content = xlsx(
        [
            ["titre", "categorie", "resume", "probleme", "budget_min", "budget_max"],
            ["Repair café", "Échanges de services", "Réparer ensemble.", "On jette trop.", 0, 800],
        ]
    )
    page = text_of(coordinator_client.get(TEMPLATES))
    assert 'name="commune"' not in page
    response = import_file(coordinator_client, TEMPLATES, content, name="modeles.xlsx")
    assert response.status_code == 302
    template = ProjectTemplatePage.objects.get()
    assert (template.title, template.slug, template.live) == ("Repair café", "repair-cafe", False)
    assert template.category == seeded_category("echanges-de-services")
    assert (template.budget_min, template.budget_max) == (0, 800)
    entry = PageLogEntry.objects.get(action="mprc.import")
    assert entry.page_id == library.get_parent().pk  # the network home's history
