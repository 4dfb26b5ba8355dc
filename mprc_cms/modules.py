"""The module registry.

A module is a Django app whose AppConfig has an ``mprc_module`` attribute holding a
:class:`ModuleInfo`. A package declares its module in the entry-point group
``mprc_cms.modules`` (name: the module key; value: the app's dotted name, what goes in
INSTALLED_APPS): installing the package is all it takes for the module to be found, and to
appear in the commune admin screen and the network overview. The setting ``MPRC_MODULES``
(from the environment variable of the same name: module keys separated by commas, "none"
for the core alone, unset for every installed module) selects among the discovered ones.

A module is *on* for a commune when the commune has the module's index page (a direct
child of the CommunePage) and it is published (or it is the draft set up with a commune
not published yet), *off* otherwise (:func:`running_modules`). Index page models declare
``parent_page_types = ["home.CommunePage"]`` and ``max_count_per_parent = 1`` (checked at
start-up, see ``mprc_cms/checks.py``).

A module without an index page (``index_page_model=None``: its pages may sit elsewhere,
e.g. a page shared by several communes under the network home) extends the modules it
``requires`` (at least one, check mprc.E008): it is on for a commune exactly when every
module it requires is on and the commune did not switch it off (a ``home.ModuleSwitchOff``
row), so it comes on by default with its requirements.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from importlib.metadata import entry_points

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

# The entry-point group in which packages declare their modules.
ENTRY_POINT_GROUP = "mprc_cms.modules"


def discover_modules():
    """Module key → app dotted name, for every installed package that declares a module.

    Read by the settings, before Django is set up: nothing here imports the apps. Sorted by
    app name, so that the order of INSTALLED_APPS does not depend on the order packages were
    installed in. Two packages declaring the same key for different apps stop the start-up.
    """
    found = {}
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        app = entry_point.value.strip()
        if found.get(entry_point.name, app) != app:
            raise ImproperlyConfigured(
                f"Two installed packages declare the MPRC module “{entry_point.name}”: "
                f"{found[entry_point.name]} and {app}. Uninstall one of them."
            )
        found[entry_point.name] = app
    return dict(sorted(found.items(), key=lambda item: item[1]))


def select_modules(available, requested):
    """The keys of the modules to run, in the order of ``available``.

    ``requested`` is the value of the environment variable MPRC_MODULES: None (unset) for
    every available module, "" or "none" for none, otherwise module keys separated by
    commas. An unknown key stops the start-up with the list of the known ones.
    """
    if requested is None:
        return list(available)
    names = [name.strip() for name in requested.split(",") if name.strip()]
    if not names or (len(names) == 1 and names[0].lower() == "none"):
        return []
    unknown = [name for name in names if name not in available]
    if unknown:
        known = ", ".join(sorted(available)) or "(none installed)"
        raise ImproperlyConfigured(
            f"MPRC_MODULES: unknown module {', '.join(f'“{name}”' for name in unknown)}. "
            f"Known modules: {known}; or “none” for the core alone."
        )
    return [key for key in available if key in names]


@dataclass(frozen=True)
class ModuleInfo:
    """What a module declares about itself in its AppConfig."""

    key: str
    label: str | Promise
    # For staff: what the module does and what it asks of them, shown in the commune's
    # Modules screen of the admin. Never shown to the public.
    description: str | Promise
    # For residents: one sentence telling them what they can do on the module's pages
    # ("Sign up on the volunteer list…"), shown with the link to the module's index page
    # on the commune's home and in the network home's overview.
    invitation: str | Promise
    # "app_label.ModelName" of the module's index page, one per commune; None for a module
    # without one (an extension of the modules it ``requires``: see running_modules).
    index_page_model: str | None = None
    # Where the module comes on the public pages that list modules (lower first): what
    # residents do themselves (sign up, help each other) before what they follow.
    public_order: int = 100
    icon: str = "cogs"
    # Title and slug of the index page created when a commune switches the module on.
    default_title: str | Promise | None = None
    default_slug: str | None = None
    # Model permissions ("app_label.codename") every commune's editors group receives, so
    # that staff can manage the module's data of their own commune (scoped by
    # mprc_cms.communes).
    editor_permissions: tuple[str, ...] = ()
    # Model permissions the network coordinators' group receives on top of the editors'
    # (e.g. managing network-wide data such as the categories of a catalogue).
    coordinator_permissions: tuple[str, ...] = ()
    # Dotted path of a callable ``load(communes, stdout)`` that adds the module's demo
    # content to the demo network (called by ``manage.py load_demo``; idempotent).
    demo_loader: str | None = None
    # Dotted path of a callable ``run(today, now, communes)`` that does the module's daily
    # work (reminders, digests, erasing expired personal data) and returns a one-line
    # report; ``manage.py daily`` calls every module's with the communes that run it
    # (mailings only for them; erasure of expired personal data for every commune).
    daily_job: str | None = None
    # Dotted path of a URLconf of public views that cannot be page routes (e.g. a one-click
    # unsubscribe link that mail clients POST to without a CSRF token). Served under
    # ``/<module key>/``, in every language.
    urls: str | None = None
    # Dotted paths of the module's kinds of search results (subclasses of
    # ``mprc_cms.search.SearchKind``): what the site search finds in the module, grouped
    # under each kind's heading.
    search_kinds: tuple[str, ...] = ()
    # Dotted paths of the module's endpoints of the public API (subclasses of
    # ``mprc_cms.rest.PublicViewSet``, most of them ``KindViewSet`` over one of its search
    # kinds): served under ``/api/v1/<api_prefix>/`` (docs/api.md).
    api_endpoints: tuple[str, ...] = ()
    # Dotted paths of the module's open datasets (subclasses of
    # ``mprc_cms.open_data.datasets.ApiDataset`` or ``CountsDataset``): its files on the
    # «Données ouvertes» pages of the network and of the communes that run it
    # (docs/open-data.md).
    open_datasets: tuple[str, ...] = ()
    # Dotted paths of the module's processings of personal data (subclasses of
    # ``mprc_cms.privacy.Processing``): what the privacy policy of a commune that runs the
    # module says about each (purpose, legal basis, data, recipients, retention, rights).
    privacy_processings: tuple[str, ...] = ()
    # Dotted paths of callables ``items(communes, user, today)`` returning
    # ``{commune pk: [mprc_cms.dashboard.DashboardItem, …]}``: where the module stands in
    # each of ``communes`` (those of the user's that run it), on the admin dashboard's block
    # of each commune. A fixed number of queries however many communes are passed.
    dashboard_items: tuple[str, ...] = ()
    # Dotted path of a callable ``pages(commune)`` returning ``[(page, text), …]``: live
    # public pages of the module, other than its index page, that the commune's residents
    # find in the «Take part» section of its home with a sentence for them (e.g. the
    # micro-parliament that serves the commune, its own or one shared with its neighbours).
    # Called only for the communes that run the module.
    commune_pages: str | None = None
    # Keys of the modules this one needs (the funding guide fits sources to the catalogue's
    # project categories): asking for it without them stops the start-up.
    requires: tuple[str, ...] = ()
    # Keys of the modules this one links to when they run, without needing them (the
    # micro-parliament's priorities link to the project pages they became): their demo and
    # starter content load first.
    uses: tuple[str, ...] = ()
    # The module's rate limits: scope → (uses, seconds). Scopes start with the module's key
    # and a dot ("exchange.post.ip"); the setting MPRC_RATE_LIMITS overrides any of them.
    rate_limits: dict[str, tuple[int, int]] = field(default_factory=dict, hash=False)
    # Dotted path of a callable ``load(stdout)`` that loads the module's starter content
    # (what a real network wants on day one, from the module's data files; idempotent),
    # called by ``manage.py load_starter_content`` and ``manage.py load_demo``.
    starter_content: str | None = None
    # Dotted path of a callable ``printables(commune, index_page)`` returning
    # ``[mprc_cms.printing.Printable, …]``: the module's printed material for a commune that
    # runs it (an A4 poster, an A5 flyer, a paper form matching its online form), listed
    # on the commune's «Posters, flyers and paper forms» screen of the admin.
    printables: str | None = None
    # "app_label.ModelName" of the module's page types residents may follow by e-mail
    # (``mprc_cms.following``): a project, a micro-parliament, a call for needs. The module
    # tells followers what happened with ``mprc_cms.following.announce(page, …)``.
    followable_pages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Module:
    """An installed module: its declaration and the app that declares it."""

    info: ModuleInfo
    app_label: str
    app_verbose_name: str | Promise = field(default="")
    app_name: str = ""  # the app's dotted name, as in INSTALLED_APPS

    @property
    def key(self):
        return self.info.key

    @property
    def label(self):
        return self.info.label

    @property
    def description(self):
        return self.info.description

    @property
    def invitation(self):
        return self.info.invitation

    @property
    def icon(self):
        return self.info.icon

    @property
    def editor_permissions(self):
        return self.info.editor_permissions

    @property
    def coordinator_permissions(self):
        return self.info.coordinator_permissions

    @property
    def index_page_model(self):
        """The index page's model, or None for a module without an index page."""
        if not self.info.index_page_model:
            return None
        return apps.get_model(self.info.index_page_model)

    @property
    def has_index_page(self):
        return bool(self.info.index_page_model)

    @property
    def requires(self):
        return self.info.requires

    @property
    def default_title(self):
        return self.info.default_title or self.info.label

    @property
    def default_slug(self):
        return self.info.default_slug or self.info.key

    def index_page_for(self, commune):
        """The commune's index page of this module, or None when the module is off or has
        no index page."""
        model = self.index_page_model
        return None if model is None else model.objects.child_of(commune).first()


