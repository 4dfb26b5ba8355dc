"""Setting up the network and its communes: pages, editor groups, collections, sites.

One service serves the ``create_commune`` command, the admin form and the page editor, so
a commune gets the same rights whichever way it was created. Every function here is
idempotent: calling it again changes nothing that is already in place.

A new commune is a draft: its staff prepare it, a network coordinator publishes it
(:func:`publish_commune`, or the page editor). Until then nothing of it is public, and the
pages set up with it (its news section, its modules' index pages) are drafts too; they are
published with the commune's first publication (:func:`publish_set_up_pages`).
"""

import contextvars
import functools
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
)

from mprc_cms.communes import subtree_condition
from mprc_cms.modules import get_modules, running_modules
from mprc_cms.text import fold

from .communes import COMMUNES_SLUG
from .models import (
    LEGAL_SLUGS,
    CommunePage,
    LegalInformation,
    ModuleSwitchOff,
    NetworkHomePage,
    NewsIndexPage,
)

# The addresses of the network home's routes, which a commune's page cannot take.
RESERVED_SLUGS = (*LEGAL_SLUGS, COMMUNES_SLUG)

COMMUNE_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COORDINATOR_PAGE_PERMISSIONS = [*COMMUNE_PAGE_PERMISSIONS, "bulk_delete_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", ["add_document", "change_document", "choose_document"]),
]
COORDINATOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", ["add_image", "change_image", "choose_image", "delete_image"]),
    ("wagtaildocs", ["add_document", "change_document", "choose_document", "delete_document"]),
]
# Every commune's staff edit their commune's legal information (scoped by its policy).
EDITOR_MODEL_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "home.view_legalinformation",
    "home.change_legalinformation",
]
COORDINATOR_MODEL_PERMISSIONS = [
    *EDITOR_MODEL_PERMISSIONS,
    "auth.add_user",
    "auth.change_user",
    "auth.view_user",
]
COORDINATORS_GROUP_NAME = "Coordinateurs du réseau"


class NetworkNotReady(Exception):
    """There is no network home page to create communes under."""


class ModuleRequirementError(ValueError):
    """A module without an index page cannot be switched on for a commune while a module
    it requires is off there. ``missing``: those modules (or their keys when not
    installed); the message names them, in the active language."""

    def __init__(self, module, missing):
        self.module = module
        self.missing = list(missing)
        names = ", ".join(
            _("“%(module)s”") % {"module": getattr(required, "label", required)}
            for required in self.missing
        )
        super().__init__(
            ngettext(
                "Switch on %(modules)s first: this module needs it.",
                "Switch on %(modules)s first: this module needs them.",
                len(self.missing),
            )
            % {"modules": names}
        )


@dataclass
class CommuneSetup:
    commune: CommunePage
    created: bool


def _permission(dotted):
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _permissions(dotted_names, strict=True):
    """The permissions named "app_label.codename", in one query; with ``strict``, a name
    that matches none raises Permission.DoesNotExist, as :func:`_permission` does."""
    names = {tuple(dotted.split(".", 1)) for dotted in dotted_names}
    if not names:
        return []
    condition = Q()
    for app_label, codename in names:
        condition |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(condition).select_related("content_type"))
    missing = names - {(p.content_type.app_label, p.codename) for p in found}
    if strict and missing:
        raise Permission.DoesNotExist(
            "No such permission: " + ", ".join(sorted(".".join(name) for name in missing))
        )
    return found


def _page_permission(codename):
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def _grant_page_permissions(group, page, codenames):
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_page_permission(codename)
        )


def _grant_collection_permissions(group, collection, spec):
    for app_label, codenames in spec:
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=_permission(f"{app_label}.{codename}"),
            )


def get_network_home():
    home = NetworkHomePage.objects.first()
    if home is None:
        raise NetworkNotReady(
            _("The network home page does not exist yet: run “python manage.py migrate”.")
        )
    return home


