from django.urls import include, path, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.pages.listing import IndexView as PageIndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from mprc_cms.admin_buttons import register_page_buttons
from mprc_cms.admin_messages import FEMININE, ModelMessagesMixin
from mprc_cms.communes import (
    CommuneScopedPermissionPolicy,
    CommuneScopedViewSet,
    communes_for_user,
    is_network_coordinator,
)
from mprc_cms.imports import ImportButtonMixin, register_import

from . import admin_views
from .models import (
    ProjectCategory,
    ProjectPage,
    ProjectStatus,
    ProjectTemplatePage,
    TemplateProposal,
)
from .resources import ProjectResource, ProjectTemplateResource

app_name = "project_catalog_admin"
urlpatterns = [
    path("adopter/<int:template_id>/", admin_views.AdoptView.as_view(), name="adopt"),
    path("partager/<int:project_id>/", admin_views.ProposeView.as_view(), name="propose"),
    path("propositions/<int:pk>/", admin_views.ProposalReviewView.as_view(), name="proposal"),
]


@hooks.register("register_admin_urls")
def register_catalog_admin_urls():
    from . import library_follow_views

    return [
        path("projets/", include((urlpatterns, app_name), namespace=app_name)),
        path(
            "projets/bibliotheques-suivies/",
            include(
                (library_follow_views.urlpatterns, library_follow_views.app_name),
                namespace=library_follow_views.app_name,
            ),
        ),
    ]


@hooks.register("register_log_actions")
def register_catalog_log_actions(actions):
    actions.register_action(
        "mprc.template_adopted", _("Adopt a project template"), _("Project template adopted")
    )
    actions.register_action(
        "mprc.template_proposed", _("Propose a project as a template"), _("Template proposed")
    )


class ProjectListingIndexView(ImportButtonMixin, PageIndexView):
    pass


def _listing_columns(*columns):
    """Wagtail's page listing columns (the title links to the editor and carries the row's
    menu), with ``columns`` after the title."""
    base = {column.name: column for column in PageIndexView.base_columns}
    return [
        base["bulk_actions"],
        base["title"],
        *columns,
        base["parent"],
        base["latest_revision_created_at"],
        base["status"],
    ]


def _menu_item_class(name, is_shown):
    return type(name, (MenuItem,), {"is_shown": lambda self, request: is_shown(request.user)})


class ProjectListingViewSet(PageListingViewSet):
    model = ProjectPage
    index_view_class = ProjectListingIndexView
    icon = "clipboard-list"
    menu_label = _("Projects")
    columns = _listing_columns(
        Column("category", label=_("Category")),
        Column("project_status", label=_("Stage"), accessor="get_status_display"),
    )
    list_filter = ["category", "status", "live"]
    # Staff of a commune, and coordinators (who manage every commune).
    menu_item_class = _menu_item_class(
        "ProjectsMenuItem", lambda user: communes_for_user(user).exists()
    )


class TemplateListingViewSet(PageListingViewSet):
    model = ProjectTemplatePage
    index_view_class = ProjectListingIndexView
    icon = "doc-full-inverse"
    menu_label = _("Project templates")
    columns = _listing_columns(
        Column("category", label=_("Category")),
        Column("version", label=_("Version")),
    )
    list_filter = ["category", "live"]
    menu_item_class = _menu_item_class("ProjectTemplatesMenuItem", is_network_coordinator)


class ProposalIndexView(IndexView):
    def get_edit_url(self, instance):
        return reverse("project_catalog_admin:proposal", args=[instance.pk])


register_permission_policy(TemplateProposal, CommuneScopedPermissionPolicy(TemplateProposal))


class ProposalViewSet(CommuneScopedViewSet):
    model = TemplateProposal
    noun_gender = FEMININE  # «proposition de modèle»
    icon = "upload"
    menu_label = _("Template proposals")
    index_view_class = ProposalIndexView
    list_display = ["project", "commune", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]
    form_fields = ["review_note"]


