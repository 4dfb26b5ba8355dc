"""A template of the library: the recipe, who adopted it, and its published versions."""

import re

import pytest
import wagtail_factories
from django.utils import timezone

from project_catalog.factories import ProjectPageFactory, ProjectTemplatePageFactory
from project_catalog.models import Licence, ProjectStatus, ProjectTemplatePage, TemplateVersion
from tests.project_catalog.helpers import squeeze, text_of

pytestmark = pytest.mark.django_db


def section(content, heading_id):
    return content.split(f'id="{heading_id}"')[1].split("</section>")[0]


def items(html):
    return re.findall(r"<li>([^<]+)</li>", html)


def test_template_page_shows_the_recipe(client, template):
    response = client.get(template.url)
    assert response.status_code == 200
    content = text_of(response)
    assert "<h1>Jardin partagé</h1>" in content
    assert "Jardins partagés" in content
    assert "Une recette éprouvée dans les communes du réseau." in content
    assert "Les habitants manquent d'un lieu pour se retrouver." in content
    steps = section(content, "steps-heading")
    assert re.findall(r"<h3>([^<]+)</h3>", steps) == [
        "Réunir les habitants",
        "Lancer un premier essai",
    ]
    assert "2 semaines" in steps
    assert "Une réunion publique à la salle des fêtes." in steps
    facts = squeeze(content.split('<dl class="facts">')[1].split("</dl>")[0])
    assert "1000" in facts
    assert "4000€" in facts
    assert "3à4mois" in facts


def test_lists_are_one_item_per_line(client, library):
    template = ProjectTemplatePageFactory(
        roles="- Un élu référent\n\n• Une association locale\n",
        pitfalls="Vouloir tout prévoir\nOublier les jeunes",
        success_factors="Un point d'étape public",
    )
    content = text_of(client.get(template.url))
    assert items(section(content, "roles-heading")) == ["Un élu référent", "Une association locale"]
    assert items(section(content, "pitfalls-heading")) == [
        "Vouloir tout prévoir",
        "Oublier les jeunes",
    ]
    assert items(section(content, "factors-heading")) == ["Un point d'étape public"]


def test_empty_lists_are_left_out(client, library):
    template = ProjectTemplatePageFactory(roles="", pitfalls=" \n ", success_factors="", steps=[])
    content = text_of(client.get(template.url))
    for heading in ("roles-heading", "pitfalls-heading", "factors-heading", "steps-heading"):
        assert f'id="{heading}"' not in content


def test_resources_links_and_documents(client, library):
    document = wagtail_factories.DocumentFactory(title="Fiche pratique")
    template = ProjectTemplatePageFactory(
        resources=[
            {"type": "link", "value": {"title": "Guide MPRC", "url": "https://example.org/guide"}},
            {"type": "document", "value": {"title": "", "document": document.pk}},
        ]
    )
    resources = section(text_of(client.get(template.url)), "resources-heading")
    assert '<a href="https://example.org/guide">Guide MPRC</a>' in resources
    assert f'<a href="{document.url}">Fiche pratique</a>' in resources


def test_licence_is_linked(client, library):
    for licence, url in (
        (Licence.CC_BY_SA, "https://creativecommons.org/licenses/by-sa/4.0/deed.fr"),
        (Licence.CC0, "https://creativecommons.org/publicdomain/zero/1.0/deed.fr"),
    ):
        template = ProjectTemplatePageFactory(licence=licence)
        content = text_of(client.get(template.url))
        assert f'<a href="{url}" rel="license">{licence.label}</a>' in content


