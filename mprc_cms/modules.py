"""The module registry.

A module is a Django app whose AppConfig has an ``mprc_module`` attribute holding a
:class:`ModuleInfo`. Adding such an app to INSTALLED_APPS is all it takes for the module
to appear in the commune admin screen and the network overview; removing it removes it.

A module is *on* for a commune when the commune has the module's index page (a direct
child of the CommunePage). Index page models declare
``parent_page_types = ["home.CommunePage"]`` and ``max_count_per_parent = 1``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.functional import Promise


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
    index_page_model: str  # "app_label.ModelName"
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
    # Dotted path of a callable ``run(today, now)`` that does the module's daily work
    # (reminders, digests, erasing expired personal data) and returns a one-line report;
    # ``manage.py daily`` calls every module's.
    daily_job: str | None = None
    # Dotted path of a URLconf of public views that cannot be page routes (e.g. a one-click
    # unsubscribe link that mail clients POST to without a CSRF token). Served under
    # ``/<module key>/``, in every language.
    urls: str | None = None
    # Dotted paths of the module's kinds of search results (subclasses of
    # ``mprc_cms.search.SearchKind``): what the site search finds in the module, grouped
    # under each kind's heading.
    search_kinds: tuple[str, ...] = ()
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


@dataclass(frozen=True)
class Module:
    """An installed module: its declaration and the app that declares it."""

    info: ModuleInfo
    app_label: str
    app_verbose_name: str | Promise = field(default="")

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
        return apps.get_model(self.info.index_page_model)

    @property
    def default_title(self):
        return self.info.default_title or self.info.label

    @property
    def default_slug(self):
        return self.info.default_slug or self.info.key

    def index_page_for(self, commune):
        """The commune's index page of this module, or None when the module is off."""
        return self.index_page_model.objects.child_of(commune).first()


def get_modules():
    """Installed modules, in INSTALLED_APPS order."""
    modules = []
    for app_config in apps.get_app_configs():
        info = getattr(app_config, "mprc_module", None)
        if isinstance(info, ModuleInfo):
            modules.append(Module(info, app_config.label, app_config.verbose_name))
    return modules


def get_public_modules():
    """Installed modules in the order the public pages list them (``public_order``)."""
    return sorted(get_modules(), key=lambda module: module.info.public_order)


def get_module(key):
    for module in get_modules():
        if module.key == key:
            return module
    return None


def index_pages_by_commune(communes, modules=None, live_only=False):
    """Map commune id → {module key: index page} with one query per module.

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
        pages = module.index_page_model.objects.filter(depth__in=depths)
        if live_only:
            pages = pages.live().public()
        for page in pages.order_by("path"):
            commune_pk = by_path.get(page.path[:-steplen])
            if commune_pk is not None:
                result[commune_pk][module.key] = page
    return result


def communes_by_module(communes, modules=None, live_only=True):
    """Map module key → list of communes that run it (for the network overview)."""
    communes = list(communes)
    pages = index_pages_by_commune(communes, modules, live_only=live_only)
    running = defaultdict(list)
    for commune in communes:
        for key in pages[commune.pk]:
            running[key].append(commune)
    return running
