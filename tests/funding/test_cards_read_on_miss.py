"""A guide's cards are fragments (mprc_cms/page_cache.py): who may apply and the
categories, which only the cards show, are read when a card is rendered — once for the
whole list, whatever its length — and not at all when every card comes from its memo."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from project_catalog.funding.factories import FundingSourceFactory, applicant_type
from project_catalog.models import ProjectCategory
from tests.conftest import logged_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


@pytest.fixture(autouse=True)
def pages_rendered(settings):
    """The page cache off: each visit renders the page, its cards from their memos."""
    settings.MPRC_PAGE_CACHE = False


def on_relations(queries):
    return [
        q["sql"]
        for q in queries
        if "funding_fundingsource_applicants" in q["sql"]
        or "funding_fundingsource_categories" in q["sql"]
    ]


@pytest.mark.parametrize("count", [1, 4])
def test_the_relations_are_read_once_on_a_miss_and_never_on_a_hit(
    client, guide_a, superuser, count
):
    category = ProjectCategory.objects.first()
    for number in range(count):
        FundingSourceFactory(
            name=f"Aide rurale n° {number}",
            applicants=[applicant_type()],
            categories=[category],
        )
    with CaptureQueriesContext(connection) as first:
        response = client.get(guide_a.url)
    assert response.status_code == 200
    # Every card shows who applies: the relations were read, in two queries for all cards.
    assert response.content.decode().count(applicant_type().name) >= count
    assert len(on_relations(first)) == 2
    with CaptureQueriesContext(connection) as second:
        again = client.get(guide_a.url)
    assert on_relations(second) == []
    assert again.content.decode().count(applicant_type().name) >= count
    # A signed-in reader gets the cards rendered: read once too.
    staff = logged_in(superuser)
    with CaptureQueriesContext(connection) as signed_in:
        assert staff.get(guide_a.url).status_code == 200
    assert len(on_relations(signed_in)) == 2