def test_adopting_communes_with_the_stage_of_their_live_project(
    client, template, projects_a, projects_b
):
    ProjectPageFactory(
        parent=projects_a, title="Potager des Prés", source_template=template, status="action"
    )
    ProjectPageFactory(
        parent=projects_b,
        title="Jardin de Bellecombe",
        source_template=template,
        status=ProjectStatus.COMPLETED,
    )
    ProjectPageFactory(
        parent=projects_b, title="Jardin en brouillon", source_template=template, live=False
    )
    ProjectPageFactory(parent=projects_a, title="Sans modèle")
    table = section(text_of(client.get(template.url)), "adoptions-heading")
    rows = re.findall(
        r"<tr>\s*<td>([^<]+)</td>\s*<td><a href=\"([^\"]+)\">([^<]+)</a></td>\s*"
        r'<td><span class="status status--(\w+)">',
        table,
    )
    assert sorted(rows) == sorted(
        [
            (
                "Aubigny-les-Prés",
                f"{projects_a.url}potager-des-pres/",
                "Potager des Prés",
                "action",
            ),
            (
                "Bellecombe",
                f"{projects_b.url}jardin-de-bellecombe/",
                "Jardin de Bellecombe",
                "completed",
            ),
        ]
    )


def test_no_adoption_yet(client, template):
    table = section(text_of(client.get(template.url)), "adoptions-heading")
    assert "<table>" not in table


def test_a_draft_template_is_not_public(client, library):
    template = ProjectTemplatePageFactory(live=False)
    assert client.get(template.url).status_code == 404


# Versions


def republish(template, **changes):
    """Edit the template as it is in the database and publish, as the page editor does."""
    page = ProjectTemplatePage.objects.get(pk=template.pk).get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return ProjectTemplatePage.objects.get(pk=template.pk)


def test_publishing_records_the_version(template):
    version = TemplateVersion.objects.get(template=template)
    assert version.number == 1
    assert version.content["title"] == "Jardin partagé"
    assert version.published_at <= timezone.now()


def test_republishing_the_same_number_updates_its_version(template):
    first = TemplateVersion.objects.get(template=template)
    template = republish(template, summary="Une recette corrigée.")
    version = TemplateVersion.objects.get(template=template)
    assert version.pk == first.pk
    assert version.number == 1
    assert version.content["summary"] == "Une recette corrigée."
    assert version.published_at >= first.published_at


def test_raising_the_version_keeps_the_earlier_one(template):
    republish(template, version=2, version_note="Une étape de plus", summary="Version enrichie.")
    versions = TemplateVersion.objects.filter(template=template).order_by("number")
    assert [(v.number, v.note) for v in versions] == [(1, ""), (2, "Une étape de plus")]
    assert versions[0].content["summary"] == "Une recette éprouvée dans les communes du réseau."
    assert versions[1].content["summary"] == "Version enrichie."


def test_an_earlier_version_is_readable_as_it_was(client, template):
    steps = [
        *template.steps.raw_data,
        {
            "type": "step",
            "value": {
                "title": "Fêter la première récolte",
                "description": "Avec tout le village.",
                "duration": "",
            },
        },
    ]
    template = republish(
        template,
        version=2,
        title="Jardin partagé et solidaire",
        summary="Version enrichie.",
        steps=steps,
    )
    response = client.get(f"{template.url}versions/1/")
    assert response.status_code == 200
    content = text_of(response)
    assert "<h1>Jardin partagé</h1>" in content
    assert "Une recette éprouvée dans les communes du réseau." in content
    assert "Version enrichie." not in content
    assert "Fêter la première récolte" not in content
    banner = content.split('<div class="note" role="note">')[1].split("</div>")[0]
    assert f'href="{template.url}"' in banner
    # An earlier version offers neither adoption nor the list of adopting communes.
    assert 'id="adoptions-heading"' not in content
    assert "/admin/projets/adopter/" not in content

    current = text_of(client.get(template.url))
    assert "<h1>Jardin partagé et solidaire</h1>" in current
    assert "Fêter la première récolte" in current
    assert f'href="{template.url}versions/1/"' in current


def test_the_current_number_redirects_to_the_page(client, template):
    template = republish(template, version=2)
    response = client.get(f"{template.url}versions/2/")
    assert response.status_code == 302
    assert response.url == template.url


@pytest.mark.parametrize("number", ["9", "0"])
def test_an_unknown_version_is_not_found(client, template, number):
    assert client.get(f"{template.url}versions/{number}/").status_code == 404
    assert client.get(f"{template.url}versions/abc/").status_code == 404
