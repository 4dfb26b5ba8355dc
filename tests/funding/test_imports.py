"""Funding sources through the shared import and export views: network sources go from
one network to another unchanged, a bad file writes nothing, a commune's own sources are
never exported nor touched."""

import csv
import datetime
import io
import re

import pytest
from django.utils.translation import gettext, gettext_lazy, pgettext
from openpyxl import load_workbook
from wagtail.models import PageLogEntry

from mprc_cms.imports.reading import formula_message
from mprc_cms.imports.widgets import ChoiceWidget
from project_catalog.factories import seeded_category
from project_catalog.funding.factories import (
    FinancerFactory,
    FundingSourceFactory,
    applicant_type,
)
from project_catalog.funding.models import (
    ApplicantType,
    Financer,
    FundingKind,
    FundingSource,
    Scope,
    Timing,
)
from tests.import_helpers import post_file, preview_url_of, text_of, xlsx
from tests.project_catalog.helpers import assert_permission_denied

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_import_dir", "french")]

URL = "/admin/imports/funding/fundingsource/"
EXPORT_URL = f"{URL}export/"


def import_file(client, content, name="sources.csv"):
    """Upload, look at the preview, confirm: the confirmation's response."""
    preview_url = preview_url_of(post_file(client, URL, content, name=name))
    assert client.get(preview_url).status_code == 200
    return client.post(preview_url)


def row_error(row, column, message=""):
    """“Ligne 3, colonne « x » : …” as the French interface writes it."""
    return gettext("Row %(row)s, column “%(column)s”: %(message)s") % {
        "row": row,
        "column": column,
        "message": message,
    }


def errors_of(page):
    """The errors the preview lists, for a failing test's message."""
    return re.findall(r"<li>([^<]*)</li>", page.split("help-critical", 1)[-1])


