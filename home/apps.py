from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def refresh_module_rights(sender, **kwargs):
    """After ``migrate``, give existing groups the permissions that the installed modules
    declare, so a module added to an installation works for every commune at once."""
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


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Network and communes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published

        from .commune_removal import clean_up_deleted_commune
        from .models import CommunePage
        from .search import connect_signals

        post_migrate.connect(refresh_module_rights, dispatch_uid="home.refresh_module_rights")
        page_published.connect(
            publish_set_up_pages, sender=CommunePage, dispatch_uid="home.publish_set_up_pages"
        )
        post_delete.connect(
            clean_up_deleted_commune, sender=CommunePage, dispatch_uid="home.clean_up_commune"
        )
        connect_signals()
