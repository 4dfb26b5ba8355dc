"""A real network's starter content: what each module ships for its first day (the
catalogue's project templates, the funding guide's national programmes…), loaded from the
modules' data files by ``manage.py load_starter_content`` and ``manage.py load_demo``.

The core knows no module: it calls each running module's ``ModuleInfo.starter_content``
(``load(stdout)``), a module after the modules it ``requires`` or ``uses``.
"""

from django.db import transaction
from django.utils.module_loading import import_string

from mprc_cms.modules import get_modules

from .onboarding import get_network_home


def in_dependency_order(modules):
    """``modules`` in their order, except that a module comes after those it requires or
    uses (``ModuleInfo.requires``, ``ModuleInfo.uses``)."""
    modules = list(modules)
    keys = {module.key for module in modules}
    ordered, placed = [], set()
    while len(ordered) < len(modules):
        progress = False
        for module in modules:
            if module.key in placed:
                continue
            needs = {key for key in (*module.info.requires, *module.info.uses) if key in keys}
            if needs <= placed:
                ordered.append(module)
                placed.add(module.key)
                progress = True
                break
        if not progress:  # a cycle (refused at start-up anyway): keep the given order
            ordered.extend(module for module in modules if module.key not in placed)
            break
    return ordered


@transaction.atomic
def load_starter_content(stdout=None, modules=None):
    """Load every running module's starter content; returns the modules that have some.

    Raises ``home.onboarding.NetworkNotReady`` when there is no network home yet, and
    whatever a module raises (``mprc_cms.imports.datafiles.DataFileError``…); nothing is
    written then.
    """
    get_network_home()
    modules = get_modules() if modules is None else modules
    loaded = []
    for module in in_dependency_order(modules):
        if module.info.starter_content:
            import_string(module.info.starter_content)(stdout=stdout)
            loaded.append(module)
    return loaded
