"""The seats of a drawn panel and their replacements («Trust in the draw», part 2).

A panel has ``panel_size`` seats; each goes first to the person drawn for it, and when it is
empty (declined, unreachable past the deadline, erased) only to the next alternate of the
published order. Every attack below is a request crafted against the run screen (or the
resident's link, or the domain functions): it is refused with a message and changes
nothing. The property test at the end applies random sequences of such requests."""

import datetime
import html
import importlib
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext, pgettext
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from wagtail.models import ModelLogEntry

from parliament import draws, invitations
from parliament.factories import DrawFactory, MicroParliamentPageFactory
from parliament.models import Draw, DrawEntrant, DrawSeat, InvitationStatus, ParliamentMember, Role
from participation.registration import withdraw
from participation.tokens import make_token
from tests.parliament.moved_models import moved_models
from tests.parliament.test_draws import crowd, fake_drawn

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_module_on")]

SEATS = 4


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def text_of(response):
    return html.unescape(response.content.decode())


def run_url(draw):
    return reverse("participation_draws:run", args=[draw.pk])


def step(client, draw, action, **data):
    """POST one step on the run screen, following the redirect back to it."""
    return client.post(run_url(draw), {"action": action, **data}, follow=True)


def draw_log(draw):
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Draw), object_id=str(draw.pk)
    ).order_by("pk")


def snapshot(draw):
    """Everything a step may change: the people's invitations and seats, the members, the
    seats, the audit log."""
    return (
        list(
            DrawEntrant.objects.filter(draw=draw)
            .order_by("pk")
            .values_list(
                "pk",
                "invitation",
                "seat_id",
                "answer_by",
                "invited_at",
                "answered_at",
                "volunteer_id",
            )
        ),
        list(ParliamentMember.objects.filter(draw=draw).values_list("pk", "volunteer_id")),
        list(DrawSeat.objects.filter(draw=draw).values_list("pk", "number")),
        draw_log(draw).count(),
    )


def entrant(draw, volunteer):
    return DrawEntrant.objects.select_related("seat").get(draw=draw, volunteer=volunteer)


def errors_of(response):
    return [str(m) for m in response.context["messages"] if m.level == message_levels.ERROR] or [
        m.message for m in get_messages(response.wsgi_request) if m.level == 40
    ]


def refused(client, draw, action, message, **data):
    """POST a crafted step: it must show ``message`` as an error and change nothing."""
    before = snapshot(draw)
    response = step(client, draw, action, **data)
    assert response.status_code == 200
    page = text_of(response)
    assert message in page, page[page.find("messages") : page.find("messages") + 800]
    assert snapshot(draw) == before
    return response


def offers(page):
    """The «invite the next alternate» buttons of the run screen: [(seat, entrant pk)]."""
    forms = re.findall(r"<form[^>]*>(.*?)</form>", page, flags=re.S)
    found = []
    for form in forms:
        if 'value="invite_alternate"' in form:
            seat = re.search(r'name="seat" value="(\d+)"', form)[1]
            pk = re.search(r'name="entrant" value="(\d+)"', form)[1]
            found.append((int(seat), int(pk)))
    return found


def seat_not_empty(number, pseudonym):
    return gettext(
        "Seat %(number)s is not empty: %(pseudonym)s holds it. An alternate is called only "
        "for a seat whose holder declined, could not be reached in time or was erased from "
        "the lists."
    ) % {"number": number, "pseudonym": pseudonym}


def offer_label(pseudonym):
    return gettext("Invite the next alternate (%(pseudonym)s)") % {"pseudonym": pseudonym}


@pytest.fixture
def parliament_a(commune_a):
    return MicroParliamentPageFactory(parent=commune_a, title="Micro-parlement d'Aubigny")


@pytest.fixture
def seated(commune_a, parliament_a, editor_a):
    """A drawn panel of 4 seats among 12 people: the panel is the first four people (the
    first with an e-mail address), the alternates the eight others in that order (the first
    with an e-mail address too). Returns (draw, panel, alternates)."""
    people = crowd(commune_a, 12)
    for person, address in ((people[0], "tiree@example.org"), (people[4], "sup@example.org")):
        person.email = address
        person.save()
    draw = DrawFactory(commune=commune_a, micro_parliament=parliament_a, panel_size=SEATS)
    draw = draws.freeze(draw, editor_a)
    volunteers = sorted(
        (e.volunteer for e in DrawEntrant.objects.filter(draw=draw).select_related("volunteer")),
        key=lambda v: v.pk,
    )
    panel, alternates = volunteers[:SEATS], volunteers[SEATS:]
    draw = fake_drawn(draw, panel, alternates)
    # Published (the public page needs the lottery file).
    draw.lottery = {"panels": [sorted(draw.selected)], "commitment": draw.commitment}
    draw.save()
    # What ``draws.enter_randomness`` will do once the lead calls it there.
    invitations.create_seats(draw)
    return draw, panel, alternates


