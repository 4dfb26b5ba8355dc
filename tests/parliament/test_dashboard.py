"""The micro-parliament in each commune's block of the admin dashboard (parliament/dashboard.py):
the micro-parliament's current phase, its next meeting, the latest draw and its seats, the
sign-ups awaiting their confirmation — each linked to the screen where staff act."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from home.onboarding import switch_module_on
from mprc_cms.dashboard import INFO, WARNING
from mprc_cms.modules import get_module
from parliament import draws, invitations
from parliament.dashboard import items, seats_text
from parliament.factories import DrawFactory, MicroParliamentPageFactory
from parliament.models import (
    DrawEntrant,
    DrawSeat,
    InvitationStatus,
    ParliamentMeeting,
    ParliamentPhase,
    Phase,
)
from participation.dashboard import items as volunteer_list_items
from participation.factories import VolunteerFactory
from tests.dashboard_helpers import assert_flat_queries, block_of, dashboard, new_commune, text_of
from tests.parliament.test_draws import crowd, fake_drawn

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

TODAY = timezone.localdate()


def day(offset):
    return TODAY + datetime.timedelta(days=offset)


def phases(page, *spans):
    """Phases of the cycle, in order: (start offset, end offset) from today."""
    for phase, (start, end) in zip(Phase.values, spans, strict=False):
        ParliamentPhase.objects.create(
            page=page, phase=phase, starts_on=day(start), ends_on=day(end)
        )


def meeting(page, days, title="Séance plénière", place="Salle des fêtes"):
    return ParliamentMeeting.objects.create(
        page=page,
        title=title,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        place=place,
    )


def item_of(commune, user, label):
    """The line of the commune's block with ``label``, among the micro-parliament's and the
    volunteer list's."""
    lines = items([commune], user, TODAY)[commune.pk]
    lines += volunteer_list_items([commune], user, TODAY)[commune.pk]
    found = [item for item in lines if item.label == label]
    return found[0] if found else None


@pytest.fixture
def parliament_a(signup_page, commune_a):
    return MicroParliamentPageFactory(parent=commune_a, title="Micro-parlement d'Aubigny")


def test_the_current_phase_with_its_dates(client_a, editor_a, parliament_a, commune_a):
    phases(parliament_a, (-40, -5), (-4, 30), (31, 90))
    item = item_of(commune_a, editor_a, gettext("Phase of the cycle"))
    assert item.text == gettext("%(phase)s, from %(start)s to %(end)s") % {
        "phase": Phase.CO_CONSTRUCTION.label,
        "start": date_format(day(-4)),
        "end": date_format(day(30)),
    }
    assert item.url == reverse("wagtailadmin_pages:edit", args=[parliament_a.pk])
    block = block_of(dashboard(client_a), commune_a)
    assert f'href="{item.url}">{item.text}</a>' in block


def test_between_phases_after_the_cycle_and_without_dates(editor_a, parliament_a, commune_a):
    label = gettext("Phase of the cycle")
    item = item_of(commune_a, editor_a, label)
    assert item.text == gettext("No phase is dated yet: date the cycle's phases")
    assert item.level == WARNING
    phases(parliament_a, (-40, -10), (5, 30))
    assert item_of(commune_a, editor_a, label).text == gettext(
        "Between two phases: %(phase)s starts on %(date)s"
    ) % {"phase": Phase.CO_CONSTRUCTION.label, "date": date_format(day(5))}
    ParliamentPhase.objects.filter(page=parliament_a, phase=Phase.CO_CONSTRUCTION).update(
        starts_on=day(-9), ends_on=day(-1)
    )
    assert item_of(commune_a, editor_a, label).text == gettext(
        "The cycle is over: its last phase ended on %(date)s"
    ) % {"date": date_format(day(-1))}


def test_without_a_micro_parliament_the_block_says_to_create_it(editor_a, signup_page, commune_a):
    item = item_of(commune_a, editor_a, gettext("Micro-parliament"))
    assert item.text == gettext("No micro-parliament yet: create its page")
    assert item.url == reverse(
        "wagtailadmin_pages:add", args=("parliament", "microparliamentpage", commune_a.pk)
    )
    assert item_of(commune_a, editor_a, gettext("Next meeting")) is None
    assert item_of(commune_a, editor_a, gettext("Draw by lot")) is None


