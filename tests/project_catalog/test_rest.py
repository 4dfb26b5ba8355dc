"""The catalogue in the public API (/api/v1/projects/, /api/v1/templates/): exactly the
projects and templates the pages show — never a draft, a withdrawn or private page, a
project of a commune that switched the catalogue off or is not online — with the pages'
filters and search, and a number of queries that does not grow with the lists."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from wagtail.models import PageViewRestriction

from home.models import CommunePage
from home.onboarding import switch_module_off
from mprc_cms.modules import get_module
from project_catalog.factories import (
    ProjectPageFactory,
    ProjectTemplatePageFactory,
    bulk_projects,
    bulk_templates,
    update,
)
from project_catalog.factories import seeded_category as category
from project_catalog.models import ProjectIndexPage, ProjectPage, ProjectStatus
from tests.api_helpers import NOT_AN_ID, api_queries, get_json

pytestmark = pytest.mark.django_db


def titles(found):
    return sorted(item["title"] for item in found["results"])


@pytest.fixture
def projects(projects_a, projects_b):
    carpools, gardens = category("covoiturage-local"), category("jardins-partages")
    ProjectPageFactory(parent=projects_a, title="Potager des écoliers", category=gardens)
    ProjectPageFactory(
        parent=projects_a,
        title="Covoiturage du marché",
        category=carpools,
        status=ProjectStatus.COMPLETED,
        results="<p>Trente trajets par semaine.</p>",
    )
    ProjectPageFactory(parent=projects_b, title="Navette des aînés", category=carpools)
    # Never shown: a draft, a page published then unpublished, a private page.
    ProjectPageFactory(parent=projects_a, title="Brouillon secret", live=False)
    withdrawn = ProjectPageFactory(parent=projects_b, title="Projet retiré", publish=True)
    withdrawn.unpublish()
    private = ProjectPageFactory(parent=projects_a, title="Projet réservé")
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Conseil municipal"))


PUBLIC = ["Covoiturage du marché", "Navette des aînés", "Potager des écoliers"]


def test_the_projects_are_those_the_catalogue_shows(client, projects, catalogue):
    found = get_json(client, "/api/v1/projects/")
    assert titles(found) == PUBLIC
    item = next(p for p in found["results"] if p["title"] == "Covoiturage du marché")
    assert item["commune"]["name"] == "Aubigny-les-Prés"
    assert item["category"] == {"slug": "covoiturage-local", "name": "Covoiturage local"}
    assert (item["status"], item["status_label"]) == ("completed", "Terminé")
    assert item["url"].endswith("/covoiturage-du-marche/")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "covoiturage-local"}, ["Covoiturage du marché", "Navette des aînés"]),
        ({"status": "completed"}, ["Covoiturage du marché"]),
        ({"q": "covoiturage"}, ["Covoiturage du marché"]),
        ({"q": "ecoliers"}, ["Potager des écoliers"]),
    ],
)
def test_filters_and_search_are_the_catalogues(client, projects, params, expected):
    assert titles(get_json(client, "/api/v1/projects/", **params)) == expected


def test_a_communes_projects(client, projects, commune_a, commune_b):
    assert titles(get_json(client, "/api/v1/projects/", commune=commune_b.pk)) == [
        "Navette des aînés"
    ]


def test_a_hidden_project_is_404_and_a_public_one_has_its_path_and_news(
    client, projects, projects_a
):
    for title in ("Brouillon secret", "Projet retiré", "Projet réservé"):
        page = ProjectPage.objects.get(title=title)
        get_json(client, f"/api/v1/projects/{page.pk}/", expect=404)
    project = ProjectPage.objects.get(title="Covoiturage du marché")
    project.updates.add(update("Les premiers trajets"))
    project.save_revision().publish()
    found = get_json(client, f"/api/v1/projects/{project.pk}/")
    assert found["results"] == "<p>Trente trajets par semaine.</p>"
    assert [u["title"] for u in found["updates"]] == ["Les premiers trajets"]
    assert [s["state"] for s in found["stages"]][-1] == "current"
    assert "carriers" not in found


def test_nothing_of_a_commune_offline_or_without_the_catalogue(
    client, projects, commune_a, commune_b
):
    switch_module_off(commune_b, get_module("projects"))
    assert titles(get_json(client, "/api/v1/projects/")) == [
        "Covoiturage du marché",
        "Potager des écoliers",
    ]
    CommunePage.objects.get(pk=commune_a.pk).unpublish()
    assert get_json(client, "/api/v1/projects/")["count"] == 0
    get_json(client, "/api/v1/projects/", expect=404, commune=commune_a.pk)


def test_errors_are_in_french_and_change_nothing(client, projects, commune_a):
    before = ProjectPage.objects.count()
    assert get_json(client, "/api/v1/projects/", expect=404, commune="abc") == {
        "detail": "Cette commune n’existe pas."
    }
    assert "status" in get_json(client, "/api/v1/projects/", expect=400, status="x")
    assert "category" in get_json(client, "/api/v1/projects/", expect=400, category="inconnue")
    assert ProjectPage.objects.count() == before


def test_templates_with_their_versions_and_adoptions(client, library, commune_a):
    garden = ProjectTemplatePageFactory(title="Jardin partagé", publish=True, version=3)
    ProjectTemplatePageFactory(title="Brouillon de modèle", live=False)
    ProjectPageFactory(commune=commune_a, title="Jardin des Granges", source_template=garden)
    ProjectPageFactory(commune=commune_a, title="Jardin caché", source_template=garden, live=False)
    found = get_json(client, "/api/v1/templates/")
    assert titles(found) == ["Jardin partagé"]
    item = found["results"][0]
    assert (item["version"], item["adopted_by"]) == (3, 1)
    assert get_json(client, f"/api/v1/templates/{garden.pk}/")["adopted_by"] == 1
    # The lineage the other way: the projects that started from it.
    adopted = get_json(client, "/api/v1/projects/", template=garden.pk)
    assert titles(adopted) == ["Jardin des Granges"]
    assert adopted["results"][0]["source_template"]["id"] == garden.pk
    # A template is the network's: none in a commune.
    assert get_json(client, "/api/v1/templates/", commune=commune_a.pk)["count"] == 0


def test_adoptions_count_only_the_projects_the_catalogue_shows(
    client, library, projects_a, projects_b, commune_a, commune_b
):
    """The API's ``adopted_by``, the library's cards and the template's page count and list
    the same projects as ``?template=``: none of a commune offline or of a projects page
    unpublished."""
    garden = ProjectTemplatePageFactory(title="Jardin partagé", publish=True)
    ProjectPageFactory(parent=projects_a, title="Jardin des Granges", source_template=garden)
    ProjectPageFactory(parent=projects_b, title="Jardin de Bellecombe", source_template=garden)
    ProjectPageFactory(parent=projects_b, title="Verger de Bellecombe", source_template=garden)

    def seen():
        listed = titles(get_json(client, "/api/v1/projects/", template=garden.pk))
        detail = get_json(client, f"/api/v1/templates/{garden.pk}/")["adopted_by"]
        card = next(
            t for t in get_json(client, "/api/v1/templates/")["results"] if t["id"] == garden.pk
        )["adopted_by"]
        page = client.get(garden.url).content.decode()
        shown = [t for t in ("Jardin des Granges", "Jardin de Bellecombe") if t in page]
        return len(listed), detail, card, shown

    assert seen() == (3, 3, 3, ["Jardin des Granges", "Jardin de Bellecombe"])
    CommunePage.objects.get(pk=commune_b.pk).unpublish()
    assert seen() == (1, 1, 1, ["Jardin des Granges"])
    ProjectIndexPage.objects.get(pk=projects_a.pk).unpublish()
    assert seen() == (0, 0, 0, [])


def test_query_counts_stay_flat(client, commune_a, commune_b, projects_a, library):
    def grow(count):
        bulk_projects(commune_a, count, category=category("jardins-partages"), status="action")
        bulk_projects(commune_b, count, category=category("covoiturage-local"))
        templates = bulk_templates(count, category=category("jardins-partages"), budget_min=10)
        for template in templates[:3]:
            bulk_projects(commune_a, 2, category=template.category, source_template=template)

    requests = [
        ("/api/v1/projects/", {}),
        ("/api/v1/projects/", {"category": "jardins-partages", "page": "2", "page_size": "3"}),
        ("/api/v1/projects/", {"commune": commune_a.pk, "q": "projet"}),
        ("/api/v1/templates/", {}),
        ("/api/v1/templates/", {"budget": "100", "q": "modele"}),
    ]

    def counts():
        return [api_queries(client, url, params) for url, params in requests]

    grow(10)
    small = counts()
    grow(200)
    large = counts()
    assert large == small, f"queries with 10: {small}, with 210: {large}"


@pytest.fixture
def garden(library, commune_a):
    """A template, and a project that started from it."""
    template = ProjectTemplatePageFactory(title="Jardin partagé", publish=True)
    ProjectPageFactory(commune=commune_a, title="Jardin des Granges", source_template=template)
    return template


def test_a_template_id_is_a_whole_number_never_truncated(client, garden):
    """?template=<id>.9 was read as <id> (a decimal truncated): the projects of another
    template than the one asked for."""
    assert titles(get_json(client, "/api/v1/projects/", template=garden.pk)) == [
        "Jardin des Granges"
    ]
    for value in (f"{garden.pk}.9", f"{garden.pk}.0", f"+{garden.pk}", f" {garden.pk}"):
        assert get_json(client, "/api/v1/projects/", expect=400, template=value) == {
            "template": ["Indiquez un nombre entier."]
        }


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(value=NOT_AN_ID)
def test_anything_but_digits_as_a_template_id_is_a_400(client, garden, value):
    """Never a 500, never a 200 filtered by what a careless reading made of it."""
    cache.clear()  # the rate limit
    assert get_json(client, "/api/v1/projects/", expect=400, template=value) == {
        "template": ["Indiquez un nombre entier."]
    }
