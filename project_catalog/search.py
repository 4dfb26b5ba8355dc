"""The catalogue in the site search: the communes' projects and the network's templates
(declared in ``ProjectCatalogConfig.mprc_module.search_kinds``)."""

from django.db.models import F
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from home.models import attach_communes
from mprc_cms.search import SearchKind, SearchResult, SearchScope, children_of, excerpt

from .models import ProjectIndexPage, ProjectLibraryPage, ProjectPage, ProjectTemplatePage


class ProjectKind(SearchKind):
    """The published projects of the communes whose projects page is published (the
    module is on), in the scope."""

    key = "projects"
    label = _("Projects")
    item_label = _("Project")
    title_field = "folded__search_title"
    text_field = "folded__search_text"
    order_by = (F("last_published_at").desc(nulls_last=True), "path")
    page_models = ("project_catalog.ProjectPage",)

    def records(self):
        indexes = self.scope.within(ProjectIndexPage.objects.live().public())
        projects = children_of(ProjectPage.objects.live().public(), indexes)
        return self.scope.within(projects).select_related("category")

    def results(self, records, request):
        projects = attach_communes(list(records))
        return [
            SearchResult(
                title=project.title,
                url=project.get_url(request),
                kind_label=self.item_label,
                commune=project.commune.title if project.commune else "",
                detail=f"{project.status_label} · {project.category.name}",
                excerpt=excerpt(project.summary),
            )
            for project in projects
        ]


class TemplateKind(SearchKind):
    """The published templates of the network's library: network data, searched from the
    whole network (a commune's search shows its own things)."""

    key = "templates"
    label = _("Project templates")
    item_label = capfirst(_("project template"))
    title_field = "folded__search_title"
    text_field = "folded__search_text"
    order_by = ("title", "pk")
    page_models = ("project_catalog.ProjectTemplatePage",)

    def records(self):
        if self.scope.commune is not None:
            return None
        libraries = self.scope.within(ProjectLibraryPage.objects.live().public())
        templates = children_of(ProjectTemplatePage.objects.live().public(), libraries)
        return templates.select_related("category")

    def results(self, records, request):
        return [
            SearchResult(
                title=template.title,
                url=template.get_url(request),
                kind_label=self.item_label,
                detail=template.category.name,
                excerpt=excerpt(template.summary),
            )
            for template in records
        ]


def shown_projects():
    """Every project the catalogue's pages show, network-wide (the search's rule: live and
    public, under a published projects page, of a commune online): what any list, count or
    link elsewhere may name (a template's adoptions, a micro-parliament's priorities)."""
    scope = SearchScope(commune=None, root=None, today=timezone.localdate())
    return ProjectKind(scope).records()
