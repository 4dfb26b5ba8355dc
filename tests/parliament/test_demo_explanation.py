"""The demo's micro-parliament pages explain how it works themselves; on a database built by
an older demo, whose communes still have a separate page «Le micro-parlement», the loader
writes that explanation nowhere a second time."""

import pytest
from django.utils import timezone
from wagtail.models import Page

from home.models import StandardPage
from home.onboarding import create_and_publish, create_commune
from parliament import demo as demo_parliament
from parliament import demo_content
from parliament.models import MicroParliamentPage

pytestmark = pytest.mark.django_db


def demo_commune(network_home, insee, name):
    return create_commune(name=name, insee_code=insee, postcode="71250", population=300).commune


@pytest.fixture
def communes(network_home):
    return [
        demo_commune(network_home, "71901", "Saint-Aubin-les-Vignes"),
        demo_commune(network_home, "71902", "La Chapelle-sur-Grosne"),
    ]


def older_explanation_page(commune):
    """The separate page of older demos."""
    return create_and_publish(
        commune,
        StandardPage(
            title="Le micro-parlement",
            slug=demo_content.FORMER_EXPLANATION_SLUG,
            intro="Comment les habitants décident et agissent ensemble.",
            show_in_menus=True,
        ),
    )


def pages_about_it(commune):
    return [
        page.specific
        for page in Page.objects.child_of(commune)
        if "micro-parlement" in page.slug or "micro-parlement" in page.title.lower()
    ]


def test_a_fresh_commune_gets_one_page_that_explains(communes):
    _first, waiting = communes
    demo_parliament._upcoming_parliaments(communes)
    [page] = pages_about_it(waiting)
    assert isinstance(page, MicroParliamentPage)
    assert page.live
    assert [block.block_type for block in page.body] == [
        block_type for block_type, _value in demo_content.HOW_IT_WORKS
    ]
    # Run again: nothing more.
    demo_parliament._upcoming_parliaments(communes)
    assert MicroParliamentPage.objects.child_of(waiting).count() == 1


def test_an_older_demo_commune_keeps_its_one_explanation(communes):
    first, waiting = communes
    for commune in communes:
        older_explanation_page(commune)

    demo_parliament._upcoming_parliaments(communes)
    assert [type(page) for page in pages_about_it(waiting)] == [StandardPage]

    # The commune's own micro-parliament is still created (its members, its meetings), but
    # the explanation stays on the older page.
    page = demo_parliament._commune_parliament(first, timezone.localdate())
    assert not page.body
    assert page.meetings.exists()
    assert sorted(type(p).__name__ for p in pages_about_it(first)) == [
        "MicroParliamentPage",
        "StandardPage",
    ]