def members_of(draw):
    return ParliamentMember.objects.filter(draw=draw, role=Role.DRAWN_RESIDENT)


# Seats -------------------------------------------------------------------------------------


def test_seats_are_made_once_in_the_order_drawn(seated):
    draw, _panel, _alternates = seated
    seats = list(DrawSeat.objects.filter(draw=draw).order_by("number"))
    assert [s.number for s in seats] == [1, 2, 3, 4]
    for seat, pseudonym in zip(seats, draw.selected, strict=True):
        assert [e.pseudonym for e in seat.holders.all()] == [pseudonym]
    assert invitations.create_seats(draw) == seats
    assert DrawSeat.objects.filter(draw=draw).count() == SEATS
    states = [seat.state for seat in invitations.seats(draw)]
    assert states == ["to_invite"] * SEATS


def test_the_database_refuses_two_holders_or_two_members_on_one_seat(seated):
    draw, _panel, alternates = seated
    seat = DrawSeat.objects.get(draw=draw, number=1)
    other = entrant(draw, alternates[0])
    other.seat, other.turn = seat, 2
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()
    # Nor two people at one turn, nor a turn without a seat.
    other.invitation = InvitationStatus.DECLINED
    other.turn = 1
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()
    other.seat, other.turn = None, 2
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()
    other.seat = seat
    with pytest.raises(IntegrityError), transaction.atomic():
        DrawSeat.objects.create(draw=draw, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        DrawSeat.objects.create(draw=draw, number=0)
    # Two members on one seat.
    DrawEntrant.objects.filter(seat=seat).update(invitation=InvitationStatus.ACCEPTED)
    other.invitation = InvitationStatus.ACCEPTED
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


# Crafted requests on the run screen ----------------------------------------------------


def test_an_alternate_out_of_rank_order_is_refused(client_a, seated):
    draw, panel, alternates = seated
    step(client_a, draw, "invite")
    step(client_a, draw, "declined", entrant=entrant(draw, panel[0]).pk)
    first = entrant(draw, alternates[0])
    message = gettext(
        "Only the next alternate of the published order can be invited: "
        "%(pseudonym)s (alternate no. %(rank)s)."
    ) % {"pseudonym": first.pseudonym, "rank": 1}
    for other in alternates[1:]:
        refused(
            client_a, draw, "invite_alternate", message, entrant=entrant(draw, other).pk, seat=1
        )
    # Someone drawn is no alternate either.
    refused(client_a, draw, "invite_alternate", message, entrant=entrant(draw, panel[1]).pk, seat=1)
    response = step(client_a, draw, "invite_alternate", entrant=first.pk, seat=1)
    assert not errors_of(response)
    first.refresh_from_db()
    assert (first.invitation, first.seat.number) == (InvitationStatus.INVITED, 1)


def test_an_alternate_when_no_seat_is_empty_is_refused(client_a, seated):
    draw, _panel, alternates = seated
    first = entrant(draw, alternates[0])
    no_seat = gettext(
        "No seat is empty: an alternate is called only for a seat whose holder declined, "
        "could not be reached in time or was erased from the lists."
    )
    # Before the invitations, and after them.
    refused(client_a, draw, "invite_alternate", no_seat, entrant=first.pk)
    step(client_a, draw, "invite")
    refused(client_a, draw, "invite_alternate", no_seat, entrant=first.pk)
    holder = DrawEntrant.objects.get(draw=draw, pseudonym=draw.selected[1])
    refused(
        client_a,
        draw,
        "invite_alternate",
        seat_not_empty(2, holder.pseudonym),
        entrant=first.pk,
        seat=2,
    )
    for seat in ("9", "0", "-1", "99999999999", "deux"):
        refused(
            client_a,
            draw,
            "invite_alternate",
            gettext("This draw has no seat %(number)s.") % {"number": seat},
            entrant=first.pk,
            seat=seat,
        )


def test_accepting_for_someone_not_invited_or_beyond_the_seats_is_refused(client_a, seated):
    draw, panel, alternates = seated
    drawn = entrant(draw, panel[0])
    refused(
        client_a,
        draw,
        "accepted",
        gettext("%(pseudonym)s has not been invited yet.") % {"pseudonym": drawn.pseudonym},
        entrant=drawn.pk,
    )
    step(client_a, draw, "invite")
    for person in alternates:
        alternate = entrant(draw, person)
        message = gettext(
            "%(pseudonym)s holds no seat: only the people drawn, and the alternates called in "
            "turn for an empty seat, are invited."
        ) % {"pseudonym": alternate.pseudonym}
        for action in ("accepted", "declined"):
            refused(client_a, draw, action, message, entrant=alternate.pk)
    assert not members_of(draw).exists()


def test_the_demos_attack_cannot_seat_more_people_than_seats(client_a, seated):
    """The finished draw of the demo ended with 10 members for 8 seats: any alternate was
    invited then accepted by crafted requests."""
    draw, panel, alternates = seated
    step(client_a, draw, "invite")
    for person in panel:
        step(client_a, draw, "accepted", entrant=entrant(draw, person).pk)
    assert members_of(draw).count() == SEATS
    for person in alternates:
        alternate = entrant(draw, person)
        step(client_a, draw, "invite_alternate", entrant=alternate.pk)
        step(client_a, draw, "invite_alternate", entrant=alternate.pk, seat=1)
        step(client_a, draw, "accepted", entrant=alternate.pk)
    assert members_of(draw).count() == SEATS
    assert not DrawEntrant.objects.filter(draw=draw, seat__isnull=True).exclude(
        invitation=InvitationStatus.NOT_INVITED
    )
    assert not errors_of(client_a.get(run_url(draw)))
    assert offers(text_of(client_a.get(run_url(draw)))) == []


def test_a_seat_taken_again_offers_and_accepts_no_other_alternate(client_a, seated):
    draw, panel, alternates = seated
    step(client_a, draw, "invite")
    declining = entrant(draw, panel[2])
    step(client_a, draw, "declined", entrant=declining.pk)
    first, second = entrant(draw, alternates[0]), entrant(draw, alternates[1])
    page = text_of(client_a.get(run_url(draw)))
    assert offers(page) == [(3, first.pk)]
    assert page.count(offer_label(first.pseudonym)) == 1

    step(client_a, draw, "invite_alternate", entrant=first.pk, seat=3)
    page = text_of(client_a.get(run_url(draw)))
    assert offers(page) == []
    assert offer_label(second.pseudonym) not in page
    # The seat is held by the first alternate: no second one, neither invited nor seated.
    refused(
        client_a,
        draw,
        "invite_alternate",
        seat_not_empty(3, first.pseudonym),
        entrant=second.pk,
        seat=3,
    )
    refused(
        client_a,
        draw,
        "accepted",
        gettext("This invitation has already been answered."),
        entrant=declining.pk,
    )
    step(client_a, draw, "accepted", entrant=first.pk)
    assert members_of(draw).filter(volunteer=alternates[0]).exists()
    refused(
        client_a,
        draw,
        "accepted",
        gettext(
            "%(pseudonym)s holds no seat: only the people drawn, and the alternates called in "
            "turn for an empty seat, are invited."
        )
        % {"pseudonym": second.pseudonym},
        entrant=second.pk,
    )
    seat = next(s for s in invitations.seats(draw) if s.number == 3)
    assert [e.pseudonym for e in seat.history] == [declining.pseudonym, first.pseudonym]
    assert seat.state == "taken"


def test_two_empty_seats_go_to_the_alternates_in_order(client_a, seated):
    draw, panel, alternates = seated
    step(client_a, draw, "invite")
    step(client_a, draw, "declined", entrant=entrant(draw, panel[0]).pk)
    step(client_a, draw, "declined", entrant=entrant(draw, panel[3]).pk)
    first, second = entrant(draw, alternates[0]), entrant(draw, alternates[1])
    # Both empty seats name the next alternate; whichever is filled first takes them.
    assert offers(text_of(client_a.get(run_url(draw)))) == [(1, first.pk), (4, first.pk)]
    step(client_a, draw, "invite_alternate", entrant=first.pk, seat=4)
    assert offers(text_of(client_a.get(run_url(draw)))) == [(1, second.pk)]
    # Without a seat number, the first empty seat.
    step(client_a, draw, "invite_alternate", entrant=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.seat.number, second.seat.number) == (4, 1)


def test_unreachable_with_a_deadline_then_the_next_alternate(client, client_a, seated):
    draw, panel, alternates = seated
    step(client_a, draw, "invite")
    holder = entrant(draw, panel[0])
    today = timezone.localdate()
    refused(
        client_a,
        draw,
        "unreachable",
        gettext("Give the last day to answer."),
        entrant=holder.pk,
    )
    refused(
        client_a,
        draw,
        "unreachable",
        gettext("The last day to answer cannot come before the invitation (%(date)s).")
        % {"date": date_format(today, "DATE_FORMAT")},
        entrant=holder.pk,
        answer_by=(today - datetime.timedelta(days=1)).isoformat(),
    )
    deadline = today + datetime.timedelta(days=7)
    response = step(
        client_a, draw, "unreachable", entrant=holder.pk, answer_by=deadline.isoformat()
    )
    assert not errors_of(response)
    holder.refresh_from_db()
    assert (holder.invitation, holder.answer_by) == (InvitationStatus.UNREACHABLE, deadline)
    # Until the deadline the seat is theirs: they may still answer, no alternate is offered.
    first = entrant(draw, alternates[0])
    page = text_of(client_a.get(run_url(draw)))
    assert offers(page) == []
    refused(
        client_a,
        draw,
        "unreachable",
        gettext("Only someone invited who has not answered yet can be recorded as unreachable."),
        entrant=holder.pk,
        answer_by=deadline.isoformat(),
    )
    link = draw.micro_parliament.url + draw.micro_parliament.reverse_subpage(
        "invitation", args=[make_token(panel[0])]
    )
    shown = text_of(client.get(link))
    assert 'value="accept"' in shown
    assert date_format(deadline, "DATE_FORMAT") in shown

    # The deadline passes (the invitation and the deadline move back in time).
    DrawEntrant.objects.filter(pk=holder.pk).update(
        invited_at=timezone.now() - datetime.timedelta(days=20),
        answer_by=today - datetime.timedelta(days=1),
    )
    assert offers(text_of(client_a.get(run_url(draw)))) == [(1, first.pk)]
    step(client_a, draw, "invite_alternate", entrant=first.pk, seat=1)
    first.refresh_from_db()
    assert (first.invitation, first.seat.number) == (InvitationStatus.INVITED, 1)
    # The seat was given away: the resident can no longer accept, online or by phone.
    before = snapshot(draw)
    response = client.post(link, {"answer": "accept", "public_name": "X"}, follow=True)
    page = text_of(response)
    assert gettext("This invitation is closed") in page
    assert snapshot(draw) == before
    refused(
        client_a,
        draw,
        "accepted",
        gettext("The last day to answer was %(date)s: the seat now goes to the next alternate.")
        % {"date": date_format(today - datetime.timedelta(days=1), "DATE_FORMAT")},
        entrant=holder.pk,
    )
    assert not members_of(draw).filter(volunteer=panel[0]).exists()


def test_erased_alternates_are_passed_over_and_it_is_recorded(client_a, editor_a, seated):
    draw, panel, alternates = seated
    step(client_a, draw, "invite")
    step(client_a, draw, "declined", entrant=entrant(draw, panel[1]).pk)
    erased = entrant(draw, alternates[0])
    withdraw(alternates[0])
    second = entrant(draw, alternates[1])
    page = text_of(client_a.get(run_url(draw)))
    assert offers(page) == [(2, second.pk)]
    assert offer_label(second.pseudonym) in page
    step(client_a, draw, "invite_alternate", entrant=second.pk, seat=2)
    erased.refresh_from_db()
    second.refresh_from_db()
    assert (erased.invitation, erased.seat.number) == (InvitationStatus.SKIPPED, 2)
    assert (second.invitation, second.seat.number) == (InvitationStatus.INVITED, 2)
    skipped = draw_log(draw).get(action="mprc.alternate_skipped")
    assert skipped.user_id == editor_a.pk
    assert skipped.data == {"seat": 2, "pseudonym": erased.pseudonym, "rank": 1}
    seat = invitations.seats(draw)[1]
    assert [e.pseudonym for e in seat.history] == [
        draw.selected[1],
        erased.pseudonym,
        second.pseudonym,
    ]


def test_an_erased_holder_leaves_the_seat_empty(client_a, seated):
    draw, panel, alternates = seated
    step(client_a, draw, "invite")
    step(client_a, draw, "accepted", entrant=entrant(draw, panel[3]).pk)
    withdraw(panel[3])
    first = entrant(draw, alternates[0])
    assert offers(text_of(client_a.get(run_url(draw)))) == [(4, first.pk)]
    step(client_a, draw, "invite_alternate", entrant=first.pk, seat=4)
    step(client_a, draw, "accepted", entrant=first.pk)
    assert members_of(draw).count() == 1


def test_every_transition_is_logged_with_the_user_and_the_seat(client_a, editor_a, seated):
    draw, panel, alternates = seated
    step(client_a, draw, "invite")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    step(
        client_a,
        draw,
        "unreachable",
        entrant=entrant(draw, panel[1]).pk,
        answer_by=tomorrow.isoformat(),
    )
    step(client_a, draw, "declined", entrant=entrant(draw, panel[0]).pk)
    first = entrant(draw, alternates[0])
    step(client_a, draw, "invite_alternate", entrant=first.pk, seat=1)
    step(client_a, draw, "accepted", entrant=first.pk)
    entries = list(draw_log(draw).exclude(action="mprc.draw_frozen"))
    assert [e.action for e in entries] == [
        "mprc.draw_invited",
        "mprc.invitation_unreachable",
        "mprc.invitation_declined",
        "mprc.alternate_invited",
        "mprc.invitation_accepted",
    ]
    assert {e.user_id for e in entries} == {editor_a.pk}
    invited, unreachable, declined, called, accepted = (e.data for e in entries)
    assert invited["seats"] == [
        {"seat": n, "pseudonym": p} for n, p in enumerate(draw.selected, start=1)
    ]
    assert (invited["emailed"], invited["to_call"]) == (1, 3)
    assert unreachable == {
        "seat": 2,
        "pseudonym": draw.selected[1],
        "answer_by": tomorrow.isoformat(),
    }
    assert declined == {"seat": 1, "pseudonym": draw.selected[0]}
    assert called == {
        "seat": 1,
        "pseudonym": first.pseudonym,
        "rank": 1,
        "replaces": draw.selected[0],
        "emailed": True,
    }
    assert accepted == {"seat": 1, "pseudonym": first.pseudonym}
    # The history screen names each action (registered with the log actions).
    history = text_of(client_a.get(reverse("participation_draws:history", args=[draw.pk])))
    for label in (
        "Person invited could not be reached; deadline to answer set",
        "Empty seat given to the next alternate",
    ):
        assert gettext(label) in history


def test_the_run_screen_offers_only_what_the_rules_allow(client_a, seated):
    draw, panel, alternates = seated

    def buttons(action):
        return text_of(client_a.get(run_url(draw))).count(f'value="{action}"')

    assert (buttons("accepted"), buttons("unreachable"), buttons("invite_alternate")) == (0, 0, 0)
    assert buttons("invite") == 1
    step(client_a, draw, "invite")
    assert buttons("invite") == 0
    assert (buttons("accepted"), buttons("unreachable"), buttons("invite_alternate")) == (4, 4, 0)
    step(client_a, draw, "declined", entrant=entrant(draw, panel[0]).pk)
    assert (buttons("accepted"), buttons("unreachable"), buttons("invite_alternate")) == (3, 3, 1)
    step(
        client_a,
        draw,
        "unreachable",
        entrant=entrant(draw, panel[1]).pk,
        answer_by=timezone.localdate().isoformat(),
    )
    # Unreachable but still in time: may answer, no longer «unreachable» again.
    assert (buttons("accepted"), buttons("unreachable"), buttons("invite_alternate")) == (3, 2, 1)
    step(client_a, draw, "invite_alternate", entrant=entrant(draw, alternates[0]).pk, seat=1)
    for person in [*panel[1:], alternates[0]]:
        step(client_a, draw, "accepted", entrant=entrant(draw, person).pk)
    assert (buttons("accepted"), buttons("unreachable"), buttons("invite_alternate")) == (0, 0, 0)
    response = client_a.get(run_url(draw))
    assert response.context["seats_taken"] == SEATS
    assert [seat.state for seat in response.context["seats"]] == ["taken"] * SEATS


def test_no_alternate_left_is_said_and_refused(client_a, commune_a, parliament_a, editor_a):
    crowd(commune_a, 4)
    draw = draws.freeze(
        DrawFactory(commune=commune_a, micro_parliament=parliament_a, panel_size=3), editor_a
    )
    volunteers = [e.volunteer for e in DrawEntrant.objects.filter(draw=draw).order_by("pk")]
    draw = fake_drawn(draw, volunteers[:3], volunteers[3:])
    step(client_a, draw, "invite")
    step(client_a, draw, "declined", entrant=entrant(draw, volunteers[0]).pk)
    last = entrant(draw, volunteers[3])
    step(client_a, draw, "invite_alternate", entrant=last.pk)
    step(client_a, draw, "declined", entrant=last.pk)
    page = text_of(client_a.get(run_url(draw)))
    assert gettext("No alternate is left to call.") in page
    assert offers(page) == []
    with pytest.raises(invitations.InvitationError) as error:
        invitations.call_next_alternate(draw, 1, editor_a)
    assert str(error.value) == gettext("No alternate is left to call.")


# The public draw page ------------------------------------------------------------------


def public_page(client, draw):
    page = draw.micro_parliament
    return client.get(page.url + page.reverse_subpage("draw", args=[draw.pk]))


def seat_line(page, number):
    found = re.search(rf'<li id="siege-{number}"[^>]*>(.*?)</li>', page, flags=re.S)
    # Collapse the template's layout only: the no-break spaces of French punctuation stay.
    return re.sub(r"[ \t\r\n]+", " ", strip_tags(found[1])).strip()


def test_the_public_page_shows_each_seats_history_with_consented_names(client, editor_a, seated):
    draw, panel, alternates = seated
    invitations.invite(None, draw, invitations.drawn_entrants(draw), editor_a, send=False)
    declining = invitations.decline(entrant(draw, panel[2]), user=editor_a)
    _draw, first = invitations.call_next_alternate(draw, 3, editor_a)
    invitations.accept(first, show_name=True, public_name="Camille B.", user=editor_a)
    invitations.accept(entrant(draw, panel[0]), show_name=False, user=editor_a)
    invitations.accept(entrant(draw, panel[1]), show_name=True, public_name="Jo D.")

    response = public_page(client, draw)
    assert response.status_code == 200
    page = text_of(response)
    separator = pgettext("between the steps of a seat's history", "; ")
    seat_label = gettext("Seat %(number)s:")
    assert seat_line(page, 3) == (
        seat_label % {"number": 3}
        + " "
        + gettext("%(person)s declined") % {"person": declining.pseudonym}
        + separator
        + gettext("taken by alternate no. %(rank)s, %(person)s")
        % {"rank": 1, "person": f"{first.pseudonym} (Camille B.)"}
    )
    assert seat_line(page, 1).endswith(
        gettext("%(person)s accepted") % {"person": draw.selected[0]}
    )
    assert seat_line(page, 2).endswith(
        gettext("%(person)s accepted") % {"person": f"{draw.selected[1]} (Jo D.)"}
    )
    assert seat_line(page, 4).endswith(
        gettext("%(person)s is invited and has not answered yet") % {"person": draw.selected[3]}
    )
    # Names only with consent; nobody's real name or contact.
    for person in [*panel, *alternates]:
        assert person.last_name not in page
        if person.email:
            assert person.email not in page
    assert response.context["seats_taken"] == 3
    # The person who declined is no member: not on the micro-parliament page, and on the
    # draw page only as the one who declined.
    assert page.count(declining.pseudonym) == 1
    assert declining.seat.number == 3
    parliament = client.get(draw.micro_parliament.url)
    residents = [m for heading, group in parliament.context["member_groups"] for m in group]
    drawn = [m for m in residents if m.role == Role.DRAWN_RESIDENT]
    assert len(drawn) == response.context["seats_taken"]
    assert {m.name for m in drawn if m.show_name} == {"Camille B.", "Jo D."}
    # The ranked alternates say which seat they were called for.
    assert (
        first.pseudonym
        + " — Camille B. ("
        + gettext("called for seat %(number)s") % {"number": 3}
        + ")"
    ) in " ".join(strip_tags(page).split())


def test_the_public_page_shows_unreachable_and_passed_over_steps(client, editor_a, seated):
    draw, panel, alternates = seated
    invitations.invite(None, draw, invitations.drawn_entrants(draw), editor_a, send=False)
    holder = entrant(draw, panel[0])
    today = timezone.localdate()
    DrawEntrant.objects.filter(pk=holder.pk).update(
        invited_at=timezone.now() - datetime.timedelta(days=10)
    )
    invitations.mark_unreachable(holder, today - datetime.timedelta(days=2), editor_a)
    withdraw(alternates[0])
    _draw, second = invitations.call_next_alternate(draw, 1, editor_a)
    line = seat_line(text_of(public_page(client, draw)), 1)
    separator = pgettext("between the steps of a seat's history", "; ")
    passed = date_format(today - datetime.timedelta(days=2), "DATE_FORMAT")
    erased = DrawEntrant.objects.get(draw=draw, pseudonym=draw.alternates[0])
    assert line.endswith(
        gettext("%(person)s could not be reached and did not answer by %(date)s")
        % {"person": holder.pseudonym, "date": passed}
        + separator
        + gettext("alternate no. %(rank)s, %(person)s, passed over: no longer on the lists")
        % {"rank": 1, "person": erased.pseudonym}
        + separator
        + gettext("offered to alternate no. %(rank)s, %(person)s, who has not answered yet")
        % {"rank": 2, "person": second.pseudonym}
    )


# Online answers ------------------------------------------------------------------------


def test_online_answers_follow_the_same_rules(client, client_a, seated):
    draw, panel, alternates = seated
    page = draw.micro_parliament

    def link(volunteer):
        return page.url + page.reverse_subpage("invitation", args=[make_token(volunteer)])

    step(client_a, draw, "invite")
    # An alternate not called has no invitation to answer.
    response = client.post(link(alternates[0]), {"answer": "accept"})
    assert response.status_code == 404
    # Someone drawn declines online; the first alternate, once invited, accepts online.
    client.post(link(panel[0]), {"answer": "decline"})
    first = entrant(draw, alternates[0])
    step(client_a, draw, "invite_alternate", entrant=first.pk, seat=1)
    client.post(link(alternates[0]), {"answer": "accept", "show_name": "on", "public_name": "Lou"})
    first.refresh_from_db()
    assert first.invitation == InvitationStatus.ACCEPTED
    # The person who declined cannot take the seat back.
    before = snapshot(draw)
    response = client.post(link(panel[0]), {"answer": "accept"}, follow=True)
    assert gettext("Invitation declined") in text_of(response)
    assert snapshot(draw) == before
    assert members_of(draw).count() == 1


# Draws invited before seats existed (the data migration) -------------------------------


def legacy(draw, panel, alternates):
    """The old screen's history: three accepted, panel[3] declined (day 1); the third
    alternate invited out of order, declined (day 2); the first accepted (day 3); the second
    accepted too (day 4), beyond the seats."""
    DrawEntrant.objects.filter(draw=draw).update(seat=None, turn=None)
    DrawSeat.objects.filter(draw=draw).delete()
    day = timezone.now() - datetime.timedelta(days=10)

    def answer(volunteer, state, days):
        DrawEntrant.objects.filter(draw=draw, volunteer=volunteer).update(
            invitation=state, invited_at=day, answered_at=day + datetime.timedelta(days=days)
        )

    for person in panel[:3]:
        answer(person, InvitationStatus.ACCEPTED, 0)
    answer(panel[3], InvitationStatus.DECLINED, 1)
    answer(alternates[2], InvitationStatus.DECLINED, 2)
    answer(alternates[0], InvitationStatus.ACCEPTED, 3)
    answer(alternates[1], InvitationStatus.ACCEPTED, 4)


@pytest.mark.parametrize("way", ["create_seats", "migration"])
def test_seats_are_rebuilt_for_draws_invited_before_seats_existed(seated, way):
    draw, panel, alternates = seated
    legacy(draw, panel, alternates)
    if way == "migration":
        migration = importlib.import_module("participation.migrations.0006_build_draw_seats")
        migration.build_seats(moved_models, None)
    else:
        invitations.create_seats(draw)
    histories = [[e.pseudonym for e in seat.history] for seat in invitations.seats(draw)]
    pseudonym = {v.pk: entrant(draw, v).pseudonym for v in [*panel, *alternates]}
    assert histories == [
        [draw.selected[0]],
        [draw.selected[1]],
        [draw.selected[2]],
        [draw.selected[3], pseudonym[alternates[2].pk], pseudonym[alternates[0].pk]],
    ]
    assert entrant(draw, alternates[1]).seat is None
    # Running it again changes nothing.
    before = snapshot(draw)
    invitations.create_seats(draw)
    if way == "migration":
        migration.build_seats(moved_models, None)
    assert snapshot(draw) == before


# Random sequences of requests ------------------------------------------------------------

PEOPLE = 12
ACTIONS = st.one_of(
    st.tuples(st.just("invite")),
    st.tuples(st.sampled_from(["accepted", "declined"]), st.integers(0, PEOPLE - 1)),
    st.tuples(st.just("unreachable"), st.integers(0, PEOPLE - 1), st.integers(-3, 3)),
    # Person -1: the next alternate (what the screen offers). Seat 0: none posted (the first
    # empty seat); 5: a seat that does not exist.
    st.tuples(st.just("invite_alternate"), st.integers(-1, PEOPLE - 1), st.integers(0, 5)),
    st.tuples(st.just("erase"), st.integers(0, PEOPLE - 1)),
    st.tuples(st.just("time_passes"), st.integers(1, 4)),
)


def _allowed(draw, action, person, number, answer_by, today):
    """What the rules say of a step, from the state before it (a reference model)."""
    people = {e.pk: e for e in DrawEntrant.objects.filter(draw=draw).select_related("seat")}
    target = people[person.pk] if person else None
    if action == "invite":
        return True
    if action in ("accepted", "declined"):
        return invitations.can_answer(target, today)
    if action == "unreachable":
        invited_on = timezone.localdate(target.invited_at) if target.invited_at else None
        return (
            target.volunteer_id is not None
            and target.seat_id is not None
            and target.invitation == InvitationStatus.INVITED
            and invited_on is not None
            and answer_by >= invited_on
        )
    # invite_alternate
    held = {e.seat.number for e in people.values() if invitations.holds_seat(e, today)}
    empty = [n for n in range(1, SEATS + 1) if n not in held]
    number = number or (empty[0] if empty else None)
    if number not in empty:
        return False
    waiting = [
        people_by
        for p in draw.alternates
        for people_by in people.values()
        if people_by.pseudonym == p
        and people_by.seat_id is None
        and people_by.invitation == InvitationStatus.NOT_INVITED
        and people_by.volunteer_id is not None
    ]
    return bool(waiting) and waiting[0].pk == target.pk


def _check_invariants(draw, today):
    people = list(DrawEntrant.objects.filter(draw=draw).select_related("seat"))
    members = [e for e in people if e.invitation == InvitationStatus.ACCEPTED and e.volunteer_id]
    assert len(members) <= SEATS
    assert len({e.seat_id for e in members}) == len(members)
    assert all(e.seat_id for e in members)
    holders = [e for e in people if invitations.holds_seat(e, today)]
    assert len({e.seat_id for e in holders}) == len(holders)
    assert members_of(draw).count() == len(members)
    # The alternates called (or passed over) are the first ones of the published order.
    rank = {p: n for n, p in enumerate(draw.alternates)}
    called = sorted(rank[e.pseudonym] for e in people if e.pseudonym in rank and e.seat_id)
    assert called == list(range(len(called)))
    assert all(
        e.invitation == InvitationStatus.NOT_INVITED
        for e in people
        if e.pseudonym in rank and not e.seat_id
    )


def _time_passes(draw, days):
    """Move every date of the draw's invitations back: as if ``days`` had passed."""
    shift = datetime.timedelta(days=days)
    for person in DrawEntrant.objects.filter(draw=draw):
        for name in ("invited_at", "answered_at", "answer_by"):
            if getattr(person, name) is not None:
                setattr(person, name, getattr(person, name) - shift)
        person.save()


def _apply(client, draw, user, action, person, number, answer_by, via_view):
    """One step, through the run screen or the domain functions. Returns whether it was
    refused."""
    if via_view:
        data = {"action": action}
        if person is not None:
            data["entrant"] = person.pk
        if action == "unreachable":
            data["answer_by"] = answer_by.isoformat()
        if action == "invite_alternate" and number:
            data["seat"] = number
        client.cookies.pop("messages", None)  # only this step's messages
        response = client.post(run_url(draw), data)
        assert response.status_code == 302
        return any(m.level == message_levels.ERROR for m in get_messages(response.wsgi_request))
    try:
        if action == "invite":
            invitations.invite(None, draw, invitations.drawn_entrants(draw), user, send=False)
        elif action == "accepted":
            invitations.accept(person, user=user)
        elif action == "declined":
            invitations.decline(person, user=user)
        elif action == "unreachable":
            invitations.mark_unreachable(person, answer_by, user)
        else:
            seats = invitations.seats(draw)
            empty = [s.number for s in seats if s.empty]
            if not number and not empty:
                raise invitations.InvitationError("no seat is empty")
            invitations.call_next_alternate(draw, number or empty[0], user, expected=person)
    except invitations.InvitationError:
        return True
    return False


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(ACTIONS, max_size=14), via_view=st.booleans())
def test_random_requests_never_break_the_seats(client_a, editor_a, seated, actions, via_view):
    draw, _panel, _alternates = seated
    everyone = list(DrawEntrant.objects.filter(draw=draw).order_by("pseudonym"))
    today = timezone.localdate()
    with transaction.atomic():
        for action, *arguments in actions:
            if action == "time_passes":
                _time_passes(draw, arguments[0])
                continue
            person = everyone[arguments[0]] if arguments else None
            if arguments and arguments[0] == -1:
                person = invitations.next_alternate(draw) or everyone[-1]
            if action == "erase":
                volunteer = DrawEntrant.objects.get(pk=person.pk).volunteer
                if volunteer is not None:
                    withdraw(volunteer)
                _check_invariants(draw, today)
                continue
            number = arguments[1] if action == "invite_alternate" else None
            answer_by = (
                today + datetime.timedelta(days=arguments[1]) if action == "unreachable" else None
            )
            person = DrawEntrant.objects.get(pk=person.pk) if person else None
            allowed = _allowed(draw, action, person, number, answer_by, today)
            before = snapshot(draw)
            was_refused = _apply(
                client_a, draw, editor_a, action, person, number, answer_by, via_view
            )
            after = snapshot(draw)
            event(f"{action}: {'refused' if was_refused else 'done'}")
            if action == "invite":
                assert not was_refused
            else:
                assert was_refused is not allowed, (action, person, number, answer_by)
            if was_refused:
                assert after == before, action
            elif after != before:
                entry = draw_log(draw).last()
                assert entry.user_id == editor_a.pk
                assert "seat" in entry.data or "seats" in entry.data
            _check_invariants(draw, today)
        transaction.set_rollback(True)


