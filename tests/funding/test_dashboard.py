"""The funding guide in each commune's block of the admin dashboard
(project_catalog/funding/dashboard.py): the sources of the commune's guide whose deadline
falls within 30 days, and its applications still being prepared for one of them."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from home.onboarding import switch_module_on
from mprc_cms.dashboard import WARNING
from mprc_cms.modules import get_module
from project_catalog.factories import ProjectPageFactory, seeded_category
from project_catalog.funding.dashboard import (
    DEADLINE_DAYS,
    SOURCES_SHOWN,
    closing_sources,
    items,
)
from project_catalog.funding.factories import FundingApplicationFactory, FundingSourceFactory
from project_catalog.funding.models import ApplicationStatus, FundingSource, Scope
from project_catalog.funding.windows import Timing
from tests.dashboard_helpers import assert_flat_queries, block_of, dashboard, new_commune, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

TODAY = timezone.localdate()


def closing(days, **fields):
    """A dated source of the network closing ``days`` days from today."""
    fields.setdefault("name", f"Appel à projets J+{days}")
    return FundingSource.objects.get(
        pk=FundingSourceFactory(
            timing=Timing.DATED,
            opens_on=TODAY - datetime.timedelta(days=60),
            closes_on=TODAY + datetime.timedelta(days=days),
            **fields,
        ).pk
    )


def item_of(commune, user, label):
    found = [item for item in items([commune], user, TODAY)[commune.pk] if item.label == label]
    return found[0] if found else None


def closes_on(days):
    return gettext("closes on %(date)s") % {
        "date": date_format(TODAY + datetime.timedelta(days=days), "DATE_FORMAT")
    }


def test_the_sources_closing_within_30_days_nearest_first(client_a, guide_a, commune_a, commune_b):
    later = closing(25, name="Fonds vert")
    soon = closing(3, name="Petites villes de demain")
    closing(DEADLINE_DAYS + 1, name="Trop tard pour le tableau")
    closing(-1, name="Déjà close")
    FundingSourceFactory(name="Toute l'année")
    content = dashboard(client_a)
    block = block_of(content, commune_a)
    text = ngettext(
        "%(count)s source of the guide closes within %(days)s days",
        "%(count)s sources of the guide close within %(days)s days",
        2,
    ) % {"count": 2, "days": DEADLINE_DAYS}
    assert text in text_of(block)
    words = text_of(block)
    assert words.index(f"{soon.name} — {closes_on(3)}") < words.index(
        f"{later.name} — {closes_on(25)}"
    )
    assert f'href="{reverse("funding_sources:inspect", args=[soon.pk])}"' in block
    for name in ("Trop tard pour le tableau", "Déjà close", "Toute l'année"):
        assert name not in block


def test_only_the_sources_of_the_communes_guide(editor_a, guide_a, commune_a, commune_b):
    closing(10, name="Privée de Bellecombe", commune=commune_b)
    closing(10, name="Partagée par Bellecombe", commune=commune_b, shared=True)
    closing(10, name="Privée d'Aubigny", commune=commune_a)
    closing(10, name="Région ailleurs", scope=Scope.REGION, region="84")
    closing(10, name="Saône-et-Loire", scope=Scope.DEPARTMENT, department="71")
    closing(
        10,
        name="Territoire de Bellecombe",
        scope=Scope.TERRITORY,
        territory_name="LEADER",
        territory_communes=[commune_b],
    )
    item = item_of(commune_a, editor_a, gettext("Funding deadlines"))
    names = {link.text for link in item.links}
    assert names == {"Partagée par Bellecombe", "Privée d'Aubigny", "Saône-et-Loire"}


def test_the_guide_rule_is_the_querysets(commune_a, commune_b):
    """``in_guide_of`` lists, for every commune, what ``FundingSource.objects.for_commune``
    lists: every owner, sharing and scope combined."""
    owners = (None, commune_a, commune_b)
    scopes = (
        {"scope": Scope.NATIONAL},
        {"scope": Scope.REGION, "region": "27"},
        {"scope": Scope.REGION, "region": "84"},
        {"scope": Scope.DEPARTMENT, "department": "71"},
        {"scope": Scope.DEPARTMENT, "department": "21"},
        {"scope": Scope.TERRITORY, "territory_name": "Pays"},
        {"scope": Scope.TERRITORY, "territory_name": "Pays", "territory_communes": [commune_a]},
        {"scope": Scope.TERRITORY, "territory_name": "Pays", "territory_communes": [commune_b]},
    )
    for number, (owner, shared, scope) in enumerate(
        itertools.product(owners, (False, True), scopes)
    ):
        closing(5 + number % 20, name=f"Source {number}", commune=owner, shared=shared, **scope)
    listed = closing_sources([commune_a, commune_b], TODAY)
    for commune in (commune_a, commune_b):
        expected = set(
            FundingSource.objects.for_commune(commune)
            .filter(window_end__lte=TODAY + datetime.timedelta(days=DEADLINE_DAYS))
            .values_list("pk", flat=True)
        )
        assert {source.pk for source in listed[commune.pk]} == expected
        assert expected


def test_no_deadline_is_said(editor_a, guide_a, commune_a):
    item = item_of(commune_a, editor_a, gettext("Funding deadlines"))
    assert item.text == gettext("No deadline within %(days)s days") % {"days": DEADLINE_DAYS}
    assert item.url.startswith(reverse("funding_sources:index"))


def test_at_most_a_few_sources_are_named(editor_a, guide_a, commune_a):
    for number in range(SOURCES_SHOWN + 2):
        closing(number + 1)
    item = item_of(commune_a, editor_a, gettext("Funding deadlines"))
    assert len(item.links) == SOURCES_SHOWN
    assert str(SOURCES_SHOWN + 2) in item.text


def test_applications_being_prepared_for_a_near_deadline(
    client_a, editor_a, guide_a, commune_a, commune_b
):
    project = ProjectPageFactory(
        commune=commune_a, title="Jardin partagé", category=seeded_category()
    )
    near = closing(12, name="Fonds du jardin")
    far = closing(80, name="Fonds lointain")
    preparing = FundingApplicationFactory(project=project, source=near)
    FundingApplicationFactory(project=project, source=far)
    FundingApplicationFactory(
        project=project,
        source=closing(8, name="Déjà déposé"),
        status=ApplicationStatus.SUBMITTED,
        submitted_on=TODAY,
    )
    item = item_of(commune_a, editor_a, gettext("Applications to submit"))
    assert item.level == WARNING
    assert [link.url for link in item.links] == [
        reverse("funding_applications:edit", args=[preparing.pk])
    ]
    assert item.links[0].detail == closes_on(12)
    assert f"commune={commune_a.pk}" in item.url
    block = block_of(dashboard(client_a), commune_a)
    assert "Jardin partagé — Fonds du jardin" in text_of(block)
    assert gettext("To do:") in block


def test_staff_see_only_their_communes_applications(
    client_b, guide_a, guide_b, commune_a, commune_b
):
    project = ProjectPageFactory(commune=commune_a, title="Four à pain", category=seeded_category())
    FundingApplicationFactory(project=project, source=closing(12, name="Fonds du four"))
    content = dashboard(client_b)
    assert "Four à pain" not in content
    assert block_of(content, commune_a) == ""
    assert gettext("Applications to submit") not in text_of(block_of(content, commune_b))


def test_the_dashboard_costs_the_same_queries_for_one_or_five_guides(
    coordinator_client, network_home, django_assert_max_num_queries
):
    closing(4, name="Nationale")
    closing(6, name="Départementale", scope=Scope.DEPARTMENT, department="71")

    def add_commune(number):
        commune = new_commune(number + 500)
        for key in ("projects", "funding"):
            switch_module_on(commune, get_module(key))
        closing(9, name=f"Propre {number}", commune=commune)
        closing(
            11,
            name=f"Territoire {number}",
            scope=Scope.TERRITORY,
            territory_name="Pays",
            territory_communes=[commune],
        )
        project = ProjectPageFactory(
            commune=commune, title=f"Projet {number}", category=seeded_category()
        )
        FundingApplicationFactory(project=project, source=closing(13, name=f"Dossier {number}"))

    content = assert_flat_queries(coordinator_client, add_commune, django_assert_max_num_queries)
    assert content.count("Départementale") == 5
