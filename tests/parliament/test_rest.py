"""The micro-parliaments in the public API (/api/v1/micro-parliaments/, /api/v1/meetings/,
/api/v1/draws/): exactly what their pages show — a member by name only with their
agreement, the minutes once a meeting is over, a draw once its commitment is published,
never its pool, audit file or who is behind a pseudonym — with the pages' filters and a
number of queries that does not grow with the data."""

import datetime
import json

import pytest
from django.utils import timezone

from home.models import CommunePage
from parliament.factories import MicroParliamentPageFactory
from parliament.models import (
    DrawEntrant,
    DrawStatus,
    InvitationStatus,
    MicroParliamentPage,
    ParliamentMeeting,
    ParliamentMember,
    ParliamentPhase,
    ParliamentPriority,
    Role,
)
from participation.factories import VolunteerFactory
from tests.api_helpers import api_queries, get_json
from tests.parliament.test_public_pages import drawn, make_draw

pytestmark = pytest.mark.django_db


def member(page, name, role, show_name, **fields):
    return ParliamentMember.objects.create(
        micro_parliament=page,
        commune=page.commune,
        name=name,
        role=role,
        show_name=show_name,
        **fields,
    )


def titles(found):
    return [item["title"] for item in found["results"]]


@pytest.fixture
def members(parliament):
    member(parliament, "Jeanne Perrin", Role.ELECTED, True, organisation="Maire adjointe")
    member(parliament, "Louis Secret", Role.DRAWN_RESIDENT, False, organisation="Agriculteur")
    member(parliament, "Zoé Arnaud", Role.DRAWN_RESIDENT, True)
    member(
        parliament,
        "Partie Déjà",
        Role.LOCAL_ACTOR,
        True,
        left_on=timezone.localdate() - datetime.timedelta(days=3),
    )


def test_a_micro_parliament_is_its_page(client, parliament, members, commune_a):
    found = get_json(client, "/api/v1/micro-parliaments/")
    assert titles(found) == ["Micro-parlement d'Aubigny"]
    item = found["results"][0]
    assert item["communes"] == [{"id": commune_a.pk, "name": "Aubigny-les-Prés"}]
    assert item["cycle_name"] == "Cycle 1 — automne 2026"
    assert item["current_phase"] == "co_construction"
    assert [(p["phase"], p["progress"]) for p in item["phases"]] == [
        ("diagnostic", "done"),
        ("co_construction", "current"),
        ("action", "ahead"),
    ]
    assert item["phases"][1]["label"] == "Co-construction"
    assert item["url"].endswith("/micro-parlement/")
    assert "members" not in item  # in the record only

    record = get_json(client, f"/api/v1/micro-parliaments/{parliament.pk}/")
    # As the page lists them: by role group, the named ones first; the one who left is gone.
    assert record["members"] == [
        {
            "role": "drawn_resident",
            "role_label": "Habitant·e tiré·e au sort",
            "name": "Zoé Arnaud",
            "organisation": None,
        },
        {
            "role": "drawn_resident",
            "role_label": "Habitant·e tiré·e au sort",
            "name": None,
            "organisation": None,
        },
        {
            "role": "elected",
            "role_label": "Élu·e",
            "name": "Jeanne Perrin",
            "organisation": "Maire adjointe",
        },
    ]
    text = json.dumps(record, ensure_ascii=False)
    for hidden in ("Louis Secret", "Agriculteur", "Partie Déjà"):
        assert hidden not in text
    past, upcoming = record["meetings"]
    assert (past["title"], past["upcoming"]) == ("Réunion de lancement", False)
    assert past["minutes"] == "<p>Trois priorités retenues.</p>"
    assert (upcoming["title"], upcoming["upcoming"]) == ("Atelier mobilité", True)
    assert upcoming["minutes"] == ""
    assert upcoming["minutes_document"] is None
    assert "Le covoiturage" in upcoming["agenda"]
    assert upcoming["url"].endswith(f"#reunion-{upcoming['id']}")
    assert record["priorities"] == [
        {"title": "Une navette le jeudi", "description": "Vers le marché.", "project": None}
    ]
    assert record["draws"] == []


