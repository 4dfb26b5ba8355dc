"""The posts in the open data files (``exchange/open_data.py``): those the public board
shows, with what they say and never who posted them nor how to reach them."""

import csv
import io

import pytest
from django.core.files.storage import default_storage

from exchange.factories import ServiceListingFactory
from exchange.models import ListingStatus
from mprc_cms.open_data.builder import PREFIX, build_open_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def csv_rows(scope, name):
    content = default_storage.open(f"{PREFIX}/{scope}/{name}").read().decode("utf-8")
    return list(csv.DictReader(io.StringIO(content)))


def test_the_boards_posts_are_published_without_their_posters(board, commune_a):
    shown = ServiceListingFactory(
        commune=commune_a,
        title="Prêter une remorque",
        first_name="Gisèle",
        email="gisele.remorque@example.org",
        phone="06 11 22 33 44",
    )
    ServiceListingFactory(commune=commune_a, title="Annonce en attente", pending=True)
    ServiceListingFactory(commune=commune_a, title="Annonce masquée", status=ListingStatus.HIDDEN)
    build_open_data()
    for scope in ("reseau", commune_a.insee_code):
        rows = csv_rows(scope, "annonces.csv")
        assert [row["title"] for row in rows] == [shown.title]
        text = default_storage.open(f"{PREFIX}/{scope}/annonces.json").read().decode("utf-8")
        for private in ("Gisèle", "gisele.remorque@example.org", "06 11 22 33 44"):
            assert private not in text
            assert all(private not in value for value in rows[0].values())