def get_modules():
    """Installed modules, in INSTALLED_APPS order."""
    modules = []
    for app_config in apps.get_app_configs():
        info = getattr(app_config, "mprc_module", None)
        if isinstance(info, ModuleInfo):
            modules.append(Module(info, app_config.label, app_config.verbose_name, app_config.name))
    return modules


def get_public_modules():
    """Installed modules in the order the public pages list them (``public_order``)."""
    return sorted(get_modules(), key=lambda module: module.info.public_order)


def get_module(key):
    for module in get_modules():
        if module.key == key:
            return module
    return None


def missing_requirements(modules=None):
    """``[(module, missing key), …]``: modules running without a module they require."""
    modules = get_modules() if modules is None else modules
    keys = {module.key for module in modules}
    return [
        (module, required)
        for module in modules
        for required in module.info.requires
        if required not in keys
    ]


def require_dependencies(modules=None):
    """Stop the start-up when a module runs without one it requires (called when the apps
    are ready, ``mprc_cms/apps.py``)."""
    missing = missing_requirements(modules)
    if missing:
        raise ImproperlyConfigured(
            "MPRC_MODULES: "
            + "; ".join(
                f"the module “{module.key}” needs the module “{required}”"
                for module, required in missing
            )
            + ". Add it too, or remove the module that needs it."
        )


