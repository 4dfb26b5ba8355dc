"""The personal data page of a commune that runs the volunteer list (issue 17): its
processings, with the retention the commune's sign-up page and the settings set."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from participation.factories import VolunteerFactory
from participation.retention import add_months
from tests.legal_helpers import privacy_sections as sections

pytestmark = pytest.mark.django_db

TITLES = (
    "Liste des volontaires et listes pour le tirage au sort",
    "Tirages au sort du micro-parlement",
    "Membres du micro-parlement",
)


def test_the_module_s_processings_are_listed_where_it_is_on(client, signup_page, commune_b):
    listed = sections(client, signup_page.commune)
    for title in TITLES:
        assert title in listed
    assert not set(TITLES) & set(sections(client, commune_b))
    # The network's page leaves the communes' processings to their pages.
    response = client.get("/donnees-personnelles/")
    assert not set(TITLES) & {
        h.get_text()
        for h in BeautifulSoup(response.content, "html.parser").select("section.processing h3")
    }


def test_a_commune_that_switched_it_off_but_keeps_people_still_lists_it(
    client, signup_page, commune_a
):
    signup_page.unpublish()
    assert TITLES[0] not in sections(client, commune_a)
    VolunteerFactory(commune=commune_a, signed_up=True)
    assert TITLES[0] in sections(client, commune_a)


def test_the_retention_comes_from_the_sign_up_page_and_the_settings(
    client, signup_page, commune_a, settings
):
    text = sections(client, commune_a)[TITLES[0]]
    # No cycle end: three months of a cycle plus the page's six months.
    assert "9 mois après sa confirmation" in text
    assert "14 jours" in text
    assert "Le consentement (article 6.1.a du RGPD)" in text
    assert "Une mission d’intérêt public (article 6.1.e du RGPD)" in text

    cycle_end = timezone.localdate() + datetime.timedelta(days=40)
    signup_page.cycle_end = cycle_end
    signup_page.retention_months = 4
    signup_page.ask_gender = False
    signup_page.save_revision().publish()
    settings.PARTICIPATION_CONFIRMATION_DAYS = 10
    text = sections(client, commune_a)[TITLES[0]]
    from django.utils import formats, translation

    with translation.override("fr"):
        end = formats.date_format(add_months(cycle_end, 4))
    assert end in text
    assert "4 mois" in text
    assert "10 jours" in text
    assert "le genre" not in text
    assert "l’année de naissance" in text


def test_the_draw_says_what_is_public_and_what_is_kept(client, signup_page, commune_a):
    text = sections(client, commune_a)[TITLES[1]]
    assert "pseudonyme" in text
    assert "moins de 5" in text
    assert "garants" in text
