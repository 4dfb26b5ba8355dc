"""The public guide: what a commune's guide shows, its filters, its sort and its pages."""

import datetime

import pytest
from django.utils import timezone

from project_catalog.factories import ProjectCategoryFactory, seeded_category
from project_catalog.funding.factories import (
    FundingSourceFactory,
    applicant_type,
    guide_page,
)
from project_catalog.funding.models import FundingKind, Scope, Timing
from tests.funding.helpers import funding_context, funding_sections

TODAY = timezone.localdate


def days(count):
    return TODAY() + datetime.timedelta(days=count)


def names(response):
    return [source.name for source in response.context["items_page"].object_list]


# What a commune's guide shows ------------------------------------------------------------


def test_network_sources_and_own_private_sources(client, guide_a, guide_b, commune_a, commune_b):
    FundingSourceFactory(name="Réseau")
    FundingSourceFactory(name="Privée de A", commune=commune_a)
    FundingSourceFactory(name="Privée de B", commune=commune_b)
    FundingSourceFactory(name="Partagée par B", commune=commune_b, shared=True)
    assert sorted(names(client.get(guide_a.url))) == ["Partagée par B", "Privée de A", "Réseau"]
    assert sorted(names(client.get(guide_b.url))) == ["Partagée par B", "Privée de B", "Réseau"]


def test_private_source_of_another_commune_has_no_page_there(client, guide_a, guide_b, commune_b):
    source = FundingSourceFactory(name="Appel local de B", commune=commune_b)
    assert client.get(guide_b.url + f"{source.slug}/").status_code == 200
    response = client.get(guide_a.url + f"{source.slug}/")
    assert response.status_code == 404
    assert "Appel local de B" not in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"scope": Scope.NATIONAL}, True),
        ({"scope": Scope.REGION, "region": "27"}, True),  # Bourgogne-Franche-Comté
        ({"scope": Scope.REGION, "region": "84"}, False),
        ({"scope": Scope.DEPARTMENT, "department": "71"}, True),  # Saône-et-Loire
        ({"scope": Scope.DEPARTMENT, "department": "21"}, False),
        ({"scope": Scope.TERRITORY, "territory_name": "GAL du Charolais"}, False),
    ],
)
def test_geographic_scope(client, guide_a, fields, shown):
    FundingSourceFactory(name="Aide", **fields)
    assert (names(client.get(guide_a.url)) == ["Aide"]) is shown


def test_territory_covers_the_communes_listed(client, guide_a, guide_b, commune_a, commune_b):
    FundingSourceFactory(
        name="LEADER", scope=Scope.TERRITORY, territory_name="GAL", territory_communes=[commune_b]
    )
    FundingSourceFactory(
        name="Appel de la communauté de communes",
        scope=Scope.TERRITORY,
        territory_name="CC",
        commune=commune_a,
    )
    assert names(client.get(guide_a.url)) == ["Appel de la communauté de communes"]
    assert names(client.get(guide_b.url)) == ["LEADER"]


def test_network_guide_lists_shared_sources_of_every_area(client, network_home, commune_a):
    guide = guide_page(network_home, slug="guide-des-financements")
    FundingSourceFactory(name="Régionale ailleurs", scope=Scope.REGION, region="84")
    FundingSourceFactory(name="Partagée", commune=commune_a, shared=True)
    FundingSourceFactory(name="Privée", commune=commune_a)
    assert sorted(names(client.get(guide.url))) == ["Partagée", "Régionale ailleurs"]


def test_closed_sources_leave_the_guide(client, guide_a):
    FundingSourceFactory(name="Close", timing=Timing.DATED, closes_on=days(-1))
    FundingSourceFactory(name="Dernier jour", timing=Timing.DATED, closes_on=days(0))
    assert names(client.get(guide_a.url)) == ["Dernier jour"]


# Filters ---------------------------------------------------------------------------------


