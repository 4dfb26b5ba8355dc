"""Under the English interface, the interface's own words on the funding guide and on a
source's page are marked English, and what the coordinators wrote stays French (WCAG 3.1.2,
language of parts): ``<main>`` is marked with the content's language."""

import pytest
from django.utils import translation

from project_catalog.factories import seeded_category
from project_catalog.funding.factories import FundingSourceFactory, applicant_type
from project_catalog.funding.models import Scope
from tests.parliament.test_interface_lang import (
    assert_languages,
    english,
    english_path,
    headings_of,
    language_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return FundingSourceFactory(
        name="Fonds de soutien aux jardins",
        scope=Scope.DEPARTMENT,
        department="71",
        themes="alimentation, lien social",
        amount_min=1000,
        amount_max=8000,
        amount_comment="Selon le nombre d'habitants.",
        description="Les outils, les semences et les clôtures.",
        how_to_apply="Un dossier en ligne avant la fin du mois.",
        contact="Service des aides, 03 85 00 00 00.",
        applicants=[applicant_type()],
        categories=[seeded_category("jardins-partages")],
    )


def test_the_guide_marks_its_headings(client, guide_a, source):
    main, headings = headings_of(client, english_path(guide_a.url))
    with translation.override("en"):
        count = translation.ngettext(
            "%(counter)s funding source", "%(counter)s funding sources", 1
        ) % {"counter": 1}
    interface = {count, *english("Never miss a deadline")}
    assert_languages(headings, interface, {guide_a.title, source.name})
    (card,) = main.select(".source-card")
    assert language_of(card.select_one(".kind")) == "en"
    assert language_of(card.find(string=source.summary).parent) == "fr"


def test_the_source_page_marks_its_headings(client, guide_a, source):
    main, headings = headings_of(client, english_path(lambda: f"{guide_a.url}{source.slug}/"))
    interface = english("What it pays for", "How to apply", "Official page and contact")
    assert_languages(headings, interface, {source.name})
    assert language_of(main.select_one(".card__meta .kind")) == "en"
    # The facts: the interface's words, with the coordinators' inside marked French.
    facts = main.find("dl", class_="data-list")
    assert language_of(facts) == "en"
    with translation.override("en"):
        assert facts.find("dt", string=translation.gettext("Who applies"))
    for written in [
        applicant_type().name,
        seeded_category("jardins-partages").name,
        "alimentation, lien social",
        "Selon le nombre d'habitants.",
    ]:
        assert language_of(facts.find(string=lambda text, w=written: w in text).parent) == "fr"
    assert language_of(main.find(string=source.summary).parent) == "fr"
    assert language_of(main.find(string=lambda t: source.description in t).parent) == "fr"
