"""The demo network's service-exchange boards: a live board in every commune, posts of
every kind on it, a queue to moderate, and the same content on every run."""

import pytest

from exchange.models import (
    DigestSubscription,
    ListingReport,
    ListingStatus,
    ServiceExchangePage,
    ServiceListing,
)
from home import demo_content as home_demo_content
from home.models import CommunePage
from tests.demo_helpers import load_demo

pytestmark = pytest.mark.django_db


def counts():
    return (
        ServiceExchangePage.objects.count(),
        ServiceListing.objects.count(),
        ListingReport.objects.count(),
        DigestSubscription.objects.count(),
    )


def test_every_demo_commune_has_a_live_board_with_posts_and_a_queue(client):
    output = load_demo()
    assert "Échanges de services" in output
    for data in home_demo_content.COMMUNES:
        commune = CommunePage.objects.get(insee_code=data["insee"])
        page = ServiceExchangePage.objects.child_of(commune).live().get()
        response = client.get(page.url)
        assert response.status_code == 200
        assert len(response.context["items_page"].object_list) >= 6
        posts = ServiceListing.objects.filter(commune=commune)
        assert {post.kind for post in posts} == {"offer", "request"}
        assert all(post.email.endswith("@example.org") for post in posts)
        hamlets = set(commune.hamlet_list())
        assert {post.hamlet for post in posts} <= hamlets

    # Saint-Aubin publishes at once; the others approve first.
    saint_aubin = ServiceExchangePage.objects.get(url_path__contains="saint-aubin")
    assert not saint_aubin.requires_approval
    others = ServiceExchangePage.objects.exclude(pk=saint_aubin.pk)
    assert all(page.requires_approval for page in others)
    pending = ServiceListing.objects.filter(status=ListingStatus.PENDING)
    assert not pending.filter(commune__slug="saint-aubin-les-vignes").exists()
    assert pending.count() == 2 * others.count()


def test_the_demo_boards_are_built_once():
    load_demo()
    first = counts()
    load_demo()
    assert counts() == first
