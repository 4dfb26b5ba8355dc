"""Funding sources in the site search (/recherche/): where a published guide shows them,
linked to their page in that guide; never a commune's private source outside its
commune, never a closed source, nothing where the guide is switched off."""

import datetime
import html

import pytest
from django.utils import timezone

from project_catalog.funding.factories import FundingSourceFactory, guide_page
from project_catalog.funding.models import FundingSource, Scope, Timing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


def found(client, q, **params):
    """{title: result} of the funding sources found."""
    response = client.get("/recherche/", {"q": q, **params})
    assert response.status_code == 200
    for group in response.context["groups"]:
        if group.kind.key == "funding":
            return {result.title: result for result in group.results}
    return {}


@pytest.fixture
def network_guide(network_home):
    return guide_page(network_home, title="Le guide des financements", slug="financements")


@pytest.fixture
def sources(state, commune_a, commune_b):
    FundingSourceFactory(
        name="Fonds vert — accélérer la transition écologique des territoires",
        summary="Rénovation énergétique, biodiversité, adaptation.",
        financer=state,
    )
    FundingSourceFactory(
        name="Dotation d'équipement des territoires ruraux (DETR)",
        summary="Investissements des communes rurales.",
        financer=state,
    )
    FundingSourceFactory(
        name="Dotation de soutien à l'investissement local (DSIL)",
        summary="Même appel annuel que la DETR.",
        financer=state,
    )
    FundingSourceFactory(
        name="Fonds communal d'Aubigny pour les associations",
        summary="Réservé aux associations d'Aubigny.",
        commune=commune_a,
        scope=Scope.TERRITORY,
        territory_name="Aubigny",
    )
    FundingSourceFactory(
        name="Fonds de Bellecombe pour les fêtes",
        summary="Partagé avec le réseau.",
        commune=commune_b,
        shared=True,
    )
    FundingSourceFactory(
        name="Fonds vert 2024 (clos)",
        summary="Appel terminé.",
        timing=Timing.DATED,
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )


def test_fonds_vert_and_detr_are_found_in_the_networks_guide(client, sources, network_guide, state):
    results = found(client, "fonds vert")
    assert list(results) == ["Fonds vert — accélérer la transition écologique des territoires"]
    source = FundingSource.objects.get(name__startswith="Fonds vert —")
    result = results[source.name]
    assert result.url == f"{network_guide.url}{source.slug}/"
    assert result.kind_label == "Source de financement"
    assert result.excerpt == "Rénovation énergétique, biodiversité, adaptation."
    assert result.detail == f"{state.name} · {Timing.PERMANENT.label}"
    page = client.get(result.url)
    assert page.status_code == 200
    assert source.name in html.unescape(page.content.decode())

    # DETR in its name ranks above a source that names it in its summary only.
    assert list(found(client, "DETR")) == [
        "Dotation d'équipement des territoires ruraux (DETR)",
        "Dotation de soutien à l'investissement local (DSIL)",
    ]
    assert list(found(client, "detr")) == list(found(client, "DETR"))
    # Accents and case do not matter.
    assert list(found(client, "EQUIPEMENT")) == [
        "Dotation d'équipement des territoires ruraux (DETR)"
    ]
    assert list(found(client, "écologique transition")) == list(results)


def test_private_sources_stay_in_their_commune(
    client, sources, network_guide, commune_a, commune_b
):
    guide_a = guide_page(commune_a)
    guide_page(commune_b)
    private = "Fonds communal d'Aubigny pour les associations"
    shared = "Fonds de Bellecombe pour les fêtes"
    # The network's search: the network's and shared sources, never a private one.
    assert set(found(client, "fonds")) == {
        "Fonds vert — accélérer la transition écologique des territoires",
        shared,
    }
    # Commune A's own guide shows its private source: so does its search, linked there.
    in_a = found(client, "fonds", commune=commune_a.pk)
    assert private in in_a
    assert shared in in_a
    assert in_a[private].commune == "Aubigny-les-Prés"
    assert in_a[private].url.startswith(guide_a.url)
    assert client.get(in_a[private].url).status_code == 200
    # Commune B never sees it.
    assert private not in found(client, "fonds", commune=commune_b.pk)
    assert private not in found(client, "aubigny associations", commune=commune_b.pk)


def test_closed_sources_are_left_out(client, sources, network_guide):
    assert "Fonds vert 2024 (clos)" not in found(client, "fonds vert")
    assert found(client, "appel termine") == {}


def test_nothing_where_the_guide_is_switched_off(client, sources, network_guide, commune_a):
    """Commune A has no guide: its search shows no funding source, though the network's
    sources would fit it."""
    assert found(client, "fonds vert", commune=commune_a.pk) == {}
    guide = guide_page(commune_a)
    assert list(found(client, "fonds vert", commune=commune_a.pk))
    guide.unpublish()
    assert found(client, "fonds vert", commune=commune_a.pk) == {}
    network_guide.unpublish()
    assert found(client, "fonds vert") == {}


def test_the_search_title_is_kept_on_save(sources):
    source = FundingSource.objects.get(name__startswith="Fonds vert —")
    assert source.search_title == "fonds vert accelerer la transition ecologique des territoires"
    source.name = "Fonds Vert, édition 2027"
    source.save(update_fields=["name"])
    source.refresh_from_db()
    assert source.search_title == "fonds vert edition 2027"
    assert source.search_text.startswith("fonds vert edition 2027 ")