def test_the_labels_are_french_whatever_the_browser_asks(client, parliament, members):
    found = client.get(
        f"/api/v1/micro-parliaments/{parliament.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert found["phases"][0]["label"] == "Diagnostic"
    assert found["members"][-1]["role_label"] == "Élu·e"


def test_minutes_appear_once_the_meeting_is_over(client, parliament):
    meeting = ParliamentMeeting.objects.get(title="Atelier mobilité")
    meeting.minutes = "<p>Deux idées retenues.</p>"
    meeting.save()
    found = get_json(client, f"/api/v1/meetings/{meeting.pk}/")
    assert found["minutes"] == ""
    meeting.starts_at = timezone.now() - datetime.timedelta(days=1)
    meeting.ends_at = None
    meeting.save()
    assert get_json(client, f"/api/v1/meetings/{meeting.pk}/")["minutes"] == (
        "<p>Deux idées retenues.</p>"
    )


def test_meetings_with_the_pages_filters(client, parliament, commune_b):
    other = MicroParliamentPageFactory(parent=commune_b, title="Micro-parlement de Bellecombe")
    ParliamentMeeting.objects.create(
        page=other,
        title="Séance plénière",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        place="Mairie de Bellecombe",
    )
    assert titles(get_json(client, "/api/v1/meetings/")) == [
        "Atelier mobilité",
        "Séance plénière",
        "Réunion de lancement",
    ]
    assert titles(get_json(client, "/api/v1/meetings/", upcoming="true")) == [
        "Atelier mobilité",
        "Séance plénière",
    ]
    assert titles(get_json(client, "/api/v1/meetings/", upcoming="false")) == [
        "Réunion de lancement"
    ]
    assert titles(get_json(client, "/api/v1/meetings/", micro_parliament=other.pk)) == [
        "Séance plénière"
    ]
    assert titles(get_json(client, "/api/v1/meetings/", commune=commune_b.pk)) == [
        "Séance plénière"
    ]
    assert titles(get_json(client, "/api/v1/meetings/", q="mobilite")) == ["Atelier mobilité"]
    found = get_json(client, "/api/v1/meetings/", micro_parliament=other.pk)["results"][0]
    assert found["micro_parliament"] == {"id": other.pk, "title": "Micro-parlement de Bellecombe"}
    assert "micro_parliament" in get_json(
        client, "/api/v1/meetings/", expect=400, micro_parliament="abc"
    )


def test_wrong_meeting_filters_are_refused_in_french_never_ignored(client, parliament):
    """?micro_parliament=<id>.5 was read as <id> (a decimal truncated) and
    ?upcoming=peut-etre as no filter: both were a 200."""
    for value in (f"{parliament.pk}.5", f"{parliament.pk}.0"):
        assert get_json(client, "/api/v1/meetings/", expect=400, micro_parliament=value) == {
            "micro_parliament": ["Indiquez un nombre entier."]
        }
    for value in ("peut-etre", "1", "True"):
        assert get_json(client, "/api/v1/meetings/", expect=400, upcoming=value) == {
            "upcoming": ["Indiquez true ou false."]
        }
    assert get_json(client, "/api/v1/draws/", expect=400, micro_parliament="1.5") == {
        "micro_parliament": ["Indiquez un nombre entier."]
    }


def test_a_shared_micro_parliament_serves_its_communes(
    client, network_home, commune_a, commune_b, parliament
):
    shared = MicroParliamentPageFactory(
        parent=network_home, title="Micro-parlement du canton", communes=[commune_a, commune_b]
    )
    found = get_json(client, "/api/v1/micro-parliaments/", commune=commune_b.pk)
    assert titles(found) == ["Micro-parlement du canton"]
    assert {c["name"] for c in found["results"][0]["communes"]} == {
        "Aubigny-les-Prés",
        "Bellecombe",
    }
    assert titles(get_json(client, "/api/v1/micro-parliaments/", commune=commune_a.pk)) == [
        "Micro-parlement d'Aubigny",
        "Micro-parlement du canton",
    ]
    assert get_json(client, f"/api/v1/micro-parliaments/{shared.pk}/")["members"] == []


def test_filters_by_phase_and_search(client, parliament, commune_b):
    other = MicroParliamentPageFactory(parent=commune_b, title="Micro-parlement de Bellecombe")
    today = timezone.localdate()
    ParliamentPhase.objects.create(
        page=other, phase="action", starts_on=today, ends_on=today + datetime.timedelta(days=9)
    )
    assert titles(get_json(client, "/api/v1/micro-parliaments/", phase="action")) == [
        "Micro-parlement de Bellecombe"
    ]
    assert titles(get_json(client, "/api/v1/micro-parliaments/", phase="co_construction")) == [
        "Micro-parlement d'Aubigny"
    ]
    assert get_json(client, "/api/v1/micro-parliaments/", phase="diagnostic")["count"] == 0
    assert titles(get_json(client, "/api/v1/micro-parliaments/", q="bellecombe")) == [
        "Micro-parlement de Bellecombe"
    ]
    assert "phase" in get_json(client, "/api/v1/micro-parliaments/", expect=400, phase="x")


def test_nothing_of_a_hidden_page_or_an_offline_commune(client, parliament, commune_b):
    other = MicroParliamentPageFactory(parent=commune_b, title="Micro-parlement de Bellecombe")
    meeting = ParliamentMeeting.objects.create(
        page=other, title="Séance", starts_at=timezone.now(), place="Mairie"
    )
    draw = make_draw(other)
    for url in (
        f"/api/v1/micro-parliaments/{other.pk}/",
        f"/api/v1/meetings/{meeting.pk}/",
        f"/api/v1/draws/{draw.pk}/",
    ):
        get_json(client, url)
    CommunePage.objects.get(pk=commune_b.pk).unpublish()  # offline: its pages stay live
    assert MicroParliamentPage.objects.get(pk=other.pk).live
    for url in (
        f"/api/v1/micro-parliaments/{other.pk}/",
        f"/api/v1/meetings/{meeting.pk}/",
        f"/api/v1/draws/{draw.pk}/",
    ):
        get_json(client, url, expect=404)
    assert titles(get_json(client, "/api/v1/micro-parliaments/")) == ["Micro-parlement d'Aubigny"]
    MicroParliamentPage.objects.get(pk=parliament.pk).unpublish()
    assert get_json(client, "/api/v1/micro-parliaments/")["count"] == 0
    assert get_json(client, "/api/v1/meetings/")["count"] == 0
    get_json(client, f"/api/v1/micro-parliaments/{parliament.pk}/", expect=404)


def test_a_priority_links_to_its_project_only_when_published(client, parliament, commune_a):
    from wagtail.models import Page

    project = Page(title="Navette du jeudi", slug="navette")
    commune_a.add_child(instance=project)
    project.save_revision().publish()
    ParliamentPriority.objects.filter(page=parliament).update(project=project)
    found = get_json(client, f"/api/v1/micro-parliaments/{parliament.pk}/")["priorities"][0]
    assert found["project"]["id"] == project.pk
    assert found["project"]["url"].endswith("/navette/")
    project.unpublish()
    found = get_json(client, f"/api/v1/micro-parliaments/{parliament.pk}/")["priorities"][0]
    assert found["project"] is None


# Draws.


def test_only_published_draws_with_their_public_file(client, parliament):
    make_draw(parliament, status=DrawStatus.COMPUTED, title="Tirage en préparation")
    published = make_draw(parliament, title="Tirage publié")
    cancelled = make_draw(
        parliament,
        title="Tirage annulé",
        status=DrawStatus.CANCELLED,
        cancelled_at=timezone.now(),
        cancel_reason="Une erreur dans la liste importée.",
    )
    found = get_json(client, "/api/v1/draws/")
    assert sorted(titles(found)) == ["Tirage annulé", "Tirage publié"]
    item = next(d for d in found["results"] if d["id"] == published.pk)
    assert (item["stage"], item["pool_size"], item["panels"]) == ("published", 8, 4)
    assert item["lowest_chance"] == item["highest_chance"] == 25.0
    assert item["commitment"] == published.commitment
    assert item["micro_parliament"] == {"id": parliament.pk, "title": parliament.title}
    assert item["url"].endswith(f"/tirages/{published.pk}/")
    # The file the page offers, and it is the lottery document (pseudonyms only).
    response = client.get(item["file_url"])
    assert response.status_code == 200
    assert json.loads(response.content)["commitment"] == published.commitment
    record = get_json(client, f"/api/v1/draws/{cancelled.pk}/")
    assert record["cancel_reason"] == "Une erreur dans la liste importée."
    # Fewer than five people with an answer: not published (there are four of each).
    assert {row["in_pool"] for row in record["quotas"]} == {None}
    assert record["seats"] == []
    assert record["alternates"] == []
    for key in ("audit", "pool_snapshot", "result", "quotas_raw"):
        assert key not in record
    assert titles(get_json(client, "/api/v1/draws/", stage="cancelled")) == ["Tirage annulé"]
    assert "stage" in get_json(client, "/api/v1/draws/", expect=400, stage="draft")
    draws = get_json(client, f"/api/v1/micro-parliaments/{parliament.pk}/")["draws"]
    assert {d["title"] for d in draws} == {"Tirage annulé", "Tirage publié"}


def test_a_draft_draw_is_not_found(client, parliament):
    draft = make_draw(parliament, status=DrawStatus.COMPUTED)
    get_json(client, f"/api/v1/draws/{draft.pk}/", expect=404)


def test_a_drawn_draw_names_only_the_members_who_agreed(client, parliament):
    draw = drawn(make_draw(parliament))
    names = {"P002": ("Camille", "Martin", True), "P003": ("Hugo", "Discret", False)}
    for pseudonym, (first, last, shown) in names.items():
        volunteer = VolunteerFactory(
            commune=parliament.commune,
            first_name=first,
            last_name=last,
            email=f"{first.lower()}@example.org",
            phone="06 12 34 56 78",
        )
        entrant = DrawEntrant.objects.get(draw=draw, pseudonym=pseudonym)
        entrant.volunteer = volunteer
        entrant.invitation = InvitationStatus.ACCEPTED
        entrant.save()
        ParliamentMember.objects.create(
            micro_parliament=parliament,
            commune=parliament.commune,
            name=f"{first} {last}",
            role=Role.DRAWN_RESIDENT,
            show_name=shown,
            volunteer=volunteer,
            draw=draw,
        )
    record = get_json(client, f"/api/v1/draws/{draw.pk}/")
    assert record["stage"] == "drawn"
    assert record["panel_number"] == 2
    assert [seat["number"] for seat in record["seats"]] == [1, 2]
    assert "P002 (Camille Martin) a accepté" in record["seats"][0]["story"]
    assert "Hugo" not in json.dumps(record)
    assert "Discret" not in json.dumps(record)
    assert record["alternates"][0] == {"pseudonym": "P005", "name": None}
    assert {row["drawn"] for row in record["quotas"]} == {1}
    text = json.dumps(record)
    assert "example.org" not in text
    assert "06 12" not in text


# Queries.


def test_query_counts_stay_flat(client, network_home, commune_a, commune_b, parliament):
    today = timezone.localdate()
    now = timezone.now()
    pages = [parliament]
    draws = []

    def grow(count):
        for number in range(count):
            page = MicroParliamentPageFactory(parent=commune_b, title=f"Micro-parlement {number}")
            pages.append(page)
            ParliamentPhase.objects.create(
                page=page, phase="action", starts_on=today, ends_on=today
            )
            ParliamentPriority.objects.create(page=page, title=f"Priorité {number}")
            draws.append(make_draw(page, title=f"Tirage {number}"))
        for page in pages[:3]:
            for number in range(count):
                ParliamentMeeting.objects.create(
                    page=page,
                    title=f"Réunion {number}",
                    starts_at=now + datetime.timedelta(days=number - count // 2),
                    place="Salle des fêtes",
                    minutes="<p>Compte rendu.</p>",
                )
                member(page, f"Membre {number}", Role.DRAWN_RESIDENT, number % 2 == 0)

    def counts():
        return [
            api_queries(client, "/api/v1/micro-parliaments/"),
            api_queries(client, "/api/v1/micro-parliaments/", {"phase": "action"}),
            api_queries(client, "/api/v1/micro-parliaments/", {"commune": commune_b.pk}),
            api_queries(client, f"/api/v1/micro-parliaments/{parliament.pk}/"),
            api_queries(client, "/api/v1/meetings/"),
            api_queries(client, "/api/v1/meetings/", {"upcoming": "true", "q": "reunion"}),
            api_queries(client, "/api/v1/draws/"),
            api_queries(client, "/api/v1/draws/", {"commune": commune_b.pk}),
            api_queries(client, f"/api/v1/draws/{draws[0].pk}/"),
        ]

    grow(3)
    small = counts()
    grow(30)
    large = counts()
    assert large == small, f"queries with a few: {small}, with many: {large}"


def hidden_in_three_ways(network_home, commune_a, commune_b):
    """Three pages a visitor cannot reach, for priorities to link to: one under a view
    restriction, one of a commune gone offline, one below an unpublished section."""
    from django.contrib.auth.models import Group
    from wagtail.models import Page, PageViewRestriction

    def published(parent, title, slug):
        page = Page(title=title, slug=slug)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return Page.objects.get(pk=page.pk)

    restricted = published(commune_a, "Projet réservé au conseil", "reserve")
    restriction = PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Conseil municipal"))
    offline = published(commune_b, "Navette de Bellecombe", "navette")
    section = published(commune_a, "Chantiers", "chantiers")
    below = published(section, "Chantier de l'école", "ecole")
    section.unpublish()
    CommunePage.objects.get(pk=commune_b.pk).unpublish()
    return [restricted, offline, below]


def test_a_priority_never_names_a_page_a_visitor_cannot_reach(
    client, network_home, commune_a, commune_b
):
    """The API and the page agree (``parliament.views.public_priorities``)."""
    shared = MicroParliamentPageFactory(
        parent=network_home, title="Micro-parlement du canton", communes=[commune_a, commune_b]
    )
    hidden = hidden_in_three_ways(network_home, commune_a, commune_b)
    for page in hidden:
        ParliamentPriority.objects.create(page=shared, title=f"Priorité {page.slug}", project=page)
    record = get_json(client, f"/api/v1/micro-parliaments/{shared.pk}/")
    assert [row["project"] for row in record["priorities"]] == [None, None, None]
    html = client.get(shared.url).content.decode()
    answer = json.dumps(record, ensure_ascii=False)
    for page in hidden:
        assert page.title not in answer
        assert page.title not in html
        assert f"Priorité {page.slug}" in html  # the priority itself stays
