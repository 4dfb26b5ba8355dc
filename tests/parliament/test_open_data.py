"""The micro-parliaments, their meetings and their published draws in the open data files
(``parliament/open_data.py``): what the public API lists, in the network's and the
commune's files."""

import csv
import io
import json

import pytest
from django.core.files.storage import default_storage

from mprc_cms.open_data.builder import PREFIX, build_open_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def csv_rows(scope, name):
    content = default_storage.open(f"{PREFIX}/{scope}/{name}").read().decode("utf-8")
    return list(csv.DictReader(io.StringIO(content)))


def test_the_micro_parliament_and_its_meetings_are_published(
    every_module_on, parliament, commune_a, commune_b
):
    build_open_data()
    for scope in ("reseau", commune_a.insee_code):
        assert [row["title"] for row in csv_rows(scope, "micro-parlements.csv")] == [
            parliament.title
        ]
        assert len(csv_rows(scope, "reunions.csv")) == parliament.meetings.count() >= 2
        package = json.loads(default_storage.open(f"{PREFIX}/{scope}/datapackage.json").read())
        names = {resource["path"] for resource in package["resources"]}
        assert {"tirages-au-sort.csv", "tirages-au-sort.json"} <= names
    # Another commune's files hold none of them.
    assert csv_rows(commune_b.insee_code, "micro-parlements.csv") == []
