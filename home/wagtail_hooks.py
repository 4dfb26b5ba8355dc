from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from mprc_cms.admin_buttons import register_page_buttons
from mprc_cms.communes import communes_for_user, is_network_coordinator

from . import admin_views
from .legal_admin import LegalInformationPolicy, LegalInformationViewSet
from .models import CommunePage, LegalInformation, NewsIndexPage
from .onboarding import provision_commune

register_permission_policy(LegalInformation, LegalInformationPolicy(LegalInformation))

app_name = "mprc_communes"
urlpatterns = [
    path("", admin_views.CommuneIndexView.as_view(), name="index"),
    path("new/", admin_views.CommuneCreateView.as_view(), name="create"),
    path("<int:pk>/", admin_views.CommuneModulesView.as_view(), name="modules"),
]


@hooks.register("register_admin_urls")
def register_commune_admin_urls():
    return [path("communes/", include((urlpatterns, app_name), namespace=app_name))]


class CommunesMenuItem(MenuItem):
    def is_shown(self, request):
        return is_network_coordinator(request.user) or communes_for_user(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_communes_menu_item():
    return CommunesMenuItem(
        _("Communes"), reverse("mprc_communes:index"), icon_name="site", order=150
    )


@hooks.register("register_admin_viewset")
def register_legal_information_viewset():
    return LegalInformationViewSet("legal_information")


@register_page_buttons
def commune_modules_button(page, user):
    if (
        isinstance(page.specific_deferred, CommunePage)
        and communes_for_user(user).filter(pk=page.pk).exists()
    ):
        yield Button(
            _("Modules"),
            reverse("mprc_communes:modules", args=[page.pk]),
            icon_name="cogs",
            priority=55,
        )


@hooks.register("after_create_page")
def provision_commune_created_in_editor(request, page):
    """A commune created through the page editor gets the same rights as one created
    with the commune form or the command."""
    if isinstance(page.specific, CommunePage):
        provision_commune(page.specific)


@hooks.register("register_log_actions")
def register_mprc_log_actions(actions):
    actions.register_action("mprc.module_on", _("Switch a module on"), _("Module switched on"))
    actions.register_action("mprc.import", _("Import a file"), _("File imported"))
    actions.register_action("mprc.export", _("Export data"), _("Data exported"))


class MyCommunesPanel(Component):
    """On the admin dashboard: the communes the user manages and what to do next."""

    name = "my_communes"
    template_name = "home/admin/my_communes_panel.html"
    order = 50

    def __init__(self, communes):
        self.communes = communes

    def get_context_data(self, parent_context=None):
        news_indexes = {
            page.path[: -page.steplen]: page
            for page in NewsIndexPage.objects.filter(
                depth__in={commune.depth + 1 for commune in self.communes}
            )
        }
        for commune in self.communes:
            commune.news_index = news_indexes.get(commune.path)
        return {"communes": self.communes}


@hooks.register("construct_homepage_panels")
def add_my_communes_panel(request, panels):
    communes = list(communes_for_user(request.user).order_by("title")[:20])
    if communes:
        panels.append(MyCommunesPanel(communes))
