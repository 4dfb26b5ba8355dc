"""On a project page, the needs it was born of (needs/sections.py)."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import ngettext

from needs.models import NeedStatus, Outcome
from project_catalog.factories import ProjectPageFactory
from tests.needs.staff_helpers import *  # noqa: F403 - the fixtures
from tests.needs.staff_helpers import make_need, make_parliament

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


def text_of(response):
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def project(needs_on, commune_a):
    return ProjectPageFactory(commune=commune_a, title="Abris de car", publish=True)


@pytest.fixture
def priority(project, commune_a):
    _page, priorities = make_parliament(commune_a, [("Se déplacer sans voiture", project)])
    return priorities[0]


def born_of(count):
    """The section's heading (French: «Né de 2 besoins exprimés par les habitants»)."""
    heading = ngettext(
        "Born of %(count)s need expressed by the residents",
        "Born of %(count)s needs expressed by the residents",
        count,
    )
    return " ".join((heading % {"count": count}).split())


def kept(call, priority, title, **fields):
    return make_need(call, title=title, outcome=Outcome.KEPT, priority=priority, **fields)


def test_the_project_page_names_the_needs_it_was_born_of(client, project, priority, call_a):
    first = kept(call_a, priority, "Un abri à la Croix")
    second = kept(call_a, priority, "Un abri au Bourg")
    kept(call_a, priority, "Caché", status=NeedStatus.HIDDEN)
    make_need(call_a, title="Pas retenu", outcome=Outcome.NOT_KEPT, priority=None)
    response = client.get(project.url)
    assert response.status_code == 200
    text = text_of(response)
    assert born_of(2) in text
    assert 'id="needs-origin-heading"' in response.content.decode()
    for need in (first, second):
        assert need.title in text
        assert f"{call_a.url}besoin/{need.pk}/" in response.content.decode()
    assert "Caché" not in text
    assert "Pas retenu" not in text


def test_no_section_without_needs(client, project, priority):
    response = client.get(project.url)
    assert response.status_code == 200
    assert "needs-origin-heading" not in response.content.decode()


def test_the_section_costs_the_same_for_more_needs(client, project, priority, call_a):
    kept(call_a, priority, "Un")
    client.get(project.url)
    with CaptureQueriesContext(connection) as one:
        client.get(project.url)
    count = len(one)  # read now: the next request empties the query log
    for number in range(5):
        kept(call_a, priority, f"Besoin {number}")
    client.get(project.url)  # the page cache's memos, computed again after the change
    with CaptureQueriesContext(connection) as six:
        response = client.get(project.url)
    assert born_of(6) in text_of(response)
    assert len(six) == count


def test_needs_of_calls_the_public_cannot_read_are_left_out(
    client, project, priority, call_a, needs_on
):
    """A call behind a password, or unpublished, keeps its needs off the project page."""
    from wagtail.models import PageViewRestriction

    kept(call_a, priority, "Un abri privé")
    restriction = PageViewRestriction.objects.create(
        page=call_a, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    response = client.get(project.url)
    assert "Un abri privé" not in text_of(response)
    assert "needs-origin-heading" not in response.content.decode()
    restriction.delete()
    assert "Un abri privé" in text_of(client.get(project.url))
    call_a.unpublish()
    assert "Un abri privé" not in text_of(client.get(project.url))
