from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.components import Component
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from mprc_cms.admin_buttons import register_page_buttons
from mprc_cms.communes import communes_for_user, is_network_coordinator
from mprc_cms.dashboard import commune_blocks

from . import admin_views, help_guide
from .commune_removal import deletion_refusal
from .legal_admin import LegalInformationPolicy, LegalInformationViewSet
from .links import ServablePageLinkHandler
from .models import CommunePage, LegalInformation, NewsIndexPage
from .onboarding import provision_commune

register_permission_policy(LegalInformation, LegalInformationPolicy(LegalInformation))

app_name = "mprc_communes"
urlpatterns = [
    path("", admin_views.CommuneIndexView.as_view(), name="index"),
    path("new/", admin_views.CommuneCreateView.as_view(), name="create"),
    path("<int:pk>/", admin_views.CommuneModulesView.as_view(), name="modules"),
    path(
        "<int:pk>/off/<str:key>/",
        admin_views.ModuleOffView.as_view(),
        name="module_off",
    ),
    path("<int:pk>/imprimer/", admin_views.CommunePrintablesView.as_view(), name="printables"),
    path(
        "<int:pk>/imprimer/<str:module>/<str:key>/<str:kind>/",
        admin_views.PrintView.as_view(),
        name="print",
    ),
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


@hooks.register("register_admin_urls")
def register_help_guide_admin_urls():
    return [
        path(
            "aide/",
            include((help_guide.urlpatterns, help_guide.app_name), namespace=help_guide.app_name),
        )
    ]


@hooks.register("register_help_menu_item")
def register_help_guide_menu_item():
    return MenuItem(
        _("Guide for commune staff"),
        reverse("mprc_help:index"),
        name="mprc-help-guide",
        icon_name="help",
        order=900,
    )


@hooks.register("construct_help_menu")
def keep_help_menu_on_site(request, menu_items):
    """Wagtail's own help items open its English guide and release notes on
    guide.wagtail.org: the Help menu keeps the site's guide (and the keyboard shortcuts)."""
    menu_items[:] = [item for item in menu_items if not item.url.startswith(("http:", "https:"))]


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


@hooks.register("before_delete_page")
def refuse_deleting_communes_with_data(request, page):
    """A commune (or a page above communes) is not deleted while a commune holds data:
    the coordinator is told what remains (``home/commune_removal.py``)."""
    refusal = deletion_refusal([page])
    if refusal:
        messages.error(request, refusal)
        parent = page.get_parent()
        return redirect(
            get_valid_next_url_from_request(request)
            or reverse("wagtailadmin_explore", args=[parent.pk if parent else page.pk])
        )
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_communes_with_data(request, action_type, objects, action):
    """The same refusal for the page listing's bulk deletion."""
    if action_type != "delete" or not any(isinstance(obj, Page) for obj in objects):
        return None
    refusal = deletion_refusal([obj for obj in objects if isinstance(obj, Page)])
    if refusal:
        messages.error(request, refusal)
        return redirect(action.next_url)
    return None


@hooks.register("register_log_actions")
def register_mprc_log_actions(actions):
    actions.register_action(
        "mprc.commune_deleted",
        _("Delete a commune"),
        _("Commune deleted, with its editors group and its collection"),
    )
    actions.register_action("mprc.module_on", _("Switch a module on"), _("Module switched on"))
    actions.register_action("mprc.module_off", _("Switch a module off"), _("Module switched off"))
    actions.register_action("mprc.import", _("Import a file"), _("File imported"))
    actions.register_action("mprc.export", _("Export data"), _("Data exported"))


# Communes shown per page of the dashboard's «Your communes» panel (a coordinator manages
# every commune of the network: the others are on the next pages and in the Communes menu).
DASHBOARD_COMMUNES = 10


class MyCommunesPanel(Component):
    """On the admin dashboard: a block per commune the user manages, with its state, where
    the modules it runs stand (``mprc_cms.dashboard``) and what to do next."""

    name = "my_communes"
    template_name = "home/admin/my_communes_panel.html"
    order = 50

    def __init__(self, request, communes_page):
        self.request = request
        self.communes_page = communes_page

    def get_context_data(self, parent_context=None):
        communes = list(self.communes_page.object_list)
        news_indexes = {
            page.path[: -page.steplen]: page
            for page in NewsIndexPage.objects.filter(
                depth__in={commune.depth + 1 for commune in communes}
            )
        }
        for commune in communes:
            commune.news_index = news_indexes.get(commune.path)
        paginator = self.communes_page.paginator
        return {
            "blocks": commune_blocks(communes, self.request.user),
            "communes_page": self.communes_page,
            "elided_page_range": paginator.get_elided_page_range(self.communes_page.number),
            "request": self.request,
        }


@hooks.register("construct_homepage_panels")
def add_my_communes_panel(request, panels):
    # Their state (published, draft, in moderation…) without a query per commune.
    communes = (
        communes_for_user(request.user)
        .annotate_approved_schedule()
        .prefetch_workflow_states()
        .order_by("title", "pk")
    )
    paginator = WagtailPaginator(communes, DASHBOARD_COMMUNES)
    communes_page = paginator.get_page(request.GET.get("p"))
    if paginator.count:
        panels.append(MyCommunesPanel(request, communes_page))


@hooks.register("register_rich_text_features", order=100)
def link_only_to_servable_pages(features):
    """After Wagtail's own (order 100): rich text links only to pages a visitor can open."""
    features.register_link_type(ServablePageLinkHandler)


@hooks.register("before_serve_page")
def hide_pages_of_removed_modules(page, request, serve_args, serve_kwargs):
    """A page of a module removed from the site, or below one, answers 404 (its rows stay
    until ``manage.py modules purge``)."""
    from django.http import Http404

    from mprc_cms.modules import is_below_removed_page

    if is_below_removed_page(page):
        raise Http404
