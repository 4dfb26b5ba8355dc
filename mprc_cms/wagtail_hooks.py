from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from mprc_cms.accounts import LockoutsView
from mprc_cms.admin_scoping import (
    only_live_pages_outside_ones_communes,
    scope_admin_api,
)
from mprc_cms.communes import is_network_coordinator
from mprc_cms.imports import urls as import_urls


@hooks.register("register_admin_urls")
def register_import_admin_urls():
    return [
        path(
            "imports/",
            include((import_urls.urlpatterns, import_urls.app_name), namespace="mprc_imports"),
        )
    ]


@hooks.register("register_admin_urls")
def register_lockouts_admin_urls():
    return [path("lockouts/", LockoutsView.as_view(), name="mprc_lockouts")]


class CoordinatorsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_network_coordinator(request.user)


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return CoordinatorsMenuItem(
        _("Sign-in lockouts"), reverse("mprc_lockouts"), icon_name="lock", order=900
    )


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_action("mprc.login_unlocked", _("Unlock a sign-in"), _("Sign-in unlocked"))


# Wagtail's own screens, kept inside the user's communes (see mprc_cms/admin_scoping.py).
hooks.register("construct_page_chooser_queryset", only_live_pages_outside_ones_communes)
# After Wagtail's own images and documents endpoints, which it replaces.
hooks.register("construct_admin_api", scope_admin_api, order=100)


@hooks.register("before_serve_page")
def note_page_for_the_page_cache(page, request, serve_args, serve_kwargs):
    """The page cache (mprc_cms/page_cache.py) keeps only the site's pages, each under
    the scopes of its commune."""
    request.page_cache_page = page


@hooks.register("insert_global_admin_css")
def admin_css():
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("construct_page_action_menu")
def unpublish_in_the_header_only(menu_items, request, context):
    """Wagtail offers “Unpublish” twice in a live page's editor: in the header's “More”
    menu and in the footer's save and publish menu. It stays in the header, with the
    other actions on the page itself (move, copy, delete, history), as in the page
    listing's “More” menu; the footer keeps the actions that save the form."""
    menu_items[:] = [item for item in menu_items if item.name != "action-unpublish"]
