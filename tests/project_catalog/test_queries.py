"""The public lists cost the same number of SQL queries with 10 projects as with 500
(and with 10 templates as with 100), filtered or not, searched or not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from project_catalog.factories import ProjectPageFactory, bulk_projects, bulk_templates
from project_catalog.factories import seeded_category as category
from tests.project_catalog.helpers import card_titles

pytestmark = pytest.mark.django_db


def count_queries(client, url, params):
    client.get(url, params)  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    assert card_titles(response), "the list is empty: the measure would prove nothing"
    return len(context.captured_queries)


def grow_projects(commune, count):
    """Live projects of the commune, in two categories and two stages."""
    half = count // 2
    bulk_projects(commune, half, category=category("jardins-partages"), status="action")
    bulk_projects(
        commune,
        count - half,
        category=category("covoiturage-local"),
        status="completed",
        results="<p>Bilan.</p>",
    )


PROJECT_FILTERS = {
    "plain": {},
    "category": {"category": "jardins-partages"},
    "status": {"status": "completed", "page": "2"},
    "words": {"q": "projet"},
    "everything": {"q": "projet", "category": "covoiturage-local", "status": "completed"},
    "invalid": {"category": "inconnue", "page": "abc"},
}


def project_list_counts(client, commune_page, catalogue, commune):
    """The number of queries of each list with each set of filters."""
    counts = {}
    for name, params in PROJECT_FILTERS.items():
        counts["commune page", name] = count_queries(client, commune_page.url, params)
        if name == "everything":
            params = {**params, "commune": commune.slug}
        counts["catalogue", name] = count_queries(client, catalogue.url, params)
    return counts


def test_project_lists_query_counts_stay_flat(client, commune_a, commune_b, catalogue, projects_a):
    # One page made the slow way (add_child), the others written in bulk.
    ProjectPageFactory(parent=projects_a, title="Projet témoin", category=category())
    grow_projects(commune_a, 5)
    grow_projects(commune_b, 4)
    small = project_list_counts(client, projects_a, catalogue, commune_a)
    grow_projects(commune_a, 245)
    grow_projects(commune_b, 245)
    large = project_list_counts(client, projects_a, catalogue, commune_a)
    assert large == small, f"queries with 10 projects: {small}, with 500: {large}"


TEMPLATE_FILTERS = {
    "plain": {},
    "category": {"category": "jardins-partages"},
    "budget": {"budget": "5000", "page": "2"},
    "words": {"q": "modèle"},
}


def test_library_query_counts_stay_flat(client, library, commune_a):
    def grow(count):
        templates = bulk_templates(count, category=category("jardins-partages"), budget_min=1000)
        # Every shown template has adoptions to count.
        for template in templates[:3]:
            bulk_projects(commune_a, 2, category=template.category, source_template=template)

    def counts():
        return {
            name: count_queries(client, library.url, params)
            for name, params in TEMPLATE_FILTERS.items()
        }

    grow(10)
    small = counts()
    grow(90)
    large = counts()
    assert large == small, f"queries with 10 templates: {small}, with 100: {large}"
