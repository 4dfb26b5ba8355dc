"""The catalogue's starter content: the network library's ten project templates, one per
family of projects (``starter/modeles-de-projets.csv``, in the templates' import format).

Loaded by ``manage.py load_starter_content`` (and ``load_demo``) through the module's
``starter_content``, with the same import as a coordinator's file. A template whose
identifier (slug) is already in the library is left as it is: loading twice changes
nothing, and a network that edited (or unpublished) a template keeps it that way; a
template deleted from the library comes back on the next load. The imported templates are
published at once: they are the library of a network's first day.
"""

from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from home.onboarding import NetworkNotReady
from mprc_cms.imports.datafiles import import_data_file

from .models import ProjectTemplatePage
from .network_pages import library_page

TEMPLATES_FILE = Path(__file__).resolve().parent / "starter" / "modeles-de-projets.csv"


def load(stdout=None):
    library = library_page()
    if library is None:
        raise NetworkNotReady(
            _("The network has no project library yet: run “python manage.py migrate”.")
        )
    known = ProjectTemplatePage.objects.child_of(library).values_list("slug", flat=True)
    slugs = import_data_file(ProjectTemplatePage, TEMPLATES_FILE, known=list(known))
    for template in ProjectTemplatePage.objects.child_of(library).filter(slug__in=slugs):
        template.get_latest_revision().publish()
    if stdout is not None:
        total = ProjectTemplatePage.objects.child_of(library).count()
        stdout.write(
            ngettext(
                "Project library: %(new)s template added, %(total)s in all.",
                "Project library: %(new)s templates added, %(total)s in all.",
                len(slugs),
            )
            % {"new": len(slugs), "total": total}
        )
    return slugs
