"""Setting up the network and its communes: pages, editor groups, collections, sites.

One service serves the ``create_commune`` command, the admin form and the page editor, so
a commune gets the same rights whichever way it was created. Every function here is
idempotent: calling it again changes nothing that is already in place.

A new commune is a draft: its staff prepare it, a network coordinator publishes it
(:func:`publish_commune`, or the page editor). Until then nothing of it is public, and the
pages set up with it (its news section, its modules' index pages) are drafts too; they are
published with the commune's first publication (:func:`publish_set_up_pages`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
)

from mprc_cms.modules import get_modules
from mprc_cms.text import fold

from .communes import COMMUNES_SLUG
from .models import LEGAL_SLUGS, CommunePage, LegalInformation, NetworkHomePage, NewsIndexPage

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


@dataclass
class CommuneSetup:
    commune: CommunePage
    created: bool


def _permission(dotted):
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


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
    for dotted in COORDINATOR_MODEL_PERMISSIONS:
        group.permissions.add(_permission(dotted))
    for module in get_modules():
        for dotted in (*module.editor_permissions, *module.coordinator_permissions):
            group.permissions.add(_permission(dotted))
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


@transaction.atomic
def provision_commune(commune):
    """Give a commune its editors group, its collection and their rights (idempotent)."""
    group = commune.editors_group
    if group is None:
        group, _created = Group.objects.get_or_create(name=editors_group_name(commune))
    for dotted in EDITOR_MODEL_PERMISSIONS:
        group.permissions.add(_permission(dotted))
    for module in get_modules():
        for dotted in module.editor_permissions:
            group.permissions.add(_permission(dotted))
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
    return [NewsIndexPage, *(module.index_page_model for module in get_modules())]


def publish_set_up_pages(commune, user=None):
    """Publish the pages set up with the commune that were never published (a page its staff
    unpublished since stays so). Called whenever the commune is published (the
    ``page_published`` signal, ``home/apps.py``)."""
    content_types = ContentType.objects.get_for_models(*set_up_page_models()).values()
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


@transaction.atomic
def switch_module_on(commune, module, user=None):
    """Create the module's index page under the commune (idempotent): published, or a
    draft published with the commune when the commune was never published."""
    existing = module.index_page_for(commune)
    if existing is not None:
        return existing, False
    with translation.override(settings.LANGUAGE_CODE):
        page = module.index_page_model(
            title=str(module.default_title),
            slug=module.default_slug,
            show_in_menus=True,
            owner=user,
        )
    create_set_up_page(commune, page, user)
    log(
        instance=commune,
        action="mprc.module_on",
        user=user,
        data={"module": module.key, "label": str(module.label)},
    )
    provision_commune(commune)
    return page, True