def test_the_next_meeting_not_a_past_one(editor_a, parliament_a, commune_a):
    label = gettext("Next meeting")
    assert item_of(commune_a, editor_a, label).text == gettext("None planned: add the next meeting")
    meeting(parliament_a, -3, title="Séance passée")
    later = meeting(parliament_a, 20, title="Deuxième séance")
    soon = meeting(parliament_a, 6, title="Séance de lancement", place="Mairie, salle du conseil")
    item = item_of(commune_a, editor_a, label)
    assert item.text == gettext("%(title)s, %(date)s, %(place)s") % {
        "title": soon.title,
        "date": date_format(timezone.localtime(soon.starts_at), "DATETIME_FORMAT"),
        "place": soon.place,
    }
    assert later.title not in item.text
    assert item.url == reverse("wagtailadmin_pages:edit", args=[parliament_a.pk])


def test_a_shared_micro_parliament_serves_each_of_its_communes(
    editor_a, editor_b, coordinator, network_home, signup_page, signup_page_b, commune_a, commune_b
):
    shared = MicroParliamentPageFactory(
        parent=network_home, title="Micro-parlement du canton", communes=[commune_a, commune_b]
    )
    phases(shared, (-5, 20))
    label = gettext("Phase of the cycle")
    for commune, user in ((commune_a, editor_a), (commune_b, editor_b)):
        item = item_of(commune, user, label)
        assert str(Phase.DIAGNOSTIC.label) in item.text
        # Commune staff cannot edit the network's page: the link shows it.
        assert item.url == shared.url
    editor_link = reverse("wagtailadmin_pages:edit", args=[shared.pk])
    assert item_of(commune_a, coordinator, label).url == editor_link


def seated_draw(commune, parliament, editor, seats=4, people=10):
    volunteers = crowd(commune, people)
    draw = DrawFactory(commune=commune, micro_parliament=parliament, panel_size=seats)
    draw = draws.freeze(draw, editor)
    by_pk = sorted(
        (e.volunteer for e in DrawEntrant.objects.filter(draw=draw).select_related("volunteer")),
        key=lambda v: v.pk,
    )
    assert len(by_pk) == len(volunteers)
    draw = fake_drawn(draw, by_pk[:seats], by_pk[seats:])
    invitations.create_seats(draw)
    return draw


def answer(draw, number, status):
    DrawEntrant.objects.filter(seat__draw=draw, seat__number=number, turn=1).update(
        invitation=status, invited_at=timezone.now()
    )


def test_a_drawn_panel_says_how_its_seats_stand(
    client_a, editor_a, editor_b, parliament_a, commune_a
):
    draw = seated_draw(commune_a, parliament_a, editor_a)
    answer(draw, 1, InvitationStatus.ACCEPTED)
    answer(draw, 2, InvitationStatus.INVITED)
    answer(draw, 3, InvitationStatus.DECLINED)
    item = item_of(commune_a, editor_a, gettext("Draw by lot"))
    expected = ", ".join(
        [
            ngettext(
                "%(taken)s seat of %(seats)s accepted",
                "%(taken)s seats of %(seats)s accepted",
                1,
            )
            % {"taken": 1, "seats": 4},
            ngettext("%(count)s waiting for an answer", "%(count)s waiting for an answer", 1)
            % {"count": 1},
            ngettext("%(count)s to invite", "%(count)s to invite", 1) % {"count": 1},
            ngettext("%(count)s to replace", "%(count)s to replace", 1) % {"count": 1},
        ]
    )
    assert item.text == gettext("%(title)s: %(state)s") % {"title": draw.title, "state": expected}
    assert item.level == WARNING
    assert item.url == reverse("participation_draws:run", args=[draw.pk])
    # The same states as the draw's own screen.
    states = [seat.state for seat in invitations.seats(draw)]
    assert sorted(states) == ["empty", "taken", "to_invite", "waiting"]
    block = block_of(dashboard(client_a), commune_a)
    assert f'href="{item.url}">{item.text}</a>' in block


