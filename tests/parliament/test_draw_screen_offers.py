"""The run screen of a drawn panel never offers a seat action that the rules refuse, and
offers every one they allow («Trust in the draw»).

From random states (reached by the very actions the screen offers, by time passing and by
people being erased from the lists), the test reads every form of the screen — its
``action`` button and hidden inputs — and compares them with what the domain functions of
``parliament.invitations`` accept, each tried in a savepoint and rolled back. Then it
posts every offered form, in a savepoint too: each succeeds (no error message) and changes
the state."""

import html

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from parliament import invitations
from parliament.factories import MicroParliamentPageFactory
from parliament.models import DrawEntrant, ParliamentMember, Role
from participation.registration import withdraw
from tests.parliament.test_draw_seats import (  # noqa: F401 (fixtures)
    SEATS,
    _time_passes,
    parliament_a,
    run_url,
    seated,
    snapshot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french", "every_module_on")]

SEAT_ACTIONS = {"invite", "accepted", "declined", "unreachable", "invite_alternate"}


def offered_actions(page):
    """Every seat action of the run screen: {(action, entrant pk, seat number)}, read from
    each form's submit buttons and hidden inputs."""
    offered = set()
    for form in BeautifulSoup(page, "html.parser").find_all("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        hidden = {
            field["name"]: field.get("value", "")
            for field in form.find_all("input", type="hidden")
            if field.get("name") != "csrfmiddlewaretoken"
        }
        for button in form.find_all("button", attrs={"name": "action"}):
            action = button.get("value")
            if action not in SEAT_ACTIONS:
                continue
            entrant = int(hidden["entrant"]) if hidden.get("entrant") else None
            seat = int(hidden["seat"]) if hidden.get("seat") else None
            offered.add((action, entrant, seat))
    return offered


def _succeeds(function):
    """Whether ``function`` passes the rules, tried in a savepoint that is rolled back; and
    what it returned."""
    with transaction.atomic():
        try:
            result = function()
        except invitations.InvitationError:
            result, passed = None, False
        else:
            passed = True
        transaction.set_rollback(True)
    return passed, result


def allowed_actions(draw, user, today):
    """What the domain functions accept now, each tried alone."""
    allowed = set()
    for person in DrawEntrant.objects.filter(draw=draw).order_by("pk"):
        pk = person.pk
        attempts = {
            "accepted": lambda pk=pk: invitations.accept(DrawEntrant.objects.get(pk=pk), user=user),
            "declined": lambda pk=pk: invitations.decline(
                DrawEntrant.objects.get(pk=pk), user=user
            ),
            "unreachable": lambda pk=pk: invitations.mark_unreachable(
                DrawEntrant.objects.get(pk=pk), today, user
            ),
        }
        for action, attempt in attempts.items():
            if _succeeds(attempt)[0]:
                allowed.add((action, pk, None))
    for number in range(1, SEATS + 1):
        passed, result = _succeeds(lambda n=number: invitations.call_next_alternate(draw, n, user))
        if passed:
            _draw, chosen = result
            allowed.add(("invite_alternate", chosen.pk, number))
    # Inviting is a rule-less step: it is «allowed» when it invites someone.
    passed, counts = _succeeds(
        lambda: invitations.invite(None, draw, invitations.drawn_entrants(draw), user, send=False)
    )
    if passed and sum(counts):
        allowed.add(("invite", None, None))
    return allowed


def post_data(action, entrant, seat, today):
    data = {"action": action}
    if entrant is not None:
        data["entrant"] = entrant
    if seat is not None:
        data["seat"] = seat
    if action == "unreachable":
        data["answer_by"] = today.isoformat()  # the date the form asks for
    return data


def post(client, draw, data):
    """POST a form of the screen; returns the error messages."""
    client.cookies.pop("messages", None)  # only this step's messages
    response = client.post(run_url(draw), data)
    assert response.status_code == 302, data
    return [
        str(message)
        for message in get_messages(response.wsgi_request)
        if message.level == message_levels.ERROR
    ]


def check_the_screen(client, draw, user, today):
    """The screen offers exactly what the rules allow, and each offer works."""
    response = client.get(run_url(draw))
    assert response.status_code == 200
    offered = offered_actions(response.content.decode())
    allowed = allowed_actions(draw, user, today)
    assert offered == allowed, {
        "offered, refused by the rules": offered - allowed,
        "allowed, not offered": allowed - offered,
    }
    for action, entrant, seat in sorted(offered, key=str):
        before = snapshot(draw)
        with transaction.atomic():
            errors = post(client, draw, post_data(action, entrant, seat, today))
            after = snapshot(draw)
            transaction.set_rollback(True)
        assert errors == [], (action, entrant, seat, errors)
        assert after != before, (action, entrant, seat)
    return sorted(offered, key=str)


def toggle_membership_elsewhere(volunteer, elsewhere, today):
    """Make the person a member of another micro-parliament, or let them leave it."""
    member = ParliamentMember.objects.filter(volunteer=volunteer).first()
    if member is None:
        ParliamentMember.objects.create(
            micro_parliament=elsewhere,
            commune=elsewhere.get_parent().specific,
            name="Membre d'ailleurs",
            role=Role.DRAWN_RESIDENT,
            volunteer=volunteer,
        )
    elif member.micro_parliament_id == elsewhere.pk:
        member.left_on = None if member.left_on else today
        member.save(update_fields=["left_on"])


@settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_screen_offers_exactly_what_the_rules_allow(client_a, editor_a, seated, data):  # noqa: F811
    draw, _panel, _alternates = seated
    today = timezone.localdate()
    people = list(DrawEntrant.objects.filter(draw=draw).order_by("pseudonym"))
    with transaction.atomic():
        elsewhere = MicroParliamentPageFactory(
            parent=draw.commune, title="Micro-parlement des Prés", slug="ailleurs"
        )
        for _step in range(data.draw(st.integers(2, 7), label="steps")):
            offered = check_the_screen(client_a, draw, editor_a, today)
            kinds = ["post"] * 4 if offered else []
            kind = data.draw(
                st.sampled_from([*kinds, "time_passes", "erase", "member_elsewhere"]),
                label="move",
            )
            if kind == "post":
                offer = data.draw(st.sampled_from(offered), label="offer")
                event(f"post {offer[0]}")
                assert post(client_a, draw, post_data(*offer, today)) == []
            elif kind == "time_passes":
                event(kind)
                _time_passes(draw, data.draw(st.integers(1, 3), label="days"))
            elif kind == "member_elsewhere":
                # Someone of the pool joins another micro-parliament meanwhile (or leaves it).
                event(kind)
                person = data.draw(st.sampled_from(people), label="member")
                volunteer = DrawEntrant.objects.get(pk=person.pk).volunteer
                if volunteer is not None:
                    toggle_membership_elsewhere(volunteer, elsewhere, today)
            else:
                event(kind)
                person = data.draw(st.sampled_from(people), label="erased")
                volunteer = DrawEntrant.objects.get(pk=person.pk).volunteer
                if volunteer is not None:
                    withdraw(volunteer)
        check_the_screen(client_a, draw, editor_a, today)
        transaction.set_rollback(True)


def test_no_accepted_button_for_someone_sitting_in_another_micro_parliament(
    client_a,
    editor_a,
    seated,  # noqa: F811
):
    """Accepting is refused for a current member of another micro-parliament: the screen
    says why instead of offering the button (it offered it, and the click failed)."""
    draw, panel, _alternates = seated
    today = timezone.localdate()
    post(client_a, draw, {"action": "invite"})
    elsewhere = MicroParliamentPageFactory(
        parent=draw.commune, title="Micro-parlement des Prés", slug="ailleurs"
    )
    toggle_membership_elsewhere(panel[0], elsewhere, today)
    person = DrawEntrant.objects.get(draw=draw, volunteer=panel[0])

    response = client_a.get(run_url(draw))
    offered = offered_actions(response.content.decode())
    assert ("accepted", person.pk, None) not in offered
    assert ("declined", person.pk, None) in offered
    note = gettext(
        "Already a member of the micro-parliament “%(name)s”: a person sits in one "
        "micro-parliament at a time, so they can accept once they have left it."
    ) % {"name": elsewhere.title}
    assert note in html.unescape(response.content.decode())
    check_the_screen(client_a, draw, editor_a, today)

    toggle_membership_elsewhere(panel[0], elsewhere, today)  # they leave it
    offered = offered_actions(client_a.get(run_url(draw)).content.decode())
    assert ("accepted", person.pk, None) in offered
    check_the_screen(client_a, draw, editor_a, today)
