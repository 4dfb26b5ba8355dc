"""The folded name of the sources that existed before ``search_title``; from now on it is
set on every save (``FundingSource.set_search_text``).

A copy of ``mprc_cms.text.fold`` as it was written with this migration, so that later
changes to the code do not change what the migration does."""

import re
import unicodedata

from django.db import migrations

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def _fold(text):
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def fill(apps, schema_editor):
    FundingSource = apps.get_model("funding", "FundingSource")
    sources = list(FundingSource.objects.only("pk", "name"))
    for source in sources:
        source.search_title = _fold(source.name)
    FundingSource.objects.bulk_update(sources, ["search_title"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("funding", "0003_fundingsource_search_title")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
