"""Test-data factories of the funding guide (used by the tests and the benchmark).

``FundingSourceFactory()``
    A national grant of the network, open all year, fitting every category and applicant.
``FundingSourceFactory(categories=[c], applicants=[a], timing=Timing.DATED, closes_on=d)``
    Many-to-many values are set after creation.
``FundingSourceFactory(commune=c)`` / ``(commune=c, shared=True)``
    A commune's own source, private or shared with the network.
``FundingApplicationFactory(project=p)``
    An application of ``p``'s commune, being prepared.
``bulk_sources(count, **fields)``
    ``count`` sources in a few queries, for large guides.
"""

import datetime

import factory
from django.utils import timezone

from mprc_cms import page_cache

from .models import (
    ApplicantType,
    ApplicationStatus,
    Financer,
    FundingApplication,
    FundingGuidePage,
    FundingKind,
    FundingSource,
    Scope,
    Timing,
)


def applicant_type(slug="communes"):
    """One of the types of applicant the migration creates."""
    return ApplicantType.objects.get(slug=slug)


class FinancerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Financer
        django_get_or_create = ("name",)

    name = "État — préfecture de département"
    level = Financer.Level.STATE


def _set_many(field):
    def post(source, create, extracted, **kwargs):
        if create and extracted is not None:
            getattr(source, field).set(extracted)

    return factory.PostGeneration(post)


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Aide aux projets ruraux n° {n}")
    summary = "Une aide de l'État aux investissements des petites communes."
    financer = factory.SubFactory(FinancerFactory)
    kind = FundingKind.GRANT
    scope = Scope.NATIONAL
    timing = Timing.PERMANENT
    covers_investment = True
    url = "https://www.example.gouv.fr/aide"
    checked_by = "Coordination du réseau"
    categories = _set_many("categories")
    applicants = _set_many("applicants")
    territory_communes = _set_many("territory_communes")


class FundingApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingApplication

    project = None  # required: a ProjectPage
    commune = factory.LazyAttribute(lambda application: application.project.commune)
    source = factory.SubFactory(FundingSourceFactory)
    status = ApplicationStatus.PREPARING
    amount_requested = 5000

    class Params:
        granted = factory.Trait(
            status=ApplicationStatus.GRANTED,
            submitted_on=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=60)
            ),
            decided_on=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=10)
            ),
            amount_granted=4000,
        )


def guide_page(parent, **fields):
    """A published funding guide under a commune (or the network home)."""
    page = FundingGuidePage.objects.child_of(parent).first()
    if page is not None:
        return page
    page = FundingGuidePage(
        title=fields.pop("title", "Financer nos projets"),
        slug=fields.pop("slug", "financements"),
        **fields,
    )
    parent.add_child(instance=page)
    return page


def bulk_sources(count, financer=None, **fields):
    """``count`` sources in a few queries (no many-to-many values)."""
    financer = financer or FinancerFactory()
    today = timezone.localdate()
    existing = FundingSource.objects.count()
    sources = []
    for number in range(existing, existing + count):
        source = FundingSource(
            name=f"Programme de soutien n° {number}",
            slug=f"programme-{number}",
            summary="Un programme d'aide aux projets des communes rurales.",
            financer=financer,
            kind=fields.get("kind", FundingKind.GRANT),
            scope=fields.get("scope", Scope.NATIONAL),
            timing=fields.get("timing", Timing.DATED),
            opens_on=fields.get("opens_on"),
            closes_on=fields.get("closes_on", today + datetime.timedelta(days=number % 90)),
            url="https://www.example.gouv.fr/programme",
            **{
                key: value
                for key, value in fields.items()
                if key not in ("kind", "scope", "timing", "opens_on", "closes_on")
            },
        )
        source.set_window(today)
        source.set_search_text()
        sources.append(source)
    created = FundingSource.objects.bulk_create(sources, batch_size=500)
    page_cache.changed(*created)  # no model signal: the pages and memos that list them
    return created