@transaction.atomic
def ensure_coordinators_group():
    """The group of network coordinators: rights on the whole network home subtree."""
    group, _created = Group.objects.get_or_create(name=COORDINATORS_GROUP_NAME)
    names = set(COORDINATOR_MODEL_PERMISSIONS)
    for module in get_modules():
        names.update((*module.editor_permissions, *module.coordinator_permissions))
    group.permissions.add(*_permissions(names))
    home = get_network_home()
    _grant_page_permissions(group, home, COORDINATOR_PAGE_PERMISSIONS)
    LegalInformation.objects.get_or_create(page_id=home.pk)
    _grant_collection_permissions(
        group, Collection.get_first_root_node(), COORDINATOR_COLLECTION_PERMISSIONS
    )
    return group


def editors_group_name(commune):
    with translation.override(settings.LANGUAGE_CODE):
        return _("Editors — %(commune)s (%(insee)s)") % {
            "commune": commune.title,
            "insee": commune.insee_code,
        }


def editor_permission_names(commune):
    """The model permissions the commune's editors group holds: the core's, and those of
    the modules on for the commune (``mprc_cms.modules.running_modules``)."""
    modules = get_modules()
    running = running_modules([commune], modules)[commune.pk]
    wanted = set(EDITOR_MODEL_PERMISSIONS)
    for module in modules:
        if module.key in running:
            wanted.update(module.editor_permissions)
    return wanted


def grant_module_rights(commune, group=None):
    """Give the commune's editors group the core's permissions and those of the modules on
    for it, and take away those of the modules off for it (a permission another module on
    for it also declares stays). Other permissions of the group are left as they are."""
    group = group or commune.editors_group
    if group is None:
        return
    wanted = editor_permission_names(commune)
    declared = {dotted for module in get_modules() for dotted in module.editor_permissions}
    group.permissions.add(*_permissions(wanted))
    group.permissions.remove(*_permissions(declared - wanted, strict=False))


@transaction.atomic
def provision_commune(commune):
    """Give a commune its editors group, its collection and their rights (idempotent)."""
    group = commune.editors_group
    if group is None:
        group, _created = Group.objects.get_or_create(name=editors_group_name(commune))
    grant_module_rights(commune, group)
    _grant_page_permissions(group, commune, COMMUNE_PAGE_PERMISSIONS)

    collection = commune.collection
    if collection is None:
        root = Collection.get_first_root_node()
        name = f"{commune.title} ({commune.insee_code})"
        collection = root.get_children().filter(name=name).first() or root.add_child(name=name)
    _grant_collection_permissions(group, collection, EDITOR_COLLECTION_PERMISSIONS)

    if (commune.editors_group_id, commune.collection_id) != (group.pk, collection.pk):
        CommunePage.objects.filter(pk=commune.pk).update(editors_group=group, collection=collection)
        commune.editors_group, commune.collection = group, collection

    LegalInformation.objects.get_or_create(page_id=commune.pk)

    if not NewsIndexPage.objects.child_of(commune).exists():
        # Page content is written in the site's language, whatever the admin's language.
        with translation.override(settings.LANGUAGE_CODE):
            news_index = NewsIndexPage(
                title=_("News"),
                slug=slugify(_("News")),
                intro=_("The news of the commune and of its micro-parliament."),
                show_in_menus=True,
            )
        create_set_up_page(commune, news_index)
    return commune


def create_and_publish(parent, page, user=None):
    """Add ``page`` under ``parent`` and publish it, as the page editor would (audit log)."""
    revision = _create(parent, page, user)
    revision.publish(user=user)
    return page


def create_draft(parent, page, user=None):
    """Add ``page`` under ``parent`` as a draft, as the page editor would (audit log)."""
    page.live = False
    _create(parent, page, user)
    return page


def _create(parent, page, user):
    parent.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=False)
    log(instance=page, action="wagtail.create", user=user)
    return revision


def create_set_up_page(commune, page, user=None):
    """A page set up with the commune (its news section, a module's index page): published
    at once under a commune that was ever published, a draft under a new one, published
    with it."""
    if commune.first_published_at is None:
        return create_draft(commune, page, user)
    return create_and_publish(commune, page, user)


def set_up_page_models():
    """The page types set up under every commune: its news section and the index page of
    each installed module."""
    return [
        NewsIndexPage,
        *(module.index_page_model for module in get_modules() if module.has_index_page),
    ]