def csv_text(rows):
    """A semicolon CSV (as French Excel saves it) from dicts, blank where a row has no value."""
    columns = list(dict.fromkeys(column for row in rows for column in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def exported_rows(body, file_format):
    if file_format == "csv":
        return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def content_of(source):
    """Everything a file carries from one network to another."""
    return {
        "slug": source.slug,
        "name": source.name,
        "summary": source.summary,
        "financer": (source.financer.name, source.financer.level),
        "co_financers": source.co_financers,
        "kind": source.kind,
        "applicants": sorted(source.applicants.values_list("slug", flat=True)),
        "categories": sorted(source.categories.values_list("slug", flat=True)),
        "themes": source.themes,
        "area": (source.scope, source.region, source.department, source.territory_name),
        "covers": (source.covers_investment, source.covers_operating, source.covers_studies),
        "amounts": (source.amount_min, source.amount_max, source.rate_min, source.rate_max),
        "amount_comment": source.amount_comment,
        "dates": (source.timing, source.opens_on, source.closes_on),
        "description": source.description,
        "how_to_apply": source.how_to_apply,
        "url": source.url,
        "contact": source.contact,
        "checked": (source.checked_on, source.checked_by),
        "commune": source.commune_id,
    }


def good_row(**values):
    row = {
        "identifiant": "",
        "nom": "Fonds pour les tiers-lieux",
        "resume": "Une aide au démarrage des tiers-lieux ruraux.",
        "financeur": "État — préfecture de département",
        "nature": "grant",
    }
    row.update(values)
    return row


@pytest.fixture
def every_field_sources(commune_a):
    """Two network sources using every column, and a commune's own source."""
    region = FinancerFactory(name="Région Bourgogne-Franche-Comté", level=Financer.Level.REGION)
    msa = FinancerFactory(name="MSA; caisse centrale", level=Financer.Level.SOCIAL_PROTECTION)
    regional = FundingSourceFactory(
        name="Tiers-lieux en région",
        slug="tiers-lieux-en-region",
        summary="Aide régionale; pour « les » tiers-lieux.\nSur deux lignes.",
        financer=region,
        co_financers="ANCT, Banque des Territoires",
        kind=FundingKind.CALL,
        applicants=[applicant_type("communes"), applicant_type("associations")],
        categories=[seeded_category("tiers-lieux-ruraux"), seeded_category("jardins-partages")],
        themes="lien social, numérique",
        scope=Scope.REGION,
        region="27",
        covers_investment=True,
        covers_operating=True,
        covers_studies=False,
        amount_min=5000,
        amount_max=150000,
        rate_min=20,
        rate_max=80,
        amount_comment="Plafond par projet ; voir le règlement.",
        timing=Timing.DATED,
        opens_on=datetime.date(2026, 3, 1),
        closes_on=datetime.date(2026, 6, 30),
        description="Travaux, équipement, animation la première année.",
        how_to_apply="Dépôt en ligne sur le portail de la Région.",
        url="https://www.bourgognefranchecomte.fr/aides",
        contact="Service aménagement du territoire",
        checked_on=datetime.date(2026, 2, 15),
        checked_by="Camille, coordination",
    )
    youth = FundingSourceFactory(
        name="Appel à projets jeunes",
        slug="appel-jeunes",
        financer=msa,
        kind=FundingKind.PRIZE,
        applicants=[applicant_type("jeunes")],
        scope=Scope.DEPARTMENT,
        department="2A",
        covers_investment=False,
        covers_studies=True,
        timing=Timing.YEARLY,
        opens_on=datetime.date(2025, 11, 1),
        closes_on=datetime.date(2026, 1, 31),
        url="",
        checked_by="",
    )
    own = FundingSourceFactory(
        name="Aide locale d'Aubigny", slug="aide-locale-aubigny", commune=commune_a
    )
    return regional, youth, own


# Export, then import into another network


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged_into_an_empty_network(
    coordinator_client, every_field_sources, file_format
):
    regional, youth, own = every_field_sources
    expected = {source.slug: content_of(source) for source in (regional, youth)}

    page = text_of(coordinator_client.get(EXPORT_URL))
    assert "Tiers-lieux en région" in page
    assert own.name not in page  # not even offered
    response = coordinator_client.post(
        EXPORT_URL, {"format": file_format, "selection": [regional.pk, youth.pk]}
    )
    assert response.status_code == 200
    exported = response.content
    rows = exported_rows(exported, file_format)
    assert [row["identifiant"] for row in rows] == ["appel-jeunes", "tiers-lieux-en-region"]
    regional_row = rows[1]
    assert regional_row["porteurs"] == "Communes; Associations"
    assert regional_row["region"] == "Bourgogne-Franche-Comté"
    assert regional_row["ouverture"] == "2026-03-01"
    assert regional_row["investissement"] == gettext("yes")
    assert "territory_communes" not in rows[0]
    assert rows[0]["financeur"] == "MSA; caisse centrale"
    assert PageLogEntry.objects.filter(action="mprc.export").count() == 1

    # Another network: none of these sources, nor their financers.
    FundingSource.objects.filter(commune__isnull=True).delete()
    Financer.objects.exclude(pk=own.financer_id).delete()
    response = import_file(coordinator_client, exported, name=f"sources.{file_format}")
    assert response.status_code == 302

    imported = FundingSource.objects.filter(commune__isnull=True)
    assert {source.slug: content_of(source) for source in imported} == expected
    own.refresh_from_db()
    assert own.commune_id is not None
    entry = PageLogEntry.objects.get(action="mprc.import")
    assert (entry.data["created"], entry.data["updated"]) == (2, 0)


def test_a_communes_source_is_never_exported(coordinator_client, every_field_sources):
    _regional, _youth, own = every_field_sources
    response = coordinator_client.post(EXPORT_URL, {"format": "csv", "selection": [own.pk]})
    assert response.status_code == 200
    assert "Content-Disposition" not in response  # the form again, with its error
    assert not PageLogEntry.objects.filter(action="mprc.export").exists()


def test_editors_cannot_import_or_export_sources(client_a, every_field_sources):
    before = [content_of(source) for source in FundingSource.objects.order_by("pk")]
    assert_permission_denied(client_a.get(URL))
    assert_permission_denied(client_a.get(f"{URL}template.csv"))
    assert_permission_denied(post_file(client_a, URL, csv_text([good_row()])))
    assert_permission_denied(client_a.get(EXPORT_URL))
    assert_permission_denied(client_a.post(EXPORT_URL, {"format": "csv"}))
    assert [content_of(source) for source in FundingSource.objects.order_by("pk")] == before
    assert not PageLogEntry.objects.filter(action="mprc.export").exists()


# Updates and new sources


def test_a_known_identifiant_updates_the_network_source(coordinator_client, state, commune_a):
    source = FundingSourceFactory(
        name="Fonds vert",
        slug="fonds-vert",
        financer=state,
        applicants=[applicant_type("communes")],
        categories=[seeded_category("covoiturage-local")],
        scope=Scope.TERRITORY,
        territory_name="Pays du Charolais",
        territory_communes=[commune_a],
        checked_on=datetime.date(2025, 1, 10),
    )
    content = csv_text(
        [
            good_row(
                identifiant="FONDS-VERT",
                nom="Fonds vert",
                resume="Résumé corrigé.",
                porteurs="communes; intercommunalites",
                categories="",
                portee="territory",
                territoire="Pays du Charolais-Brionnais",
                verifie_le="",
            ),
            good_row(identifiant="", nom="Fonds vert"),
        ]
    )
    preview_url = preview_url_of(post_file(coordinator_client, URL, content))
    rows = text_of(coordinator_client.get(preview_url)).split("<tbody>")[-1]
    assert f"<td>{pgettext('import row status', 'Update')}</td>" in rows
    assert f"<td>{pgettext('import row status', 'New')}</td>" in rows
    assert coordinator_client.post(preview_url).status_code == 302

    source.refresh_from_db()
    assert source.summary == "Résumé corrigé."
    assert sorted(source.applicants.values_list("slug", flat=True)) == [
        "communes",
        "intercommunalites",
    ]
    assert not source.categories.exists()
    assert source.territory_name == "Pays du Charolais-Brionnais"
    # The communes of the territory are not in the file: the update keeps them.
    assert list(source.territory_communes.all()) == [commune_a]
    assert source.checked_on == datetime.date(2025, 1, 10)  # a blank cell keeps it
    # The blank identifiant: a new source, its slug made from its name.
    assert FundingSource.objects.get(slug="fonds-vert-2").summary == good_row()["resume"]
    assert FundingSource.objects.count() == 2


def test_the_preview_creates_no_financer(coordinator_client):
    content = csv_text(
        [
            good_row(
                financeur="Fondation des villages",
                niveau_financeur=str(Financer.Level.FOUNDATION.label),
            ),
            good_row(nom="Autre appel", financeur="FONDATION DES VILLAGES"),
        ]
    )
    preview_url = preview_url_of(post_file(coordinator_client, URL, content))
    preview = text_of(coordinator_client.get(preview_url))
    assert f"<td>{pgettext('import row status', 'New')}</td>" in preview
    assert not Financer.objects.exists()
    assert not FundingSource.objects.exists()

    assert coordinator_client.post(preview_url).status_code == 302
    financer = Financer.objects.get()
    assert (financer.name, financer.level) == ("Fondation des villages", "foundation")
    assert FundingSource.objects.filter(financer=financer).count() == 2


def test_labels_and_codes_are_both_accepted(coordinator_client, state):
    content = csv_text(
        [
            good_row(
                nom="Par les libellés",
                financeur=state.name.upper(),
                nature=str(FundingKind.LOAN.label),
                porteurs="Associations;Collectifs d'habitants",
                categories="Jardins partagés; Échanges de services",
                portee=str(Scope.DEPARTMENT.label),
                departement="Saone et Loire",
                calendrier=str(Timing.YEARLY.label),
                cloture="31/01/2027",
                investissement="oui",
                fonctionnement="x",
                etudes="non",
            ),
            good_row(
                nom="Par les codes",
                nature="loan",
                porteurs="associations; collectifs-habitants",
                categories="jardins-partages;echanges-de-services",
                portee="department",
                departement="71",
                calendrier="yearly",
                cloture="2027-01-31",
                investissement="1",
                fonctionnement="vrai",
                etudes="0",
            ),
            good_row(
                nom="Variantes",
                nature="Loan",  # the English label, whatever the interface's language
                portee="region",
                region="bourgogne-franche-comte",
                investissement="yes",
                fonctionnement="x",
                etudes="",
            ),
            good_row(nom="Région par son code", portee="Region", region="27"),
            # A financer's level in the other language, or without its accents.
            good_row(nom="Agence", financeur="Agence A", niveau_financeur="State"),
            good_row(nom="Ministère", financeur="Ministère B", niveau_financeur="etat"),
            good_row(nom="Département sans zéro", portee="department", departement="1"),
        ]
    )
    assert import_file(coordinator_client, content).status_code == 302
    by_labels = FundingSource.objects.get(name="Par les libellés")
    by_codes = FundingSource.objects.get(name="Par les codes")
    for source in (by_labels, by_codes):
        assert source.financer == state
        assert source.kind == FundingKind.LOAN
        assert sorted(source.applicants.values_list("slug", flat=True)) == [
            "associations",
            "collectifs-habitants",
        ]
        assert sorted(source.categories.values_list("slug", flat=True)) == [
            "echanges-de-services",
            "jardins-partages",
        ]
        assert (source.scope, source.department) == (Scope.DEPARTMENT, "71")
        assert (source.timing, source.closes_on) == (Timing.YEARLY, datetime.date(2027, 1, 31))
        assert (source.covers_investment, source.covers_operating, source.covers_studies) == (
            True,
            True,
            False,
        )
    variants = FundingSource.objects.get(name="Variantes")
    assert (variants.kind, variants.scope, variants.region) == ("loan", "region", "27")
    assert (variants.covers_investment, variants.covers_operating) == (True, True)
    assert not variants.covers_studies
    assert FundingSource.objects.get(name="Région par son code").region == "27"
    assert FundingSource.objects.get(name="Département sans zéro").department == "01"
    assert Financer.objects.exclude(name__in=["Agence A", "Ministère B"]).get() == state
    assert set(
        Financer.objects.filter(name__in=["Agence A", "Ministère B"]).values_list(
            "level", flat=True
        )
    ) == {Financer.Level.STATE}


def test_dates_and_amounts_as_people_write_them(coordinator_client, state):
    header = ["nom", "resume", "financeur", "nature", "ouverture", "cloture", "verifie_le"]
    header += ["montant_min", "montant_max", "taux_max"]
    typed = ["Aide datée", "Résumé.", state.name, "grant", "01/03/2026", "30/04/2026"]
    typed += ["15/02/2026", "1 500 €", "15.000", "80 %"]
    native = ["Aide du tableur", "Résumé.", state.name, "grant", datetime.datetime(2026, 5, 4)]
    native += [datetime.date(2026, 6, 5), "", 0, 2500, 50]
    content = xlsx([header, typed, native])
    assert import_file(coordinator_client, content, name="sources.xlsx").status_code == 302
    dated = FundingSource.objects.get(name="Aide datée")
    assert (dated.opens_on, dated.closes_on, dated.checked_on) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 4, 30),
        datetime.date(2026, 2, 15),
    )
    assert (dated.amount_min, dated.amount_max, dated.rate_max) == (1500, 15000, 80)
    spreadsheet = FundingSource.objects.get(name="Aide du tableur")
    assert (spreadsheet.opens_on, spreadsheet.closes_on) == (
        datetime.date(2026, 5, 4),
        datetime.date(2026, 6, 5),
    )
    assert spreadsheet.checked_on is not None  # blank: today, the model's default
    assert (spreadsheet.amount_min, spreadsheet.amount_max) == (0, 2500)

    body = coordinator_client.post(EXPORT_URL, {"format": "csv", "selection": [dated.pk]}).content
    row = exported_rows(body, "csv")[0]
    assert (row["ouverture"], row["cloture"], row["verifie_le"]) == (
        "2026-03-01",
        "2026-04-30",
        "2026-02-15",
    )


