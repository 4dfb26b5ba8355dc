"""A micro-parliament's followers hear of its new meetings and priorities
(parliament/following.py)."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from mprc_cms import following
from mprc_cms.models import Follower, FollowUpdate

if not apps.is_installed("parliament"):
    pytest.skip("without the module", allow_module_level=True)

from parliament.factories import MicroParliamentPageFactory
from parliament.models import ParliamentMeeting, ParliamentPriority


def follow(page, email="ana@example.org", frequency="weekly"):
    when = timezone.now() - timedelta(days=30)
    follower = Follower.objects.create(
        page=page, email=email, frequency=frequency, confirmed_at=when
    )
    return follower


@pytest.fixture
def parliament(commune_a, signup_page):
    return MicroParliamentPageFactory(parent=commune_a, title="Micro-parlement d’Aubigny")


def test_new_meeting_is_announced(client, parliament, mailoutbox):
    follow(parliament)
    page = parliament.__class__.objects.get(pk=parliament.pk)
    page.meetings.add(
        ParliamentMeeting(
            title="Première séance",
            starts_at=timezone.now() + timedelta(days=10),
            place="Salle des fêtes",
        )
    )
    page.save_revision().publish()
    created = FollowUpdate.objects.get()
    assert "Première séance" in created.title
    assert "Salle des fêtes" in created.text
    # Published again: the meeting is known.
    page = parliament.__class__.objects.get(pk=parliament.pk)
    page.save_revision().publish()
    assert FollowUpdate.objects.count() == 1
    assert following.run_digests() == 1
    assert "Première séance" in mailoutbox[0].body


def test_new_and_changed_priorities(parliament):
    follow(parliament)
    page = parliament.__class__.objects.get(pk=parliament.pk)
    page.priorities.add(ParliamentPriority(title="Le lavoir", description="Le restaurer."))
    page.save_revision().publish()
    page = parliament.__class__.objects.get(pk=parliament.pk)
    priorities = list(page.priorities.all())
    priorities[0].description = "Le restaurer avant l’été."
    page.priorities = priorities
    page.save_revision().publish()
    page = parliament.__class__.objects.get(pk=parliament.pk)
    page.save_revision().publish()
    titles = list(FollowUpdate.objects.values_list("title", flat=True))
    assert len(titles) == 2
    assert titles[0] != titles[1]
    assert all("Le lavoir" in title for title in titles)


def test_a_shared_micro_parliament_can_be_followed(client, network_home, commune_a, signup_page):
    shared = MicroParliamentPageFactory(parent=network_home, communes=[commune_a])
    assert following.is_followable(shared)
    response = client.get(shared.url)
    assert reverse("following:follow", args=[shared.pk]) in response.content.decode()


def test_a_shared_micro_parliament_of_no_running_commune(client, network_home, commune_b):
    shared = MicroParliamentPageFactory(parent=network_home, communes=[commune_b])
    assert not following.is_followable(shared)
    assert client.get(reverse("following:follow", args=[shared.pk])).status_code == 404
