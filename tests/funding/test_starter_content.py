"""The funding guide's starter content: the national programmes, from the data file in the
funding sources' import format, through the import a coordinator uses."""

import csv

import pytest
from django.utils.translation import gettext, pgettext

from project_catalog.funding import starter_content
from project_catalog.funding.models import Financer, FundingSource, Scope
from project_catalog.funding.resources import COLUMN_HELP
from tests.import_helpers import post_file, preview_url_of, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_import_dir", "french")]

URL = "/admin/imports/funding/fundingsource/"


def file_rows():
    with starter_content.SOURCES_FILE.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file, delimiter=";"))


def snapshot():
    return sorted(
        (source.slug, source.name, source.summary, source.checked_on, source.financer_id)
        for source in FundingSource.objects.all()
    ) + sorted(Financer.objects.values_list("name", "website"))


def test_an_empty_network_gets_the_national_programmes(network_home):
    slugs = starter_content.load()

    sources = list(FundingSource.objects.order_by("slug"))
    assert len(sources) == len(slugs) == len(file_rows()) == 10
    for source in sources:
        source.full_clean()
        assert source.commune_id is None, source.slug  # network sources
        assert source.scope == Scope.NATIONAL, source.slug
        assert source.url.startswith("https://"), source.slug
        assert source.checked_by, source.slug
        assert source.how_to_apply, source.slug
        assert source.applicants.exists(), source.slug
    detr = FundingSource.objects.get(slug="detr")
    assert detr.name == "Dotation d'équipement des territoires ruraux (DETR)"
    assert detr.financer.name == "État — préfecture de département"
    assert detr.financer.level == Financer.Level.STATE
    assert not detr.categories.exists()  # every category
    msa = FundingSource.objects.get(slug="msa-appel-a-projets-jeunes")
    assert msa.financer.website == "https://www.msa.fr"
    # The calls with fixed dates leave this year's dates to the network.
    assert FundingSource.objects.get(slug="dsil").closes_on is None


def test_loading_twice_changes_nothing(network_home):
    starter_content.load()
    before = snapshot()

    assert starter_content.load() == []

    assert snapshot() == before


def test_a_source_the_network_edited_keeps_its_edits(network_home):
    starter_content.load()
    source = FundingSource.objects.get(slug="fonds-vert")
    source.amount_comment = "Enveloppe départementale : 1,2 M€ en 2027."
    source.save()

    starter_content.load()

    source.refresh_from_db()
    assert source.amount_comment == "Enveloppe départementale : 1,2 M€ en 2027."
    assert FundingSource.objects.count() == 10


def test_a_commune_source_with_the_same_identifier_is_left_alone(network_home, commune_a):
    """A commune's own source is never touched by an import: the starter row is skipped
    (an import would refuse it), the others load."""
    own = FundingSource.objects.create(
        slug="detr",
        name="Notre fiche DETR",
        summary="La fiche de la mairie.",
        financer=Financer.objects.create(name="Préfecture", level=Financer.Level.STATE),
        kind="grant",
        commune=commune_a,
    )

    slugs = starter_content.load()

    assert "detr" not in slugs
    assert len(slugs) == 9
    own.refresh_from_db()
    assert (own.name, own.commune_id) == ("Notre fiche DETR", commune_a.pk)


def test_the_data_file_imports_cleanly_through_the_admin(coordinator_client, network_home):
    content = starter_content.SOURCES_FILE.read_bytes()
    preview_url = preview_url_of(post_file(coordinator_client, URL, content, name="sources.csv"))
    page = text_of(coordinator_client.get(preview_url))
    assert page.count(str(pgettext("import row status", "New"))) >= 10
    assert str(pgettext("import row status", "Error")) not in page

    response = coordinator_client.post(preview_url)

    assert response.status_code == 302, text_of(response)[:2000]
    assert FundingSource.objects.filter(commune=None).count() == 10


# The financer's website, a column of the sources' import


def test_a_new_financer_gets_the_website_of_the_file(coordinator_client, network_home):
    row = file_rows()[0]
    header = ";".join(row)
    row.update(identifiant="", financeur="Fondation des villages", site_financeur="")
    rows = [
        dict(row, nom="Prix des villages", site_financeur="https://fondation.example.org"),
        dict(row, nom="Second prix des villages"),
    ]
    content = "\n".join(
        [header]
        + [
            ";".join(f'"{value}"' for value in (values or "" for values in r.values()))
            for r in rows
        ]
    )

    response = coordinator_client.post(preview_url_of(post_file(coordinator_client, URL, content)))

    assert response.status_code == 302, text_of(response)[:2000]
    financer = Financer.objects.get(name="Fondation des villages")
    assert financer.website == "https://fondation.example.org"
    assert FundingSource.objects.filter(financer=financer).count() == 2
    assert "site_financeur" in COLUMN_HELP


def test_a_bad_financer_website_is_an_error_of_its_column(coordinator_client, network_home):
    row = file_rows()[0]
    row.update(identifiant="", financeur="Fondation des villages", site_financeur="ftp://x")
    content = ";".join(row) + "\n" + ";".join(f'"{value}"' for value in row.values())

    page = text_of(
        coordinator_client.get(preview_url_of(post_file(coordinator_client, URL, content)))
    )

    prefix = gettext("Row %(row)s, column “%(column)s”: %(message)s") % {
        "row": 2,
        "column": "site_financeur",
        "message": "",
    }
    assert " ".join(prefix.split()) in " ".join(page.split())
    assert not Financer.objects.filter(name="Fondation des villages").exists()
