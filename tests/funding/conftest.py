import pytest

from home.onboarding import switch_module_on
from mprc_cms.modules import get_module
from project_catalog.factories import ProjectPageFactory, seeded_category
from project_catalog.funding.factories import FinancerFactory


@pytest.fixture
def guide_a(commune_a):
    """Commune A's funding guide (Saône-et-Loire, Bourgogne-Franche-Comté)."""
    page, _created = switch_module_on(commune_a, get_module("funding"))
    return page.specific


@pytest.fixture
def guide_b(commune_b):
    page, _created = switch_module_on(commune_b, get_module("funding"))
    return page.specific


@pytest.fixture
def garden_project(commune_a):
    """A shared-garden project of commune A, in action."""
    return ProjectPageFactory(
        commune=commune_a, title="Jardin partagé des Granges", category=seeded_category()
    )


@pytest.fixture
def state():
    return FinancerFactory()