def declared_rate_limits(modules=None):
    """Scope → (uses, seconds) for every rate limit the running modules declare."""
    modules = get_modules() if modules is None else modules
    limits = {}
    for module in modules:
        limits.update(module.info.rate_limits)
    return limits


def index_pages_by_commune(communes, modules=None, live_only=False):
    """Map commune id → {module key: index page} with one query per module (modules
    without an index page are left out).

    Works for any number of communes: the index pages are matched to their commune by
    tree path, never by a query per commune.
    """
    communes = list(communes)
    modules = get_modules() if modules is None else modules
    result = {commune.pk: {} for commune in communes}
    if not communes:
        return result
    by_path = {commune.path: commune.pk for commune in communes}
    depths = {commune.depth + 1 for commune in communes}
    steplen = type(communes[0]).steplen
    for module in modules:
        if not module.has_index_page:
            continue
        pages = module.index_page_model.objects.filter(depth__in=depths)
        if live_only:
            pages = pages.live().public()
        for page in pages.order_by("path"):
            commune_pk = by_path.get(page.path[:-steplen])
            if commune_pk is not None:
                result[commune_pk][module.key] = page
    return result


def communes_by_module(communes, modules=None, live_only=True):
    """Map module key → list of communes that run it (for the network overview): those
    with the module's index page (live and public with ``live_only``); for a module without
    an index page, those that have the index pages of the modules it requires (by the same
    measure) and did not switch it off."""
    communes = list(communes)
    modules = get_modules() if modules is None else list(modules)
    found = _with_requirements(modules)
    pages = index_pages_by_commune(communes, found.values(), live_only=live_only)
    off = set()
    if communes and not all(module.has_index_page for module in found.values()):
        off = _switched_off(communes)
    states = _states(communes, modules, found, pages, off, _has_page)
    running = defaultdict(list)
    for commune in communes:
        for key in states[commune.pk]:
            running[key].append(commune)
    return running


