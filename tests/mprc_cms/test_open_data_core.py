"""The open data files with whatever modules are installed (run with ``MPRC_MODULES=none``
too): the core publishes the communes; each dataset comes from the core or from a module
the commune runs, never from a module that is not installed."""

import csv
import io
import json

import pytest
from django.core.files.storage import default_storage

from mprc_cms.modules import running_modules
from mprc_cms.open_data.builder import PREFIX, build_open_data
from mprc_cms.open_data.datasets import get_datasets

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def csv_keys(scope):
    package = json.loads(default_storage.open(f"{PREFIX}/{scope}/datapackage.json").read())
    return {resource["name"] for resource in package["resources"] if resource["format"] == "csv"}


def test_each_dataset_comes_from_the_core_or_a_module_the_commune_runs(commune_a):
    build_open_data()
    running = running_modules([commune_a])[commune_a.pk]
    expected = {
        dataset.key for module, dataset in get_datasets() if module is None or module.key in running
    }
    assert "communes" in expected
    assert csv_keys(commune_a.insee_code) == expected
    assert csv_keys("reseau") == expected  # the network's one commune
    content = default_storage.open(f"{PREFIX}/reseau/communes.csv").read().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [row["insee_code"] for row in rows] == [commune_a.insee_code]
