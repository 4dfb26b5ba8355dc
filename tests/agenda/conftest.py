"""The agenda module's tests. It is a package of its own (examples/mprc-agenda), installed
like a third party's: its absence is a failure (bin/test installs it), its being left out
of the site (MPRC_MODULES without «agenda») skips these tests."""

import importlib.util

import pytest
from django.apps import apps

if importlib.util.find_spec("mprc_agenda") is None:
    pytest.fail(
        "The agenda module is not installed: run «pip install ./examples/mprc-agenda» "
        "(bin/test does it).",
        pytrace=False,
    )

if not apps.is_installed("mprc_agenda"):
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture
def agenda_module():
    from mprc_cms.modules import get_module

    return get_module("agenda")


@pytest.fixture
def agenda_a(commune_a, agenda_module):
    """Commune A's agenda (the module switched on)."""
    from home.onboarding import switch_module_on

    page, _created = switch_module_on(commune_a, agenda_module)
    return page.specific


@pytest.fixture
def agenda_b(commune_b, agenda_module):
    from home.onboarding import switch_module_on

    page, _created = switch_module_on(commune_b, agenda_module)
    return page.specific
