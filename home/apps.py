from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def refresh_module_rights(sender, **kwargs):
    """After ``migrate``, give each commune's group the permissions of the modules on for
    it and take those of the modules off (``provision_commune``), and the coordinators'
    group every installed module's."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    # post_migrate is sent once per app with models, in INSTALLED_APPS order: act on the
    # last one, when every app's permissions exist.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is not with_models[-1]:
        return

    from .models import CommunePage
    from .onboarding import COORDINATORS_GROUP_NAME, ensure_coordinators_group, provision_commune

    if Group.objects.filter(name=COORDINATORS_GROUP_NAME).exists():
        ensure_coordinators_group()
    for commune in CommunePage.objects.exclude(editors_group=None):
        provision_commune(commune)


def publish_set_up_pages(sender, instance, **kwargs):
    """A commune published: the pages set up with it (its news section, its modules' index
    pages) that were never published are published with it."""
    from .onboarding import publish_set_up_pages

    publish_set_up_pages(instance)


def follow_index_page(sender, instance, published, **kwargs):
    """A module's index page published or unpublished by hand (the page editor) switches
    the module on or off for the commune's rights too: the editors group gets or loses the
    module's permissions (``home.onboarding.grant_module_rights``), and the modules without
    an index page that need it follow (``home.onboarding.follow_index_page_by_hand``)."""
    from mprc_cms.modules import get_modules

    from .models import CommunePage
    from .onboarding import follow_index_page_by_hand, grant_module_rights

    modules = [
        module
        for module in get_modules()
        if module.has_index_page and isinstance(instance, module.index_page_model)
    ]
    if not modules:
        return
    parent = instance.get_parent()
    if parent is not None and parent.specific_class is CommunePage:
        follow_index_page_by_hand(parent.specific, modules[0], published)
        grant_module_rights(parent.specific)


def follow_index_page_published(sender, instance, **kwargs):
    follow_index_page(sender, instance, published=True, **kwargs)


def follow_index_page_unpublished(sender, instance, **kwargs):
    follow_index_page(sender, instance, published=False, **kwargs)


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Network and communes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published, page_unpublished

        from .commune_removal import clean_up_deleted_commune
        from .models import CommunePage
        from .search import connect_signals

        post_migrate.connect(refresh_module_rights, dispatch_uid="home.refresh_module_rights")
        page_published.connect(
            publish_set_up_pages, sender=CommunePage, dispatch_uid="home.publish_set_up_pages"
        )
        page_published.connect(
            follow_index_page_published, dispatch_uid="home.follow_index_page_on"
        )
        page_unpublished.connect(
            follow_index_page_unpublished, dispatch_uid="home.follow_index_page_off"
        )
        post_delete.connect(
            clean_up_deleted_commune, sender=CommunePage, dispatch_uid="home.clean_up_commune"
        )
        connect_signals()