def test_the_downloadable_template_imports_as_it_is(coordinator_client):
    page = text_of(coordinator_client.get(URL))
    assert 'name="commune"' not in page  # network data: no commune to choose
    for column in ("identifiant", "porteurs", "niveau_financeur", "verifie_le"):
        assert column in page
    template = coordinator_client.get(f"{URL}template.csv").content
    header = template.decode("utf-8-sig").splitlines()[0].split(";")
    assert header[:4] == ["identifiant", "nom", "resume", "financeur"]
    assert "territoire" in header
    assert import_file(coordinator_client, template, name="modele.csv").status_code == 302
    source = FundingSource.objects.get()
    assert source.commune_id is None
    assert source.applicants.count() == 2


# Bad files


BAD_VALUES = [
    pytest.param({"nature": "bourse"}, "nature", "bourse", id="unknown nature"),
    pytest.param(
        {"porteurs": "Communes; Retraités"}, "porteurs", "Associations", id="unknown porteur"
    ),
    pytest.param({"categories": "Pétanque"}, "categories", "Jardins partagés", id="category"),
    pytest.param(
        {"portee": "region", "region": ""},
        "region",
        "Choose the region of a regional source.",
        id="region missing",
    ),
    pytest.param({"portee": "region", "region": "Atlantide"}, "region", "Atlantide", id="region"),
    pytest.param(
        {"calendrier": "dated", "ouverture": "2026-05-01", "cloture": "30/04/2026"},
        "cloture",
        "The closing date is before the opening date.",
        id="closing before opening",
    ),
    pytest.param(
        {"calendrier": "yearly", "cloture": ""},
        "cloture",
        "A source that recurs every year needs its closing day.",
        id="yearly without closing day",
    ),
    pytest.param(
        {"montant_min": "5000", "montant_max": "1000"},
        "montant_max",
        "The maximum amount is below the minimum.",
        id="min above max",
    ),
    pytest.param({"taux_max": "150"}, "taux_max", "100", id="rate above 100"),
    pytest.param({"montant_min": "12,5"}, "montant_min", "", id="not a whole number"),
    pytest.param({"ouverture": "31/02/2026"}, "ouverture", "31/03/2026", id="not a date"),
    pytest.param({"investissement": "peut-être"}, "investissement", "", id="not yes or no"),
    pytest.param({"nom": "=1+1"}, "nom", formula_message, id="formula"),
    pytest.param({"lien": "pas une adresse"}, "lien", "", id="url"),
    pytest.param({"resume": "x" * 401}, "resume", "400", id="summary too long"),
    pytest.param({"identifiant": "Pas un slug!"}, "identifiant", "", id="bad identifiant"),
    pytest.param({"niveau_financeur": "Mairie"}, "niveau_financeur", "Mairie", id="level"),
    pytest.param({"financeur": ""}, "financeur", "", id="no financer"),
]


