"""Micro-parliament meetings in the site search (/recherche/): the meetings of the
published micro-parliament pages, linked to their place on the page, in the searches of
the communes they serve; never a draft's meeting, never the members' names."""

import datetime
import html
import importlib

import pytest
from django.utils import timezone

from parliament.factories import MicroParliamentPageFactory
from parliament.models import ParliamentMeeting, ParliamentMember, Role
from tests.parliament.moved_models import moved_models

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


def found(client, q, **params):
    response = client.get("/recherche/", {"q": q, **params})
    assert response.status_code == 200
    for group in response.context["groups"]:
        if group.kind.key == "meetings":
            return {result.title: result for result in group.results}
    return {}


def meeting(title, days, **fields):
    return ParliamentMeeting(
        title=title,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        place=fields.pop("place", "Salle des fêtes, Le Bourg"),
        **fields,
    )


@pytest.fixture
def parliament_a(commune_a):
    return MicroParliamentPageFactory(
        parent=commune_a,
        title="Micro-parlement d’Aubigny",
        meetings=[
            meeting(
                "Séance 7 : le covoiturage",
                days=7,
                agenda="<ul><li>Le point de rendez-vous</li><li>La charte</li></ul>",
            ),
            meeting(
                "Séance d’ouverture",
                days=-30,
                minutes="<p>Trois priorités retenues : la navette, le jardin, l’école.</p>",
            ),
        ],
    )


@pytest.fixture
def shared_parliament(network_home, commune_a, commune_b):
    return MicroParliamentPageFactory(
        parent=network_home,
        title="Micro-parlement des Vallons",
        communes=[commune_a, commune_b],
        meetings=[meeting("Séance commune des Vallons", days=14, place="Mairie de Bellecombe")],
    )


def test_meetings_are_found_and_linked_to_their_place(client, parliament_a):
    results = found(client, "covoiturage")
    assert list(results) == ["Séance 7 : le covoiturage"]
    result = results["Séance 7 : le covoiturage"]
    item = ParliamentMeeting.objects.get(title="Séance 7 : le covoiturage")
    assert result.url == f"{parliament_a.url}#reunion-{item.pk}"
    assert result.commune == "Aubigny-les-Prés"
    assert result.excerpt == "Le point de rendez-vous La charte"
    assert result.detail.endswith(" · Salle des fêtes, Le Bourg")
    page = client.get(parliament_a.url)
    assert f'id="reunion-{item.pk}"' in page.content.decode()
    # The minutes are searched too, accent-blind.
    assert list(found(client, "priorites ECOLE")) == ["Séance d’ouverture"]


def test_a_shared_parliament_is_in_each_served_communes_search(
    client, shared_parliament, parliament_a, commune_a, commune_b
):
    results = found(client, "seance", commune=commune_b.pk)
    assert list(results) == ["Séance commune des Vallons"]
    assert results["Séance commune des Vallons"].commune == "Aubigny-les-Prés, Bellecombe"
    assert set(found(client, "seance", commune=commune_a.pk)) == {
        "Séance commune des Vallons",
        "Séance 7 : le covoiturage",
        "Séance d’ouverture",
    }


def test_unpublished_pages_and_drafts_never_appear(client, parliament_a, commune_a):
    parliament_a.meetings.add(meeting("Séance secrète", days=3))
    parliament_a.save_revision()  # a draft: the new meeting is not published
    assert found(client, "secrete") == {}
    parliament_a.get_latest_revision().publish()
    assert list(found(client, "secrete")) == ["Séance secrète"]
    parliament_a.unpublish()
    assert found(client, "seance") == {}


def test_members_names_are_never_searched(client, parliament_a, commune_a):
    ParliamentMember.objects.create(
        micro_parliament=parliament_a,
        commune=commune_a,
        name="Marcelle Duverger",
        role=Role.DRAWN_RESIDENT,
    )
    response = client.get("/recherche/", {"q": "Duverger"})
    assert response.context["groups"] == []
    assert "Duverger" not in html.unescape(response.content.decode()).split("results-heading")[1]


def test_the_migration_fills_the_meetings_search_text(parliament_a):
    migration = importlib.import_module("participation.migrations.0009_fill_meeting_search_text")
    expected = dict(ParliamentMeeting.objects.values_list("pk", "search_text"))
    assert expected[ParliamentMeeting.objects.get(title__startswith="Séance 7").pk] == (
        "seance 7 le covoiturage salle des fetes le bourg le point de rendez vous la charte"
    )
    ParliamentMeeting.objects.update(search_title="", search_text="")
    migration.fill(moved_models, None)
    assert dict(ParliamentMeeting.objects.values_list("pk", "search_text")) == expected
