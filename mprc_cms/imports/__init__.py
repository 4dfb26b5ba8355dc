"""Shared admin import of CSV and XLSX files into a commune's (or the network's) data.

A module registers a django-import-export resource for a model::

    from mprc_cms.imports import CommuneScopedResource, register_import

    register_import(Volunteer, VolunteerResource, label=_("Volunteers"))

and gets ``/admin/imports/<app_label>/<model_name>/``: upload → preview (a dry run with
per-row errors) → confirm (every row or none, in one transaction, written in the
commune's audit log). See docs/imports.md.
"""

from .buttons import ImportButtonMixin
from .options import ImportOptions
from .registry import (
    ImportDefinition,
    get_import,
    get_imports,
    import_url,
    import_url_for_user,
    register_import,
)
from .resources import CommuneScopedResource, ImportResource

__all__ = [
    "CommuneScopedResource",
    "ImportButtonMixin",
    "ImportDefinition",
    "ImportOptions",
    "ImportResource",
    "get_import",
    "get_imports",
    "import_url",
    "import_url_for_user",
    "register_import",
]
