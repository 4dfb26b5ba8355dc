import pytest
from django.apps import apps
from django.utils import translation

# Without the module (MPRC_MODULES=none) its tests are not collected.
if not apps.is_installed("project_catalog"):
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def private_import_dir(settings, tmp_path):
    settings.MPRC_IMPORTS_DIR = tmp_path / "imports"
    return settings.MPRC_IMPORTS_DIR


@pytest.fixture
def library(network_home):
    from project_catalog.network_pages import library_page

    return library_page()


@pytest.fixture
def catalogue(network_home):
    from project_catalog.models import ProjectCatalogPage

    return ProjectCatalogPage.objects.get()


@pytest.fixture
def projects_a(commune_a):
    """Commune A's projects page (the module switched on)."""
    from project_catalog.adoption import projects_index_for

    return projects_index_for(commune_a)


@pytest.fixture
def projects_b(commune_b):
    from project_catalog.adoption import projects_index_for

    return projects_index_for(commune_b)


@pytest.fixture
def template(library):
    """A published template of the library (its version 1 recorded)."""
    from project_catalog.factories import ProjectTemplatePageFactory

    return ProjectTemplatePageFactory(title="Jardin partagé", slug="jardin-partage", publish=True)
