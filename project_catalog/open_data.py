"""The catalogue's open datasets (``ModuleInfo.open_datasets``): its projects and templates
as the public API lists them, and the projects counted per category and stage."""

from collections import Counter

from django.utils.translation import gettext_lazy as _

from mprc_cms.open_data.datasets import ApiDataset, CountsDataset, Field, count_field
from mprc_cms.search import SearchScope

from .models import ProjectStatus
from .search import ProjectKind


class ProjectDataset(ApiDataset):
    key = "projets"
    title = _("Projects")
    description = _(
        "The communes' published projects: commune, category, stage, place, summary, need, "
        "budgets, the template they started from."
    )
    endpoint = "project_catalog.rest.ProjectViewSet"


class TemplateDataset(ApiDataset):
    key = "modeles-de-projets"
    title = _("Project templates")
    description = _(
        "The network's published project templates: category, summary, budget, duration, "
        "roles, pitfalls, success factors, licence, version."
    )
    endpoint = "project_catalog.rest.TemplateViewSet"


def public_projects(scope):
    """The published projects of the scope (the search's rule: what the pages show)."""
    return ProjectKind(
        SearchScope(commune=scope.commune, root=scope.root, today=scope.today)
    ).records()


class ProjectCounts(CountsDataset):
    key = "projets-par-categorie-et-etape"
    title = _("Projects per category and stage")
    description = _("How many published projects each category has at each stage.")
    dimensions = (
        Field("category", "string", _("The project category (family of projects).")),
        Field("status", "string", _("The stage's code.")),
        Field("status_label", "string", _("The stage, in words.")),
    )
    counts = (count_field("projects", _("Published projects.")),)

    def rows(self, scope):
        counted = Counter(public_projects(scope).values_list("category__name", "status"))
        labels = dict(ProjectStatus.choices)
        return [
            {
                "category": category,
                "status": status,
                "status_label": str(labels.get(status, status)),
                "projects": count,
            }
            for (category, status), count in sorted(counted.items())
        ]
