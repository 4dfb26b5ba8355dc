"""The catalogue in the site search (/recherche/), and the catalogue's own word search:
the best title matches first («covoiturage» lists «Covoiturage des Coteaux» before the
projects that only mention it), accent-blind; only published projects of communes whose
projects page is published; the network's templates in the network's search only."""

import datetime

import pytest
from django.utils import timezone

from project_catalog.factories import ProjectPageFactory, ProjectTemplatePageFactory
from project_catalog.factories import seeded_category as category
from tests.project_catalog.helpers import card_titles

pytestmark = pytest.mark.django_db

COTEAUX = "Covoiturage des Coteaux : descendre dans la vallée sans voiture"


def found(client, key, q, **params):
    response = client.get("/recherche/", {"q": q, **params})
    assert response.status_code == 200
    for group in response.context["groups"]:
        if group.kind.key == key:
            return [result.title for result in group.results]
    return []


@pytest.fixture
def carpooling(projects_a, projects_b):
    """Covoiturage des Coteaux, published long ago, and more recent projects that only
    mention carpooling: a list by date would show them first."""
    coteaux = ProjectPageFactory(
        parent=projects_a,
        title=COTEAUX,
        category=category("covoiturage-local"),
        summary="Un point de rendez-vous devant la mairie et un relais téléphonique.",
        place="Place de l’Église",
    )
    long_ago = timezone.now() - datetime.timedelta(days=300)
    type(coteaux).objects.filter(pk=coteaux.pk).update(
        first_published_at=long_ago, last_published_at=long_ago
    )
    ProjectPageFactory(
        parent=projects_b,
        title="Atelier vélo sous le préau",
        summary="Réparer les vélos, en complément du covoiturage des aînés.",
    )
    ProjectPageFactory(
        parent=projects_a,
        title="Visites solidaires aux aînés",
        summary="Des visites chaque semaine.",
        need="Les aînés sans voiture dépendent du covoiturage pour sortir.",
    )
    return coteaux


def test_catalogue_lists_the_title_match_first(client, carpooling, catalogue, projects_a):
    titles = card_titles(client.get(catalogue.url, {"q": "covoiturage"}))
    assert titles[0] == COTEAUX
    assert sorted(titles[1:]) == ["Atelier vélo sous le préau", "Visites solidaires aux aînés"]
    # Without words, the most recent first, as before.
    assert card_titles(client.get(catalogue.url))[-1] == COTEAUX
    # On the commune's page too, and whatever the accents and the case.
    assert card_titles(client.get(projects_a.url, {"q": "COVOITURAGE"}))[0] == COTEAUX
    assert card_titles(client.get(catalogue.url, {"q": "eglise"})) == [COTEAUX]
    assert sorted(card_titles(client.get(catalogue.url, {"q": "aines covoiturage"}))) == [
        "Atelier vélo sous le préau",
        "Visites solidaires aux aînés",
    ]


def test_site_search_lists_the_title_match_first(client, carpooling, commune_a):
    assert found(client, "projects", "covoiturage")[0] == COTEAUX
    assert found(client, "projects", "Covoiturage", commune=commune_a.pk) == [
        COTEAUX,
        "Visites solidaires aux aînés",
    ]


def test_library_lists_the_title_match_first(client, library):
    ProjectTemplatePageFactory(
        title="Atelier de réparation de vélos",
        category=category("covoiturage-local"),
        summary="Un complément au covoiturage.",
    )
    ProjectTemplatePageFactory(
        title="Covoiturage local entre habitants", category=category("covoiturage-local")
    )
    assert card_titles(client.get(library.url, {"q": "covoiturage"})) == [
        "Covoiturage local entre habitants",
        "Atelier de réparation de vélos",
    ]
    assert found(client, "templates", "covoiturage") == [
        "Covoiturage local entre habitants",
        "Atelier de réparation de vélos",
    ]


def test_templates_are_the_networks_not_a_communes(client, library, commune_a, projects_a):
    ProjectTemplatePageFactory(title="Jardin partagé")
    ProjectTemplatePageFactory(title="Jardin secret", live=False)
    assert found(client, "templates", "jardin") == ["Jardin partagé"]
    assert found(client, "templates", "jardin", commune=commune_a.pk) == []


def test_only_published_projects_of_switched_on_communes(client, carpooling, projects_b):
    ProjectPageFactory(parent=projects_b, title="Covoiturage en préparation", live=False)
    published = ProjectPageFactory(parent=projects_b, title="Covoiturage publié")
    published.title = "Covoiturage brouillon"
    published.save_revision()
    titles = found(client, "projects", "covoiturage")
    assert "Covoiturage publié" in titles
    assert "Covoiturage en préparation" not in titles
    assert found(client, "projects", "brouillon") == []

    projects_b.unpublish()  # the module switched off for commune B
    titles = found(client, "projects", "covoiturage")
    assert "Covoiturage publié" not in titles
    assert "Atelier vélo sous le préau" not in titles
    assert COTEAUX in titles


def test_projects_are_not_listed_twice(client, carpooling):
    """A project is found as a project, not also among the pages."""
    assert found(client, "pages", "coteaux") == []
    assert found(client, "projects", "coteaux") == [COTEAUX]
