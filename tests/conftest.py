import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from home.factories import UserFactory
from home.onboarding import (
    create_commune,
    ensure_coordinators_group,
    get_network_home,
    switch_module_on,
)
from home.starter import in_dependency_order
from mprc_cms.modules import get_modules

# The optional modules of this repository. The core's tests (tests/home, tests/mprc_cms) also
# run with none installed (MPRC_MODULES=none, bin/test); a core test that reaches into a
# module's models or templates carries this mark.
MODULE_APPS = (
    "participation",
    "exchange",
    "project_catalog",
    "project_catalog.funding",
)
needs_every_module = pytest.mark.skipif(
    not all(apps.is_installed(app) for app in MODULE_APPS),
    reason="reaches into the modules: not in the core-alone run",
)


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """The .mo files are built from the .po files (they are not kept in git)."""
    call_command("compile_translations", verbosity=0)


@pytest.fixture(autouse=True)
def isolated():
    """What one test leaves behind outside the database does not reach the next: the
    language a request under /en/ activated, Wagtail's cache of the sites' root paths
    (a Site created then rolled back), the shared cache (pages, memos and versions of
    rows rolled back) and the memos kept in the process."""
    from django.core.cache import cache, caches
    from django.utils import translation
    from wagtail.models import Site

    from mprc_cms import page_cache

    Site.clear_site_root_paths_cache()
    cache.clear()
    page_cache.forget_local_memos()
    caches["renditions"].forget()
    yield
    translation.deactivate()
    Site.clear_site_root_paths_cache()


@pytest.fixture
def network_home(db):
    return get_network_home()


def _commune(name, insee, postcode="71250"):
    return create_commune(
        name=name,
        insee_code=insee,
        postcode=postcode,
        population=300,
        epci="CC d'essai",
        publish=True,
    ).commune


@pytest.fixture
def commune_a(network_home):
    return _commune("Aubigny-les-Prés", "71801")


@pytest.fixture
def commune_b(network_home):
    return _commune("Bellecombe", "71802", "71460")


@pytest.fixture
def every_module_on(commune_a, commune_b):
    """Both test communes run every installed module: their staff get every module's admin
    screens (a module's rights and records follow its switch, home/onboarding.py)."""
    for commune in (commune_a, commune_b):
        for module in in_dependency_order(get_modules()):
            switch_module_on(commune, module)


@pytest.fixture
def editor_a(commune_a):
    return UserFactory(username="editrice-a", groups=[commune_a.editors_group])


@pytest.fixture
def editor_b(commune_b):
    return UserFactory(username="editeur-b", groups=[commune_b.editors_group])


@pytest.fixture
def coordinator(network_home):
    return UserFactory(username="coordination", groups=[ensure_coordinators_group()])


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_a(editor_a):
    return logged_in(editor_a)


@pytest.fixture
def client_b(editor_b):
    return logged_in(editor_b)


@pytest.fixture
def coordinator_client(coordinator):
    return logged_in(coordinator)


@pytest.fixture
def private_import_dir(settings, tmp_path):
    """The shared import view's stored files, in a folder of the test's own."""
    settings.MPRC_IMPORTS_DIR = tmp_path / "imports"
    return settings.MPRC_IMPORTS_DIR


@pytest.fixture
def french():
    from django.utils import translation

    with translation.override("fr"):
        yield
