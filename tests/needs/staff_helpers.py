"""Test data of the staff side of the call for needs: calls, needs, micro-parliaments with
priorities, project pages. Imported by the staff tests (test_admin, test_outcomes,
test_sections) as fixtures."""

from datetime import timedelta

import pytest
from django.utils import timezone

from needs.models import CallForNeedsPage, Need, NeedsIndexPage, NeedStatus
from parliament.factories import MicroParliamentPageFactory
from parliament.models import MicroParliamentPage, ParliamentPriority

_calls = iter(range(1, 10_000))


def make_call(commune, *, closed=False, **fields):
    """A published call of ``commune``: open today, or closed yesterday."""
    index = NeedsIndexPage.objects.child_of(commune).get()
    today = timezone.localdate()
    number = next(_calls)
    if closed:
        dates = {"opens_on": today - timedelta(days=40), "closes_on": today - timedelta(days=1)}
    else:
        dates = {"opens_on": today - timedelta(days=5), "closes_on": today + timedelta(days=25)}
    call = CallForNeedsPage(
        title=fields.pop("title", f"Appel n° {number}"),
        slug=f"appel-{number}",
        **{**dates, **fields},
    )
    index.add_child(instance=call)
    call.save_revision().publish()
    return CallForNeedsPage.objects.get(pk=call.pk)


def make_need(call, **fields):
    """A need published on ``call``, whose author left an e-mail and a first name."""
    now = timezone.now()
    values = {
        "title": "Un abri pour l'arrêt de car",
        "description": "Les enfants attendent sous la pluie.",
        "first_name": "Odile",
        "email": "odile@example.org",
        "status": NeedStatus.PUBLISHED,
        "confirmed_at": now,
        "published_at": now,
        **fields,
    }
    return Need.objects.create(call=call, commune=call.commune, **values)


def make_parliament(parent, priorities=(), communes=None):
    """A published micro-parliament under ``parent`` with ``priorities``: (title, project
    page or None) pairs. Returns the page and its priorities, in order."""
    page = MicroParliamentPageFactory(parent=parent, communes=communes)
    page = MicroParliamentPage.objects.get(pk=page.pk)
    for number, (title, project) in enumerate(priorities):
        page.priorities.add(ParliamentPriority(title=title, project=project, sort_order=number))
    if priorities:
        page.save_revision().publish()
    page = MicroParliamentPage.objects.get(pk=page.pk)
    return page, list(ParliamentPriority.objects.filter(page=page).order_by("sort_order"))


@pytest.fixture
def needs_on(every_module_on):
    """Both test communes run every module, the call for needs among them."""


@pytest.fixture
def call_a(needs_on, commune_a):
    return make_call(commune_a, title="Ce qui manque à Aubigny")


@pytest.fixture
def call_b(needs_on, commune_b):
    return make_call(commune_b, title="Ce qui manque à Bellecombe")


@pytest.fixture
def parliament_a(needs_on, commune_a):
    page, priorities = make_parliament(
        commune_a, [("Mobilités douces", None), ("Lieu de rencontre", None)]
    )
    return page, priorities


@pytest.fixture
def parliament_b(needs_on, commune_b):
    return make_parliament(commune_b, [("Priorité de Bellecombe", None)])


# What the staff tests import with ``*``: the fixtures.
__all__ = ["call_a", "call_b", "needs_on", "parliament_a", "parliament_b"]