class CategoryViewSet(ModelMessagesMixin, ModelViewSet):
    model = ProjectCategory
    noun_gender = FEMININE  # «catégorie de projets»
    icon = "tag"
    menu_label = _("Project categories")
    list_display = ["name", "slug", "sort_order"]
    form_fields = ["name", "slug", "description", "sort_order"]
    search_fields = ["name"]


class CatalogueGroup(ViewSetGroup):
    menu_label = _("Projects")
    menu_icon = "clipboard-list"
    menu_order = 200
    submenu_hook = "register_catalogue_menu_item"
    items = (
        ProjectListingViewSet("projects"),
        TemplateListingViewSet("project_templates"),
        ProposalViewSet("template_proposals"),
        CategoryViewSet("project_categories"),
    )


@hooks.register("register_admin_viewset")
def register_catalogue_viewsets():
    return CatalogueGroup()


@hooks.register("register_catalogue_menu_item")
def register_followed_libraries_menu_item():
    return _menu_item_class("FollowedLibrariesMenuItem", is_network_coordinator)(
        _("Followed libraries"),
        reverse_lazy("project_catalog_libraries:index"),
        name="followed-libraries",
        icon_name="link-external",
        order=10,
    )


@register_page_buttons
def catalogue_buttons(page, user):
    """Adopt a published template; share a completed project with the network."""
    specific = page.specific_deferred
    if isinstance(specific, ProjectTemplatePage) and page.live:
        if communes_for_user(user).exists():
            yield Button(
                _("Adopt for my commune"),
                reverse("project_catalog_admin:adopt", args=[page.pk]),
                icon_name="copy",
                priority=60,
            )
    elif isinstance(specific, ProjectPage):
        project = page.specific
        if project.status == ProjectStatus.COMPLETED and page.permissions_for_user(user).can_edit():
            yield Button(
                _("Share with the network"),
                reverse("project_catalog_admin:propose", args=[page.pk]),
                icon_name="upload",
                priority=60,
            )


class PendingProposalsPanel(Component):
    """On a coordinator's dashboard: the proposals waiting for a review."""

    name = "pending_template_proposals"
    template_name = "project_catalog/admin/pending_proposals_panel.html"
    order = 60

    def __init__(self, proposals):
        self.proposals = proposals

    def get_context_data(self, parent_context=None):
        return {"proposals": self.proposals}


@hooks.register("construct_homepage_panels")
def add_pending_proposals_panel(request, panels):
    if not is_network_coordinator(request.user):
        return
    proposals = list(
        TemplateProposal.objects.filter(status=TemplateProposal.Status.PENDING)
        .select_related("project", "commune")
        .order_by("created_at")[:20]
    )
    if proposals:
        panels.append(PendingProposalsPanel(proposals))


register_import(
    ProjectPage,
    ProjectResource,
    label=_("Projects"),
    help_text=_(
        "One row per project. A row whose “identifiant” is the web address name (slug) of an "
        "existing project of the commune updates it; the other rows create projects. "
        "Everything arrives as drafts to review and publish."
    ),
    required_columns=("titre", "categorie", "resume"),
    sample_rows=[
        {
            "identifiant": "",
            "titre": "Covoiturage des coteaux",
            "categorie": "Covoiturage local",
            "etape": "Co-construction",
            "lieu": "Place de l'Église",
            "resume": "Des trajets partagés vers le marché et la gare, organisés par la mairie.",
            "budget_prevu": 4500,
        }
    ],
    exportable=True,
)

register_import(
    ProjectTemplatePage,
    ProjectTemplateResource,
    commune_scoped=False,
    label=_("Project templates"),
    help_text=_(
        "A file exported from the library of this or another MPRC installation. A row whose "
        "“identifiant” matches a template of the library updates it; the other rows create "
        "templates. Everything arrives as drafts to review and publish."
    ),
    required_columns=("titre", "categorie", "resume", "probleme"),
    allowed=is_network_coordinator,
    exportable=True,
    export_selection=True,
)
