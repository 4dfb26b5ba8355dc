"""What other modules may use of the project catalogue: its public face.

Another module (the funding guide) imports the catalogue from here only; the rest of
``project_catalog`` is internal and may change without notice (an import-linter contract
in pyproject.toml checks it, see docs/architecture.md, *Import contracts*). Add a name here
when another module needs it, rather than importing it from where it lives.
"""

from .models import ProjectCategory, ProjectPage, ProjectStatus
from .open_data import public_projects
from .rest import API_FIELDS_HOOK as PROJECT_API_FIELDS_HOOK
from .rest import category_filter
from .search import shown_projects
from .sections import HOOK_NAME as PROJECT_PAGE_SECTIONS_HOOK
from .sections import ProjectPageSection

__all__ = [
    "PROJECT_API_FIELDS_HOOK",
    "PROJECT_PAGE_SECTIONS_HOOK",
    "ProjectCategory",
    "ProjectPage",
    "ProjectPageSection",
    "ProjectStatus",
    "category_filter",
    "public_projects",
    "shown_projects",
]