@pytest.fixture
def sources():
    gardens = seeded_category("jardins-partages")
    other = ProjectCategoryFactory(slug="fetes", name="Fêtes")
    associations = applicant_type("associations")
    communes = applicant_type("communes")
    return {
        "garden grant open": FundingSourceFactory(
            name="Jardins solidaires",
            kind=FundingKind.GRANT,
            categories=[gardens],
            applicants=[associations],
            timing=Timing.DATED,
            closes_on=days(90),
        ),
        "garden grant soon": FundingSourceFactory(
            name="Potagers en fête",
            kind=FundingKind.GRANT,
            categories=[gardens],
            applicants=[communes, associations],
            timing=Timing.DATED,
            closes_on=days(10),
        ),
        "garden call upcoming": FundingSourceFactory(
            name="Appel nature",
            kind=FundingKind.CALL,
            categories=[gardens],
            applicants=[communes],
            timing=Timing.DATED,
            opens_on=days(20),
            closes_on=days(120),
        ),
        "any grant permanent": FundingSourceFactory(
            name="Dotation générale",
            kind=FundingKind.GRANT,
            applicants=[communes],
            timing=Timing.PERMANENT,
        ),
        "festival loan": FundingSourceFactory(
            name="Prêt festif",
            kind=FundingKind.LOAN,
            categories=[other],
            applicants=[communes],
            scope=Scope.DEPARTMENT,
            department="71",
            timing=Timing.PERMANENT,
        ),
    }


JS, PF, AN, DG, PR = (
    "Jardins solidaires",  # grant, gardens, associations, open 90 days
    "Potagers en fête",  # grant, gardens, communes and associations, closes in 10 days
    "Appel nature",  # call, gardens, communes, opens in 20 days
    "Dotation générale",  # grant, every category, communes, permanent
    "Prêt festif",  # loan, festivals, communes, department, permanent
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("categorie=jardins-partages", {JS, PF, AN, DG}),
        ("nature=grant", {JS, PF, DG}),
        ("porteur=associations", {JS, PF}),
        ("portee=department", {PR}),
        ("quand=ouvert", {JS, PF, DG, PR}),
        ("quand=bientot-clos", {PF}),
        ("quand=permanent", {DG, PR}),
        # Combinations: open grants for shared gardens; closing soon for associations…
        ("categorie=jardins-partages&nature=grant&quand=ouvert", {JS, PF, DG}),
        ("categorie=jardins-partages&nature=call&quand=ouvert", set()),
        ("categorie=jardins-partages&nature=call", {AN}),
        ("porteur=communes&quand=bientot-clos", {PF}),
        ("categorie=fetes&porteur=communes&quand=permanent", {DG, PR}),
        ("categorie=fetes&nature=loan&portee=national", set()),
        ("porteur=associations&quand=ouvert&q=jardins", {JS}),
    ],
)
def test_filters_and_their_combinations(client, guide_a, sources, query, expected):
    response = client.get(f"{guide_a.url}?{query}")
    assert response.status_code == 200
    assert set(names(response)) == expected


def test_search_ignores_accents_and_case(client, guide_a, sources):
    assert names(client.get(guide_a.url + "?q=POTAGERS+fete")) == ["Potagers en fête"]
    assert names(client.get(guide_a.url + "?q=potagers+noel")) == []


def test_unknown_values_are_reported_and_ignored(client, guide_a, sources):
    response = client.get(guide_a.url + "?categorie=inconnue&nature=don&quand=hier&tri=x")
    assert response.status_code == 200
    form = response.context["filter_form"]
    assert set(form.errors) == {"categorie", "nature", "quand", "tri"}
    assert len(names(response)) == len(sources)
    assert 'aria-describedby="filter-nature-error"' in response.content.decode()


def test_default_sort_open_first_nearest_deadline_first(client, guide_a, sources):
    assert names(client.get(guide_a.url)) == [
        "Potagers en fête",  # closes in 10 days
        "Jardins solidaires",  # in 90 days
        "Dotation générale",  # no deadline
        "Prêt festif",
        "Appel nature",  # opens later
    ]


def test_sort_by_name_and_by_check(client, guide_a, sources):
    assert names(client.get(guide_a.url + "?tri=nom"))[:2] == ["Appel nature", "Dotation générale"]
    sources["festival loan"].checked_on = days(1)
    sources["festival loan"].save()
    assert names(client.get(guide_a.url + "?tri=verification"))[0] == "Prêt festif"


def test_filters_stay_in_the_page_links_and_the_feed_link(client, guide_a):
    for number in range(25):
        FundingSourceFactory(name=f"Aide {number:02d}", timing=Timing.PERMANENT)
    response = client.get(guide_a.url + "?nature=grant&quand=permanent")
    content = response.content.decode()
    assert len(names(response)) == 20
    assert "nature=grant&amp;quand=permanent&amp;page=2" in content
    assert response.context["feed_url"].endswith("echeances/?nature=grant")
    assert names(client.get(guide_a.url + "?nature=grant&quand=permanent&page=2")) == [
        "Aide 20",
        "Aide 21",
        "Aide 22",
        "Aide 23",
        "Aide 24",
    ]


