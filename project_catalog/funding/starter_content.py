"""The funding guide's starter content: the national programmes a rural commune's projects
can ask (``starter/sources-nationales.csv``, in the funding sources' import format).

Loaded by ``manage.py load_starter_content`` (and ``load_demo``) through the module's
``starter_content``, with the same import as a coordinator's file: network sources, their
financers created by name. A source whose identifier (slug) is already taken is left as it
is: loading twice changes nothing, and a network that edited a source (its dates of the
year, its figures) keeps its edits; a source deleted comes back on the next load.
"""

from pathlib import Path

from django.utils.translation import ngettext

from mprc_cms.imports.datafiles import import_data_file

from .models import FundingSource

SOURCES_FILE = Path(__file__).resolve().parent / "starter" / "sources-nationales.csv"


def load_sources(path):
    """Import the sources of the file at ``path`` not known yet; returns their slugs."""
    known = FundingSource.objects.values_list("slug", flat=True)
    return import_data_file(FundingSource, path, known=list(known))


def load(stdout=None):
    slugs = load_sources(SOURCES_FILE)
    if stdout is not None:
        total = FundingSource.objects.filter(commune__isnull=True).count()
        stdout.write(
            ngettext(
                "Funding guide: %(new)s network source added, %(total)s in all.",
                "Funding guide: %(new)s network sources added, %(total)s in all.",
                len(slugs),
            )
            % {"new": len(slugs), "total": total}
        )
    return slugs