# --- Whether a module is on for a commune (the one source of truth) -----------------------


def _switched_off(communes):
    """{(commune pk, module key)} of the modules switched off for these communes (the
    record ``home.ModuleSwitchOff`` keeps while a module is off)."""
    model = apps.get_model("home", "ModuleSwitchOff")
    return set(
        model.objects.filter(commune_id__in=[commune.pk for commune in communes]).values_list(
            "commune_id", "module_key"
        )
    )


def page_is_running(commune, page, switched_off=False):
    """Whether ``page``, the commune's index page of a module, makes the module *on*: it is
    live, or it is the draft set up with a commune never published (both are published
    together) and the module was not switched off since."""
    if page is None:
        return False
    if page.live:
        return True
    return (
        not switched_off and commune.first_published_at is None and page.first_published_at is None
    )


def _has_page(commune, page, switched_off):
    return page is not None


def _with_requirements(modules):
    """{key: module} of ``modules`` and of the modules that those without an index page
    require, directly or through another such module (looked up among the installed
    modules when not in ``modules``)."""
    found = {module.key: module for module in modules}
    todo = [module for module in found.values() if not module.has_index_page]
    installed = None
    while todo:
        module = todo.pop()
        for key in module.requires:
            if key in found:
                continue
            if installed is None:
                installed = {other.key: other for other in get_modules()}
            if key in installed:
                found[key] = installed[key]
                if not installed[key].has_index_page:
                    todo.append(installed[key])
    return found


def _is_on(module, found, on, commune, pages, off, page_on, seen=()):
    """Whether ``module`` is on for ``commune`` (memoized in ``on``): with an index page,
    ``page_on(commune, page, switched off)``; without one, every module it requires is on
    and it is not switched off (a module missing, or a cycle of requirements: off)."""
    key = module.key
    if key not in on:
        switched_off = (commune.pk, key) in off
        if module.has_index_page:
            on[key] = page_on(commune, pages.get(key), switched_off)
        else:
            on[key] = not switched_off and all(
                required in found
                and required not in seen
                and _is_on(found[required], found, on, commune, pages, off, page_on, (*seen, key))
                for required in module.requires
            )
    return on[key]


def _states(communes, modules, found, pages, off, page_on):
    """commune pk → {key: index page, or None for a module without one} of ``modules`` on
    for each commune."""
    states = {}
    for commune in communes:
        on = {}
        commune_pages = pages[commune.pk]
        states[commune.pk] = {
            module.key: commune_pages.get(module.key)
            for module in modules
            if _is_on(module, found, on, commune, commune_pages, off, page_on)
        }
    return states


def running_modules(communes, modules=None):
    """Map commune pk → {module key: index page} of the modules *on* for each commune: the
    commune has the module's index page and it is live (or it is the draft set up with a
    commune not published yet). Every module is *off* otherwise.

    A module without an index page (an extension of the modules it ``requires``) is on
    exactly when every module it requires is on for the commune and the commune did not
    switch it off (no ``home.ModuleSwitchOff`` row); its value is None, so test membership
    (``key in running[commune.pk]``), never truthiness. Its requirements' state is
    computed even when they are not among ``modules``.

    One query per module with an index page (and per requirement of those without one)
    and one more, whatever the number of communes. The Modules screen, the dashboard, the
    privacy page, ``manage.py daily`` and ``manage.py modules`` all ask this."""
    communes = list(communes)
    modules = get_modules() if modules is None else list(modules)
    found = _with_requirements(modules)
    pages = index_pages_by_commune(communes, found.values())
    off = _switched_off(communes) if communes else set()
    return _states(communes, modules, found, pages, off, page_is_running)


def module_is_on(commune, module):
    return module.key in running_modules([commune], [module])[commune.pk]


def communes_running(module, communes=None):
    """The communes (a list of CommunePage) for which ``module`` is on; among ``communes``
    when given, else among every commune."""
    if communes is None:
        communes = apps.get_model("home", "CommunePage").objects.order_by("path")
    communes = list(communes)
    running = running_modules(communes, [module])
    return [commune for commune in communes if module.key in running[commune.pk]]