# A source's page ---------------------------------------------------------------------------


def test_source_page_shows_what_a_commune_needs(client, guide_a):
    source = FundingSourceFactory(
        name="Fonds d'aide aux jardins",
        co_financers="Fondation des jardins",
        applicants=[applicant_type("associations")],
        categories=[seeded_category("jardins-partages")],
        amount_min=1000,
        amount_max=15000,
        rate_max=80,
        amount_comment="Selon le nombre d'habitants.",
        timing=Timing.YEARLY,
        opens_on=datetime.date(2020, 11, 1),
        closes_on=datetime.date(2021, 1, 31),
        how_to_apply="Déposer le dossier sur la plateforme.",
        url="https://www.example.gouv.fr/jardins",
        contact="Bureau des subventions",
        checked_on=datetime.date(2026, 11, 20),
        checked_by="Coordination du réseau",
    )
    response = client.get(guide_a.url + f"{source.slug}/")
    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Fonds d&#x27;aide aux jardins",
        "Fondation des jardins",
        "Associations",
        "Déposer le dossier sur la plateforme.",
        'href="https://www.example.gouv.fr/jardins"',
        "Bureau des subventions",
        "Coordination du réseau",
        "Selon le nombre d&#x27;habitants.",
    ):
        assert text in content
    assert response.context["subpage_title"] == source.name


def test_unknown_source_is_404(client, guide_a):
    assert client.get(guide_a.url + "inconnue/").status_code == 404


# The project page ----------------------------------------------------------------------------


def test_project_page_lists_possible_funding_open_first(client, guide_a, garden_project):
    FundingSourceFactory(name="Permanente", timing=Timing.PERMANENT)
    FundingSourceFactory(name="Bientôt close", timing=Timing.DATED, closes_on=days(5))
    FundingSourceFactory(
        name="Pas encore ouverte", timing=Timing.DATED, opens_on=days(5), closes_on=days(50)
    )
    FundingSourceFactory(name="Fêtes", categories=[ProjectCategoryFactory(slug="fetes")])
    FundingSourceFactory(name="Close", timing=Timing.DATED, closes_on=days(-5))
    response = client.get(garden_project.url)
    possible = [source.name for source in funding_context(response, "funding-possible")["possible"]]
    assert possible == ["Bientôt close", "Permanente", "Pas encore ouverte"]
    assert "?categorie=jardins-partages" in response.content.decode()


def test_project_page_without_guide_shows_no_possible_funding(client, garden_project):
    FundingSourceFactory(name="Permanente")
    response = client.get(garden_project.url)
    assert list(funding_sections(response)) == []
    assert "Permanente" not in response.content.decode()


def test_project_page_private_source_of_another_commune_is_not_possible(
    client, guide_a, garden_project, commune_b
):
    FundingSourceFactory(name="Privée de B", commune=commune_b)
    response = client.get(garden_project.url)
    assert funding_context(response, "funding-possible")["possible"] == []


def test_project_page_shows_funding_obtained_only(client, garden_project):
    from project_catalog.funding.factories import FundingApplicationFactory
    from project_catalog.funding.models import ApplicationStatus

    granted = FundingSourceFactory(name="Dotation rurale")
    FundingApplicationFactory(project=garden_project, source=granted, granted=True)
    paid = FundingSourceFactory(name="Fonds des jardins")
    FundingApplicationFactory(
        project=garden_project,
        source=paid,
        granted=True,
        status=ApplicationStatus.PAID,
        amount_granted=1500,
        paid_on=days(-1),
    )
    FundingApplicationFactory(
        project=garden_project,
        source=FundingSourceFactory(name="Demande refusée"),
        status=ApplicationStatus.REFUSED,
        submitted_on=days(-30),
        decided_on=days(-2),
    )
    FundingApplicationFactory(
        project=garden_project, source=FundingSourceFactory(name="En préparation")
    )
    response = client.get(garden_project.url)
    content = response.content.decode()
    assert "Dotation rurale" in content
    assert "Fonds des jardins" in content
    assert "Demande refusée" not in content
    assert "En préparation" not in content
    assert funding_context(response, "funding-obtained")["total"] == 5500
    assert list(funding_sections(response)) == ["funding-obtained"]
