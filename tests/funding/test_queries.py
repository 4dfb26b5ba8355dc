"""The guide, a source's page and a project page cost the same number of SQL queries with
20 sources as with 300, filtered or not, on their first page or the next."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from project_catalog.factories import seeded_category
from project_catalog.funding.factories import (
    FundingApplicationFactory,
    applicant_type,
    bulk_sources,
)
from project_catalog.funding.models import FundingKind, FundingSource, Scope, Timing
from tests.funding.helpers import funding_context, funding_sections

PARAMS = [
    {},
    {"quand": "ouvert"},
    {"quand": "bientot-clos", "nature": "grant"},
    {"categorie": "jardins-partages", "porteur": "communes", "portee": "national"},
    {"q": "programme soutien", "tri": "nom"},
    {"page": "2"},
    {"nature": "inconnue", "categorie": "rien"},
]


def grow(count):
    """``count`` more sources, every second one with a category and an applicant type, so
    that the prefetches have something to load."""
    start = FundingSource.objects.count()
    created = bulk_sources(count, kind=FundingKind.GRANT, scope=Scope.NATIONAL)
    garden, communes = seeded_category(), applicant_type("communes")
    for number, source in enumerate(created, start):
        if number % 2 == 0:
            source.categories.add(garden)
            source.applicants.add(communes)
    bulk_sources(3, timing=Timing.PERMANENT)


def count_queries(client, url, params=None):
    client.get(url, params or {})  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response, len(context.captured_queries)


def test_guide_queries_do_not_grow_with_sources(client, guide_a):
    grow(20)
    small = {}
    for params in PARAMS:
        response, small[str(params)] = count_queries(client, guide_a.url, params)
        assert response.context["items_page"].object_list, params
    grow(280)
    for params in PARAMS:
        response, large = count_queries(client, guide_a.url, params)
        assert large == small[str(params)], params


def test_project_page_queries_do_not_grow_with_sources_or_applications(
    client, guide_a, garden_project
):
    grow(20)
    source = FundingSource.objects.first()
    FundingApplicationFactory(project=garden_project, source=source, granted=True)
    response, small = count_queries(client, garden_project.url)
    assert funding_context(response, "funding-possible")["possible"]
    grow(280)
    for other in FundingSource.objects.all()[:5]:
        FundingApplicationFactory(project=garden_project, source=other, granted=True)
    response, large = count_queries(client, garden_project.url)
    assert len(funding_context(response, "funding-obtained")["obtained"]) == 6
    assert large == small


# The whole project page, its funding sections (added through the catalogue's hook
# project_page_sections) included, plus the needs' section («Né de N besoins»: the site's
# view restrictions, so that no need of a private call shows, then the needs; two
# queries). The page's fixed cost is in memos of the page cache (docs/page-cache.md): the
# routing (one query per level), the header, the footer, the follow form, the project's
# carriers, news and milestones; the second request after a change is measured.
PROJECT_PAGE_QUERIES = {"visitor": 14, "staff": 18}


def test_project_page_with_its_funding_sections_keeps_its_query_budget(
    client, django_assert_max_num_queries, guide_a, garden_project, admin_user
):
    grow(20)
    for source in FundingSource.objects.all()[:3]:
        FundingApplicationFactory(project=garden_project, source=source, granted=True)
    for reader in ("visitor", "staff"):
        if reader == "staff":
            client.force_login(admin_user)
        client.get(garden_project.url)  # warm caches (site root paths, content types)
        with django_assert_max_num_queries(PROJECT_PAGE_QUERIES[reader]):
            response = client.get(garden_project.url)
        sections = funding_sections(response)
        assert list(sections) == ["funding-obtained", "funding-possible"]
        assert len(sections["funding-obtained"].context["obtained"]) == 3
        assert sections["funding-possible"].context["for_staff"] == (reader == "staff")