def module_for_model(model):
    """The installed module whose app defines ``model``, or None (a core model)."""
    app_label = model._meta.app_label
    for module in get_modules():
        if module.app_label == app_label:
            return module
    return None


# --- Pages of a module removed from the site -----------------------------------------------


def installed_app_labels():
    return [config.label for config in apps.get_app_configs()]


def removed_module_pages():
    """The pages whose type belongs to no installed app (a module removed from the site
    leaves its Page rows behind, their content type without a model)."""
    from wagtail.models import Page

    return Page.objects.exclude(content_type__app_label__in=installed_app_labels())


def removed_page_paths():
    """The tree paths of the pages of removed modules that are not below another one (the
    roots of what :func:`without_removed_pages` hides): usually none. Kept as a memo of the
    page cache for the current pages and installed apps (``mprc_cms.page_cache``): no
    query on most requests."""
    from mprc_cms import page_cache

    def compute():
        roots = []
        for path in removed_module_pages().order_by("path").values_list("path", flat=True):
            if not any(path.startswith(root) for root in roots):
                roots.append(path)
        return roots

    labels = ",".join(sorted(installed_app_labels()))
    return page_cache.memo(f"removed-module-pages:{labels}", [page_cache.ANY], compute)


def without_removed_pages(pages):
    """``pages`` without those of a module removed from the site, nor any page below one:
    what every public list of pages (menus, search, sitemap…) goes through. No extra
    query: the removed pages are known from a memo (:func:`removed_page_paths`), and when
    there are some, a condition on their paths joins the same query."""
    return _outside(pages, removed_page_paths())


def _outside(pages, roots):
    """``pages`` without those at or below any of the tree paths ``roots``."""
    from django.db.models import Q

    if not roots:
        return pages
    condition = Q()
    for root in roots:
        condition |= Q(path__startswith=root)
    return pages.exclude(condition)


def unpublished_branch_paths():
    """The tree paths of the pages not live that have pages below them (a commune not
    online, a section unpublished): the roots of what :func:`reachable_pages` hides. A
    memo of the page cache valid until any change: no query on most requests."""
    from wagtail.models import Page

    from mprc_cms import page_cache

    def compute():
        roots = []
        pages = Page.objects.filter(live=False, numchild__gt=0).order_by("path")
        for path in pages.values_list("path", flat=True):
            if not any(path.startswith(root) for root in roots):
                roots.append(path)
        return roots

    return page_cache.memo("unpublished-branches", [page_cache.ANY], compute)


def reachable_pages(pages):
    """``pages`` narrowed to those a visitor can reach: live and public, below no page
    that is not live (a commune offline, a projects page unpublished), none of a module
    removed. What a link from one module's page to another's (a micro-parliament's
    priority to its project…) goes through. No extra query on most requests."""
    return _outside(without_removed_pages(pages.live().public()), unpublished_branch_paths())


def is_below_removed_page(page):
    """Whether ``page`` is a page of a module removed from the site, or below one."""
    return any(page.path.startswith(root) for root in removed_page_paths())


def running_condition(module, modules=None, _seen=()):
    """A condition on CommunePage querysets: the communes for which ``module`` is on (the
    same rule as :func:`running_modules`), as subqueries of the same query. For a module
    without an index page: the conditions of the modules it requires (looked up among
    ``modules``, else the installed ones), and no switch-off of its own."""
    from django.db.models import Exists, OuterRef, Q

    switched_off = apps.get_model("home", "ModuleSwitchOff").objects.filter(
        commune_id=OuterRef("pk"), module_key=module.key
    )
    if not module.has_index_page:
        known = {other.key: other for other in (get_modules() if modules is None else modules)}
        condition = ~Exists(switched_off)
        for key in module.requires:
            required = known.get(key)
            if required is None or key in _seen:
                return Q(pk__in=[])
            condition &= running_condition(required, modules, (*_seen, module.key))
        return condition
    index_pages = module.index_page_model.objects.filter(
        path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1
    )
    return Exists(index_pages.filter(live=True)) | (
        Q(first_published_at=None)
        & Exists(index_pages.filter(first_published_at=None))
        & ~Exists(switched_off)
    )
