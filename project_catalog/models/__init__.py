"""Models of the project catalogue, one domain concept per file."""

from .categories import ProjectCategory
from .followed import FollowedLibrary, LibraryProposal
from .library import Licence, ProjectLibraryPage, ProjectTemplatePage, TemplateVersion
from .projects import (
    ProjectCarrier,
    ProjectCatalogPage,
    ProjectIndexPage,
    ProjectMilestone,
    ProjectPage,
    ProjectUpdate,
)
from .proposals import TemplateProposal
from .status import PATH, ProjectStatus

__all__ = [
    "PATH",
    "FollowedLibrary",
    "LibraryProposal",
    "Licence",
    "ProjectCarrier",
    "ProjectCatalogPage",
    "ProjectCategory",
    "ProjectIndexPage",
    "ProjectLibraryPage",
    "ProjectMilestone",
    "ProjectPage",
    "ProjectStatus",
    "ProjectTemplatePage",
    "ProjectUpdate",
    "TemplateProposal",
    "TemplateVersion",
]
