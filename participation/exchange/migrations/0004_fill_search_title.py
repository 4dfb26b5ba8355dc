"""The folded title of the posts that existed before ``search_title``; from now on it is
set on every save (``ServiceListing.set_search_text``).

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
    ServiceListing = apps.get_model("exchange", "ServiceListing")
    listings = list(ServiceListing.objects.only("pk", "title"))
    for listing in listings:
        listing.search_title = _fold(listing.title)
    ServiceListing.objects.bulk_update(listings, ["search_title"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("exchange", "0003_servicelisting_search_title")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