def publish_set_up_pages(commune, user=None):
    """Publish the pages set up with the commune that were never published (a page its staff
    unpublished since stays so). Called whenever the commune is published (the
    ``page_published`` signal, ``home/apps.py``)."""
    switched_off = set(
        ModuleSwitchOff.objects.filter(commune_id=commune.pk).values_list("module_key", flat=True)
    )
    models = [NewsIndexPage] + [
        module.index_page_model
        for module in get_modules()
        if module.has_index_page and module.key not in switched_off
    ]
    content_types = ContentType.objects.get_for_models(*models).values()
    pages = Page.objects.child_of(commune).filter(
        content_type__in=content_types, live=False, first_published_at=None
    )
    for page in pages.specific():
        revision = page.get_latest_revision() or page.save_revision(user=user, log_action=False)
        revision.publish(user=user, skip_permission_checks=True)


def publish_commune(commune, user=None):
    """Publish the commune's latest revision (with the pages set up with it), as a
    coordinator does from the commune list."""
    commune = commune.specific
    revision = commune.get_latest_revision() or commune.save_revision(user=user)
    revision.publish(user=user, skip_permission_checks=True)
    commune.refresh_from_db()
    return commune


def communes_named(name, exclude_pk=None):
    """The communes whose name is ``name``, accent-, case- and punctuation-blind
    (« Saint-Martin » and « saint martin »): two French communes may share a name, so a
    second one is only a warning, never refused (the INSEE code tells them apart)."""
    wanted = fold(name)
    if not wanted:
        return []
    communes = CommunePage.objects.exclude(pk=exclude_pk).only("title", "insee_code")
    return [c for c in communes.order_by("insee_code") if fold(c.title) == wanted]


@transaction.atomic
def create_commune(
    *,
    name,
    insee_code,
    postcode,
    population=None,
    epci="",
    hostname="",
    user=None,
    publish=False,
):
    """Create a commune under the network home, with its rights, in one step: a draft
    until a coordinator publishes it, or published at once with ``publish``.

    Returns a CommuneSetup whose ``created`` is False when a commune with this INSEE
    code already exists (nothing is changed then).
    """
    existing = CommunePage.objects.filter(insee_code=insee_code).first()
    if existing is not None:
        return CommuneSetup(existing, created=False)

    home = get_network_home()
    slug = slugify(name) or insee_code
    if slug in RESERVED_SLUGS or Page.objects.child_of(home).filter(slug=slug).exists():
        slug = f"{slug}-{insee_code.lower()}"
    commune = CommunePage(
        title=name,
        slug=slug,
        insee_code=insee_code,
        postcode=postcode,
        population=population,
        epci=epci or "",
        show_in_menus=True,
        owner=user,
    )
    create_draft(home, commune, user)
    provision_commune(commune)
    if hostname:
        Site.objects.create(hostname=hostname, port=80, root_page=commune, site_name=name)
    if publish:
        commune = publish_commune(commune, user)
    return CommuneSetup(commune, created=True)


def module_pages(commune, module):
    """The pages of ``module`` in the commune's subtree: those of the module's page types
    and every page below one of them."""
    own = Page.objects.descendant_of(commune).filter(content_type__app_label=module.app_label)
    paths = list(own.values_list("path", flat=True))
    return Page.objects.filter(subtree_condition(paths)) if paths else Page.objects.none()


def _publish(page, revision_id, user):
    page = page.specific
    revision = None
    if revision_id:
        revision = page.revisions.filter(pk=revision_id).first()
    revision = revision or page.get_latest_revision() or page.save_revision(user=user)
    revision.publish(user=user, skip_permission_checks=True)


def _republish(unpublished, user, skip=None):
    """Publish again the pages a switch-off unpublished (``{page pk: revision pk}``) that
    are still unpublished, but ``skip`` (a page pk)."""
    for other in Page.objects.filter(pk__in=[int(pk) for pk in unpublished], live=False):
        if other.pk != skip:
            _publish(other, unpublished[str(other.pk)], user)


def _installed(keys):
    """The installed modules of ``keys``, in their order; a key not installed stays a key."""
    modules = {module.key: module for module in get_modules()}
    return [modules.get(key, key) for key in keys]


def dependent_modules(module):
    """The installed modules without an index page that need ``module``, directly or
    through another of them: those a switch-off of ``module`` switches off too."""
    found, todo = [], [module.key]
    while todo:
        key = todo.pop()
        for other in get_modules():
            if not other.has_index_page and key in other.requires and other not in found:
                found.append(other)
                todo.append(other.key)
    return found


