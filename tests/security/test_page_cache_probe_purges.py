"""Security probe of the page cache (issue 20), fails until fixed: rows an anonymous
visitor creates that no public page shows (a contact relayed, a report, a digest
subscription) purge every page of the network (scope ``any``) and of the commune, a cheap
way to keep the cache cold (the forms' rate limits are per address only)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache_on(settings):
    settings.MPRC_PAGE_CACHE = True


def any_version():
    from mprc_cms import page_cache

    return page_cache.versions([page_cache.ANY], fresh=True)[page_cache.ANY]


@pytest.fixture
def listing(commune_a):
    from exchange.factories import ServiceListingFactory

    return ServiceListingFactory(commune=commune_a, title="Bêcher le potager")


@pytest.mark.parametrize("kind", ["relay", "report", "digest"])
def test_rows_no_public_page_shows_purge_nothing(page_cache_on, listing, commune_a, kind):
    from exchange.models import ContactRelay, DigestSubscription, ListingReport, ReportReason

    before = any_version()
    if kind == "relay":
        ContactRelay.objects.create(listing=listing)
    elif kind == "report":
        ListingReport.objects.create(listing=listing, reason=ReportReason.values[0])
    else:
        DigestSubscription.objects.create(commune=commune_a, email="voisin@example.org")
    assert any_version() == before, f"a {kind} purged every page of the network"
