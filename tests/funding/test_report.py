"""The figures of the funding obtained: sums per financer, project category, commune and
year, scoped to the user's communes, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from home.factories import UserFactory
from project_catalog.factories import ProjectPageFactory, seeded_category
from project_catalog.funding.factories import (
    FinancerFactory,
    FundingApplicationFactory,
    FundingSourceFactory,
)
from project_catalog.funding.models import ApplicationStatus, Financer
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

REPORT = "funding_applications:report"


@pytest.fixture(autouse=True)
def funding_on(guide_a, guide_b):
    """Both communes run the funding guide: their staff get its admin screens."""


def obtained(project, source, amount, decided_on, status=ApplicationStatus.GRANTED, asked=None):
    return FundingApplicationFactory(
        project=project,
        source=source,
        status=status,
        amount_requested=asked if asked is not None else amount + 1000,
        amount_granted=amount,
        submitted_on=decided_on - datetime.timedelta(days=30),
        decided_on=decided_on,
        paid_on=decided_on if status == ApplicationStatus.PAID else None,
    )


@pytest.fixture
def network(commune_a, commune_b, garden_project):
    """A: a garden granted 4 000 by the State (2024) and a car-pooling scheme paid 1 000 by
    the region (2025); a refused and a prepared application. B: a garden granted 7 000 by
    the State (2025)."""
    state = FinancerFactory(name="État")
    region = FinancerFactory(name="Région", level=Financer.Level.REGION)
    state_fund = FundingSourceFactory(name="DETR", financer=state)
    region_fund = FundingSourceFactory(name="Mobilités rurales", financer=region)
    carpool = ProjectPageFactory(
        commune=commune_a, title="Covoiturage", category=seeded_category("covoiturage-local")
    )
    garden_b = ProjectPageFactory(commune=commune_b, title="Jardin de Bellecombe")
    obtained(garden_project, state_fund, 4000, datetime.date(2024, 6, 1))
    obtained(carpool, region_fund, 1000, datetime.date(2025, 2, 1), status=ApplicationStatus.PAID)
    FundingApplicationFactory(
        project=garden_project,
        source=region_fund,
        status=ApplicationStatus.REFUSED,
        amount_requested=3000,
        submitted_on=datetime.date(2025, 1, 5),
        decided_on=datetime.date(2025, 3, 5),
    )
    FundingApplicationFactory(project=carpool, source=state_fund, amount_requested=2500)
    obtained(garden_b, state_fund, 7000, datetime.date(2025, 9, 1), asked=7000)


def sums(rows):
    return {row["label"]: (row["count"], row["granted"]) for row in rows}


def test_coordinators_see_the_whole_network(coordinator_client, network, commune_a, commune_b):
    response = coordinator_client.get(reverse(REPORT))
    assert response.status_code == 200
    context = response.context
    assert sums(context["by_financer"]) == {"État": (2, 11000), "Région": (1, 1000)}
    assert sums(context["by_category"]) == {
        "Jardins partagés": (2, 11000),
        "Covoiturage local": (1, 1000),
    }
    assert sums(context["by_commune"]) == {commune_a.title: (2, 5000), commune_b.title: (1, 7000)}
    assert sums(context["by_year"]) == {"2024": (1, 4000), "2025": (2, 8000)}
    totals = context["totals"]
    assert totals["granted"] == 12000
    assert totals["obtained_count"] == 3
    assert totals["count"] == 5
    assert totals["asked"] == 5000 + 2000 + 3000 + 2500 + 7000
    assert totals["obtained_asked"] == 5000 + 2000 + 7000
    assert totals["success_rate"] == 75  # 3 obtained of 4 decided
    by_status = {row["status"]: row["count"] for row in context["statuses"]}
    assert by_status == {"preparing": 1, "submitted": 0, "granted": 2, "refused": 1, "paid": 1}
    # The largest amounts first.
    assert [row["label"] for row in context["by_financer"]] == ["État", "Région"]


def test_commune_staff_see_their_communes_only(client_a, network, commune_a, commune_b):
    response = client_a.get(reverse(REPORT))
    context = response.context
    assert sums(context["by_financer"]) == {"État": (1, 4000), "Région": (1, 1000)}
    assert sums(context["by_commune"]) == {commune_a.title: (2, 5000)}
    assert sums(context["by_year"]) == {"2024": (1, 4000), "2025": (1, 1000)}
    assert context["totals"]["granted"] == 5000
    assert context["totals"]["count"] == 4
    assert commune_b.title not in response.content.decode()


def test_the_report_narrows_to_one_commune(coordinator_client, network, commune_b):
    response = coordinator_client.get(reverse(REPORT), {"commune": commune_b.pk})
    context = response.context
    assert context["chosen"] == commune_b
    assert sums(context["by_financer"]) == {"État": (1, 7000)}
    assert context["totals"]["granted"] == 7000


def test_another_communes_figures_cannot_be_asked_for(client_a, network, commune_b):
    response = client_a.get(reverse(REPORT), {"commune": commune_b.pk})
    assert response.status_code == 200
    assert response.context["chosen"] is None
    assert response.context["totals"]["granted"] == 5000
    assert [str(m) for m in response.context["messages"]]


def test_the_totals_show_on_the_page(client_a, network):
    content = client_a.get(reverse(REPORT)).content.decode()
    assert 'data-total-granted="5000"' in content
    assert 'id="per-financer"' in content


def test_nothing_obtained_yet(client_a):
    response = client_a.get(reverse(REPORT))
    assert response.status_code == 200
    assert response.context["by_financer"] == []
    assert response.context["totals"]["success_rate"] is None


def test_only_staff_with_communes_see_the_report(network):
    nobody = UserFactory(username="sans-commune", is_staff=True)
    response = logged_in(nobody).get(reverse(REPORT))
    assert response.status_code in (302, 403)


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(REPORT)).status_code == 200
    return len(queries)


def test_the_report_takes_as_many_queries_for_many_applications(
    coordinator_client, commune_a, commune_b, garden_project
):
    state = FinancerFactory(name="État")
    source = FundingSourceFactory(financer=state)
    obtained(garden_project, source, 1000, datetime.date(2025, 1, 1))
    few = _queries(coordinator_client)
    projects = [garden_project, ProjectPageFactory(commune=commune_b)]
    for number in range(30):
        financer = FinancerFactory(name=f"Fondation {number % 6}")
        obtained(
            projects[number % 2],
            FundingSourceFactory(financer=financer),
            500 + number,
            datetime.date(2020 + number % 6, 3, 1),
        )
    assert _queries(coordinator_client) == few


# The report as a file, and figures that line up.


def report_rows(client, file_format, **params):
    import csv
    import io

    from openpyxl import load_workbook

    response = client.get(reverse(REPORT), {"export": file_format, **params})
    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]
    if file_format == "csv":
        text = response.content.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_report_downloads_with_every_table(coordinator_client, network, file_format):
    rows = report_rows(coordinator_client, file_format)
    assert len(rows[0]) == 5
    lines = {(row[0], row[1]): row[2:] for row in rows[1:]}
    as_numbers = {key: [int(value) for value in values] for key, values in lines.items()}
    with_financer = [values for (table, label), values in as_numbers.items() if label == "État"]
    assert with_financer == [[2, 11000, 12000]]  # applications, granted, asked
    assert any(label == "2024" for _table, label in lines)
    assert len({table for table, _label in lines}) == 5  # status, financer, category…


def test_the_downloaded_report_stays_inside_the_users_communes(
    client_a, network, commune_a, commune_b
):
    rows = report_rows(client_a, "csv")
    labels = {row[1] for row in rows[1:]}
    assert commune_a.title in labels
    assert commune_b.title not in labels
    # Asking for another commune's figures gives the user's own.
    rows = report_rows(client_a, "csv", commune=commune_b.pk)
    assert commune_b.title not in {row[1] for row in rows[1:]}


def test_the_report_offers_its_downloads_and_aligns_its_figures(client_a, network):
    from bs4 import BeautifulSoup

    response = client_a.get(reverse(REPORT))
    soup = BeautifulSoup(response.content, "html.parser")
    downloads = [a["href"] for a in soup.select("header a[href*='export=']")]
    assert sorted(href.split("export=")[1] for href in downloads) == ["csv", "xlsx"]
    for table in soup.select(".funding-report table"):
        for row in table.select("tbody tr, tfoot tr"):
            cells = row.find_all("td")
            assert cells
            assert all("number" in cell.get("class", []) for cell in cells), row
    assert 'href="/static/funding/css/report_admin.css"' in response.content.decode()
