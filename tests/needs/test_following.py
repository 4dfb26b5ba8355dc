"""Following calls for needs (needs/following.py) and their Atom feed (needs/feeds.py)."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from mprc_cms import following
from mprc_cms.models import Follower, FollowUpdate
from mprc_cms.modules import get_module
from needs import following as needs_following
from needs.factories import CallForNeedsPageFactory
from needs.models import CallForNeedsPage, NeedsIndexPage

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def followable_calls(monkeypatch):
    """The calls and the «Needs and ideas» page followable, the receiver connected (the
    module's AppConfig does both)."""
    declared = following.followable_models
    module = get_module("needs")
    monkeypatch.setattr(
        following,
        "followable_models",
        lambda: {**declared(), NeedsIndexPage: module, CallForNeedsPage: module},
    )
    needs_following.connect()


def follow(page, email="ana@example.org", frequency="each"):
    when = timezone.now() - timedelta(days=1)
    return Follower.objects.create(page=page, email=email, frequency=frequency, confirmed_at=when)


def test_a_call_published_open_is_announced_on_the_index(needs_index, mailoutbox):
    follow(needs_index)
    call = CallForNeedsPageFactory(parent=needs_index, title="Appel 2026", slug="appel-2026")
    created = FollowUpdate.objects.get()
    assert created.page_id == needs_index.pk
    assert "Appel 2026" in created.title
    assert created.url.endswith(call.url)
    assert len(mailoutbox) == 1
    # Published again: not announced twice.
    call.save_revision().publish()
    assert FollowUpdate.objects.count() == 1


def test_an_upcoming_call_is_announced_the_day_it_opens(needs_index):
    follow(needs_index)
    call = CallForNeedsPageFactory(parent=needs_index, upcoming=True)
    assert not FollowUpdate.objects.exists()
    assert needs_following.announce_opened_calls(call.opens_on - timedelta(days=1)) == 0
    assert needs_following.announce_opened_calls(call.opens_on) == 1
    assert needs_following.announce_opened_calls(call.opens_on + timedelta(days=1)) == 0
    assert FollowUpdate.objects.count() == 1


def test_results_announced_once_when_the_call_closes(needs_index, mailoutbox):
    call = CallForNeedsPageFactory(parent=needs_index, title="Appel 2026", slug="appel-2026")
    follow(call)
    follow(needs_index, email="bob@example.org", frequency="weekly")
    assert needs_following.announce_closed_calls(call.closes_on) == 0
    day_after = call.closes_on + timedelta(days=1)
    assert needs_following.announce_closed_calls(day_after) == 2
    assert needs_following.announce_closed_calls(day_after + timedelta(days=1)) == 0
    updates = FollowUpdate.objects.all()
    assert {update.page_id for update in updates} == {call.pk, needs_index.pk}
    assert all(update.url.endswith(call.url + "resultats/") for update in updates)
    assert [message.to for message in mailoutbox] == [["ana@example.org"]]


def test_calls_feed(client, needs_index, commune_b):
    from needs.factories import needs_index_for

    CallForNeedsPageFactory(parent=needs_index, title="Appel 2026", slug="appel-2026")
    draft = CallForNeedsPageFactory(parent=needs_index, title="Brouillon", slug="brouillon")
    draft.unpublish()
    CallForNeedsPageFactory(parent=needs_index_for(commune_b), title="Ailleurs")
    response = client.get(needs_index.url + "flux/")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    assert root.tag == f"{ATOM}feed"
    titles = [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]
    assert len(titles) == 1  # not the draft, not commune B's
    link = root.find(f"{ATOM}entry").find(f"{ATOM}link").get("href")
    assert link.startswith("http://")
    assert link.endswith("/appel-2026/")


def test_a_call_the_public_cannot_read_is_never_announced(needs_index, mailoutbox):
    """Behind a password (its own or an ancestor's), a call's opening and results stay
    private: neither its followers nor those of its index hear of it."""
    from wagtail.models import PageViewRestriction

    follow(needs_index)
    PageViewRestriction.objects.create(
        page=needs_index, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    call = CallForNeedsPageFactory(parent=needs_index, title="Appel secret", slug="secret")
    assert not FollowUpdate.objects.exists()
    assert needs_following.announce_opening(call) == 0
    assert needs_following.announce_results(call) == 0
    assert not FollowUpdate.objects.exists()
    assert mailoutbox == []
