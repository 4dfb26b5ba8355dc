"""The demo network's funding guide: real programmes, dated around the load day, a guide
in every commune and one for the network, applications in every status, built once."""

import html

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from home import demo_content as home_demo_content
from home.models import CommunePage, NetworkHomePage
from project_catalog.funding import demo_content
from project_catalog.funding.models import (
    AidesTerritoiresSync,
    ApplicationStatus,
    DeadlineAlert,
    Financer,
    FundingApplication,
    FundingGuidePage,
    FundingSource,
    Timing,
)
from project_catalog.funding.windows import CLOSING_SOON_DAYS
from tests.demo_helpers import demo_network_sources, load_demo

pytestmark = pytest.mark.django_db


def counts():
    return (
        Financer.objects.count(),
        FundingSource.objects.count(),
        FundingApplication.objects.count(),
        DeadlineAlert.objects.count(),
        FundingGuidePage.objects.count(),
    )


def test_the_demo_funding_guide(client):
    output = load_demo()
    today = timezone.localdate()
    assert "Guide des financements" in output

    # Every source obeys the model's validation; the network's are real and checked.
    sources = list(FundingSource.objects.filter(aides_territoires_id=None).order_by("slug"))
    assert {source.slug for source in sources} == {
        data["slug"] for data in demo_network_sources() + demo_content.COMMUNE_SOURCES
    }
    for source in sources:
        source.full_clean()
    network_sources = [source for source in sources if source.commune_id is None]
    assert len(network_sources) == len(demo_network_sources()) >= 12
    for source in network_sources:
        assert source.url.startswith("https://"), source.slug
        assert ".example." not in source.url, source.slug
        assert source.checked_on <= today, source.slug
        assert source.checked_by, source.slug
        assert source.how_to_apply, source.slug
        assert source.contact, source.slug
        assert source.applicants.exists(), source.slug
    # DETR and DSIL fit every kind of project; the others name theirs.
    assert not FundingSource.objects.get(slug="detr").categories.exists()
    assert (
        FundingSource.objects.get(slug="fonds-vert-mobilites-rurales")
        .categories.filter(slug="covoiturage-local")
        .exists()
    )

    # Seven aids of a recorded answer of Aides-territoires, through the sync.
    sync = AidesTerritoiresSync.objects.get()
    assert (sync.trigger, sync.ok, sync.created) == ("demo", True, 7)
    imported = list(FundingSource.objects.exclude(aides_territoires_id=None))
    assert len(imported) == 7
    for source in imported:
        source.full_clean()
        assert source.commune_id is None
        assert source.aides_territoires_url.startswith("https://aides-territoires.beta.gouv.fr/")
        assert source.synced_at is not None
        assert source.state(today) != "closed", source.slug

    # A guide in every demo commune, and the network's.
    for data in home_demo_content.COMMUNES:
        commune = CommunePage.objects.get(insee_code=data["insee"])
        assert FundingGuidePage.objects.child_of(commune).live().exists()
    home = NetworkHomePage.objects.get()
    network_guide = FundingGuidePage.objects.child_of(home).live().get()
    assert network_guide.slug == "guide-des-financements"
    assert network_guide.show_in_menus
    assert client.get(network_guide.url).status_code == 200

    # Saint-Aubin's guide: open calls, calls closing within 30 days, sources without
    # deadline and upcoming calls, whatever the day the demo is loaded.
    saint_aubin = CommunePage.objects.get(insee_code=demo_content.SAINT_AUBIN)
    guide = FundingGuidePage.objects.child_of(saint_aubin).get()
    listed = list(guide.sources().order_by("slug"))
    by_state = {}
    for source in listed:
        by_state.setdefault(source.state(today), []).append(source)
    assert {"open", "closing_soon", "permanent", "upcoming"} <= set(by_state)
    assert "closed" not in by_state
    assert len(by_state["closing_soon"]) >= 2
    in_guide = guide.sources()
    assert in_guide.closing_within(today, CLOSING_SOON_DAYS).count() >= 2
    assert in_guide.open_on(today).exclude(timing=Timing.PERMANENT).exists()
    assert in_guide.filter(window_start__gt=today).exists()
    yearly = in_guide.filter(timing=Timing.YEARLY)
    assert any(  # a window that spans the new year
        (s.opens_on.month, s.opens_on.day) > (s.closes_on.month, s.closes_on.day)
        for s in yearly.exclude(opens_on=None)
    )
    response = client.get(guide.url)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    for state in ("open", "closing_soon", "permanent", "upcoming"):
        assert by_state[state][0].name in page, state

    # Saint-Aubin's private source is its own; the one it shares reaches its neighbours.
    private = FundingSource.objects.get(commune=saint_aubin, shared=False)
    shared = FundingSource.objects.get(commune=saint_aubin, shared=True)
    assert private in listed
    assert shared in listed
    neighbour = CommunePage.objects.get(insee_code="71903")
    neighbours_guide = FundingGuidePage.objects.child_of(neighbour).get()
    assert not neighbours_guide.sources().filter(pk=private.pk).exists()
    assert neighbours_guide.sources().filter(pk=shared.pk).exists()

    # Applications of the catalogue's projects, one at least in each status, all valid
    # and within the projects' budgets.
    applications = list(FundingApplication.objects.select_related("project", "commune"))
    assert {application.status for application in applications} == set(ApplicationStatus.values)
    for application in applications:
        application.full_clean()
        assert application.project.commune.pk == application.commune_id
        assert application.amount_requested <= application.project.planned_budget
        assert (application.amount_granted or 0) <= application.amount_requested

    # Saint-Aubin's town hall is warned a month before deadlines.
    alert = DeadlineAlert.objects.get()
    assert alert.commune == saint_aubin
    assert alert.days == 30
    assert alert.user in get_user_model().objects.filter(groups=saint_aubin.editors_group)


def test_the_demo_funding_guide_is_built_once():
    load_demo()
    first = counts()
    load_demo()
    assert counts() == first
    second = AidesTerritoiresSync.objects.order_by("-pk").first()
    assert (second.ok, second.created, second.updated, second.closed) == (True, 0, 0, 0)
