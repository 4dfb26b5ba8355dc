"""Funding sources in the public API (/api/v1/funding-sources/): the sources a published
guide shows — the network guide's, or with ?commune= that commune's — never a commune's
private source elsewhere, never a closed one, never who checked it; the guide's filters;
a number of queries that does not grow with the guide."""

import datetime
import json

import pytest
from django.utils import timezone

from home.models import CommunePage
from project_catalog.factories import ProjectPageFactory, seeded_category
from project_catalog.funding.factories import (
    FundingApplicationFactory,
    FundingSourceFactory,
    bulk_sources,
    guide_page,
)
from project_catalog.funding.models import (
    ApplicationStatus,
    FundingKind,
    FundingSource,
    Scope,
    Timing,
)
from tests.api_helpers import api_queries, get_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

PRIVATE = "Fonds communal d'Aubigny pour les associations"
SHARED = "Fonds de Bellecombe pour les fêtes"
GREEN = "Fonds vert — accélérer la transition écologique des territoires"
CLOSED = "Fonds vert 2024 (clos)"


def names(found):
    return sorted(item["name"] for item in found["results"])


@pytest.fixture
def network_guide(network_home):
    return guide_page(network_home, title="Le guide des financements", slug="financements")


@pytest.fixture
def sources(state, commune_a, commune_b):
    today = timezone.localdate()
    FundingSourceFactory(name=GREEN, financer=state, categories=[seeded_category()])
    FundingSourceFactory(
        name="Prêt d'amorçage",
        financer=state,
        kind=FundingKind.LOAN,
        timing=Timing.DATED,
        closes_on=today + datetime.timedelta(days=10),
    )
    FundingSourceFactory(
        name=PRIVATE,
        commune=commune_a,
        scope=Scope.TERRITORY,
        territory_name="Aubigny",
    )
    FundingSourceFactory(name=SHARED, commune=commune_b, shared=True)
    FundingSourceFactory(
        name=CLOSED, timing=Timing.DATED, closes_on=today - datetime.timedelta(days=1)
    )


def test_the_network_guides_sources_never_a_private_or_closed_one(client, sources, network_guide):
    found = get_json(client, "/api/v1/funding-sources/")
    assert names(found) == sorted([GREEN, "Prêt d'amorçage", SHARED])
    item = next(s for s in found["results"] if s["name"] == GREEN)
    source = FundingSource.objects.get(name=GREEN)
    assert item["url"].endswith(f"{network_guide.url}{source.slug}/")
    assert item["official_url"] == "https://www.example.gouv.fr/aide"
    assert item["state"] == "permanent"
    assert item["categories"] == [seeded_category().slug]
    assert "checked_by" not in item
    assert "local_notes" not in item
    assert item["aides_territoires_id"] is None
    for hidden in (PRIVATE, CLOSED):
        pk = FundingSource.objects.get(name=hidden).pk
        get_json(client, f"/api/v1/funding-sources/{pk}/", expect=404)


def test_a_communes_guide_shows_its_own_source_and_no_other_communes(
    client, sources, network_guide, commune_a, commune_b
):
    guide_page(commune_a)
    guide_page(commune_b)
    private = FundingSource.objects.get(name=PRIVATE)
    in_a = get_json(client, "/api/v1/funding-sources/", commune=commune_a.pk)
    assert PRIVATE in names(in_a)
    assert SHARED in names(in_a)
    item = next(s for s in in_a["results"] if s["name"] == PRIVATE)
    assert item["commune"] == {"id": commune_a.pk, "name": "Aubigny-les-Prés"}
    get_json(client, f"/api/v1/funding-sources/{private.pk}/", commune=commune_a.pk)
    assert PRIVATE not in names(get_json(client, "/api/v1/funding-sources/", commune=commune_b.pk))
    get_json(client, f"/api/v1/funding-sources/{private.pk}/", expect=404, commune=commune_b.pk)


def test_a_shared_source_leaves_with_its_commune_going_offline(
    client, sources, network_guide, commune_a, commune_b
):
    """Nothing of a commune not online is public: its shared source leaves the network's
    guide, the other communes' guides, the API and the site search."""
    guide_a = guide_page(commune_a)
    shared = FundingSource.objects.get(name=SHARED)
    assert SHARED in names(get_json(client, "/api/v1/funding-sources/"))
    pages = [
        guide.url + guide.reverse_subpage("source", args=[shared.slug])
        for guide in (network_guide, guide_a)
    ]
    assert [client.get(page).status_code for page in pages] == [200, 200]
    CommunePage.objects.get(pk=commune_b.pk).unpublish()
    for params in ({}, {"commune": commune_a.pk}):
        found = get_json(client, "/api/v1/funding-sources/", **params)
        assert SHARED not in names(found)
        assert "Bellecombe" not in json.dumps(found, ensure_ascii=False)
        get_json(client, f"/api/v1/funding-sources/{shared.pk}/", expect=404, **params)
    for guide in (network_guide, guide_a):
        assert SHARED not in client.get(guide.url).content.decode()
    assert [client.get(page).status_code for page in pages] == [404, 404]
    assert SHARED not in client.get("/recherche/", {"q": "Bellecombe fêtes"}).content.decode()
    # The network's own sources and commune A's stay.
    assert GREEN in names(get_json(client, "/api/v1/funding-sources/"))
    assert PRIVATE in names(get_json(client, "/api/v1/funding-sources/", commune=commune_a.pk))