@pytest.mark.parametrize(("values", "column", "hint"), BAD_VALUES)
def test_a_bad_value_is_a_row_error_and_nothing_is_written(
    coordinator_client, state, values, column, hint
):
    source = FundingSourceFactory(name="Déjà là", slug="deja-la", financer=state)
    before = content_of(source)
    rows = [
        good_row(nom="Bonne ligne", financeur="Nouveau financeur", porteurs="Communes"),
        good_row(identifiant="deja-la", nom="Déjà là, corrigé"),
        good_row(**{"financeur": "Autre nouveau financeur", **values}),
    ]
    content = csv_text(rows)

    preview_url = preview_url_of(post_file(coordinator_client, URL, content))
    preview = text_of(coordinator_client.get(preview_url))
    expected = row_error(4, column)
    assert expected in preview, errors_of(preview)
    message = preview.split(expected, 1)[1].split("</li>", 1)[0]
    assert (hint() if callable(hint) else gettext(hint)) in message
    assert len(errors_of(preview)) == 1, errors_of(preview)  # the good rows have none
    assert f'<form action="{preview_url}"' not in preview  # nothing to confirm
    assert FundingSource.objects.count() == 1
    assert list(Financer.objects.all()) == [state]

    response = coordinator_client.post(preview_url)
    assert response.status_code == 200
    assert expected in text_of(response)
    assert FundingSource.objects.count() == 1
    source.refresh_from_db()
    assert content_of(source) == before
    assert list(Financer.objects.all()) == [state]
    assert not PageLogEntry.objects.filter(action="mprc.import").exists()


