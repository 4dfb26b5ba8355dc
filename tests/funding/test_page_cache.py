"""The page cache and the funding guide (issue 20): a source edited, shared, un-shared or
rolled to its next window is shown as it is in every guide that lists it on the next
request; the guides that never showed it stay cached."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from project_catalog.funding.factories import FundingSourceFactory
from project_catalog.funding.models import FundingSource, Timing
from tests.funding.test_admin import source_data
from tests.mprc_cms.test_page_cache_invalidation import (
    assert_hit,
    assert_not_shown,
    assert_shown,
    state,
    warm,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MPRC_PAGE_CACHE = True


def form(**fields):
    """The edit form's data (its financer and choices created now, before the pages are
    cached: they are the network's data, which every page may show)."""
    return source_data(**fields)


def edit(client, source, data):
    return client.post(reverse("funding_sources:edit", args=[source.pk]), data)


def test_a_communes_own_source_edited_shows_in_its_guide_only(client, client_a, guide_a, guide_b):
    source = FundingSourceFactory(name="Appel du département A", commune=guide_a.commune)
    data = form(name="Appel départemental renommé", commune=guide_a.commune.pk)
    warm(client, guide_a.url, guide_b.url)
    response = edit(client_a, source, data)
    assert response.status_code == 302
    assert_shown(client, [guide_a.url], "Appel départemental renommé")
    assert_hit(client, guide_b.url)


def test_a_source_shared_by_another_commune_is_fresh_in_every_guide(
    client, client_b, guide_a, guide_b
):
    source = FundingSourceFactory(name="Appel partagé par B", commune=guide_b.commune, shared=True)
    data = form(
        name="Appel partagé renommé",
        commune=guide_b.commune.pk,
        shared="on",
        scope="national",
        department="",
    )
    warm(client, guide_a.url, guide_b.url)
    assert_shown(client, [guide_a.url], "Appel partagé par B")
    response = edit(client_b, source, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_shown(client, [guide_a.url, guide_b.url], "Appel partagé renommé")


def test_a_source_no_longer_shared_leaves_the_other_guides(client, client_b, guide_a, guide_b):
    source = FundingSourceFactory(name="Appel partagé par B", commune=guide_b.commune, shared=True)
    data = form(
        name="Appel partagé par B", commune=guide_b.commune.pk, scope="national", department=""
    )
    warm(client, guide_a.url, guide_b.url)
    response = edit(client_b, source, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not FundingSource.objects.get(pk=source.pk).shared
    assert_not_shown(client, [guide_a.url], "Appel partagé par B")
    assert_shown(client, [guide_b.url], "Appel partagé par B")


def test_a_territory_narrowed_leaves_the_guide_of_the_commune_taken_out(
    client, guide_a, guide_b, commune_a, commune_b
):
    source = FundingSourceFactory(
        name="Programme LEADER du Clunisois",
        scope="territory",
        territory_name="GAL du Clunisois",
        territory_communes=[commune_a, commune_b],
    )
    warm(client, guide_a.url, guide_b.url)
    # Without a save of the source: only the many-to-many signal knows.
    source.territory_communes.remove(commune_a)
    assert_not_shown(client, [guide_a.url], "Programme LEADER du Clunisois")
    assert_shown(client, [guide_b.url], "Programme LEADER du Clunisois")


def test_rolling_a_yearly_source_forward_purges_its_guide(client, guide_a, guide_b):
    today = timezone.localdate()
    source = FundingSourceFactory(
        name="Appel annuel aux communes",
        commune=guide_a.commune,
        timing=Timing.YEARLY,
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=30),
    )
    warm(client, guide_a.url, guide_b.url)
    # A year went by without the daily job: the window stored has closed.
    FundingSource.objects.filter(pk=source.pk).update(window_end=today - datetime.timedelta(days=1))
    assert FundingSource.objects.roll_forward(today) == 1
    assert state(client.get(guide_a.url)) != "hit"
    assert_hit(client, guide_b.url)


def guide_names(client, guide, query=""):
    response = client.get(guide.url + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return [source.name for source in response.context["items_page"].object_list]


def test_the_guides_list_of_sources_is_a_memo_never_stale(client, settings, guide_a, guide_b):
    """Page cache off: the guide's shown sources are a memo of the page cache (per day,
    until anything changes), and every change shows on the next request."""
    settings.MPRC_PAGE_CACHE = False
    today = timezone.localdate()
    soon = FundingSourceFactory(name="Appel bientôt clos", timing=Timing.DATED, closes_on=today)
    later = FundingSourceFactory(
        name="Appel de printemps",
        timing=Timing.DATED,
        closes_on=today + datetime.timedelta(days=30),
    )
    assert guide_names(client, guide_a) == ["Appel bientôt clos", "Appel de printemps"]
    assert guide_names(client, guide_a) == ["Appel bientôt clos", "Appel de printemps"]

    FundingSourceFactory(name="Appel permanent", timing=Timing.PERMANENT)
    assert guide_names(client, guide_a)[-1] == "Appel permanent"

    later.commune = guide_b.commune  # now commune B's own, not shared
    later.save()
    assert "Appel de printemps" not in guide_names(client, guide_a)
    assert "Appel de printemps" in guide_names(client, guide_b)

    # The filters and the other orders narrow the same list.
    assert guide_names(client, guide_a, "tri=nom") == ["Appel bientôt clos", "Appel permanent"]
    assert guide_names(client, guide_a, "q=permanent") == ["Appel permanent"]

    # Tomorrow, the source closing today is no longer listed.
    from project_catalog.funding.guide import shown_source_ids

    assert soon.pk in shown_source_ids(guide_a, today)
    assert soon.pk not in shown_source_ids(guide_a, today + datetime.timedelta(days=1))