def _switch_extension_on(commune, module, user):
    """``switch_module_on`` for a module without an index page: see there."""
    requirements = _installed(module.requires)
    installed = [each for each in requirements if not isinstance(each, str)]
    running = running_modules([commune], [module, *installed])[commune.pk]
    missing = [each for each in requirements if getattr(each, "key", each) not in running]
    if missing:
        raise ModuleRequirementError(module, missing)
    switched_off = ModuleSwitchOff.objects.filter(
        commune_id=commune.pk, module_key=module.key
    ).first()
    if switched_off is None:
        provision_commune(commune)
        return None, False
    unpublished = dict(switched_off.unpublished_page_ids)
    switched_off.delete()
    if commune.first_published_at is not None:
        _republish(unpublished, user)
    log(
        instance=commune,
        action="mprc.module_on",
        user=user,
        data={"module": module.key, "label": str(module.label)},
    )
    provision_commune(commune)
    return None, False


# Set while switch_module_on/off run: the pages they publish and unpublish themselves are
# not switches by hand (see follow_index_page_by_hand).
_switching = contextvars.ContextVar("mprc_switching_modules", default=False)


def _while_switching(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        token = _switching.set(True)
        try:
            return function(*args, **kwargs)
        finally:
            _switching.reset(token)

    return wrapper


@transaction.atomic
@_while_switching
def switch_module_on(commune, module, user=None):
    """Switch ``module`` on for the commune (idempotent). Creates its index page (published,
    or a draft published with the commune when the commune was never published) or
    republishes it, republishes the pages its switch-off unpublished (a page its staff
    had unpublished before stays so), gives the commune's editors group the module's
    permissions and writes it in the audit log. Returns (index page, whether the page was
    created).

    A module without an index page (``mprc_cms.modules``) is switched on by forgetting its
    switch-off: refused with :class:`ModuleRequirementError`, changing nothing, while a
    module it requires is off for the commune. Returns (None, False)."""
    commune = commune.specific
    if not module.has_index_page:
        return _switch_extension_on(commune, module, user)
    switched_off = ModuleSwitchOff.objects.filter(
        commune_id=commune.pk, module_key=module.key
    ).first()
    existing = module.index_page_for(commune)
    if (
        existing is not None
        and switched_off is None
        and module.key in running_modules([commune], [module])[commune.pk]
    ):
        provision_commune(commune)
        return existing, False
    if existing is None:
        with translation.override(settings.LANGUAGE_CODE):
            page = module.index_page_model(
                title=str(module.default_title),
                slug=module.default_slug,
                show_in_menus=True,
                owner=user,
            )
        create_set_up_page(commune, page, user)
    else:
        page = existing
    unpublished = dict(switched_off.unpublished_page_ids) if switched_off else {}
    if switched_off is not None:
        switched_off.delete()
    if existing is not None and commune.first_published_at is not None:
        if not page.live:
            _publish(page, unpublished.get(str(page.pk)), user)
        _republish(unpublished, user, skip=page.pk)
    log(
        instance=commune,
        action="mprc.module_on",
        user=user,
        data={"module": module.key, "label": str(module.label)},
    )
    provision_commune(commune)
    page.refresh_from_db()
    return page, existing is None


@transaction.atomic
@_while_switching
def switch_module_off(commune, module, user=None):
    """Switch ``module`` off for the commune (idempotent): unpublish every page of the
    module in the commune's subtree (in the audit log, page by page), remember them so
    that switching it on again republishes them, take the module's permissions from the
    commune's editors group, and write it in the audit log. The module's daily work stops
    for the commune (``manage.py daily`` passes each job the communes running it). Its
    data is kept. Returns the number of pages unpublished, or None when it was off.

    The modules without an index page that need it (:func:`dependent_modules`) and are on
    go off with it: their pages of the commune are unpublished too and remembered in the
    module's own switch-off, so that switching it on again brings them back (one that was
    switched off before stays off)."""
    commune = commune.specific
    dependents = dependent_modules(module)
    running = running_modules([commune], [module, *dependents])[commune.pk]
    if module.key not in running:
        switched_off, _created = ModuleSwitchOff.objects.get_or_create(
            commune_id=commune.pk, module_key=module.key
        )
        if not module.has_index_page:
            _claim_pages(commune, module, switched_off)
        provision_commune(commune)
        return None
    unpublished = {}
    for each in [module, *(other for other in dependents if other.key in running)]:
        pages = module_pages(commune, each).live().order_by("path")
        for page in pages.specific(defer=True):
            unpublished[str(page.pk)] = page.live_revision_id
            UnpublishPageAction(page, user=user).execute(skip_permission_checks=True)
    ModuleSwitchOff.objects.update_or_create(
        commune_id=commune.pk,
        module_key=module.key,
        defaults={"unpublished_page_ids": sorted(unpublished.items())},
    )
    log(
        instance=commune,
        action="mprc.module_off",
        user=user,
        data={
            "module": module.key,
            "label": str(module.label),
            "pages": len(unpublished),
            "with": [other.key for other in dependents if other.key in running],
        },
    )
    provision_commune(commune)
    return len(unpublished)


def _claim_pages(commune, module, switched_off):
    """A module without an index page switched off while already off (a module it requires
    is off): its pages that the required module's switch-off remembered are now its own to
    republish, so that switching the required module on again leaves them unpublished."""
    own = set(map(str, module_pages(commune, module).values_list("pk", flat=True)))
    claimed = dict(switched_off.unpublished_page_ids)
    others = ModuleSwitchOff.objects.filter(commune_id=commune.pk).exclude(pk=switched_off.pk)
    for other in others:
        pages = dict(other.unpublished_page_ids)
        mine = {pk: revision for pk, revision in pages.items() if pk in own}
        if mine:
            claimed.update(mine)
            other.unpublished_page_ids = sorted(
                (pk, revision) for pk, revision in pages.items() if pk not in own
            )
            other.save(update_fields=["unpublished_page_ids"])
    if claimed != dict(switched_off.unpublished_page_ids):
        switched_off.unpublished_page_ids = sorted(claimed.items())
        switched_off.save(update_fields=["unpublished_page_ids"])


@transaction.atomic
def follow_index_page_by_hand(commune, module, published):
    """A module's index page published or unpublished by hand (the page editor), which
    switches the module on or off: the modules without an index page that need it follow,
    as with :func:`switch_module_off` and :func:`switch_module_on`. Unpublished, their live
    pages in the commune are unpublished too and remembered in the module's switch-off;
    published again, those are republished. A module switched off on its own is left as it
    is. The rights follow from :func:`grant_module_rights`."""
    if _switching.get():
        return
    commune = commune.specific
    dependents = dependent_modules(module)
    if not dependents:
        return
    own_switch_offs = set(
        ModuleSwitchOff.objects.filter(
            commune_id=commune.pk, module_key__in=[other.key for other in dependents]
        ).values_list("module_key", flat=True)
    )
    following = [other for other in dependents if other.key not in own_switch_offs]
    theirs = {
        str(pk)
        for other in following
        for pk in module_pages(commune, other).values_list("pk", flat=True)
    }
    record = ModuleSwitchOff.objects.filter(commune_id=commune.pk, module_key=module.key).first()
    if published:
        if record is None:
            return
        remembered = dict(record.unpublished_page_ids)
        for pk in sorted(set(remembered) & theirs, key=int):
            page = Page.objects.filter(pk=int(pk), live=False).first()
            if page is not None:
                _publish(page, remembered[pk], None)
            del remembered[pk]
        if remembered:
            record.unpublished_page_ids = sorted(remembered.items())
            record.save(update_fields=["unpublished_page_ids"])
        else:
            record.delete()
        return
    unpublished = {}
    for page in (
        Page.objects.filter(pk__in=[int(pk) for pk in theirs], live=True)
        .order_by("path")
        .specific(defer=True)
    ):
        unpublished[str(page.pk)] = page.live_revision_id
        UnpublishPageAction(page).execute(skip_permission_checks=True)
    if unpublished:
        record = record or ModuleSwitchOff(commune_id=commune.pk, module_key=module.key)
        record.unpublished_page_ids = sorted(
            {**dict(record.unpublished_page_ids or []), **unpublished}.items()
        )
        record.save()