def test_an_import_never_touches_a_communes_source(coordinator_client, commune_a, state):
    own = FundingSourceFactory(
        name="Aide locale", slug="aide-locale", commune=commune_a, financer=state
    )
    before = content_of(own)
    content = csv_text([good_row(identifiant="aide-locale", nom="Aide locale reprise")])
    preview_url = preview_url_of(post_file(coordinator_client, URL, content))
    preview = text_of(coordinator_client.get(preview_url))
    assert row_error(2, "identifiant") in preview
    assert "aide-locale" in preview.split(row_error(2, "identifiant"), 1)[1][:300]
    assert coordinator_client.post(preview_url).status_code == 200
    own.refresh_from_db()
    assert content_of(own) == before
    assert FundingSource.objects.count() == 1


def test_unknown_applicant_types_are_listed(coordinator_client, state):
    content = csv_text([good_row(porteurs="Communes; Retraités")])
    preview_url = preview_url_of(post_file(coordinator_client, URL, content))
    preview = text_of(coordinator_client.get(preview_url))
    message = preview.split(row_error(2, "porteurs"), 1)[1].split("</li>", 1)[0]
    assert "Retraités" in message
    for applicant in ApplicantType.objects.all():
        assert f"« {applicant.name} »" in message


def test_a_choice_is_read_in_any_language_of_the_site():
    """A file exported by someone using the admin in English imports for someone using it
    in French (the shared ChoiceWidget, which this import uses for every choice)."""
    widget = ChoiceWidget([("cancel", gettext_lazy("Cancel")), ("close", gettext_lazy("Close"))])
    assert gettext("Cancel") != "Cancel"  # the interface is in French
    assert widget.clean(gettext("Cancel")) == "cancel"
    assert widget.clean("Cancel") == "cancel"
    assert widget.clean("  FERMER ") == "close"
    with pytest.raises(ValueError, match="Annuler"):
        widget.clean("Ouvrir")
