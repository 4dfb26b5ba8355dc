"""Test-data factories of the service exchange (used by the tests and the benchmark).

``ServiceListingFactory(commune=c)``
    An offer on the board: published a day ago, on the board for 30 days, confirmed,
    category « Jardinage », an ``@example.org`` e-mail.
``ServiceListingFactory(commune=c, unconfirmed=True)`` / ``pending=True`` / ``expired=True``
    Waiting for the e-mail confirmation / for approval / published but past its date.
``bulk_listings(commune, count, **fields)``
    ``count`` posts on the board in one query, for large boards.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from .models import (
    DigestSubscription,
    Kind,
    ListingReport,
    ListingStatus,
    ReportReason,
    ServiceCategory,
    ServiceListing,
)


def category(slug="jardinage"):
    """One of the categories the migration creates."""
    return ServiceCategory.objects.get(slug=slug)


class ServiceListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceListing

    kind = Kind.OFFER
    category = factory.LazyFunction(category)
    title = factory.Sequence(lambda n: f"Coup de main au potager n° {n}")
    description = "Je peux bêcher, semer et arroser le samedi matin, outils fournis."
    first_name = "Josette"
    email = factory.Sequence(lambda n: f"annonceur-{n}@example.org")
    status = ListingStatus.PUBLISHED
    created_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    confirmed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=29))

    class Params:
        unconfirmed = factory.Trait(
            status=ListingStatus.UNCONFIRMED, confirmed_at=None, published_at=None, expires_on=None
        )
        pending = factory.Trait(status=ListingStatus.PENDING, published_at=None, expires_on=None)
        expired = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=40)),
            expires_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1)),
        )


class ListingReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListingReport

    reason = ReportReason.COMMERCIAL
    comment = "Ressemble à une publicité."


class DigestSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigestSubscription

    email = factory.Sequence(lambda n: f"lecteur-{n}@example.org")
    confirmed_at = factory.LazyFunction(timezone.now)


def bulk_listings(commune, count, **fields):
    """``count`` posts on the board of ``commune``, written in one query."""
    now = timezone.now()
    fields.setdefault("category", category())
    fields.setdefault("kind", Kind.OFFER)
    fields.setdefault("status", ListingStatus.PUBLISHED)
    fields.setdefault("expires_on", timezone.localdate() + timedelta(days=20))
    listings = [
        ServiceListing(
            commune=commune,
            title=f"Annonce n° {number}",
            description="Un coup de main entre voisins, le week-end.",
            first_name="Camille",
            email=f"voisin-{number}@example.org",
            confirmed_at=now,
            published_at=now - timedelta(minutes=number),
            **fields,
        ).set_search_text()
        for number in range(1, count + 1)
    ]
    return ServiceListing.objects.bulk_create(listings, batch_size=500)
