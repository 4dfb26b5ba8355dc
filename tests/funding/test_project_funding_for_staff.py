"""A project page's «Possible funding»: the guide's cards for the staff who may edit the
project, a folded list of names for everyone else, and never the staff's version in a
response a shared cache could keep."""

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from project_catalog.funding.factories import FundingSourceFactory
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

CARD = 'class="card source-card"'
NAMES = ["Fonds des jardins", "Dotation de soutien rural", "Appel à projets nature"]


@pytest.fixture
def sources(guide_a, garden_project):
    return [FundingSourceFactory(name=name) for name in NAMES]


def folded_summary(count):
    """The folded list's summary, as the template writes it (translated, not escaped)."""
    with translation.override("fr"):
        return ngettext(
            "%(counter)s source of the funding guide fits this project",
            "%(counter)s sources of the funding guide fit this project",
            count,
        ) % {"counter": count}


def staff_note():
    with translation.override("fr"):
        return gettext(
            "Shown in full to the commune's staff only; visitors see just the names of these "
            "sources, in a folded list."
        )


def test_visitors_see_the_names_folded_and_no_card(client, guide_a, sources, garden_project):
    response = client.get(garden_project.url)
    assert response.status_code == 200
    content = response.content.decode()
    assert CARD not in content
    assert staff_note() not in content
    folded = content.split('<details class="funding-folded">')[1].split("</details>")[0]
    assert folded_summary(3) in folded
    for source in sources:
        assert escape(source.name) in folded
        assert f'href="{guide_a.url}{source.slug}/"' in folded
    # What the staff see is never in a response a shared cache could keep and hand out.
    assert "private" not in response.get("Cache-Control", "")
    assert "Cookie" in response["Vary"]


def test_the_communes_editors_see_the_cards(client_a, sources, garden_project):
    response = client_a.get(garden_project.url)
    content = response.content.decode()
    assert content.count(CARD) == len(NAMES)
    assert staff_note() in content
    assert "funding-folded" not in content
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_a_coordinator_sees_the_cards(coordinator_client, sources, garden_project):
    content = coordinator_client.get(garden_project.url).content.decode()
    assert content.count(CARD) == len(NAMES)


def test_another_communes_editors_see_what_visitors_see(client_b, sources, garden_project):
    response = client_b.get(garden_project.url)
    content = response.content.decode()
    assert CARD not in content
    assert staff_note() not in content
    assert folded_summary(3) in content
    # Signed in, their copy stays private all the same.
    assert "private" in response["Cache-Control"]


def test_a_signed_in_resident_without_rights_sees_what_visitors_see(sources, garden_project):
    from home.factories import UserFactory

    content = logged_in(UserFactory()).get(garden_project.url).content.decode()
    assert CARD not in content
    assert folded_summary(3) in content


def test_no_fitting_source_says_so_to_everyone(client, client_a, guide_a, garden_project):
    with translation.override("fr"):
        none = gettext("No source of the guide fits this kind of project for now.")
    for reader in (client, client_a):
        content = reader.get(garden_project.url).content.decode()
        assert none in content
        assert CARD not in content
        assert "funding-folded" not in content
