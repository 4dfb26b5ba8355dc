"""What became of a need, told to its author when the micro-parliament publishes its page
(needs/outcomes.py): once, and only to those who asked."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.translation import gettext

from needs import calls
from needs.models import Need, NeedStatus, Outcome
from tests.needs.staff_helpers import *  # noqa: F403 - the fixtures
from tests.needs.staff_helpers import make_call, make_need, make_parliament

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


def decided(call, title, **fields):
    return make_need(call, title=title, outcome_decided_at=timezone.now(), **fields)


@pytest.fixture
def decisions(needs_on, commune_a, parliament_a):
    page, priorities = parliament_a
    open_call = make_call(commune_a)
    closed_call = make_call(commune_a, closed=True)
    return {
        "page": page,
        "kept": decided(
            open_call, "Un abri", outcome=Outcome.KEPT, priority=priorities[0], email="a@ex.org"
        ),
        "not_kept": decided(
            closed_call,
            "Une piscine",
            outcome=Outcome.NOT_KEPT,
            outcome_note="Trop chère pour la commune.",
            email="b@ex.org",
        ),
        # Not told: the call is still open.
        "not_kept_open": decided(
            open_call, "Un golf", outcome=Outcome.NOT_KEPT, outcome_note="Non.", email="c@ex.org"
        ),
        # Not told: did not ask, or left no address, or not decided, or not published.
        "quiet": decided(
            closed_call,
            "Un banc",
            outcome=Outcome.KEPT,
            priority=priorities[1],
            wants_outcome=False,
            email="d@ex.org",
        ),
        "no_email": decided(
            closed_call, "Un lavoir", outcome=Outcome.KEPT, priority=priorities[1], email=""
        ),
        "undecided": make_need(closed_call, title="Un four", email="e@ex.org"),
        "hidden": decided(
            closed_call,
            "Caché",
            outcome=Outcome.NOT_KEPT,
            outcome_note="Non.",
            status=NeedStatus.HIDDEN,
            email="f@ex.org",
        ),
    }


def test_publishing_the_micro_parliament_tells_each_author_once(decisions):
    page = decisions["page"]
    mail.outbox.clear()
    page.save_revision().publish()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@ex.org", "b@ex.org"]
    kept = next(m for m in mail.outbox if m.to == ["a@ex.org"])
    body = " ".join(kept.body.split())
    assert "Mobilités douces" in body
    assert f"/besoin/{decisions['kept'].pk}/" in body
    assert page.get_full_url() in body
    not_kept = next(m for m in mail.outbox if m.to == ["b@ex.org"])
    assert "Trop chère pour la commune." in not_kept.body
    why = gettext(
        "You receive this e-mail because you asked to know what becomes of your need. "
        "To stop, open your personal link."
    )
    for message, key in ((kept, "kept"), (not_kept, "not_kept")):
        assert " ".join(why.split()) in " ".join(message.body.split())
        token = re.search(r"/gerer/([^/\s]+)/", message.body)[1]
        need = Need.objects.get(pk=decisions[key].pk)
        assert calls.need_to_manage(need.call.specific, token) == need
    for key in ("kept", "not_kept"):
        assert Need.objects.get(pk=decisions[key].pk).outcome_sent_at is not None
    for key in ("not_kept_open", "quiet", "no_email", "undecided", "hidden"):
        assert Need.objects.get(pk=decisions[key].pk).outcome_sent_at is None

    # Published again: nobody is told twice.
    mail.outbox.clear()
    page.save_revision().publish()
    assert mail.outbox == []


def test_a_need_of_another_micro_parliament_is_not_told(decisions, commune_a):
    mail.outbox.clear()
    make_parliament(commune_a, [("Autre priorité", None)])
    # The not-kept need's call names no micro-parliament: both serve the commune.
    assert [m.to for m in mail.outbox] == [["b@ex.org"]]
    assert Need.objects.get(pk=decisions["kept"].pk).outcome_sent_at is None


def test_a_call_naming_its_micro_parliament_is_told_by_that_one_only(decisions, commune_a):
    call = decisions["not_kept"].call
    call.micro_parliament = decisions["page"]
    call.save_revision().publish()
    mail.outbox.clear()
    make_parliament(commune_a, [("Autre priorité", None)])
    assert mail.outbox == []
    assert Need.objects.get(pk=decisions["not_kept"].pk).outcome_sent_at is None