def test_nothing_where_no_guide_is_published(client, sources, commune_a):
    assert get_json(client, "/api/v1/funding-sources/")["count"] == 0
    assert get_json(client, "/api/v1/funding-sources/", commune=commune_a.pk)["count"] == 0


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "loan"}, ["Prêt d'amorçage"]),
        ({"closing_within": "30"}, ["Prêt d'amorçage"]),
        ({"open": "true"}, sorted([GREEN, "Prêt d'amorçage", SHARED])),
        ({"category": "jardins-partages", "kind": "grant"}, sorted([GREEN, SHARED])),
        ({"q": "fonds vert"}, [GREEN]),
    ],
)
def test_the_guides_filters(client, sources, network_guide, params, expected):
    assert names(get_json(client, "/api/v1/funding-sources/", **params)) == expected


def test_wrong_filters_are_refused_in_french(client, sources, network_guide):
    errors = get_json(client, "/api/v1/funding-sources/", expect=400, closing_within="9999")
    assert "closing_within" in errors
    assert "kind" in get_json(client, "/api/v1/funding-sources/", expect=400, kind="don")


@pytest.mark.parametrize("value", ["peut-etre", "oui", "1", "True", "TRUE"])
def test_open_is_true_or_false_never_ignored(client, sources, network_guide, value):
    """A value that is not «true» or «false» was read as no filter at all (a 200 listing
    closed sources too), or as true («1», «True»)."""
    assert get_json(client, "/api/v1/funding-sources/", expect=400, open=value) == {
        "open": ["Indiquez true ou false."]
    }


def test_query_counts_stay_flat(client, network_guide, commune_a, state):
    guide_page(commune_a)
    requests = [
        {},
        {"commune": commune_a.pk, "q": "aide"},
        {"open": "true", "page": "2", "page_size": "3"},
    ]

    def grow(count):
        bulk_sources(count, financer=state)

    grow(10)
    small = [api_queries(client, "/api/v1/funding-sources/", params) for params in requests]
    grow(200)
    large = [api_queries(client, "/api/v1/funding-sources/", params) for params in requests]
    assert large == small, f"queries with 10 sources: {small}, with 210: {large}"


def test_a_projects_detail_has_the_funding_its_page_shows(client, state, commune_a):
    """Granted or paid applications, as the page's «Funding obtained»: never one being
    prepared, submitted or refused, nor what was requested."""
    project = ProjectPageFactory(commune=commune_a, title="Potager des écoliers")
    granted = FundingSourceFactory(name="Dotation de soutien", financer=state)
    FundingApplicationFactory(project=project, source=granted, granted=True, amount_granted=4000)
    FundingApplicationFactory(
        project=project,
        source=FundingSourceFactory(name="Fonds payé", financer=state),
        granted=True,
        status=ApplicationStatus.PAID,
        amount_granted=1500,
    )
    for status in (
        ApplicationStatus.PREPARING,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.REFUSED,
    ):
        FundingApplicationFactory(
            project=project,
            source=FundingSourceFactory(name=f"Demande {status}", financer=state),
            status=status,
            amount_requested=99_999,
        )
    detail = get_json(client, f"/api/v1/projects/{project.pk}/")
    obtained = {"financer": state.name}
    assert detail["funding_obtained"] == [  # by date of decision, then as recorded
        {"source": "Dotation de soutien", **obtained, "amount_granted": 4000, "paid": False},
        {"source": "Fonds payé", **obtained, "amount_granted": 1500, "paid": True},
    ]
    assert "99999" not in json.dumps(detail)
    page = client.get(project.url).content.decode()
    for item in detail["funding_obtained"]:
        assert item["source"] in page
    # Only in the detail: the list stays as light as it was.
    listed = get_json(client, "/api/v1/projects/")["results"]
    assert "funding_obtained" not in listed[0]
    # The OpenAPI document describes it.
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert "funding_obtained" in schema.content.decode()
