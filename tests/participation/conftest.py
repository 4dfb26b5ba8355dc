import pytest

from home.onboarding import switch_module_on
from mprc_cms.modules import get_module


@pytest.fixture
def signup_page(commune_a):
    commune_a.hamlets = "Le Bourg\nLes Granges\nLa Croix-Blanche"
    commune_a.email = "mairie@aubigny.example"
    commune_a.save_revision().publish()
    page, _created = switch_module_on(commune_a, get_module("participation"))
    return page.specific


@pytest.fixture
def signup_page_b(commune_b):
    page, _created = switch_module_on(commune_b, get_module("participation"))
    return page.specific
