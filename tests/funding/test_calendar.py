"""A guide's deadlines as an iCalendar feed: one all-day event per closing date over the
next twelve months, narrowed by the guide's filters."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar

from project_catalog.factories import ProjectCategoryFactory, seeded_category
from project_catalog.funding.factories import (
    FundingSourceFactory,
    applicant_type,
    bulk_sources,
    guide_page,
)
from project_catalog.funding.models import FundingKind, FundingSource, Scope, Timing

pytestmark = pytest.mark.django_db


def days(number):
    return datetime.timedelta(days=number)


def summary(name):
    """The event's title for a source named ``name``, in the site's language."""
    return gettext("Deadline: %(source)s") % {"source": name}


def feed_url(guide, query=""):
    return guide.url + guide.reverse_subpage("deadlines") + (f"?{query}" if query else "")


def events_of(client, guide, query=""):
    response = client.get(feed_url(guide, query))
    assert response.status_code == 200
    feed = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in feed.walk("VEVENT")}


def names_of(client, guide, query=""):
    return {summary.split(": ", 1)[1] for summary in events_of(client, guide, query)}


def dated(closes_on, **fields):
    return FundingSourceFactory(timing=Timing.DATED, closes_on=closes_on, **fields)


def test_the_feed_is_an_icalendar_file(client, guide_a):
    response = client.get(feed_url(guide_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="echeances.ics"'
    assert response["Cache-Control"] == "max-age=3600"
    feed = Calendar.from_ical(response.content)
    assert str(feed["VERSION"]) == "2.0"


def test_one_all_day_event_per_deadline(client, guide_a, state):
    closes = timezone.localdate() + days(20)
    source = dated(closes, name="Fonds pour les jardins", financer=state, kind=FundingKind.CALL)
    events = events_of(client, guide_a)
    assert list(events) == [summary("Fonds pour les jardins")]
    event = events[summary("Fonds pour les jardins")]
    assert event.decoded("DTSTART") == closes
    assert event.decoded("DTEND") == closes + days(1)
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert "T" not in event["DTSTART"].to_ical().decode()
    source_url = (
        "http://testserver" + guide_a.url + guide_a.reverse_subpage("source", args=[source.slug])
    )
    assert str(event["URL"]) == source_url
    description = str(event["DESCRIPTION"])
    assert state.name in description
    assert str(FundingKind.CALL.label) in description
    assert source_url in description
    assert str(event["UID"]) == f"funding-{source.pk}-{closes:%Y%m%d}@testserver"


def test_the_uid_is_stable_from_one_download_to_the_next(client, guide_a):
    dated(timezone.localdate() + days(20), name="Stable")
    first = events_of(client, guide_a)[summary("Stable")]
    second = events_of(client, guide_a)[summary("Stable")]
    assert str(first["UID"]) == str(second["UID"])
    assert first.decoded("DTSTAMP") == second.decoded("DTSTAMP")


def test_no_closed_permanent_or_far_away_deadline(client, guide_a):
    today = timezone.localdate()
    dated(today, name="Ferme aujourd'hui")
    dated(today + days(360), name="Dans presque un an")
    dated(today - days(1), name="Fermée hier")
    dated(today + days(400), name="Dans plus d'un an")
    dated(None, name="Sans date de clôture")
    FundingSourceFactory(name="Permanente", timing=Timing.PERMANENT)
    assert names_of(client, guide_a) == {"Ferme aujourd'hui", "Dans presque un an"}


def test_a_yearly_source_gives_its_next_deadline_even_before_the_daily_job(client, guide_a):
    today = timezone.localdate()
    source = FundingSourceFactory(
        name="Annuelle",
        timing=Timing.YEARLY,
        opens_on=datetime.date(2000, 3, 1),
        closes_on=datetime.date(2000, 4, 30),
    )
    # Last year's window, as stored when the daily job has not run yet.
    FundingSource.objects.filter(pk=source.pk).update(
        window_start=datetime.date(today.year - 1, 3, 1),
        window_end=datetime.date(today.year - 1, 4, 30),
    )
    next_deadline = datetime.date(today.year, 4, 30)
    if next_deadline < today:
        next_deadline = datetime.date(today.year + 1, 4, 30)
    events = events_of(client, guide_a)
    assert list(events) == [summary("Annuelle")]
    assert events[summary("Annuelle")].decoded("DTSTART") == next_deadline


def test_a_communes_private_source_is_only_in_its_own_guides_feed(
    client, guide_a, guide_b, commune_a, network_home
):
    closes = timezone.localdate() + days(10)
    dated(closes, name="Privée de A", commune=commune_a)
    dated(closes, name="Partagée par A", commune=commune_a, shared=True)
    dated(closes, name="Du réseau")
    network_guide = guide_page(network_home)
    assert names_of(client, guide_a) == {"Privée de A", "Partagée par A", "Du réseau"}
    assert names_of(client, guide_b) == {"Partagée par A", "Du réseau"}
    assert names_of(client, network_guide) == {"Partagée par A", "Du réseau"}


def test_a_source_outside_the_communes_area_is_not_in_its_feed(client, guide_a):
    closes = timezone.localdate() + days(10)
    dated(closes, name="Côte-d'Or", scope=Scope.DEPARTMENT, department="21")
    dated(closes, name="Saône-et-Loire", scope=Scope.DEPARTMENT, department="71")
    assert names_of(client, guide_a) == {"Saône-et-Loire"}


def test_the_guides_filters_narrow_the_feed(client, guide_a):
    closes = timezone.localdate() + days(10)
    gardens = seeded_category()
    other = ProjectCategoryFactory()
    associations = applicant_type("associations")
    dated(closes, name="Jardins", categories=[gardens], applicants=[associations])
    dated(closes, name="Autre", categories=[other], kind=FundingKind.LOAN)
    dated(closes, name="Pour tous", scope=Scope.REGION, region="27")
    assert names_of(client, guide_a, f"categorie={gardens.slug}") == {"Jardins", "Pour tous"}
    assert names_of(client, guide_a, "nature=loan") == {"Autre"}
    assert names_of(client, guide_a, "porteur=associations") == {"Jardins"}
    assert names_of(client, guide_a, "portee=region") == {"Pour tous"}
    assert names_of(client, guide_a, f"categorie={gardens.slug}&nature=grant&portee=national") == {
        "Jardins"
    }


def test_a_filter_that_makes_no_sense_is_ignored(client, guide_a):
    dated(timezone.localdate() + days(10), name="Jardins")
    assert names_of(client, guide_a, "categorie=inconnue&nature=%00&portee=lune") == {"Jardins"}


def test_the_feed_is_read_only(client, guide_a):
    response = client.post(feed_url(guide_a))
    assert response.status_code == 405


def count_queries(client, guide):
    client.get(feed_url(guide, f"categorie={seeded_category().slug}"))  # memos after changes
    with CaptureQueriesContext(connection) as context:
        response = client.get(feed_url(guide, f"categorie={seeded_category().slug}"))
    assert response.status_code == 200
    return len(context.captured_queries), response


def test_the_number_of_queries_does_not_depend_on_the_number_of_sources(client, guide_a):
    today = timezone.localdate()
    bulk_sources(5, closes_on=today + days(10))
    client.get(feed_url(guide_a))  # warm the site and page caches
    few, response = count_queries(client, guide_a)
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 5
    bulk_sources(45, closes_on=today + days(20))
    many, response = count_queries(client, guide_a)
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 50
    assert many == few