def test_a_full_panel_needs_nothing(editor_a, parliament_a, commune_a):
    draw = seated_draw(commune_a, parliament_a, editor_a, seats=2, people=6)
    answer(draw, 1, InvitationStatus.ACCEPTED)
    answer(draw, 2, InvitationStatus.ACCEPTED)
    seats = invitations.seats(draw)
    text, to_do = seats_text(draw, seats)
    assert not to_do
    item = item_of(commune_a, editor_a, gettext("Draw by lot"))
    assert item.level == INFO
    assert item.text == gettext("%(title)s: %(state)s") % {"title": draw.title, "state": text}


def test_the_latest_draw_in_its_own_words(editor_a, parliament_a, commune_a):
    label = gettext("Draw by lot")
    item = item_of(commune_a, editor_a, label)
    assert item.text == gettext("No draw yet: prepare one")
    assert item.url == reverse("participation_draws:add")
    older = DrawFactory(commune=commune_a, micro_parliament=parliament_a, title="Ancien")
    older.status = "cancelled"
    older.cancelled_at = timezone.now()
    older.save()
    latest = DrawFactory(commune=commune_a, micro_parliament=parliament_a, title="Tirage 2")
    latest.status = "published"
    latest.published_at = timezone.now()
    latest.randomness_source = "le tirage du Loto du samedi 12 décembre"
    latest.save()
    item = item_of(commune_a, editor_a, label)
    state = gettext("commitment published on %(date)s, drawn from: %(source)s") % {
        "date": date_format(timezone.localdate()),
        "source": latest.randomness_source,
    }
    assert item.text == gettext("%(title)s: %(state)s") % {"title": "Tirage 2", "state": state}
    assert item.url == reverse("participation_draws:run", args=[latest.pk])


def test_sign_ups_awaiting_their_confirmation(client_a, editor_a, signup_page, commune_a):
    label = gettext("Sign-ups")
    assert item_of(commune_a, editor_a, label) is None
    waiting = [VolunteerFactory(commune=commune_a, pending=True) for _ in range(2)]
    expired = VolunteerFactory(
        commune=commune_a,
        pending=True,
        created_at=timezone.now() - datetime.timedelta(days=400),
    )
    confirmed = VolunteerFactory(commune=commune_a, signed_up=True)
    item = item_of(commune_a, editor_a, label)
    assert item.text == ngettext(
        "%(count)s sign-up awaiting its e-mail confirmation",
        "%(count)s sign-ups awaiting their e-mail confirmation",
        2,
    ) % {"count": 2}
    # The link lists them, where staff may confirm a consent given on paper.
    listing = client_a.get(item.url).content.decode()
    for person in waiting:
        assert person.last_name in listing
    assert confirmed.last_name not in listing
    assert expired.pk


def test_staff_of_another_commune_see_none_of_it(
    client_b, signup_page_b, parliament_a, editor_a, commune_a, commune_b
):
    draw = seated_draw(commune_a, parliament_a, editor_a)
    VolunteerFactory(commune=commune_a, pending=True)
    content = dashboard(client_b)
    assert block_of(content, commune_a) == ""
    assert parliament_a.title not in content
    assert reverse("participation_draws:run", args=[draw.pk]) not in content
    assert text_of(gettext("No micro-parliament yet: create its page")) in text_of(
        block_of(content, commune_b)
    )


def test_the_dashboard_costs_the_same_queries_for_one_or_five_parliaments(
    coordinator, coordinator_client, network_home, django_assert_max_num_queries
):
    def add_commune(number):
        commune = new_commune(number + 400)
        switch_module_on(commune, get_module("participation"))
        page = MicroParliamentPageFactory(parent=commune)
        phases(page, (-10, 10), (11, 40))
        meeting(page, 5)
        draw = seated_draw(commune, page, coordinator, seats=2, people=5)
        answer(draw, 1, InvitationStatus.ACCEPTED)
        VolunteerFactory(commune=commune, pending=True)

    content = assert_flat_queries(coordinator_client, add_commune, django_assert_max_num_queries)
    assert content.count(str(Phase.DIAGNOSTIC.label)) == 5
    assert DrawSeat.objects.count() == 10
