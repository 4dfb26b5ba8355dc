import pytest

from home.onboarding import switch_module_on
from mprc_cms.modules import get_module


def _board(commune, **settings):
    page, _created = switch_module_on(commune, get_module("exchange"))
    page = page.specific
    for name, value in settings.items():
        setattr(page, name, value)
    if settings:
        page.save_revision().publish()
    return page


@pytest.fixture
def board(commune_a):
    """Commune A's board: posts appear at once; the commune has hamlets and an e-mail."""
    commune_a.hamlets = "Le Bourg\nLes Granges\nLa Croix-Blanche"
    commune_a.email = "mairie@aubigny.example"
    commune_a.save_revision().publish()
    return _board(commune_a, requires_approval=False)


@pytest.fixture
def moderated_board(commune_b):
    """Commune B's board, with the default setting: posts wait for approval."""
    commune_b.email = "mairie@bellecombe.example"
    commune_b.save_revision().publish()
    return _board(commune_b)
