"""The demo network's micro-parliaments: a commune's own, in the co-construction phase, with
a draw by lot run through every step and verifiable; a shared one whose commune prepares
its draw."""

import json

import pytest
from django.apps import apps
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page

import sortition
from home.models import CommunePage, NetworkHomePage
from parliament import demo_content, invitations
from parliament.models import (
    Draw,
    DrawEntrant,
    DrawStatus,
    InvitationStatus,
    MicroParliamentPage,
    ParliamentMember,
    Phase,
    Role,
)
from parliament.models.draws import SOURCE_CATEGORY
from tests.demo_helpers import load_demo

pytestmark = pytest.mark.django_db


def subpage(page, name, *args):
    return page.url + page.reverse_subpage(name, args=args)


def counts():
    return (
        MicroParliamentPage.objects.count(),
        ParliamentMember.objects.count(),
        Draw.objects.count(),
        DrawEntrant.objects.count(),
        sorted(Draw.objects.values_list("title", "status", "commitment", "panel_number")),
    )


def check_commune_parliament(client):
    commune = CommunePage.objects.get(insee_code="71901")
    page = MicroParliamentPage.objects.child_of(commune).live().get(slug="micro-parlement")
    today = timezone.localdate()
    assert page.show_in_menus
    assert page.cycle_name.startswith("Cycle 2 — ")
    assert page.served_communes() == [commune]
    assert [phase.phase for phase in page.phases.order_by("starts_on")] == [
        Phase.DIAGNOSTIC,
        Phase.CO_CONSTRUCTION,
        Phase.ACTION,
    ]
    assert page.current_phase(today).phase == Phase.CO_CONSTRUCTION

    past, upcoming = page.past_meetings(), page.upcoming_meetings()
    assert len(past) == 2
    assert len(upcoming) == 3
    assert all(meeting.minutes and meeting.agenda for meeting in past)
    assert all(meeting.agenda and not meeting.minutes for meeting in upcoming)
    assert {meeting.place for meeting in page.meetings.all()} == {
        "Salle des fêtes",
        "Mairie, salle du conseil",
    }

    priorities = list(page.priorities.all())
    assert len(priorities) == 3
    if apps.is_installed("project_catalog"):
        linked = [p.project.specific for p in priorities if p.project_id]
        assert len(linked) == 2
        for project in linked:
            assert project._meta.label == "project_catalog.ProjectPage"
            assert project.live
            assert project.path.startswith(commune.path)

    members = page.public_members()
    roles = [member.role for member in members]
    assert roles.count(Role.ELECTED) == 2
    assert roles.count(Role.LOCAL_ACTOR) == 2
    assert roles.count(Role.FACILITATOR) == 1
    assert roles.count(Role.GUARANTOR) == 1
    assert all(m.show_name and m.organisation for m in members if m.role != Role.DRAWN_RESIDENT)

    response = client.get(page.url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Séance 4 : choisir les priorités" in content
    assert members.filter(role=Role.ELECTED).first().name in content
    response = client.get(subpage(page, "calendar"))
    assert response.status_code == 200
    assert response.content.decode().count("BEGIN:VEVENT") == 5
    return commune, page


def check_one_page_per_commune(client, commune, page):
    """The commune has one page about its micro-parliament: how it works, then its members
    and meetings (the demo's separate explanation page is gone)."""
    about = [
        child
        for child in Page.objects.child_of(commune).live()
        if "micro-parlement" in child.slug or "micro-parlement" in child.title.lower()
    ]
    assert about == [page.page_ptr]
    assert page.title == "Le micro-parlement"
    assert page.body
    content = client.get(page.url).content.decode()
    explanation = content.index(escape("Comment ça marche ?"))
    assert explanation < content.index('id="members-heading"')
    assert explanation < content.index('id="meetings-heading"')
    for question, _answer in demo_content.HOW_IT_WORKS[-1][1]["items"]:
        assert escape(question) in content
    assert "<b>Diagnostic</b>" in content
    assert "<b>Co-construction</b>" in content
    for member in page.public_members().filter(show_name=True):
        assert escape(member.name) in content
    # The first meeting's minutes come as a PDF too.
    first = page.meetings.order_by("starts_at").first()
    assert first.minutes_document is not None
    assert first.minutes_document.url in content


def check_other_communes_pages(client):
    """The commune without a micro-parliament yet has a page that explains it; those of the
    shared one read about it on the shared page."""
    waiting = CommunePage.objects.get(insee_code="71902")
    page = MicroParliamentPage.objects.child_of(waiting).live().get()
    assert page.title == "Le micro-parlement"
    assert page.body
    assert not page.members.exists()
    assert escape("Comment ça marche ?") in client.get(page.url).content.decode()
    shared = MicroParliamentPage.objects.child_of(NetworkHomePage.objects.get()).get()
    assert shared.body
    for commune in shared.served_communes():
        assert not MicroParliamentPage.objects.child_of(commune).exists()
    for commune in CommunePage.objects.all():
        former = demo_content.FORMER_EXPLANATION_SLUG
        assert not Page.objects.child_of(commune).filter(slug=former).exists()


def check_completed_draw(client, commune, page, output):
    draw = Draw.objects.get(micro_parliament=page)
    assert draw.commune_id == commune.pk
    assert draw.status == DrawStatus.DRAWN
    assert draw.panel_size == 8
    assert draw.include_volunteer_list
    assert draw.pools.count() == 1
    assert draw.categories == ["gender", "age_band", "hamlet"]
    assert draw.seats_per_source == demo_content.DRAW["seats"]
    assert draw.cap_highest
    assert f"Tirage « {draw.title} »" in output

    # The engine's result and its lottery, checked by anyone holding the published file.
    assert draw.result["algorithm"] == "leximin-goldilocks"
    assert draw.result["min_probability"] > 0
    report = sortition.verify(draw.lottery, audit=draw.audit, published_commitment=draw.commitment)
    assert report.ok, report.checks
    assert draw.lottery["commitment"] == draw.commitment
    assert draw.randomness == "4.18.27.33.41./7./"  # the Loto's canonical form
    # The public file passes the crowd-of-five measure: no answer and no household is
    # published for a pseudonym (they are in the audit file, for the guarantors).
    assert draw.lottery["pool"] == [p["id"] for p in draw.pool_snapshot]
    assert "features" not in json.dumps(draw.lottery)
    assert "household" not in json.dumps(draw.lottery)
    assert "samedi" in draw.randomness_source
    assert "Loto" in draw.randomness_source
    assert len(draw.selected) == 8
    assert len(set(draw.selected)) == 8
    assert draw.alternates
    assert not set(draw.alternates) & set(draw.selected)
    seats = {p["id"]: p["features"][SOURCE_CATEGORY] for p in draw.pool_snapshot}
    assert sorted(seats[pseudonym] for pseudonym in draw.selected) == sorted(
        ["volunteer_list"] * 5 + ["electoral_roll"] * 3
    )

    # The steps in order, before the cycle began: the commitment before the Loto draw.
    first_day = page.phases.order_by("starts_on").first().starts_on
    assert draw.frozen_at < draw.computed_at < draw.published_at < draw.drawn_at
    assert draw.published_at.date() < draw.drawn_at.date() < first_day
    assert timezone.localtime(draw.drawn_at).weekday() == 0  # the Monday after the Loto

    # Invitations: everyone drawn accepted but one, whose alternate took the seat.
    entrants = {e.pseudonym: e for e in DrawEntrant.objects.filter(draw=draw)}
    answers = [entrants[pseudonym].invitation for pseudonym in draw.selected]
    assert answers.count(InvitationStatus.ACCEPTED) == 7
    assert answers.count(InvitationStatus.DECLINED) == 1
    alternates = [entrants[p] for p in draw.alternates if entrants[p].invitation]
    assert [e.invitation for e in alternates] == [InvitationStatus.ACCEPTED]
    # That alternate is the first of the published order, on the seat left empty.
    assert alternates[0].pseudonym == draw.alternates[0]
    seats = invitations.seats(draw)
    assert len(seats) == 8
    assert [seat.state for seat in seats] == ["taken"] * 8
    [replaced] = [seat for seat in seats if len(seat.history) > 1]
    assert [(e.pseudonym, e.invitation) for e in replaced.history] == [
        (replaced.history[0].pseudonym, InvitationStatus.DECLINED),
        (draw.alternates[0], InvitationStatus.ACCEPTED),
    ]
    assert replaced.history[0].pseudonym in draw.selected
    drawn = page.members.filter(role=Role.DRAWN_RESIDENT)
    assert drawn.count() == 8
    assert {member.draw_id for member in drawn} == {draw.pk}
    assert 0 < drawn.filter(show_name=True).count() < 8
    for member in drawn:
        assert member.joined_on < first_day

    response = client.get(subpage(page, "draw", draw.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert draw.commitment in content
    named = drawn.filter(show_name=True).first()
    assert named.name in content
    # The draw page and the micro-parliament page agree; the replaced seat shows its history.
    assert response.context["seats_taken"] == drawn.count()
    story = str(response.context["seats"][replaced.number - 1]["story"])
    assert replaced.history[0].pseudonym in story
    assert draw.alternates[0] in story
    response = client.get(subpage(page, "draw_file", draw.pk))
    assert response.status_code == 200
    assert sortition.verify(json.loads(response.content), audit=draw.audit).ok
    return draw


def check_shared_parliament(client):
    home = NetworkHomePage.objects.get()
    page = MicroParliamentPage.objects.child_of(home).live().get()
    served = [commune.insee_code for commune in page.served_communes()]
    assert served == demo_content.SHARED_PARLIAMENT["communes"]
    assert [phase.phase for phase in page.phases.all()] == [
        Phase.DIAGNOSTIC,
        Phase.CO_CONSTRUCTION,
        Phase.ACTION,
    ]
    assert page.current_phase() is None  # the cycle starts in a few weeks
    assert len(page.upcoming_meetings()) == 1
    assert client.get(page.url).status_code == 200

    draft = Draw.objects.get(micro_parliament=page)
    assert draft.status == DrawStatus.DRAFT
    assert draft.commune.insee_code == demo_content.DRAFT_DRAW["commune"]
    assert draft.commune.insee_code in served
    assert draft.seats_per_source == demo_content.DRAFT_DRAW["seats"]
    assert draft.pools.count() == 1
    assert not draft.entrants.exists()


def test_the_demo_micro_parliaments_are_complete_idempotent_and_reproducible(client):
    """One test, because load_demo and its draw take several seconds."""
    output = load_demo()
    assert "Micro-parlements : 3 pages" in output
    commune, page = check_commune_parliament(client)
    check_one_page_per_commune(client, commune, page)
    check_other_communes_pages(client)
    draw = check_completed_draw(client, commune, page, output)
    check_shared_parliament(client)

    # A second run adds nothing and changes nothing.
    before = counts()
    load_demo()
    assert counts() == before

    # The same draw comes back, to the same panel, after it was erased.
    panel = (draw.commitment, draw.panel_number, draw.selected)
    ParliamentMember.objects.filter(draw=draw).delete()
    draw.delete()
    load_demo()
    draw = Draw.objects.get(micro_parliament=page)
    assert (draw.commitment, draw.panel_number, draw.selected) == panel
