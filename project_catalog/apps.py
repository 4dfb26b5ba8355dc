from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from mprc_cms.modules import ModuleInfo


class ProjectCatalogConfig(AppConfig):
    name = "project_catalog"
    label = "project_catalog"
    verbose_name = _("Project catalogue")
    default_auto_field = "django.db.models.BigAutoField"
    mprc_module = ModuleInfo(
        key="projects",
        label=_("Projects"),
        description=_(
            "The commune's projects, from the first idea to the results, and the network's "
            "library of project templates to start from."
        ),
        invitation=_("Follow the commune's projects, from the first idea to the results."),
        index_page_model="project_catalog.ProjectIndexPage",
        public_order=30,
        icon="clipboard-list",
        default_title=_("Our projects"),
        default_slug="projets",
        editor_permissions=("project_catalog.view_templateproposal",),
        coordinator_permissions=(
            "project_catalog.add_projectcategory",
            "project_catalog.change_projectcategory",
            "project_catalog.delete_projectcategory",
            "project_catalog.view_projectcategory",
            "project_catalog.change_templateproposal",
        ),
        demo_loader="project_catalog.demo.load",
        starter_content="project_catalog.starter_content.load",
        # The libraries of other networks the network follows (library_follow.py).
        daily_job="project_catalog.library_follow.daily",
        search_kinds=("project_catalog.search.ProjectKind", "project_catalog.search.TemplateKind"),
        api_endpoints=(
            "project_catalog.rest.ProjectViewSet",
            "project_catalog.rest.TemplateViewSet",
        ),
        open_datasets=(
            "project_catalog.open_data.ProjectDataset",
            "project_catalog.open_data.TemplateDataset",
            "project_catalog.open_data.ProjectCounts",
        ),
        privacy_processings=("project_catalog.privacy.ProjectPeople",),
        followable_pages=("project_catalog.ProjectPage",),
    )

    def ready(self):
        from . import signals
        from .network_pages import ensure_network_pages

        signals.connect()
        post_migrate.connect(ensure_network_pages, sender=self)
