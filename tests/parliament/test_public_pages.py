"""The public side of the micro-parliament: its page, its iCalendar feed, the public draw
pages and file, and the invitation a drawn resident answers."""

import datetime
import html
import json

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar

from parliament.factories import MicroParliamentPageFactory
from parliament.models import (
    Draw,
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
from participation.tokens import make_token

pytestmark = pytest.mark.django_db

COMMITMENT = "3f" * 32


def text_of(response):
    return html.unescape(response.content.decode())


def route(page, name, *args):
    return page.url + page.reverse_subpage(name, args=args)


@pytest.fixture
def parliament(commune_a):
    commune_a.email = "mairie@aubigny.example"
    commune_a.phone = "03 85 00 00 00"
    commune_a.save_revision().publish()
    today = timezone.localdate()
    now = timezone.now()
    page = MicroParliamentPage(
        title="Micro-parlement d'Aubigny",
        slug="micro-parlement",
        intro="<p>Douze habitants et habitantes, des élus, des acteurs locaux.</p>",
        mandate="<p>Proposer au conseil trois projets pour le bourg.</p>",
        cycle_name="Cycle 1 — automne 2026",
        phases=[
            ParliamentPhase(
                phase="diagnostic",
                starts_on=today - datetime.timedelta(days=40),
                ends_on=today - datetime.timedelta(days=10),
            ),
            ParliamentPhase(
                phase="co_construction",
                starts_on=today - datetime.timedelta(days=9),
                ends_on=today + datetime.timedelta(days=20),
            ),
            ParliamentPhase(
                phase="action",
                starts_on=today + datetime.timedelta(days=21),
                ends_on=today + datetime.timedelta(days=80),
            ),
        ],
        meetings=[
            ParliamentMeeting(
                title="Réunion de lancement",
                starts_at=now - datetime.timedelta(days=30),
                place="Salle des fêtes, Le Bourg",
                minutes="<p>Trois priorités retenues.</p>",
            ),
            ParliamentMeeting(
                title="Atelier mobilité",
                starts_at=now + datetime.timedelta(days=7),
                ends_at=now + datetime.timedelta(days=7, hours=2),
                place="Mairie, salle du conseil",
                agenda="<ul><li>Le transport à la demande</li><li>Le covoiturage</li></ul>",
            ),
        ],
        priorities=[
            ParliamentPriority(title="Une navette le jeudi", description="Vers le marché."),
        ],
    )
    commune_a.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_draw(page, *, status=DrawStatus.PUBLISHED, **fields):
    """A draw filled in directly, as the engine would have left it."""
    pool = [
        {"id": f"P{n:03d}", "features": {"gender": gender, "age_band": band}, "household": None}
        for n, (gender, band) in enumerate(
            [("female", "25-34"), ("male", "25-34"), ("female", "65+"), ("male", "65+")] * 2,
            start=1,
        )
    ]
    quotas = [
        {"category": "gender", "value": "female", "min": 1, "max": 1},
        {"category": "gender", "value": "male", "min": 1, "max": 1},
        {"category": "age_band", "value": "25-34", "min": 1, "max": 1},
        {"category": "age_band", "value": "65+", "min": 1, "max": 1},
    ]
    lottery = {
        "format": "mprc-sortition-lottery/1",
        "pool": pool,
        "quotas": quotas,
        "panel_size": 2,
        "panels": [["P001", "P004"], ["P002", "P003"], ["P005", "P008"], ["P006", "P007"]],
        "randomness_source": "Les cinq numéros du Loto du samedi 28 novembre 2026",
        "commitment": COMMITMENT,
    }
    values = {
        "commune": page.commune,
        "micro_parliament": page,
        "title": "Tirage des habitants, cycle 1",
        "panel_size": 2,
        "status": status,
        "frozen_at": timezone.now(),
        "pool_snapshot": pool,
        "quotas": quotas,
        "result": {"min_probability": 0.25, "max_probability": 0.25},
        "lottery": lottery,
        "commitment": COMMITMENT,
        "randomness_source": lottery["randomness_source"],
        "published_at": timezone.now() if status != DrawStatus.COMPUTED else None,
    }
    values.update(fields)
    draw = Draw.objects.create(**values)
    for person in pool:
        DrawEntrant.objects.create(draw=draw, pseudonym=person["id"])
    return draw


def drawn(draw):
    draw.status = DrawStatus.DRAWN
    draw.randomness = "7 12 23 34 45"
    draw.panel_number = 2
    draw.selected = ["P002", "P003"]
    draw.alternates = ["P005", "P001", "P008", "P004", "P006", "P007"]
    draw.drawn_at = timezone.now()
    draw.lottery = {
        **draw.lottery,
        "draw": {
            "randomness": draw.randomness,
            "panel_number": 2,
            "members": draw.selected,
            "alternates": draw.alternates,
        },
    }
    draw.save()
    return draw


@pytest.fixture
def invited(parliament):
    """A drawn panel; P002 is Camille, invited by e-mail."""
    draw = drawn(make_draw(parliament))
    volunteer = VolunteerFactory(
        commune=parliament.commune,
        signed_up=True,
        first_name="Camille",
        last_name="Martin",
        email="camille@example.org",
    )
    entrant = DrawEntrant.objects.get(draw=draw, pseudonym="P002")
    entrant.volunteer = volunteer
    entrant.invitation = InvitationStatus.INVITED
    entrant.invited_at = timezone.now()
    entrant.save()
    return entrant


# The page.


def test_the_page_shows_the_cycle_members_meetings_and_priorities(client, parliament):
    ParliamentMember.objects.create(
        micro_parliament=parliament,
        commune=parliament.commune,
        name="Jeanne Perrin",
        role=Role.ELECTED,
        organisation="Maire adjointe",
        show_name=True,
    )
    ParliamentMember.objects.create(
        micro_parliament=parliament,
        commune=parliament.commune,
        name="Louis Secret",
        role=Role.DRAWN_RESIDENT,
        show_name=False,
    )
    response = client.get(parliament.url)
    assert response.status_code == 200
    page = text_of(response)
    for shown in (
        "Proposer au conseil trois projets",
        "Cycle 1 — automne 2026",
        "Jeanne Perrin",
        "Maire adjointe",
        "Atelier mobilité",
        "Mairie, salle du conseil",
        "Le covoiturage",
        "Réunion de lancement",
        "Trois priorités retenues.",
        "Une navette le jeudi",
        "Aubigny-les-Prés",
        route(parliament, "calendar"),
    ):
        assert shown in page, shown
    # The drawn resident who keeps their name private appears by role only.
    assert "Louis Secret" not in page
    residents = response.context["member_groups"][0][1]
    assert [m.public_name for m in residents] == [str(Role.DRAWN_RESIDENT.label)]
    # The current phase is said in words, not by colour alone.
    current = page.split('aria-current="step"')[1].split("</li>")[0]
    assert "Co-construction" in current
    assert "parliament-phase__state" in current


def test_the_page_lists_published_draws_only(client, parliament):
    published = make_draw(parliament, title="Tirage publié")
    make_draw(parliament, status=DrawStatus.COMPUTED, title="Tirage en préparation")
    page = text_of(client.get(parliament.url))
    assert "Tirage publié" in page
    assert route(parliament, "draw", published.pk) in page
    assert "Tirage en préparation" not in page


# The iCalendar feed.


def test_the_calendar_feed_has_one_event_per_meeting(client, parliament):
    response = client.get(route(parliament, "calendar"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="agenda.ics"' in response["Content-Disposition"]
    feed = Calendar.from_ical(response.content)
    assert str(feed["X-WR-CALNAME"]) == parliament.title
    events = {str(event["SUMMARY"]): event for event in feed.walk("VEVENT")}
    assert set(events) == {"Réunion de lancement", "Atelier mobilité"}

    workshop = parliament.meetings.get(title="Atelier mobilité")
    event = events["Atelier mobilité"]
    assert str(event["UID"]) == f"{workshop.uid}@testserver"
    assert event.decoded("DTSTART") == workshop.starts_at.replace(microsecond=0)
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert event.decoded("DTEND") == workshop.ends_at.replace(microsecond=0)
    assert str(event["LOCATION"]) == "Mairie, salle du conseil"
    description = str(event["DESCRIPTION"])
    assert "• Le transport à la demande\n• Le covoiturage" in description
    assert "<" not in description
    assert description.endswith("http://testserver" + parliament.url)

    # Without an end: one hour and a half.
    launch = events["Réunion de lancement"]
    assert launch.decoded("DTEND") - launch.decoded("DTSTART") == datetime.timedelta(
        hours=1, minutes=30
    )


# Public draws.


def test_a_draw_is_not_public_before_its_commitment_is_published(client, parliament):
    draw = make_draw(parliament, status=DrawStatus.COMPUTED)
    assert client.get(route(parliament, "draw", draw.pk)).status_code == 404
    assert client.get(route(parliament, "draw_file", draw.pk)).status_code == 404


def test_a_draw_is_public_only_under_its_own_micro_parliament(client, parliament, commune_b):
    other = MicroParliamentPage(title="Micro-parlement de Bellecombe", slug="micro-parlement")
    commune_b.add_child(instance=other)
    draw = make_draw(parliament)
    assert client.get(route(other, "draw", draw.pk)).status_code == 404
    assert client.get(route(other, "draw_file", draw.pk)).status_code == 404


def test_a_published_draw_shows_its_pool_quotas_chances_and_commitment(client, parliament):
    draw = make_draw(parliament)
    response = client.get(route(parliament, "draw", draw.pk))
    assert response.status_code == 200
    page = text_of(response)
    for shown in (
        "Tirage des habitants, cycle 1",
        "Femme",
        "65 ans et plus",
        "25,0\xa0%",
        COMMITMENT,
        "Loto du samedi 28 novembre 2026",
        f"python -m participation.sortition verify tirage-{draw.pk}.json",
        route(parliament, "draw_file", draw.pk),
    ):
        assert shown in page, shown


def test_a_drawn_draw_shows_the_panel_with_consented_names_only(client, parliament, invited):
    draw = invited.draw
    ParliamentMember.objects.create(
        micro_parliament=parliament,
        commune=parliament.commune,
        name="Camille M.",
        role=Role.DRAWN_RESIDENT,
        show_name=True,
        volunteer=invited.volunteer,
        draw=draw,
    )
    shy = VolunteerFactory(commune=parliament.commune, first_name="Discrète")
    DrawEntrant.objects.filter(draw=draw, pseudonym="P003").update(volunteer=shy)
    ParliamentMember.objects.create(
        micro_parliament=parliament,
        commune=parliament.commune,
        name="Discrète X.",
        role=Role.DRAWN_RESIDENT,
        show_name=False,
        volunteer=shy,
        draw=draw,
    )
    page = text_of(client.get(route(parliament, "draw", draw.pk)))
    assert "7 12 23 34 45" in page
    assert response_context_panels(client, parliament, draw) == (2, 4)
    assert "P002" in page
    assert "Camille M." in page
    assert "P003" in page
    assert "Discrète" not in page
    assert "Martin" not in page
    assert "camille@example.org" not in page
    assert "P005" in page  # the first alternate


def test_a_cancelled_draw_stays_public_with_its_reason(client, parliament):
    draw = make_draw(
        parliament,
        status=DrawStatus.CANCELLED,
        cancelled_at=timezone.now(),
        cancel_reason="Le tirage du Loto a été reporté.",
    )
    page = text_of(client.get(route(parliament, "draw", draw.pk)))
    assert "Le tirage du Loto a été reporté." in page
    assert "status--cancelled" in page
    assert COMMITMENT in page


def test_the_draw_file_is_the_lottery_document(client, parliament, invited):
    draw = invited.draw
    response = client.get(route(parliament, "draw_file", draw.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert f'filename="tirage-{draw.pk}.json"' in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document == draw.lottery
    assert document["draw"]["panel_number"] == 2
    assert "camille" not in response.content.decode().lower()


def response_context_panels(client, page, draw):
    context = client.get(route(page, "draw", draw.pk)).context
    return context["draw"].panel_number, context["panels"]


# Invitations.


def invitation_url(page, entrant):
    return route(page, "invitation", make_token(entrant.volunteer))


def test_opening_an_invitation_answers_nothing(client, parliament, invited):
    response = client.get(invitation_url(parliament, invited))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    page = text_of(response)
    assert "Camille" in page
    assert "Atelier mobilité" in page
    assert 'value="Camille M."' in page  # the default name to show
    invited.refresh_from_db()
    assert invited.invitation == InvitationStatus.INVITED
    assert not ParliamentMember.objects.exists()


def test_accepting_makes_a_member_with_the_name_chosen(client, parliament, invited):
    url = invitation_url(parliament, invited)
    response = client.post(
        url, {"answer": "accept", "show_name": "on", "public_name": "  Camille   Martin "}
    )
    assert response.status_code == 302
    member = ParliamentMember.objects.get()
    assert member.name == "Camille Martin"
    assert member.show_name
    assert member.role == Role.DRAWN_RESIDENT
    assert member.micro_parliament_id == parliament.pk
    invited.refresh_from_db()
    assert invited.invitation == InvitationStatus.ACCEPTED

    # The link now shows the answer; posting again changes nothing.
    shown = client.get(url)
    assert "parliament/invitation_answered.html" in [t.name for t in shown.templates]
    assert shown.context["accepted"]
    assert text_of(client.get(parliament.url)).count("Camille Martin") == 1
    again = client.post(url, {"answer": "decline"})
    assert again.status_code == 200
    invited.refresh_from_db()
    assert invited.invitation == InvitationStatus.ACCEPTED


def test_a_member_of_another_micro_parliament_is_not_offered_to_accept(client, parliament, invited):
    """«I accept» was offered, and the click refused: a person sits in one micro-parliament
    at a time. The page says so, and declining stays possible."""
    elsewhere = MicroParliamentPageFactory(parent=parliament.commune, title="Micro-parlement bis")
    ParliamentMember.objects.create(
        micro_parliament=elsewhere,
        commune=parliament.commune,
        volunteer=invited.volunteer,
        name="Camille Martin",
        role=Role.DRAWN_RESIDENT,
    )
    page = html.unescape(client.get(invitation_url(parliament, invited)).content.decode())
    assert 'value="accept"' not in page
    assert 'value="decline"' in page
    assert "Micro-parlement bis" in page
    assert gettext("I accept to take part") not in page


def test_accepting_without_showing_the_name(client, parliament, invited):
    client.post(invitation_url(parliament, invited), {"answer": "accept", "public_name": ""})
    member = ParliamentMember.objects.get()
    assert not member.show_name
    assert member.name == "Camille M."
    assert "Camille" not in text_of(client.get(parliament.url))


def test_declining_tells_the_town_hall_without_personal_data(client, parliament, invited):
    url = invitation_url(parliament, invited)
    mail.outbox.clear()
    response = client.post(url, {"answer": "decline"})
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.invitation == InvitationStatus.DECLINED
    assert not ParliamentMember.objects.exists()
    [message] = mail.outbox
    assert message.to == ["mairie@aubigny.example"]
    assert "Tirage des habitants, cycle 1" in message.body
    assert f"/run/{invited.draw.pk}/" in message.body
    for personal in ("Camille", "Martin", "camille@example.org", "P002"):
        assert personal not in message.body + message.subject
    shown = client.get(url)
    assert "parliament/invitation_answered.html" in [t.name for t in shown.templates]
    assert not shown.context["accepted"]


def test_a_post_without_an_answer_is_refused_with_a_message(client, parliament, invited):
    response = client.post(invitation_url(parliament, invited), {"show_name": "on"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "form-errors" in text_of(response)
    invited.refresh_from_db()
    assert invited.invitation == InvitationStatus.INVITED


def test_a_bad_or_foreign_link_says_so(client, parliament, invited, commune_b):
    bad = route(parliament, "invitation", make_token(invited.volunteer)[:-3] + "abc")
    response = client.get(bad)
    assert response.status_code == 404
    assert "parliament/invitation_invalid.html" in [t.name for t in response.templates]
    other = MicroParliamentPage(title="Micro-parlement de Bellecombe", slug="micro-parlement")
    commune_b.add_child(instance=other)
    assert client.get(invitation_url(other, invited)).status_code == 404


def test_the_invitation_email_carries_the_link(rf, parliament, invited):
    from parliament import invitations

    invited.invitation = InvitationStatus.NOT_INVITED
    invited.save()
    request = rf.get("/")
    mail.outbox.clear()
    emailed, to_call = invitations.invite(request, invited.draw, [invited], user=None)
    assert (emailed, to_call) == (1, 0)
    [message] = mail.outbox
    assert message.to == ["camille@example.org"]
    assert "Aubigny-les-Prés" in message.subject
    assert "Camille" in message.body
    assert "Atelier mobilité" in message.body
    assert "http://testserver" + invitation_url(parliament, invited) in message.body
    assert "&#x27;" not in message.body
    assert "&quot;" not in message.body
