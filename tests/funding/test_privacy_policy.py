"""The personal data page of a commune that runs the funding guide (issue 17): the
documents of its applications and the staff's deadline alerts."""

import pytest

from project_catalog.funding.factories import FundingApplicationFactory
from tests.legal_helpers import privacy_sections as sections

pytestmark = pytest.mark.django_db

DOCUMENTS = "Demandes de financement et leurs documents"
ALERTS = "Alertes d’échéances du guide des financements"


def test_the_guide_s_processings_are_listed_where_it_is_on(client, guide_a, commune_a, commune_b):
    listed = sections(client, commune_a)
    assert DOCUMENTS in listed
    assert ALERTS in listed
    assert "le site n’en efface aucun de lui-même" in listed[DOCUMENTS]
    assert "60 jours" in listed[ALERTS]
    assert DOCUMENTS not in sections(client, commune_b)


def test_applications_keep_it_listed_without_the_guide(client, commune_a, garden_project):
    assert DOCUMENTS not in sections(client, commune_a)
    FundingApplicationFactory(project=garden_project)
    assert DOCUMENTS in sections(client, commune_a)