def test_a_member_of_another_micro_parliament_cannot_take_a_seat(client_a, commune_a, seated):
    """A person sits in one micro-parliament at a time: accepting for a current member of
    another one is refused with a message (it was a database error: a 500), and a former
    member's record follows them to the new micro-parliament."""
    draw, panel, _alternates = seated
    step(client_a, draw, "invite")
    elsewhere = MicroParliamentPageFactory(parent=commune_a, title="Micro-parlement des Prés")
    ParliamentMember.objects.create(
        micro_parliament=elsewhere,
        commune=commune_a,
        name="Ancien membre",
        role=Role.DRAWN_RESIDENT,
        volunteer=panel[0],
    )
    before = snapshot(draw)
    response = step(client_a, draw, "accepted", entrant=entrant(draw, panel[0]).pk)
    assert response.status_code == 200
    assert snapshot(draw) == before
    assert [e.strip() for e in errors_of(response)] == [
        gettext(
            "%(pseudonym)s is already a member of the micro-parliament “%(name)s”: "
            "a person sits in one micro-parliament at a time."
        )
        % {"pseudonym": entrant(draw, panel[0]).pseudonym, "name": elsewhere.title}
    ]

    ParliamentMember.objects.filter(volunteer=panel[0]).update(left_on=datetime.date(2026, 1, 31))
    step(client_a, draw, "accepted", entrant=entrant(draw, panel[0]).pk)
    member = ParliamentMember.objects.get(volunteer=panel[0])
    assert (member.micro_parliament_id, member.draw_id, member.left_on) == (
        draw.micro_parliament_id,
        draw.pk,
        None,
    )
    assert entrant(draw, panel[0]).invitation == InvitationStatus.ACCEPTED
