"""System checks of the modules' declarations (``manage.py check``, run at every start-up).

A module declares itself in its AppConfig (``ModuleInfo``) and in its package's entry point;
these checks catch a declaration the core could not honour, before a resident meets it:

- ``mprc.E001``: two running modules share a key.
- ``mprc.E002``: a dotted path of the declaration does not resolve (to a URLconf module
  for ``urls``, to a function or a class for the others).
- ``mprc.E003``: the index page model is not a page made for one per commune
  (``"home.CommunePage"`` in its ``parent_page_types`` — the network home may be another
  parent, for a network-wide page — and ``max_count_per_parent = 1``).
- ``mprc.E004``: a module requires a module that does not run.
- ``mprc.E005``: a rate limit's scope does not start with the module's key, or its limit is
  not (uses, seconds) in positive whole numbers.
- ``mprc.E006``: a key that cannot serve in an address (``/<key>/``): lower-case letters,
  digits, "-" and "_", starting with a letter.
- ``mprc.E007``: a package's entry point names a module under another key than the one its
  AppConfig declares.
- ``mprc.E008``: a module without an index page (``index_page_model=None``) requires no
  module: such a module extends the modules it requires (it is on for a commune when they
  are), so it must name at least one in ``requires``.
"""

import re
from importlib import import_module

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from .modules import get_modules, missing_requirements

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*$")
# ModuleInfo fields holding one dotted path, and those holding several.
SINGLE_PATHS = ("demo_loader", "daily_job", "commune_pages", "starter_content", "printables")
MANY_PATHS = ("search_kinds", "privacy_processings", "dashboard_items", "open_datasets")


def _resolves(path, kind="callable"):
    """Whether ``path`` names a module (``kind="module"``) or a callable (a function, a
    class)."""
    try:
        if kind == "module":
            import_module(path)
            return True
        return callable(import_string(path))
    except ImportError:
        return False


def _index_page_errors(module):
    from django.apps import apps

    if not module.info.index_page_model:
        if module.info.requires:
            return []
        return [
            checks.Error(
                f"The module “{module.key}” has no index page and requires no module.",
                hint="A module without an index page is on for a commune when the modules "
                "it requires are: name them in ModuleInfo.requires, or give it an "
                "index_page_model.",
                obj=module.app_label,
                id="mprc.E008",
            )
        ]
    try:
        model = apps.get_model(module.info.index_page_model)
    except (LookupError, ValueError):
        return [
            checks.Error(
                f"The module “{module.key}” names the index page model "
                f"“{module.info.index_page_model}”, which does not exist.",
                hint="Give ModuleInfo.index_page_model as “app_label.ModelName”.",
                obj=module.app_label,
                id="mprc.E002",
            )
        ]
    parents = getattr(model, "parent_page_types", None)
    parents = [parents] if isinstance(parents, str) else list(parents or [])
    if "home.communepage" not in [parent.lower() for parent in parents] or (
        getattr(model, "max_count_per_parent", None) != 1
    ):
        return [
            checks.Error(
                f"The index page model {module.info.index_page_model} of the module "
                f"“{module.key}” must live once under each commune.",
                hint='Declare parent_page_types = ["home.CommunePage"] (other parents '
                "may follow) and max_count_per_parent = 1 on it.",
                obj=module.app_label,
                id="mprc.E003",
            )
        ]
    return []


def _path_errors(module):
    info = module.info
    paths = [(name, getattr(info, name), "callable") for name in SINGLE_PATHS]
    paths += [(name, path, "callable") for name in MANY_PATHS for path in getattr(info, name)]
    paths.append(("urls", info.urls, "module"))
    return [
        checks.Error(
            f"The module “{module.key}” declares {name} = “{path}”, which cannot be imported"
            + (" as a module." if kind == "module" else " as a function or a class."),
            hint="Give the full dotted path of what the field expects (docs/modules.md).",
            obj=module.app_label,
            id="mprc.E002",
        )
        for name, path, kind in paths
        if path and not _resolves(path, kind)
    ]


def _rate_limit_errors(module):
    errors = []
    for scope, limit in module.info.rate_limits.items():
        if not str(scope).startswith(f"{module.key}."):
            errors.append(
                checks.Error(
                    f"The module “{module.key}” declares the rate limit “{scope}”, outside "
                    "its own scopes.",
                    hint=f"Name the module's scopes “{module.key}.…”.",
                    obj=module.app_label,
                    id="mprc.E005",
                )
            )
        valid = (
            isinstance(limit, tuple)
            and len(limit) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in limit)
        )
        if not valid:
            errors.append(
                checks.Error(
                    f"The rate limit “{scope}” of the module “{module.key}” is {limit!r}.",
                    hint="Give (uses, seconds), two positive whole numbers.",
                    obj=module.app_label,
                    id="mprc.E005",
                )
            )
    return errors


def check_modules(app_configs=None, modules=None, **kwargs):
    """Every error of the running modules' declarations (``modules`` for the tests)."""
    modules = get_modules() if modules is None else modules
    errors = []
    seen = {}
    for module in modules:
        if module.key in seen:
            errors.append(
                checks.Error(
                    f"The apps {seen[module.key]} and {module.app_label} both declare the "
                    f"module “{module.key}”.",
                    hint="Give each module a key of its own.",
                    obj=module.app_label,
                    id="mprc.E001",
                )
            )
        seen.setdefault(module.key, module.app_label)
        if not KEY_PATTERN.match(module.key):
            errors.append(
                checks.Error(
                    f"The module key “{module.key}” cannot serve in an address.",
                    hint="Use lower-case letters, digits, “-” and “_”, starting with a letter.",
                    obj=module.app_label,
                    id="mprc.E006",
                )
            )
        errors += _index_page_errors(module)
        errors += _path_errors(module)
        errors += _rate_limit_errors(module)
    errors += [
        checks.Error(
            f"The module “{module.key}” needs the module “{required}”, which does not run.",
            hint="Install it and add it to MPRC_MODULES, or remove the module that needs it.",
            obj=module.app_label,
            id="mprc.E004",
        )
        for module, required in missing_requirements(modules)
    ]
    return errors


def check_entry_points(app_configs=None, available=None, modules=None, **kwargs):
    """A package's entry point name is the key its AppConfig declares."""
    available = getattr(settings, "AVAILABLE_MODULES", {}) if available is None else available
    modules = get_modules() if modules is None else modules
    by_app = {}
    for module in modules:
        by_app[module.app_name] = module
    errors = []
    for key, app_name in available.items():
        module = by_app.get(app_name)
        if module is not None and module.key != key:
            errors.append(
                checks.Error(
                    f"The entry point “{key}” names the app {app_name}, whose module key is "
                    f"“{module.key}”.",
                    hint="Name the entry point after the module's key.",
                    obj=module.app_label,
                    id="mprc.E007",
                )
            )
    return errors


def register():
    checks.register(check_modules, "mprc_modules")
    checks.register(check_entry_points, "mprc_modules")
