"""The ``extension_module`` fixture: the example extension ``poll`` declared as a module for
one test (import the fixture into the test module)."""

import pytest
from django.apps import apps

from mprc_cms.modules import get_module

from .apps import POLL


@pytest.fixture
def extension_module(monkeypatch):
    """The module "poll" (no index page, requires "example"), installed for the test."""
    monkeypatch.setattr(
        apps.get_app_config("example_extension"), "mprc_module", POLL, raising=False
    )
    module = get_module("poll")
    assert module is not None
    assert not module.has_index_page
    return module
